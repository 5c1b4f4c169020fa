/**
 * Finance exports (R-AR-3): export rows per second, per format, on a local stack of its own
 * (exports-child.ts in a child process): N ledger entries of one month seeded straight into
 * DynamoDB Local, then the month's ledger exported through the API and the FinanceExport workflow
 * as CSV, as JSON Lines and as both at once (one pass over the rows, two files), each `repeats`
 * times after one warm-up export of the month. Rows per second: the entries over the wall time from POST
 * /exports to the workflow's end (the worker paging through DynamoDB and streaming the files to
 * the local folder, plus the API and the workflow around it); the median of the repeats is
 * reported, with the peak memory growth of the process while the export ran.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.js';

export interface ExportBenchSettings {
  entries: number;
  customers: number;
  repeats: number;
}

export interface ExportRun {
  format: 'csv' | 'jsonl' | 'both';
  rows: number;
  files: { name: string; rows: number; bytes: number }[];
  /** POST /exports → the workflow's end. */
  seconds: number;
  /** The worker's own time (the export record's startedAt → finishedAt). */
  workerSeconds: number;
  rowsPerSecond: number;
  heapGrowthMb: number;
  rssGrowthMb: number;
}

export interface ExportBenchResult {
  settings: ExportBenchSettings;
  seedSeconds: number;
  runs: ExportRun[];
}

export interface ExportFormatSummary {
  format: ExportRun['format'];
  rows: number;
  runs: number;
  medianRowsPerSecond: number;
  medianSeconds: number;
  medianWorkerSeconds: number;
  maxHeapGrowthMb: number;
  maxRssGrowthMb: number;
  bytes: number;
}

export interface ExportsResult extends ExportBenchResult {
  formats: ExportFormatSummary[];
}

export function summarize(result: ExportBenchResult): ExportsResult {
  const formats = (['csv', 'jsonl', 'both'] as const).map((format): ExportFormatSummary => {
    const runs = result.runs.filter((r) => r.format === format);
    return {
      format,
      rows: runs[0]?.rows ?? 0,
      runs: runs.length,
      medianRowsPerSecond: percentile(runs.map((r) => r.rowsPerSecond), 0.5),
      medianSeconds: percentile(runs.map((r) => r.seconds), 0.5),
      medianWorkerSeconds: percentile(runs.map((r) => r.workerSeconds), 0.5),
      maxHeapGrowthMb: Math.max(...runs.map((r) => r.heapGrowthMb)),
      maxRssGrowthMb: Math.max(...runs.map((r) => r.rssGrowthMb)),
      bytes: runs[0]?.files.reduce((s, f) => s + f.bytes, 0) ?? 0,
    };
  });
  return { ...result, formats };
}

export async function benchExports(settings: ExportBenchSettings & { log: (line: string) => void }): Promise<ExportsResult> {
  const { log, ...own } = settings;
  log(`exports: ${own.entries} ledger entries over ${own.customers} customers, each format ${own.repeats} time(s)`);
  const child = fork(fileURLToPath(new URL('./exports-child.ts', import.meta.url)), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, BENCH_EXPORTS: JSON.stringify(own) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = await new Promise<ExportBenchResult>((resolve, reject) => {
    child.on('message', (m: { type: 'result'; result: ExportBenchResult } | { type: 'error'; error: string }) => {
      if (m.type === 'result') resolve(m.result);
      else reject(new Error(`in the export bench process: ${m.error}`));
    });
    child.once('exit', (code) => reject(new Error(`the export bench process exited (${code}) without a result`)));
  });
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  const summary = summarize(result);
  for (const f of summary.formats) log(`exports: ${f.format} ${f.medianRowsPerSecond} rows/s (${f.rows} rows in ${f.medianSeconds} s; peak growth heap ${f.maxHeapGrowthMb} MB, rss ${f.maxRssGrowthMb} MB)`);
  return summary;
}
