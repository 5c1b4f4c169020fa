/**
 * The transactional outbox of workflow starts. Whoever writes a status that a workflow must carry on
 * from (an order submitted, a customer created, a request to approve) writes the start in the same
 * transaction as the status: an item in the workflow-starts table. The table's stream feeds
 * StartWorkflows, which starts the execution under its deterministic name (a repeated start is the
 * same execution) and marks the item started; the sweeper (workflow-starts-due) starts any item still
 * pending after a few minutes (a stream record that failed for good, an outage). So a crash between
 * the status and the start cannot leave a record waiting for a workflow that never comes.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../shared/clock.js';
import type { StateMachineId } from '../shared/definitions.js';
import { type TransactItem, isConditionalFailure, ddb, tableName } from '../shared/dynamo.js';

/** A start waiting for its execution. */
export interface WorkflowStart {
  startKey: string;
  stateMachine: StateMachineId;
  executionName: string;
  /** The execution's input, as JSON. */
  input: string;
  requestedAt: string;
}

/** Sparse index partition of starts not yet made (removed once the execution exists). */
const PENDING = 'PENDING';
/** Started items stay a month (what started when), then the table's TTL removes them. */
const KEEP_STARTED_SECONDS = 30 * 24 * 60 * 60;

export const startKeyOf = (stateMachine: StateMachineId, executionName: string) => `${stateMachine}#${executionName}`;

/**
 * The Put that asks for an execution, for the transaction that writes the status it carries on
 * from. Execution names are unique per subject and round, so an existing item means this very start
 * was asked for already: the transaction then fails, like any other write that finds its ground moved.
 */
export function workflowStartItem(stateMachine: StateMachineId, executionName: string, input: unknown): TransactItem {
  const start: WorkflowStart & { pending: string } = {
    startKey: startKeyOf(stateMachine, executionName),
    stateMachine,
    executionName,
    input: JSON.stringify(input),
    requestedAt: nowIso(),
    pending: PENDING,
  };
  return { Put: { TableName: tableName('workflowStarts'), Item: start, ConditionExpression: 'attribute_not_exists(startKey)' } };
}

/** Marks a start made; false if it was gone (never asked for: nothing to mark). */
export async function markStarted(startKey: string, executionArn: string, at: Date): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('workflowStarts'),
        Key: { startKey },
        UpdateExpression: 'SET startedAt = :at, executionArn = :arn, expiration = :expiration REMOVE pending',
        ConditionExpression: 'attribute_exists(startKey)',
        ExpressionAttributeValues: { ':at': at.toISOString(), ':arn': executionArn, ':expiration': Math.floor(at.getTime() / 1000) + KEEP_STARTED_SECONDS },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

/** Starts still pending that were asked for before `before` (ISO), oldest first, a page at a time. */
export async function pendingStarts(before: string, cursor?: Record<string, unknown>): Promise<{ items: WorkflowStart[]; cursor?: Record<string, unknown> }> {
  const page = await ddb.send(
    new QueryCommand({
      TableName: tableName('workflowStarts'),
      IndexName: 'byPending',
      KeyConditionExpression: 'pending = :pending AND requestedAt < :before',
      ExpressionAttributeValues: { ':pending': PENDING, ':before': before },
      ExclusiveStartKey: cursor,
      Limit: 100,
    }),
  );
  return { items: (page.Items ?? []) as WorkflowStart[], ...(page.LastEvaluatedKey ? { cursor: page.LastEvaluatedKey } : {}) };
}
