/**
 * History (R-INFO-3) and access log (R-INFO-2), append-only in the audit table.
 * A change entry is written in the same transaction as the change itself.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { User } from './auth.js';
import { now } from './clock.js';
import { ddb, decodeCursor, encodeCursor, tableName } from './dynamo.js';
import type { AccessEntry, AccessOutcome, AccessRead, Actor, ChangeEntry } from './schemas.js';

/** Entries written in the same millisecond keep their order. */
const ulid = monotonicFactory();

type Snapshot = Record<string, unknown> | null;

/** Stable subject keys: customer#CU-000001, product#STEEL-10. */
export type SubjectKind = 'customer' | 'product' | 'task' | 'order' | 'priceList' | 'carrier' | 'assignmentRule' | 'deliveryNote' | 'goodsReservation' | 'sampleRequest' | 'invoice' | 'payment' | 'creditNote' | 'return' | 'statement';
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

/**
 * One entry on a customer's access log (R-INFO-2): who, what (a code and its parameters), when, and
 * whether the read was allowed or refused. One PutItem; functions/customers/access.ts decides when.
 */
export async function recordAccess(subject: string, user: User, read: AccessRead, outcome: AccessOutcome): Promise<void> {
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
        outcome,
        what: read.what,
        ...(read.id !== undefined ? { id: read.id } : {}),
        ...(read.version !== undefined ? { version: read.version } : {}),
      },
    }),
  );
}

/**
 * Entries written before reads were logged as codes carry words ('customer record', 'price list
 * version 2') and no outcome: only allowed reads were logged then.
 */
function storedRead(item: Record<string, unknown>): AccessRead {
  const what = String(item.what);
  const legacy: Record<string, AccessRead['what']> = { 'customer record': 'customer', 'customer history': 'customerHistory', 'credit position': 'creditPosition', 'price list history': 'priceListHistory' };
  if (legacy[what]) return { what: legacy[what] };
  const version = /^price list version (\d+)$/.exec(what);
  if (version) return { what: 'priceListVersion', version: Number(version[1]) };
  return {
    what: what as AccessRead['what'],
    ...(item.id !== undefined ? { id: String(item.id) } : {}),
    ...(item.version !== undefined ? { version: Number(item.version) } : {}),
  };
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
  return {
    items: items.map((item): AccessEntry => ({
      at: item.at as string,
      by: item.by as AccessEntry['by'],
      roles: item.roles as string[],
      outcome: (item.outcome as AccessOutcome | undefined) ?? 'ALLOWED',
      ...storedRead(item),
    })),
    nextCursor,
  };
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
