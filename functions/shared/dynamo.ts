/** DynamoDB access shared by every store: the client, table names, cursors, condition failures. */
import { DynamoDBClient, TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput, type QueryCommandOutput, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEPENDENCY_CLIENT_CONFIG } from './aws-clients.js';
import { tableEnvName, type TableId } from './definitions.js';
import { validationFailed } from './errors.js';

/** The SDK reads AWS_ENDPOINT_URL_DYNAMODB, so the local stack needs no code path of its own. */
export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ ...DEPENDENCY_CLIENT_CONFIG }), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export function tableName(id: TableId): string {
  const name = process.env[tableEnvName(id)];
  if (!name) throw new Error(`${tableEnvName(id)} is not set: the function was not given access to the ${id} table`);
  return name;
}

/** Opaque pagination cursor: the LastEvaluatedKey, base64url-encoded. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length > 0 && entries.length <= 4 && entries.every(([, v]) => typeof v === 'string' || typeof v === 'number')) {
        return value as Record<string, unknown>;
      }
    }
  } catch {
    // fall through to the validation problem
  }
  throw validationFailed([{ field: 'query.cursor', message: 'not a cursor this API gave out', code: 'invalid_cursor' }]);
}

export function isConditionalFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** For a cancelled transaction: the cancellation code of each item, in request order ('None' if it passed). */
export function cancellationReasons(err: unknown): string[] | undefined {
  if (err instanceof TransactionCanceledException || (err as { name?: string })?.name === 'TransactionCanceledException') {
    return ((err as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  }
  return undefined;
}

/** Removes the storage-only attributes (index keys) before an item leaves the store. */
export function withoutKeys<T extends Record<string, unknown>>(item: T, keys: readonly string[]): T {
  const copy = { ...item };
  for (const k of keys) delete copy[k];
  return copy;
}

/**
 * Key condition and filter for "items of one partition whose name starts with …, and whose
 * other fields equal …" on a name-sorted index. Dotted names address nested fields (credit.status).
 */
export function namePrefixQuery(options: {
  partition: [attribute: string, value: unknown];
  nameKey: string;
  namePrefix?: string;
  equals?: Record<string, unknown>;
}) {
  const names: Record<string, string> = { '#pk': options.partition[0] };
  const values: Record<string, unknown> = { ':pk': options.partition[1] };
  let keyCondition = '#pk = :pk';
  if (options.namePrefix) {
    names['#nk'] = options.nameKey;
    values[':prefix'] = options.namePrefix;
    keyCondition += ' AND begins_with(#nk, :prefix)';
  }
  const filters: string[] = [];
  Object.entries(options.equals ?? {})
    .filter(([, value]) => value !== undefined)
    .forEach(([path, value], i) => {
      const parts = path.split('.').map((part, j) => {
        names[`#f${i}_${j}`] = part;
        return `#f${i}_${j}`;
      });
      values[`:f${i}`] = value;
      filters.push(`${parts.join('.')} = :f${i}`);
    });
  return {
    KeyConditionExpression: keyCondition,
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** One page of one partition of an index (a customer's, a status's), in sort-key order, with its cursor. */
export async function partitionPage<T>(options: {
  table: TableId;
  index: string;
  partition: [attribute: string, value: unknown];
  page: { limit: number; cursor?: string | undefined };
  newestFirst?: boolean;
  map: (item: Record<string, unknown>) => T;
}): Promise<{ items: T[]; nextCursor: string | null }> {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName(options.table),
      IndexName: options.index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': options.partition[0] },
      ExpressionAttributeValues: { ':pk': options.partition[1] },
      ScanIndexForward: !options.newestFirst,
      Limit: options.page.limit,
      ExclusiveStartKey: decodeCursor(options.page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map(options.map), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/**
 * One page across several partitions of an index (a user's and their roles' queues), merged by
 * sort key. The cursor is the last sort key shown; the next page continues after it.
 */
export async function mergedPartitionsPage(options: {
  table: TableId;
  index: string;
  partitionKey: string;
  sortKey: string;
  partitions: readonly string[];
  newestFirst: boolean;
  page: { limit: number; cursor?: string };
}): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const { partitionKey, sortKey, newestFirst, page } = options;
  const after = page.cursor ? Buffer.from(page.cursor, 'base64url').toString('utf8') : undefined;
  const results = await Promise.all(
    options.partitions.map((partition) =>
      ddb.send(
        new QueryCommand({
          TableName: tableName(options.table),
          IndexName: options.index,
          KeyConditionExpression: after ? `#pk = :p AND #sk ${newestFirst ? '<' : '>'} :after` : '#pk = :p',
          ExpressionAttributeNames: after ? { '#pk': partitionKey, '#sk': sortKey } : { '#pk': partitionKey },
          ExpressionAttributeValues: after ? { ':p': partition, ':after': after } : { ':p': partition },
          ScanIndexForward: !newestFirst,
          Limit: page.limit,
        }),
      ),
    ),
  );
  const order = newestFirst ? -1 : 1;
  const merged = results
    .flatMap((r) => r.Items ?? [])
    .sort((a, b) => (String(a[sortKey]) < String(b[sortKey]) ? -order : order));
  const items = merged.slice(0, page.limit);
  const more = merged.length > page.limit || results.some((r) => r.LastEvaluatedKey);
  const last = items.at(-1);
  return { items, nextCursor: more && last ? Buffer.from(String(last[sortKey]), 'utf8').toString('base64url') : null };
}

/** Every item of a query, page after page (for reads that need the whole partition: a day's entries, a month's invoices). */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The next number of a sequence (atomic ADD on the counters table): unique, never reused, gaps possible. */
export async function nextInSequence(counterName: string): Promise<number> {
  const { Attributes } = await ddb.send(
    new UpdateCommand({
      TableName: tableName('counters'),
      Key: { counterName },
      UpdateExpression: 'ADD #v :one',
      ExpressionAttributeNames: { '#v': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.value);
}

/**
 * DynamoDB cancels a transaction that touches an item another transaction is writing at that
 * moment (reason TransactionConflict). The SDK does not retry it; the hot item of a busy customer's
 * credit account makes it common, so writers on contested items retry with jittered backoff.
 */
export function isTransactionConflict(err: unknown): boolean {
  return (cancellationReasons(err) ?? []).includes('TransactionConflict') || (err as { name?: string })?.name === 'TransactionConflictException';
}

export async function withTransactionRetry<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isTransactionConflict(err) || attempt >= attempts) throw err;
      const ceiling = Math.min(1000, 25 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}

/** One write of a TransactWriteItems request (a Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Writes one transaction, retrying TransactionConflict. When a condition failed it answers with the
 * cancellation reason of each item (in request order), so the caller can say what moved first.
 */
export async function transactConditional(items: TransactItem[]): Promise<{ ok: true } | { ok: false; reasons: string[] }> {
  try {
    await withTransactionRetry(() => ddb.send(new TransactWriteCommand({ TransactItems: items })));
    return { ok: true };
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (reasons?.includes('ConditionalCheckFailed')) return { ok: false, reasons };
    throw err;
  }
}
