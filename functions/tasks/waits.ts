/** Ends a wait (or a person's task) from outside its workflow: an event happened, or the order was cancelled. */
import { logger } from '../shared/logger.js';
import { isStaleToken, sendTaskSuccess } from '../shared/workflows.js';
import { type ClosedStatus, closeTask, getStoredTask } from './store.js';

/** Sends `output` to the waiting state and closes the task; false if it was not open any more. */
export async function endWait(taskId: string, output: { outcome: string }, closedAs: ClosedStatus): Promise<boolean> {
  const task = await getStoredTask(taskId);
  if (task.status !== 'OPEN') return false;
  try {
    await sendTaskSuccess(task.taskToken, output);
  } catch (err) {
    if (!isStaleToken(err)) throw err;
    logger.warn('the wait had ended already', { taskId });
  }
  await closeTask(taskId, closedAs);
  return true;
}
