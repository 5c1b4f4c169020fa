/**
 * A decision recorded on its task and handed to the waiting workflow through the task token: the
 * decision endpoint does it for a person's answer, and other writes do it when their event is the
 * answer (a recorded prepayment confirms the order's PREPAYMENT_CONFIRMATION, R-CREDIT-6).
 */
import { conflict } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import type { Actor } from '../shared/schemas.js';
import { isStaleToken, sendTaskSuccess } from '../shared/workflows.js';
import type { RecordedDecision, TaskDecision } from './schemas.js';
import { type StoredTask, claimSending, closeTask, getStoredTask, markDelivered, recordDecision, releaseSending } from './store.js';

/**
 * Records `decision` (unless `redelivery`: recorded already, not delivered) and sends it on.
 * Returns the task as it ended.
 */
export async function deliverDecision(task: StoredTask, decision: TaskDecision, by: Actor, redelivery = false): Promise<StoredTask> {
  let decidedAt = task.decidedAt;
  if (!redelivery) {
    const recorded = await recordDecision(task, decision, by);
    if (!recorded) throw conflict(`task ${task.taskId} was decided by someone else a moment ago`);
    decidedAt = recorded.decidedAt;
  } else if (!(await claimSending(task.taskId))) {
    // The request that recorded it (or another repeat) is sending it right now: one send per decision.
    throw conflict(`task ${task.taskId} was decided a moment ago${task.decidedBy ? ` by ${task.decidedBy.name}` : ''}; its decision is on its way`);
  }
  const output: RecordedDecision = { ...decision, decidedBy: task.decidedBy ?? by, decidedAt: decidedAt!, taskId: task.taskId };
  try {
    await sendTaskSuccess(task.taskToken, output);
  } catch (err) {
    if (!isStaleToken(err)) {
      await releaseSending(task.taskId);
      throw err;
    }
    logger.warn('decision came after the task timed out', { taskId: task.taskId });
    await closeTask(task.taskId, 'EXPIRED', 'DECIDED');
    throw conflict(`task ${task.taskId} timed out before the decision arrived; it has moved on`);
  }
  await markDelivered(task.taskId);
  return getStoredTask(task.taskId);
}
