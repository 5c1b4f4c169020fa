import { actorOf } from '../../shared/auth.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { logger } from '../../shared/logger.js';
import { isStaleToken, sendTaskSuccess } from '../../shared/workflows.js';
import { taskRoutes } from '../routes.js';
import { assertMayDecide, isRedelivery, parseDecision } from '../rules.js';
import type { RecordedDecision } from '../schemas.js';
import { closeTask, getStoredTask, markDelivered, publicTask, recordDecision } from '../store.js';

export const handler = httpHandler(taskRoutes.decideTask, async ({ params, body, user }) => {
  const task = await getStoredTask(params.taskId);
  // Who may decide: the task's role only, and only once.
  assertMayDecide(user, task);
  const decision = parseDecision(task, body);
  const by = actorOf(user);
  let decidedAt = task.decidedAt;
  if (!isRedelivery(task, decision, user)) {
    const recorded = await recordDecision(task, decision, by);
    if (!recorded) throw conflict(`task ${task.taskId} was decided by someone else a moment ago`);
    decidedAt = recorded.decidedAt;
  }
  // Then the waiting workflow goes on with the decision.
  const output: RecordedDecision = { ...decision, decidedBy: task.decidedBy ?? by, decidedAt: decidedAt!, taskId: task.taskId };
  try {
    await sendTaskSuccess(task.taskToken, output);
  } catch (err) {
    if (!isStaleToken(err)) throw err;
    logger.warn('decision came after the task timed out', { taskId: task.taskId });
    await closeTask(task.taskId, 'EXPIRED', 'DECIDED');
    throw conflict(`task ${task.taskId} timed out before the decision arrived; it has moved on`);
  }
  await markDelivered(task.taskId);
  return { status: 200, body: publicTask({ ...(await getStoredTask(task.taskId)) }) };
});
