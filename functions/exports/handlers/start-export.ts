/**
 * POST /exports (R-AR-3): finance asks for an export. The request is checked (every bad field at
 * once, nothing written), recorded as RUNNING, and handed to the FinanceExport workflow, whose
 * task writes the files; the answer does not wait for them (a year of ledger takes longer than
 * API Gateway's 29 seconds): 202 with the record and its Location, which the caller polls.
 */
import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { newId } from '../../shared/ids.js';
import { startExecution } from '../../shared/workflows.js';
import { planOf, requestProblems } from '../plan.js';
import { exportRoutes } from '../routes.js';
import type { ExportRecord } from '../schemas.js';
import { createExport, markFailed } from '../store.js';

export const handler = httpHandler(
  exportRoutes.startExport,
  async ({ body, user }) => {
    const today = businessDate();
    const problems = requestProblems(body, today);
    if (problems.length > 0) throw validationFailed(problems);

    const record: ExportRecord = {
      exportId: newId('EX'),
      status: 'RUNNING',
      trigger: 'ON_DEMAND',
      ...planOf(body, today),
      createdAt: nowIso(),
      createdBy: actorOf(user),
      files: [],
    };
    await createExport(record);
    try {
      // The execution is named after the export: a repeated start is the same execution.
      await startExecution('financeExport', record.exportId, { exportId: record.exportId });
    } catch (err) {
      await markFailed(record.exportId, `the export workflow did not start: ${(err as Error).message}`, nowIso());
      throw err;
    }
    return { status: 202, body: record, headers: { location: `/exports/${record.exportId}` } };
  },
  { idempotency: withIdempotency },
);
