/** DynamoDB access shared by every store: the client, table names, cursors, condition failures. */
import { DynamoDBClient, TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableEnvName, type TableId } from './definitions.js';
import { validationFailed } from './errors.js';

/** The SDK reads AWS_ENDPOINT_URL_DYNAMODB, so the local stack needs no code path of its own. */
export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
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
