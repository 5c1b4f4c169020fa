import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { onlyOwnCustomers } from '../../customers/rules.js';
import { businessDate } from '../../shared/clock.js';
import { ddb, tableName } from '../../shared/dynamo.js';
import { httpHandler } from '../../shared/http.js';
import { PRICE_LIST_READERS, pricingRoutes } from '../routes.js';
import { listHeads, summaryOf } from '../store.js';

/** The owner rep of each customer (BatchGet, at most a page of 100). */
async function ownersOf(customerIds: string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const table = tableName('customers');
  let keys: Record<string, unknown>[] | undefined = [...new Set(customerIds)].map((customerId) => ({ customerId }));
  while (keys && keys.length > 0) {
    const result: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: 'customerId, ownerRepId' } } }));
    for (const c of result.Responses?.[table] ?? []) owners.set(String(c.customerId), String(c.ownerRepId));
    keys = result.UnprocessedKeys?.[table]?.Keys;
  }
  return owners;
}

export const handler = httpHandler(pricingRoutes.listPriceLists, async ({ query, user }) => {
  const page = await listHeads(query);
  let heads = page.items;
  // R-INFO-2: a sales rep sees the general list and own customers' lists only (a filtered page may be short).
  if (onlyOwnCustomers(user, PRICE_LIST_READERS)) {
    const owners = await ownersOf(heads.flatMap((h) => (h.customerId ? [h.customerId] : [])));
    heads = heads.filter((h) => !h.customerId || owners.get(h.customerId) === user.userId);
  }
  const today = businessDate();
  return { status: 200, body: { items: heads.map((h) => summaryOf(h, today)), nextCursor: page.nextCursor } };
});
