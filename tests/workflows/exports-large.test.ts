/**
 * R-AR-3: an export of 100,000 ledger entries streams and pages through DynamoDB with bounded
 * memory, and its manifest counts every row. The entries are written straight into DynamoDB
 * Local (BatchWriteItem, tests/support/ledger-seed.ts), then exported through the API and the
 * FinanceExport workflow as finance would, the local stack running in this process, so the
 * process's memory is the exporter's.
 *
 * In a file of its own and without the after-scenario invariant check: the seeded entries keep
 * their customers' balances (balance = Σ entries, R-BILL-5), but they have no invoices, payments
 * or open items behind them, and reading 100,000 items back through a Scan for the check would
 * double this test's time for nothing the scenario tests (tests/workflows/exports.test.ts) do not
 * already check with real invoices and payments.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { seedLedgerEntries } from '../support/ledger-seed.js';
import { apiAs, startTestStack } from '../support/local-stack.js';

const ENTRIES = 100_000;
/** Growth of the process's heap and resident memory allowed while the export runs (the files themselves are about 20 and 45 MB). */
const MAX_GROWTH_MB = 150;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Reads a download as it comes: its size, SHA-256 and line count, without holding it. */
async function measure(url: string): Promise<{ bytes: number; sha256: string; lines: number; head: string }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  let head = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (head.length < 400) head += Buffer.from(chunk.subarray(0, 400)).toString('utf8');
    hash.update(chunk);
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) lines++;
  }
  return { bytes, sha256: hash.digest('hex'), lines, head };
}

/** Exports the ledger of a period through the API and its workflow, sampling the process's memory while it runs. */
async function exportLedger(period: { from: string; to: string }) {
  const before = process.memoryUsage();
  const peak = { heapUsed: before.heapUsed, rss: before.rss };
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.rss = Math.max(peak.rss, now.rss);
  }, 10);
  const started = performance.now();
  try {
    const res = await apiAs(stack, 'zheng.hao').post('/exports', { kind: 'ledger', ...period });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await stack.stepFunctions.idle();
    const seconds = (performance.now() - started) / 1000;
    const view = (await apiAs(stack, 'zheng.hao').get(`/exports/${res.body.exportId}`)).body;
    return { view, seconds, growth: { heapUsed: mb(peak.heapUsed - before.heapUsed), rss: mb(peak.rss - before.rss) } };
  } finally {
    clearInterval(sampler);
  }
}

describe('a large export (R-AR-3)', () => {
  it(`R-AR-3: ${ENTRIES.toLocaleString('en-US')} ledger entries export as CSV and JSON Lines with bounded memory; the manifest counts every row`, { timeout: 300_000 }, async () => {
    const seeded = await seedLedgerEntries(stack.dynamoEndpoint, { entries: ENTRIES, customers: 100, month: '2026-10', concurrency: 8 });
    setClock(new Date('2026-11-25T02:00:00Z'));

    // A day first (3,572 rows): what a first export loads once (modules, compiled code, buffers the
    // allocator keeps) is not counted against the large one.
    const small = await exportLedger({ from: '2026-10-01', to: '2026-10-01' });
    expect(small.view.files[0].rows).toBe(Math.ceil(ENTRIES / 28));
    const { view, seconds, growth } = await exportLedger({ from: '2026-10-01', to: '2026-10-31' });
    console.log(
      `R-AR-3 large export: ${ENTRIES} ledger entries → ${view.files.map((f: { name: string; bytes: number }) => `${f.name} ${mb(f.bytes)} MB`).join(', ')} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(ENTRIES / seconds)} rows/s, both formats at once); peak growth while it ran: heap ${growth.heapUsed} MB, rss ${growth.rss} MB ` +
        `(a day of ${small.view.files[0].rows} rows: heap ${small.growth.heapUsed} MB, rss ${small.growth.rss} MB)`,
    );

    expect(view.status, view.failure).toBe('SUCCEEDED');
    expect(view.files.map((f: { name: string; rows: number }) => [f.name, f.rows])).toEqual([
      ['ledger_2026-10-01_2026-10-31.csv', seeded.entries],
      ['ledger_2026-10-01_2026-10-31.jsonl', seeded.entries],
    ]);
    // The files hold what the manifest says: every row (CSV: a header and one line per entry), byte for byte.
    for (const f of view.files) {
      const got = await measure(f.url);
      expect(got.bytes, f.name).toBe(f.bytes);
      expect(got.sha256, f.name).toBe(f.sha256);
      expect(got.lines, f.name).toBe(f.format === 'csv' ? ENTRIES + 1 : ENTRIES);
      if (f.format === 'csv') expect(got.head.startsWith('\uFEFFentry_date,recorded_at_utc,customer_id,entry_no,kind,amount'), f.name).toBe(true);
      else expect(JSON.parse(got.head.slice(0, got.head.indexOf('\n')))).toMatchObject({ seq: 1, on: '2026-10-01', amount: { currency: 'CNY' } });
    }
    // Memory did not grow with the rows: 100,000 entries held at once would take several hundred MB of heap.
    expect(growth.heapUsed).toBeLessThan(MAX_GROWTH_MB);
    expect(growth.rss).toBeLessThan(MAX_GROWTH_MB);
  });
});
