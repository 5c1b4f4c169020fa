/** Withdrawing a request while its approval waits: the open task leaves the approver's queue and the execution ends. */
import { logger } from '../shared/logger.js';
import { isStaleToken, sendTaskFailure } from '../shared/workflows.js';
import { closeTask, getStoredTask, taskIdFor } from '../tasks/store.js';

/** The error the approval machine catches as "withdrawn by its requester". */
export const REQUEST_WITHDRAWN = 'RequestWithdrawn';

export async function withdrawApproval(executionArn: string, reason: string): Promise<void> {
  for (const step of ['FirstDecision', 'SecondDecision']) {
    const taskId = taskIdFor(executionArn, step);
    const task = await getStoredTask(taskId).catch(() => undefined);
    if (!task || task.status !== 'OPEN') continue;
    await closeTask(taskId, 'CANCELLED');
    try {
      await sendTaskFailure(task.taskToken, REQUEST_WITHDRAWN, reason);
    } catch (err) {
      if (!isStaleToken(err)) throw err;
      logger.info('approval had moved on already', { taskId });
    }
  }
}
