/**
 * The export bench's process (R-AR-3): one local stack of its own (as the tests start it), N ledger
 * entries written straight into DynamoDB Local (tests/support/ledger-seed.ts), then the ledger
 * exported through the API as finance would (POST /exports, the FinanceExport workflow, GET) in
 * each format, several times, the process's memory sampled while each export runs. Sends the
 * result to the parent over IPC and exits. Settings come from BENCH_EXPORTS (JSON).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setClock } from '../functions/shared/clock.js';
import { startLocalStack } from '../infra/local/stack.js';
import { seedLedgerEntries } from '../tests/support/ledger-seed.js';
import type { ExportBenchResult, ExportBenchSettings, ExportRun } from './exports.js';

const settings = JSON.parse(process.env.BENCH_EXPORTS ?? '{}') as ExportBenchSettings;
const MONTH = '2026-10';
const FORMATS = ['csv', 'jsonl', 'both'] as const;
const USER = 'zheng.hao';
/** What the bench reads of the API's export record. */
interface ExportBody {
  exportId: string;
  status: string;
  failure?: string;
  startedAt: string;
  finishedAt: string;
  files: { name: string; rows: number; bytes: number }[];
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-exports-'));
const stack = await startLocalStack({ dataDir, inMemory: true, logLevel: 'ERROR', retryIntervalMs: 0, timeoutPollMs: 0 });
try {
  const token = await stack.tokenFor(USER);
  const api = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${stack.url}${urlPath}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as ExportBody };
  };

  const seedStarted = performance.now();
  const seeded = await seedLedgerEntries(stack.dynamoEndpoint, { entries: settings.entries, customers: settings.customers, month: MONTH, concurrency: 8 });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  setClock(new Date('2026-11-25T02:00:00Z'));

  /** One export through the API and its workflow: wall time from POST to SUCCEEDED, the worker's own time, memory growth. */
  async function exportLedger(format: (typeof FORMATS)[number], period: { from: string; to: string }): Promise<ExportRun> {
    const before = process.memoryUsage();
    const peak = { heapUsed: before.heapUsed, rss: before.rss };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
      peak.rss = Math.max(peak.rss, m.rss);
    }, 10);
    const started = performance.now();
    try {
      const res = await api('POST', '/exports', { kind: 'ledger', format, ...period });
      if (res.status !== 202) throw new Error(`POST /exports answered ${res.status}: ${JSON.stringify(res.body)}`);
      await stack.stepFunctions.idle();
      const seconds = (performance.now() - started) / 1000;
      const view = (await api('GET', `/exports/${res.body.exportId}`)).body;
      if (view.status !== 'SUCCEEDED') throw new Error(`export ${view.exportId} ${view.status}: ${view.failure}`);
      const rows = view.files[0]!.rows;
      const workerSeconds = (Date.parse(view.finishedAt) - Date.parse(view.startedAt)) / 1000;
      return {
        format,
        rows,
        files: view.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes })),
        seconds: Math.round(seconds * 1000) / 1000,
        workerSeconds,
        rowsPerSecond: Math.round(rows / seconds),
        heapGrowthMb: mb(peak.heapUsed - before.heapUsed),
        rssGrowthMb: mb(peak.rss - before.rss),
      };
    } finally {
      clearInterval(sampler);
    }
  }

  const month = { from: seeded.from, to: `${MONTH}-31` };
  // The whole month once first, not counted: module loading, compilation and DynamoDB Local's first
  // reads of the index belong to a cold start, not to rows (the first format measured was ~2× slower).
  await exportLedger('both', month);
  const runs: ExportRun[] = [];
  for (let r = 0; r < settings.repeats; r++) {
    for (const format of FORMATS) runs.push(await exportLedger(format, month));
  }
  const result: ExportBenchResult = { settings, seedSeconds: Math.round(seedSeconds * 10) / 10, runs };
  process.send!({ type: 'result', result });
} catch (err) {
  process.send!({ type: 'error', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
} finally {
  setClock(undefined);
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.disconnect?.();
}
