/** Carrier persistence: versioned items with history, listed by name through the byName index. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { subjectOf } from '../shared/audit.js';
import { ddb, decodeCursor, encodeCursor, nextInSequence, tableName, withoutKeys } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { versionedStore } from '../shared/versioned.js';
import { normaliseName } from '../customers/rules.js';
import type { Carrier } from './schemas.js';

export const carrierSubject = (carrierId: string) => subjectOf('carrier', carrierId);

const STORAGE_KEYS = ['nameKey', 'listKey'] as const;

const carriers = versionedStore<Carrier>({
  table: 'carriers',
  key: 'carrierId',
  noun: 'carrier',
  subject: carrierSubject,
  toItem: (c) => ({ ...c, nameKey: `${normaliseName(c.name)}#${c.carrierId}`, listKey: 'CARRIER' }),
  fromItem: (item) => withoutKeys(item, STORAGE_KEYS) as Carrier,
});

export const { get: getCarrier, insert: insertCarrier, update: updateCarrier } = carriers;

/** CR-000001, CR-000002 …: unique, never reused (gaps possible). */
export async function nextCarrierNumber(): Promise<string> {
  return formatNumber('CR', await nextInSequence('carrier'));
}

/**
 * Carriers by name, one page. A company works with dozens of carriers, so they share one
 * partition of the byName index; "qualified today" is a filter on top (the date moves, the
 * items do not).
 */
export async function listCarriers(filter: { q?: string; qualified?: boolean; today: string; limit: number; cursor?: string }) {
  const names: Record<string, string> = { '#pk': 'listKey' };
  const values: Record<string, unknown> = { ':pk': 'CARRIER' };
  let keyCondition = '#pk = :pk';
  if (filter.q) {
    names['#nk'] = 'nameKey';
    values[':prefix'] = normaliseName(filter.q);
    keyCondition += ' AND begins_with(#nk, :prefix)';
  }
  let filterExpression: string | undefined;
  if (filter.qualified !== undefined) {
    names['#q'] = 'qualified';
    names['#until'] = 'qualifiedUntil';
    values[':today'] = filter.today;
    values[':yes'] = true;
    // qualifiedUntil is null on a carrier that is not qualified; a null never compares, so it is no match either way.
    filterExpression = filter.qualified ? '#q = :yes AND #until >= :today' : '#q <> :yes OR #until < :today';
  }
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('carriers'),
      IndexName: 'byName',
      KeyConditionExpression: keyCondition,
      ...(filterExpression ? { FilterExpression: filterExpression } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor),
    }),
  );
  return {
    items: (result.Items ?? []).map((i) => withoutKeys(i, STORAGE_KEYS) as Carrier),
    nextCursor: encodeCursor(result.LastEvaluatedKey),
  };
}
