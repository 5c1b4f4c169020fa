/**
 * What an export covers (R-AR-3), as pure functions: the request checked against today, the
 * schedules' periods (the previous day at 02:30, the previous month on the 1st) and the files'
 * names.
 */
import { addDays } from '../shared/clock.js';
import type { FieldError } from '../shared/errors.js';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind, type StartExport } from './schemas.js';

/** A longer period is several exports: it keeps one export within a Lambda's 15 minutes. */
export const MAX_PERIOD_DAYS = 366;

export interface ExportPlan {
  kinds: ExportKind[];
  formats: ExportFormat[];
  period: { from: string; to: string } | null;
  asOf: string | null;
}

const daysFrom = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Every problem of a request that the schema cannot see (order of dates, length, the future), each naming its field. */
export function requestProblems(body: StartExport, today: string): FieldError[] {
  const problems: FieldError[] = [];
  const needsPeriod = body.kind !== 'aging';
  if (needsPeriod && !body.from) problems.push({ field: 'body.from', message: 'required: the first day of the period', code: 'required' });
  if (needsPeriod && !body.to) problems.push({ field: 'body.to', message: 'required: the last day of the period', code: 'required' });
  if (body.from && body.from > today) problems.push({ field: 'body.from', message: `${body.from} is after today (${today})`, code: 'in_future' });
  if (body.to && body.to > today) problems.push({ field: 'body.to', message: `${body.to} is after today (${today})`, code: 'in_future' });
  if (body.from && body.to && body.to < body.from) problems.push({ field: 'body.to', message: `${body.to} is before from (${body.from})`, code: 'before_from' });
  else if (body.from && body.to && daysFrom(body.from, body.to) >= MAX_PERIOD_DAYS) {
    problems.push({ field: 'body.to', message: `at most ${MAX_PERIOD_DAYS} days from ${body.from}: export a longer period in parts`, code: 'period_too_long' });
  }
  if (body.asOf && body.asOf > today) problems.push({ field: 'body.asOf', message: `${body.asOf} is after today (${today})`, code: 'in_future' });
  return problems;
}

/** A request (already checked) as the plan the exporter runs. */
export function planOf(body: StartExport, today: string): ExportPlan {
  const kinds = body.kind === 'all' ? [...EXPORT_KINDS] : [body.kind];
  const formats = body.format === 'both' ? [...EXPORT_FORMATS] : [body.format];
  const period = kinds.some((k) => k !== 'aging') ? { from: body.from!, to: body.to! } : null;
  const asOf = kinds.includes('aging') ? (body.asOf ?? body.to ?? today) : null;
  return { kinds, formats, period, asOf };
}

/** The daily schedule: yesterday's ledger, invoices and payments, and the aging as of yesterday. */
export function dailyPlan(today: string): { exportId: string; plan: ExportPlan } {
  const day = addDays(today, -1);
  return { exportId: `EX-DAILY-${day}`, plan: { kinds: [...EXPORT_KINDS], formats: [...EXPORT_FORMATS], period: { from: day, to: day }, asOf: day } };
}

/** The month-end schedule: the previous month in full, and the aging as of its last day. */
export function monthEndPlan(today: string): { exportId: string; plan: ExportPlan } {
  const lastDay = addDays(`${today.slice(0, 7)}-01`, -1);
  const month = lastDay.slice(0, 7);
  return { exportId: `EX-MONTH-${month}`, plan: { kinds: [...EXPORT_KINDS], formats: [...EXPORT_FORMATS], period: { from: `${month}-01`, to: lastDay }, asOf: lastDay } };
}

/** ledger_2026-11-01_2026-11-30.csv, aging_2026-11-30.jsonl: the name says what is in it once downloaded. */
export function fileName(kind: ExportKind, format: ExportFormat, plan: Pick<ExportPlan, 'period' | 'asOf'>): string {
  const when = kind === 'aging' ? plan.asOf! : plan.period!.from === plan.period!.to ? plan.period!.from : `${plan.period!.from}_${plan.period!.to}`;
  return `${kind}_${when}.${format}`;
}

export const CONTENT_TYPES: Record<ExportFormat | 'json', string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};
