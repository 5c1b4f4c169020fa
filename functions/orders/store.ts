/** Order persistence: versioned items with history, numbered per year, listed through four indexes. */
import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Product } from '../catalog/schemas.js';
import { subjectOf } from '../shared/audit.js';
import { businessDate, businessDayStart, addDays } from '../shared/clock.js';
import { ddb, decodeCursor, encodeCursor, nextInSequence, tableName, withoutKeys } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { versionedStore } from '../shared/versioned.js';
import type { Order, OrderStatus, OrderSummary } from './schemas.js';

const INDEX_ATTRIBUTES = ['createdKey', 'listKey'] as const;

export const orderSubject = (orderId: string) => subjectOf('order', orderId);

const orders = versionedStore<Order>({
  table: 'orders',
  key: 'orderId',
  noun: 'order',
  subject: orderSubject,
  toItem: (o) => ({ ...o, createdKey: `${o.createdAt}#${o.orderId}`, listKey: 'ORDER' }),
  fromItem: (item) => withoutKeys(item, INDEX_ATTRIBUTES) as Order,
});

export const { get: getOrder, insert: insertOrder, replace: replaceOrder, replaceItems: orderReplaceItems, update: updateOrder } = orders;

/** R-INTAKE-3: SO-YYYY-NNNNNN, unique and never reused (an atomic counter per business year). */
export async function nextOrderNumber(): Promise<string> {
  const year = businessDate().slice(0, 4);
  return formatNumber(`SO-${year}`, await nextInSequence(`order-${year}`));
}

/** The products an order names, by code (one BatchGet). */
export async function productsByCode(codes: readonly string[]): Promise<Map<string, Product>> {
  const unique = [...new Set(codes)];
  const found = new Map<string, Product>();
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((productCode) => ({ productCode }));
    while (keys && keys.length > 0) {
      const result: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName('products')]: { Keys: keys } } }));
      for (const item of result.Responses?.[tableName('products')] ?? []) found.set(String(item.productCode), withoutKeys(item, ['nameKey', 'listKey']) as Product);
      keys = result.UnprocessedKeys?.[tableName('products')]?.Keys;
    }
  }
  return found;
}

export interface OrderFilter {
  status?: OrderStatus;
  customerId?: string;
  ownerRepId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Picks the narrowest index for the filter; the other filters apply on top. */
export async function listOrders(filter: OrderFilter): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const [index, pkName, pkValue] = filter.ownerRepId
    ? ['byOwner', 'ownerRepId', filter.ownerRepId]
    : filter.customerId
      ? ['byCustomer', 'customerId', filter.customerId]
      : filter.status
        ? ['byStatus', 'status', filter.status]
        : ['byDate', 'listKey', 'ORDER'];
  const names: Record<string, string> = { '#pk': pkName, '#ck': 'createdKey' };
  const values: Record<string, unknown> = { ':pk': pkValue };
  // Dates are business days in the company time zone; createdKey starts with the UTC timestamp.
  const lower = filter.from ? businessDayStart(filter.from).toISOString() : '0';
  const upper = filter.to ? businessDayStart(addDays(filter.to, 1)).toISOString() : '~';
  values[':lower'] = lower;
  values[':upper'] = upper;
  const filters: string[] = [];
  for (const [attribute, value] of [
    ['status', filter.status],
    ['customerId', filter.customerId],
  ] as const) {
    if (value !== undefined && attribute !== pkName) {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      filters.push(`#${attribute} = :${attribute}`);
    }
  }
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('orders'),
      IndexName: index,
      KeyConditionExpression: '#pk = :pk AND #ck BETWEEN :lower AND :upper',
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor),
    }),
  );
  const items = (result.Items ?? []).map((item) => {
    const o = item as Order;
    return {
      orderId: o.orderId,
      status: o.status,
      channel: o.channel,
      customerId: o.customerId,
      customerName: o.customerName,
      ownerRepId: o.ownerRepId,
      ...(o.requestedDeliveryDate ? { requestedDeliveryDate: o.requestedDeliveryDate } : {}),
      totals: o.totals,
      createdAt: o.createdAt,
      findingCount: o.findings.length,
    };
  });
  return { items, nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** The workflow belongs to an older round than the order's: a newer submission replaced it. */
export class ReviewSuperseded extends Error {
  constructor(orderId: string, round: number) {
    super(`review round ${round} of ${orderId} was superseded`);
    this.name = 'ReviewSuperseded';
  }
}
