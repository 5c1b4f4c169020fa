/**
 * The export records (table `exports`): one per export, RUNNING until its files and manifest are
 * stored, then SUCCEEDED with the manifest's file list, or FAILED with the reason. Every status
 * change is conditional on RUNNING, so a late retry never overwrites an outcome. Listed newest
 * first through the index `recent` (one partition: a few exports a day).
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../shared/clock.js';
import { type TransactItem, ddb, decodeCursor, encodeCursor, isConditionalFailure, tableName, withoutKeys } from '../shared/dynamo.js';
import type { ExportFile, ExportRecord } from './schemas.js';

const LIST_KEY = 'EXPORT';
const INDEX_ATTRIBUTES = ['listKey', 'createdKey'] as const;
/** A scheduled export RUNNING longer than a Lambda can run died with its function: the next run may take it over. */
export const STALE_RUNNING_MS = 16 * 60 * 1000;

const item = (r: ExportRecord) => ({ ...r, listKey: LIST_KEY, createdKey: `${r.createdAt}#${r.exportId}` });
const fromItem = (i: Record<string, unknown>) => withoutKeys(i, INDEX_ATTRIBUTES) as ExportRecord;

/**
 * A new export, RUNNING (on demand: the id is new, so this never meets another), with `alsoWrite`
 * (its workflow's start, the request's answer) in the same transaction.
 */
export async function createExport(record: ExportRecord, alsoWrite: TransactItem[] = []): Promise<void> {
  await ddb.send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: tableName('exports'), Item: item(record), ConditionExpression: 'attribute_not_exists(exportId)' } }, ...alsoWrite],
    }),
  );
}

/**
 * A scheduled export's period has one id (EX-DAILY-2026-11-24): it is claimed unless it already
 * SUCCEEDED (a second run or a retry of the schedule writes nothing twice) or another run is on it.
 * A FAILED one, or one left RUNNING by a function that died, is taken over.
 */
export async function claimScheduledExport(record: ExportRecord): Promise<'claimed' | 'done' | 'running'> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('exports'),
        Item: item(record),
        ConditionExpression: 'attribute_not_exists(exportId) OR #s = :failed OR (#s = :running AND createdAt < :stale)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':failed': 'FAILED', ':running': 'RUNNING', ':stale': new Date(now().getTime() - STALE_RUNNING_MS).toISOString() },
      }),
    );
    return 'claimed';
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    return (await getExport(record.exportId, true))?.status === 'SUCCEEDED' ? 'done' : 'running';
  }
}

export async function getExport(exportId: string, consistent = false): Promise<ExportRecord | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('exports'), Key: { exportId }, ConsistentRead: consistent }));
  return Item ? fromItem(Item) : undefined;
}

/** Newest first, a page at a time. */
export async function listExports(page: { limit: number; cursor?: string | undefined }): Promise<{ items: ExportRecord[]; nextCursor: string | null }> {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('exports'),
      IndexName: 'recent',
      KeyConditionExpression: 'listKey = :k',
      ExpressionAttributeValues: { ':k': LIST_KEY },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

const whileRunning = { ConditionExpression: '#s = :running', names: { '#s': 'status' } } as const;

export async function markStarted(exportId: string, startedAt: string, location: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('exports'),
      Key: { exportId },
      UpdateExpression: 'SET startedAt = :at, #l = :l',
      ConditionExpression: whileRunning.ConditionExpression,
      ExpressionAttributeNames: { ...whileRunning.names, '#l': 'location' },
      ExpressionAttributeValues: { ':at': startedAt, ':l': location, ':running': 'RUNNING' },
    }),
  );
}

export async function markSucceeded(exportId: string, files: readonly ExportFile[], finishedAt: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('exports'),
      Key: { exportId },
      UpdateExpression: 'SET #s = :done, files = :files, finishedAt = :at',
      ConditionExpression: whileRunning.ConditionExpression,
      ExpressionAttributeNames: whileRunning.names,
      ExpressionAttributeValues: { ':done': 'SUCCEEDED', ':files': files, ':at': finishedAt, ':running': 'RUNNING' },
    }),
  );
}

/** FAILED with the reason; a record that is no longer RUNNING (it succeeded meanwhile) stays as it is. */
export async function markFailed(exportId: string, failure: string, finishedAt: string): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('exports'),
        Key: { exportId },
        UpdateExpression: 'SET #s = :failed, failure = :f, finishedAt = :at',
        ConditionExpression: whileRunning.ConditionExpression,
        ExpressionAttributeNames: whileRunning.names,
        ExpressionAttributeValues: { ':failed': 'FAILED', ':f': failure.slice(0, 2000), ':at': finishedAt, ':running': 'RUNNING' },
      }),
    );
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
  }
}
