/**
 * Runs an export (R-AR-3): for each kind, one pass over its rows (DynamoDB pages as they come)
 * into one file per format at once, each file streamed to the storage while its bytes are
 * counted and hashed; then manifest.json beside the files; then the record SUCCEEDED with the
 * manifest's file list. Memory holds a page or two and the storage's buffers, not the period.
 */
import { Readable } from 'node:stream';
import { nowIso } from '../shared/clock.js';
import { logger } from '../shared/logger.js';
import { BOM, type Column, csvHeader, csvLine, jsonLine } from './csv.js';
import { CONTENT_TYPES, type ExportPlan, fileName } from './plan.js';
import { AGING_COLUMNS, INVOICE_COLUMNS, LEDGER_COLUMNS, PAYMENT_COLUMNS } from './rows.js';
import type { ExportFile, ExportFormat, ExportKind, ExportRecord } from './schemas.js';
import { FileSink } from './sink.js';
import { agingPages, invoicePages, ledgerPages, paymentPages } from './sources.js';
import { type ExportStorage, exportStorage } from './storage.js';
import { markStarted, markSucceeded } from './store.js';

export const MANIFEST_NAME = 'manifest.json';

interface Source<T> {
  columns: readonly Column<T>[];
  pages: (plan: ExportPlan) => AsyncIterable<T[]>;
}

/** Each kind's columns and rows, bound to its row type. */
const source = <T>(columns: readonly Column<T>[], pages: (plan: ExportPlan) => AsyncIterable<T[]>) => ({
  write: (storage: ExportStorage, exportId: string, kind: ExportKind, plan: ExportPlan) => writeKind(storage, exportId, kind, { columns, pages }, plan),
});

const SOURCES: Record<ExportKind, ReturnType<typeof source>> = {
  ledger: source(LEDGER_COLUMNS, (plan) => ledgerPages(plan.period!)),
  invoices: source(INVOICE_COLUMNS, (plan) => invoicePages(plan.period!)),
  payments: source(PAYMENT_COLUMNS, (plan) => paymentPages(plan.period!)),
  aging: source(AGING_COLUMNS, (plan) => agingPages(plan.asOf!)),
};

/** A page as the text of one format: CSV lines or JSON Lines. */
function pageText<T>(format: ExportFormat, columns: readonly Column<T>[], rows: readonly T[]): string {
  let text = '';
  for (const row of rows) text += format === 'csv' ? csvLine(columns, row) : jsonLine(row);
  return text;
}

/** One kind's files (one per format) from a single pass over its rows. */
async function writeKind<T>(storage: ExportStorage, exportId: string, kind: ExportKind, source: Source<T>, plan: ExportPlan): Promise<ExportFile[]> {
  const sinks = plan.formats.map((format) => {
    const name = fileName(kind, format, plan);
    return { format, sink: new FileSink(storage, `${exportId}/${name}`, { name, kind, format, contentType: CONTENT_TYPES[format] }) };
  });
  try {
    for (const { format, sink } of sinks) if (format === 'csv') await sink.write(BOM + csvHeader(source.columns), 0);
    for await (const rows of source.pages(plan)) {
      for (const { format, sink } of sinks) await sink.write(pageText(format, source.columns, rows), rows.length);
    }
    const files: ExportFile[] = [];
    for (const { sink } of sinks) files.push(await sink.close());
    return files;
  } catch (err) {
    await Promise.all(sinks.map(({ sink }) => sink.abort(err as Error)));
    throw err;
  }
}

/** What manifest.json holds: the record as it is once the export succeeded. */
export function manifestOf(record: ExportRecord): Omit<ExportRecord, 'status' | 'failure'> {
  const { status: _s, failure: _f, ...manifest } = record;
  return manifest;
}

/**
 * Writes every file of a RUNNING export, then its manifest, then marks it SUCCEEDED. Run again
 * after a failure (a retry), it writes the same files again: the keys are the export's own.
 */
export async function runExport(record: ExportRecord, storage?: ExportStorage): Promise<ExportRecord> {
  const store = storage ?? (await exportStorage());
  const plan: ExportPlan = { kinds: record.kinds, formats: record.formats, period: record.period, asOf: record.asOf };
  const startedAt = nowIso();
  const location = store.location(record.exportId);
  await markStarted(record.exportId, startedAt, location);
  const files: ExportFile[] = [];
  for (const kind of plan.kinds) {
    files.push(...(await SOURCES[kind].write(store, record.exportId, kind, plan)));
    logger.info('export file written', { exportId: record.exportId, kind, files: files.filter((f) => f.kind === kind).map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes })) });
  }
  const finishedAt = nowIso();
  const done: ExportRecord = { ...record, status: 'SUCCEEDED', startedAt, finishedAt, location, files };
  await store.write(`${record.exportId}/${MANIFEST_NAME}`, Readable.from([Buffer.from(`${JSON.stringify(manifestOf(done), null, 2)}\n`, 'utf8')]), CONTENT_TYPES.json);
  await markSucceeded(record.exportId, files, finishedAt);
  return done;
}
