/**
 * POST /exports (R-AR-3): finance asks for an export. The request is checked (every bad field at
 * once, nothing written), recorded as RUNNING, and handed to the FinanceExport workflow, whose
 * task writes the files (its start written with the record); the answer does not wait for them (a year of ledger takes longer than
 * API Gateway's 29 seconds): 202 with the record and its Location, which the caller polls.
 */
import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { newId } from '../../shared/ids.js';
import { workflowStartItem } from '../../outbox/store.js';
import { planOf, requestProblems } from '../plan.js';
import { exportRoutes } from '../routes.js';
import type { ExportRecord } from '../schemas.js';
import { createExport } from '../store.js';

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
    const answer = { status: 202, body: record, headers: { location: `/exports/${record.exportId}` } };
    // The record, its workflow's start (named after the export, the outbox) and this request's answer in one write.
    await createExport(record, [workflowStartItem('financeExport', record.exportId, { exportId: record.exportId }), ...answerItems(answer)]);
    return answer;
  },
  { idempotency: withIdempotency },
);
