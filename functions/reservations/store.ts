/** Goods reservation persistence: versioned items with history; sparse index keys while goods are held. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { subjectOf } from '../shared/audit.js';
import { ddb, decodeCursor, encodeCursor, nextInSequence, tableName, withoutKeys, partitionPage } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { versionedStore } from '../shared/versioned.js';
import type { GoodsReservation } from './schemas.js';

const INDEX_ATTRIBUTES = ['createdKey', 'heldCustomerId', 'heldKey'] as const;

export const reservationSubject = (reservationId: string) => subjectOf('goodsReservation', reservationId);

const fromItem = (item: Record<string, unknown>) => withoutKeys(item, INDEX_ATTRIBUTES) as GoodsReservation;

const store = versionedStore<GoodsReservation>({
  table: 'goodsReservations',
  key: 'reservationId',
  noun: 'goods reservation',
  subject: reservationSubject,
  // Only held reservations carry the keys of the two held indexes: the customer's orders and the release job read nothing else.
  toItem: (r) => ({
    ...r,
    createdKey: `${r.createdAt}#${r.reservationId}`,
    ...(r.status === 'HELD' ? { heldCustomerId: r.customerId, heldKey: 'HELD' } : {}),
  }),
  fromItem,
});

export const { get: getReservation, insert: insertReservation, replace: replaceReservation, replaceItems: reservationReplaceItems } = store;

export async function nextReservationNumber(): Promise<string> {
  return formatNumber('GR', await nextInSequence('goodsReservation'));
}

/** What is held for a customer, soonest to expire first (the order that takes them uses those first). */
export async function heldFor(customerId: string): Promise<GoodsReservation[]> {
  const { Items } = await ddb.send(
    new QueryCommand({
      TableName: tableName('goodsReservations'),
      IndexName: 'heldByCustomer',
      KeyConditionExpression: 'heldCustomerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
    }),
  );
  return (Items ?? []).map((i) => fromItem(i));
}

/** Held reservations whose time is up at `at` (ISO), oldest first, a page at a time. */
export async function heldExpiringBy(at: string, cursor?: string): Promise<{ ids: string[]; nextCursor: string | null }> {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('goodsReservations'),
      IndexName: 'heldByExpiry',
      KeyConditionExpression: 'heldKey = :held AND expiresAt <= :at',
      ExpressionAttributeValues: { ':held': 'HELD', ':at': at },
      ProjectionExpression: 'reservationId',
      Limit: 100,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { ids: (result.Items ?? []).map((i) => String(i.reservationId)), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** A customer's reservations, newest first. */
export async function listReservations(customerId: string, page: { limit: number; cursor?: string }) {
  return partitionPage({ table: 'goodsReservations', index: 'byCustomer', partition: ['customerId', customerId], page, newestFirst: true, map: fromItem });
}
