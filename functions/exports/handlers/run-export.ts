/**
 * The export worker (R-AR-3), invoked three ways:
 * - by the FinanceExport workflow with { exportId }: writes the export POST /exports recorded;
 *   with { exportId, failure } (the workflow's Catch): records it FAILED with the reason;
 * - by the schedules finance-exports-daily (02:30: the previous day) and finance-exports-month-end
 *   (the 1st at 03:00: the previous month), each period under one id (EX-DAILY-2026-11-24,
 *   EX-MONTH-2026-10), so a retried or repeated run writes nothing twice. `asOf` (a business day)
 *   runs the job as on that day, for catch-ups: `npm run job -- finance-exports-daily asOf=2026-11-25`.
 */
import * as z from 'zod';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { logger } from '../../shared/logger.js';
import { stepHandler } from '../../shared/step.js';
import { runExport } from '../exporter.js';
import { dailyPlan, monthEndPlan } from '../plan.js';
import { ExportId, type ExportRecord } from '../schemas.js';
import { SCHEDULE_NAMES } from '../schedules.js';
import { claimScheduledExport, getExport, markFailed } from '../store.js';

const Input = z.union([
  z.object({ exportId: ExportId, failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }) }),
  z.object({ exportId: ExportId }),
  // The scheduler's event ({ source, schedule, time }); its other fields are dropped.
  z.object({ schedule: z.enum([SCHEDULE_NAMES.daily, SCHEDULE_NAMES.monthEnd]), time: z.iso.datetime().optional(), asOf: z.iso.date().optional() }),
]);

/** What a run reports (the workflow's task result, the job's answer). */
const summary = (r: ExportRecord, note?: string) => ({
  exportId: r.exportId,
  status: r.status,
  ...(note ? { note } : {}),
  files: r.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes })),
});

export const handler = stepHandler('RunFinanceExport', Input, async (input) => {
  if ('failure' in input) {
    const reason = [input.failure.Error, input.failure.Cause].filter(Boolean).join(': ') || 'the export failed';
    await markFailed(input.exportId, reason, nowIso());
    return { exportId: input.exportId, status: 'FAILED' as const, failure: reason };
  }

  if ('exportId' in input) {
    const record = await getExport(input.exportId, true);
    if (!record) throw new Error(`no export ${input.exportId}`);
    if (record.status !== 'RUNNING') return summary(record, 'already finished');
    return summary(await runExport(record));
  }

  // The schedule's own time (not the invocation's): a delayed or retried run exports the same period.
  const today = input.asOf ?? businessDate(input.time ? new Date(input.time) : undefined);
  const { exportId, plan } = input.schedule === SCHEDULE_NAMES.daily ? dailyPlan(today) : monthEndPlan(today);
  const record: ExportRecord = {
    exportId,
    status: 'RUNNING',
    trigger: input.schedule === SCHEDULE_NAMES.daily ? 'DAILY' : 'MONTH_END',
    ...plan,
    createdAt: nowIso(),
    createdBy: SYSTEM_ACTOR,
    files: [],
  };
  const claim = await claimScheduledExport(record);
  if (claim !== 'claimed') {
    const existing = (await getExport(exportId, true)) ?? record;
    return summary(existing, claim === 'done' ? 'already exported' : 'another run is writing it');
  }
  try {
    return summary(await runExport(record));
  } catch (err) {
    // Recorded, then thrown: the schedule retries, and the retry takes the FAILED export over.
    logger.error('scheduled export failed', err as Error);
    await markFailed(exportId, (err as Error).message, nowIso());
    throw err;
  }
});
