/**
 * Making the starts the outbox asks for: the execution under its deterministic name, then the item
 * marked started. Both steps may be repeated (a retried stream batch, the sweeper meeting the stream):
 * Step Functions answers a repeated start with the running execution, or ExecutionAlreadyExists once
 * it ended; either way the start was made.
 */
import { now } from '../shared/clock.js';
import { logger } from '../shared/logger.js';
import { executionArnOf, startExecution } from '../shared/workflows.js';
import { type WorkflowStart, markStarted } from './store.js';

export async function makeStart(start: WorkflowStart): Promise<void> {
  let executionArn: string;
  try {
    executionArn = await startExecution(start.stateMachine, start.executionName, JSON.parse(start.input));
  } catch (err) {
    if ((err as { name?: string })?.name !== 'ExecutionAlreadyExists') throw err;
    executionArn = executionArnOf(start.stateMachine, start.executionName);
    logger.info('workflow already started', { startKey: start.startKey });
  }
  await markStarted(start.startKey, executionArn, now());
}
