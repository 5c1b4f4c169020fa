/**
 * Tasks: a person's pending decision. The workflow step opens it with its task token; the token
 * stays in the table and never leaves the store (not in responses, logs or URLs).
 */
import { createHash } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { now, nowIso } from '../shared/clock.js';
import { cancellationReasons, ddb, isConditionalFailure, mergedPartitionsPage, tableName, withoutKeys } from '../shared/dynamo.js';
import { notFound } from '../shared/errors.js';
import type { Role } from '../shared/roles.js';
import type { Actor } from '../shared/schemas.js';
import { type Task, type TaskDecision, WAIT_TYPES } from './schemas.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const STORE_ONLY = ['taskToken', 'queueKey', 'queuedAt', 'delivered', 'sendingSince', 'executionId', 'round'] as const;
/** A decision being sent longer than this (its request crashed) may be sent again by a repeat of it. */
const SENDING_TIMEOUT_SECONDS = 60;

/** Deterministic id per workflow step, so a retried step refreshes its task instead of opening a second one. */
export function taskIdFor(executionId: string, step: string): string {
  const digest = createHash('sha256').update(`${executionId}#${step}`).digest();
  let id = '';
  for (let i = 0; i < 26; i++) id += CROCKFORD[digest[i]! % 32];
  return `TK-${id}`;
}

export type StoredTask = Task & { taskToken: string; executionId: string; round?: number; delivered?: boolean; sendingSince?: string };

export const publicTask = (item: Record<string, unknown>) => withoutKeys(item, STORE_ONLY) as Task;

/** Opens (or, on a retried step, re-arms with the new token) a task in its role's queue; a wait goes in none. */
export async function openTask(task: StoredTask): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('tasks'),
        Key: { taskId: task.taskId },
        UpdateExpression:
          `SET #type = :type, #status = :open, assigneeRole = :role, title = :title, subject = :subject, details = :details, createdAt = if_not_exists(createdAt, :now), ${WAIT_TYPES.includes(task.type) ? '' : 'queueKey = :role, '}queuedAt = if_not_exists(queuedAt, :queuedAt), taskToken = :token, executionId = :exec, round = :round` +
          (task.escalatedFrom ? ', escalatedFrom = :from' : '') +
          (task.dueAt ? ', dueAt = :due' : ''),
        ConditionExpression: 'attribute_not_exists(taskId) OR #status = :open',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: {
          ':type': task.type,
          ':open': 'OPEN',
          ':role': task.assigneeRole,
          ':title': task.title,
          ':subject': task.subject,
          ':details': task.details,
          ':now': task.createdAt,
          ':queuedAt': `${task.createdAt}#${task.taskId}`,
          ':token': task.taskToken,
          ':exec': task.executionId,
          ':round': task.round ?? 0,
          ...(task.escalatedFrom ? { ':from': task.escalatedFrom } : {}),
          ...(task.dueAt ? { ':due': task.dueAt } : {}),
        },
      }),
    );
  } catch (err) {
    // Decided already: a late retry of the step must not reopen it.
    if (!isConditionalFailure(err)) throw err;
  }
}

export async function getStoredTask(taskId: string): Promise<StoredTask> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('tasks'), Key: { taskId }, ConsistentRead: true }));
  if (!Item) throw notFound(`no task ${taskId}`);
  return Item as StoredTask;
}

/** Open tasks of these roles, oldest first. */
export async function listOpenTasks(roles: readonly Role[], page: { limit: number; cursor?: string }) {
  const { items, nextCursor } = await mergedPartitionsPage({
    table: 'tasks',
    index: 'byQueue',
    partitionKey: 'queueKey',
    sortKey: 'queuedAt',
    partitions: roles,
    newestFirst: false,
    page,
  });
  return { items: items.map(publicTask), nextCursor };
}

/**
 * Records a decision on an OPEN task and takes it off the queue, with its history entry, in one
 * transaction. Returns false if the task was not open any more (decided, escalated or expired).
 * The recorder is the one who sends the decision on (`sendingSince`): a repeat of it waits until
 * that send failed (released) or went quiet, so two requests never send one decision at once.
 */
export async function recordDecision(task: StoredTask, decision: TaskDecision, by: Actor): Promise<{ decidedAt: string } | false> {
  const decidedAt = nowIso();
  try {
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName('tasks'),
              Key: { taskId: task.taskId },
              UpdateExpression: 'SET #status = :decided, decision = :decision, decidedBy = :by, decidedAt = :at, sendingSince = :at REMOVE queueKey',
              ConditionExpression: '#status = :open',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':decided': 'DECIDED', ':open': 'OPEN', ':decision': decision, ':by': by, ':at': decidedAt },
            },
          },
          changeEntryPut(subjectOf('task', task.taskId), by, `task decided: ${decision.outcome}`, { status: 'OPEN' }, { status: 'DECIDED', decision }),
          // The decision is part of its subject's history too (an order's every round, R-REVIEW-3).
          changeEntryPut(
            subjectOf(task.subject.kind, task.subject.id),
            by,
            `${task.title}: ${decision.outcome}${decision.comment ? ` (${decision.comment})` : ''}`,
            null,
            { taskId: task.taskId, type: task.type, assigneeRole: task.assigneeRole, decision },
          ),
        ],
      }),
    );
    return { decidedAt };
  } catch (err) {
    if (cancellationReasons(err)?.[0] === 'ConditionalCheckFailed') return false;
    throw err;
  }
}

/** The workflow has received the decision: a repeated request must not send it again. */
export async function markDelivered(taskId: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({ TableName: tableName('tasks'), Key: { taskId }, UpdateExpression: 'SET delivered = :t REMOVE sendingSince', ExpressionAttributeValues: { ':t': true } }),
  );
}

/**
 * A repeat of a recorded, undelivered decision takes over sending it, only if nobody is sending it
 * now (the first request failed and let go, or went quiet for SENDING_TIMEOUT_SECONDS). False if
 * someone is, or it was delivered meanwhile.
 */
export async function claimSending(taskId: string): Promise<boolean> {
  const at = now();
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('tasks'),
        Key: { taskId },
        UpdateExpression: 'SET sendingSince = :at',
        ConditionExpression: '#status = :decided AND attribute_not_exists(delivered) AND (attribute_not_exists(sendingSince) OR sendingSince < :stale)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': at.toISOString(), ':decided': 'DECIDED', ':stale': new Date(at.getTime() - SENDING_TIMEOUT_SECONDS * 1000).toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

/** A send that failed lets go of the decision, so a repeat may send it. */
export async function releaseSending(taskId: string): Promise<void> {
  await ddb.send(new UpdateCommand({ TableName: tableName('tasks'), Key: { taskId }, UpdateExpression: 'REMOVE sendingSince' }));
}

/** Closes a still-open task without a decision (escalated to someone else, or expired). */
export type ClosedStatus = 'ESCALATED' | 'EXPIRED' | 'CANCELLED' | 'RESUMED';

export function closeTaskUpdate(taskId: string, status: ClosedStatus, expected: 'OPEN' | 'DECIDED' = 'OPEN') {
  return {
    Update: {
      TableName: tableName('tasks'),
      Key: { taskId },
      UpdateExpression: 'SET #status = :closed, closedAt = :at REMOVE queueKey, taskToken',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': status, ':open': expected, ':at': nowIso() },
    },
  };
}

export async function closeTask(taskId: string, status: ClosedStatus, expected: 'OPEN' | 'DECIDED' = 'OPEN'): Promise<void> {
  try {
    await ddb.send(new UpdateCommand(closeTaskUpdate(taskId, status, expected).Update));
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
  }
}
