/**
 * The notification outbox. A notification is an item written once (its id is deterministic,
 * the put is conditional) in the same transaction as the change that causes it, so nothing
 * is sent twice and nothing is lost; in the cloud the table stream publishes it to SNS.
 */
import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../shared/clock.js';
import { ddb, isConditionalFailure, tableName } from '../shared/dynamo.js';
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

/** Newest first across the caller's own address and role addresses; the cursor is the last sort key seen. */
export async function listNotifications(recipients: string[], page: { limit: number; cursor?: string }) {
  const before = page.cursor ? Buffer.from(page.cursor, 'base64url').toString('utf8') : undefined;
  const results = await Promise.all(
    recipients.map((recipient) =>
      ddb.send(
        new QueryCommand({
          TableName: tableName('notifications'),
          IndexName: 'byRecipient',
          KeyConditionExpression: before ? 'recipient = :r AND recipientSortKey < :before' : 'recipient = :r',
          ExpressionAttributeValues: before ? { ':r': recipient, ':before': before } : { ':r': recipient },
          ScanIndexForward: false,
          Limit: page.limit,
        }),
      ),
    ),
  );
  const merged = results
    .flatMap((r) => (r.Items ?? []) as (Notification & { recipientSortKey: string })[])
    .sort((a, b) => (a.recipientSortKey < b.recipientSortKey ? 1 : -1));
  const items = merged.slice(0, page.limit);
  const more = merged.length > page.limit || results.some((r) => r.LastEvaluatedKey);
  const last = items.at(-1);
  return {
    items: items.map(({ recipientSortKey: _s, dedupeKey: _d, ...n }: Notification & { recipientSortKey: string; dedupeKey?: string }) => n),
    nextCursor: more && last ? Buffer.from(last.recipientSortKey, 'utf8').toString('base64url') : null,
  };
}

/** Writes a notification outside a transaction, unless it was written before (a retried step). */
export async function notifyOnce(n: NewNotification): Promise<void> {
  try {
    await ddb.send(new PutCommand(notificationPut(n).Put));
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
  }
}
