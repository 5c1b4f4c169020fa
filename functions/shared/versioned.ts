/**
 * Versioned records (customers, products, later price lists): every change is a conditional
 * write on the version that was read, with its history entry in the same transaction (R-INFO-3).
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { changeEntryPut, diff } from './audit.js';
import { nowIso } from './clock.js';
import type { TableId } from './definitions.js';
import { type TransactItem, cancellationReasons, ddb, tableName, withTransactionRetry } from './dynamo.js';
import { conflict, notFound, preconditionFailed } from './errors.js';
import type { Actor } from './schemas.js';

export interface Versioned {
  version: number;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
}

/** Another write that must succeed or fail with the record's (a notification, a task). */
export type { TransactItem } from './dynamo.js';

export type VersionedRecord = Versioned & Record<string, unknown>;

export interface VersionedStore<T extends VersionedRecord> {
  table: TableId;
  /** Partition key attribute, e.g. customerId. */
  key: keyof T & string;
  /** What a human calls one, for messages: "customer". */
  noun: string;
  subject: (id: string) => string;
  toItem: (record: T) => Record<string, unknown>;
  fromItem: (item: Record<string, unknown>) => T;
}

export function versionedStore<T extends VersionedRecord>(store: VersionedStore<T>) {
  const idOf = (record: T) => String(record[store.key]);

  async function get(id: string, consistent = false): Promise<T> {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName(store.table), Key: { [store.key]: id }, ConsistentRead: consistent }));
    if (!Item) throw notFound(`no ${store.noun} ${id}`);
    return store.fromItem(Item);
  }

  /**
   * Creates the record with its history entry and `alsoWrite` (a creating request's answer, a
   * workflow start) in one transaction; false if one with the same key exists.
   */
  async function insert(record: T, by: Actor, action = `${store.noun} created`, alsoWrite: TransactItem[] = []): Promise<boolean> {
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName(store.table), Item: store.toItem(record), ConditionExpression: `attribute_not_exists(#k)`, ExpressionAttributeNames: { '#k': store.key } } },
            changeEntryPut(store.subject(idOf(record)), by, action, null, record),
            ...alsoWrite,
          ],
        }),
      );
      return true;
    } catch (err) {
      if (cancellationReasons(err)?.[0] === 'ConditionalCheckFailed') return false;
      throw err;
    }
  }

  /**
   * The two writes of a change, for a caller that builds its own transaction: the record on the
   * condition that it is still at `before.version` (always first), and its history entry.
   */
  function replaceItems(before: T, after: T, by: Actor, action: string, reason?: string): [TransactItem, TransactItem] {
    const { before: b, after: a } = diff(before, after, ['version', 'updatedAt', 'updatedBy']);
    return [
      {
        Put: {
          TableName: tableName(store.table),
          Item: store.toItem(after),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': before.version },
        },
      },
      changeEntryPut(store.subject(idOf(after)), by, action, b, a, reason),
    ];
  }

  /**
   * Replaces the record if it is still at `before.version` and every condition of `alsoWrite` holds;
   * false if someone else changed either first. A TransactionConflict is retried.
   */
  async function replace(before: T, after: T, by: Actor, action: string, reason?: string, alsoWrite: TransactItem[] = []): Promise<boolean> {
    try {
      await withTransactionRetry(() => ddb.send(new TransactWriteCommand({ TransactItems: [...replaceItems(before, after, by, action, reason), ...alsoWrite] })));
      return true;
    } catch (err) {
      // The record, or anything written with it (an order a limit change re-checks, a reservation), moved first.
      if (cancellationReasons(err)?.includes('ConditionalCheckFailed')) return false;
      throw err;
    }
  }

  /**
   * Read, change, write with the version check. `ifMatch` (the client's If-Match header) must
   * name the version the client read, so nobody overwrites a colleague's change unseen.
   */
  async function update(
    id: string,
    change: (current: T) => T,
    by: Actor,
    action: string,
    options: {
      ifMatch?: string;
      reason?: string;
      /** Written with the change (a notification, a workflow start, a creating request's answer); a function builds them from the record as changed. */
      alsoWrite?: TransactItem[] | ((next: T) => TransactItem[]);
    } = {},
  ): Promise<T> {
    const current = await get(id, true);
    if (options.ifMatch !== undefined && options.ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(current.version)) {
      throw preconditionFailed(`${id} is at version ${current.version}, you read another; reload and try again`);
    }
    const next: T = { ...change(current), version: current.version + 1, updatedAt: nowIso(), updatedBy: by };
    const alsoWrite = typeof options.alsoWrite === 'function' ? options.alsoWrite(next) : options.alsoWrite;
    if (!(await replace(current, next, by, action, options.reason, alsoWrite))) {
      throw conflict(`${id} was changed by someone else at the same moment; reload and try again`);
    }
    return next;
  }

  return { get, insert, replace, replaceItems, update };
}

export const etag = (record: Versioned) => `"${record.version}"`;
