/**
 * The notification outbox. A notification is an item written once (its id is deterministic,
 * the put is conditional) in the same transaction as the change that causes it, so nothing
 * is sent twice and nothing is lost; in the cloud the table stream publishes it to SNS.
 */
import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../shared/clock.js';
import { ddb, isConditionalFailure, mergedPartitionsPage, tableName, withoutKeys } from '../shared/dynamo.js';
import type { Role } from '../shared/roles.js';
import type { Notification } from './schemas.js';

export const toRole = (role: Role) => `role:${role}`;
export const toUser = (userId: string) => `user:${userId}`;

export interface NewNotification {
  /** What makes it unique: the same dedupeKey and recipient is never sent twice. */
  dedupeKey: string;
  recipient: string;
  topic: string;
  subject: string;
  body: string;
  link?: string;
}

export function notificationItem(n: NewNotification): Notification & { recipientSortKey: string; dedupeKey: string } {
  const notificationId = `NT-${createHash('sha256').update(`${n.dedupeKey}#${n.recipient}`).digest('hex').slice(0, 26).toUpperCase()}`;
  const createdAt = nowIso();
  return { notificationId, createdAt, recipientSortKey: `${createdAt}#${notificationId}`, ...n };
}

/** A TransactWriteItems Put that writes the notification once. */
export function notificationPut(n: NewNotification) {
  return {
    Put: {
      TableName: tableName('notifications'),
      Item: notificationItem(n),
      ConditionExpression: 'attribute_not_exists(notificationId)',
    },
  };
}

/** Newest first across the caller's own address and role addresses. */
export async function listNotifications(recipients: string[], page: { limit: number; cursor?: string }) {
  const { items, nextCursor } = await mergedPartitionsPage({
    table: 'notifications',
    index: 'byRecipient',
    partitionKey: 'recipient',
    sortKey: 'recipientSortKey',
    partitions: recipients,
    newestFirst: true,
    page,
  });
  return { items: items.map((item) => withoutKeys(item, ['recipientSortKey', 'dedupeKey']) as Notification), nextCursor };
}

/** Writes a notification outside a transaction, unless it was written before (a retried step); true if it wrote it now. */
export async function notifyOnce(n: NewNotification): Promise<boolean> {
  try {
    await ddb.send(new PutCommand(notificationPut(n).Put));
    return true;
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    return false;
  }
}
