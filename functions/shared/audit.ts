/**
 * History (R-INFO-3) and access log (R-INFO-2), append-only in the audit table.
 * A change entry is written in the same transaction as the change itself.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { User } from './auth.js';
import { now } from './clock.js';
import { ddb, decodeCursor, encodeCursor, tableName } from './dynamo.js';
import type { AccessEntry, Actor, ChangeEntry } from './schemas.js';

/** Entries written in the same millisecond keep their order. */
const ulid = monotonicFactory();

type Snapshot = Record<string, unknown> | null;

/** Stable subject keys: customer#CU-000001, product#STEEL-10. */
export type SubjectKind = 'customer' | 'product' | 'task' | 'order' | 'priceList' | 'carrier' | 'assignmentRule' | 'deliveryNote' | 'goodsReservation' | 'sampleRequest' | 'invoice' | 'creditNote' | 'return' | 'statement';
export const subjectOf = (kind: SubjectKind, id: string) => `${kind}#${id}`;

/** A TransactWriteItems Put for one change entry; the sort key never collides (ULID). */
export function changeEntryPut(subject: string, by: Actor, action: string, before: Snapshot, after: Snapshot, reason?: string) {
  const at = now();
  return {
    Put: {
      TableName: tableName('audit'),
      Item: {
        subject,
        entryKey: `CHANGE#${at.toISOString()}#${ulid(at.getTime())}`,
        at: at.toISOString(),
        by,
        action,
        before,
        after,
        ...(reason ? { reason } : {}),
      },
      ConditionExpression: 'attribute_not_exists(entryKey)',
    },
  };
}

export async function recordAccess(subject: string, user: User, what: string): Promise<void> {
  const at = now();
  await ddb.send(
    new PutCommand({
      TableName: tableName('audit'),
      Item: {
        subject,
        entryKey: `READ#${at.toISOString()}#${ulid(at.getTime())}`,
        at: at.toISOString(),
        by: { userId: user.userId, name: user.name },
        roles: user.roles,
        what,
      },
    }),
  );
}

async function readEntries(subject: string, prefix: 'CHANGE#' | 'READ#', page: { limit: number; cursor?: string }) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('audit'),
      KeyConditionExpression: 'subject = :s AND begins_with(entryKey, :p)',
      ExpressionAttributeValues: { ':s': subject, ':p': prefix },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []) as Record<string, unknown>[], nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

export async function readHistory(subject: string, page: { limit: number; cursor?: string }) {
  const { items, nextCursor } = await readEntries(subject, 'CHANGE#', page);
  return {
    items: items.map(({ at, by, action, reason, before, after }) => ({ at, by, action, reason, before, after }) as ChangeEntry),
    nextCursor,
  };
}

export async function readAccessLog(subject: string, page: { limit: number; cursor?: string }) {
  const { items, nextCursor } = await readEntries(subject, 'READ#', page);
  return { items: items.map(({ at, by, roles, what }) => ({ at, by, roles, what }) as AccessEntry), nextCursor };
}

/** The fields that differ, as before/after snapshots; unchanged fields stay out of the history. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>, ignore: readonly string[] = []) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k] ?? null;
      a[k] = after[k] ?? null;
    }
  }
  return { before: b, after: a, changed: Object.keys(a) };
}
