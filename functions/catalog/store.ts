/** Product persistence: versioned items with history, listed by name through the byName index. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { subjectOf } from '../shared/audit.js';
import { ddb, decodeCursor, encodeCursor, namePrefixQuery, tableName, withoutKeys } from '../shared/dynamo.js';
import { versionedStore } from '../shared/versioned.js';
import { normaliseName } from '../customers/rules.js';
import type { Product } from './schemas.js';

export const productSubject = (code: string) => subjectOf('product', code);

const products = versionedStore<Product>({
  table: 'products',
  key: 'productCode',
  noun: 'product',
  subject: productSubject,
  // Retired products leave the list index (sparse) but stay readable by code.
  toItem: (p) => ({ ...p, nameKey: `${normaliseName(p.name)}#${p.productCode}`, listKey: p.status === 'ACTIVE' ? 'PRODUCT' : 'RETIRED' }),
  fromItem: (item) => withoutKeys(item, ['nameKey', 'listKey']) as Product,
});

export const { get: getProduct, insert: insertProduct, update: updateProduct } = products;

export async function listProducts(filter: {
  q?: string;
  productType?: string;
  sellable?: boolean;
  includeRetired: boolean;
  limit: number;
  cursor?: string;
}) {
  const query = (listKey: string, cursor: string | undefined, limit: number) =>
    ddb.send(
      new QueryCommand({
        TableName: tableName('products'),
        IndexName: 'byName',
        ...namePrefixQuery({
          partition: ['listKey', listKey],
          nameKey: 'nameKey',
          namePrefix: filter.q ? normaliseName(filter.q) : undefined,
          equals: { productType: filter.productType, sellable: filter.sellable },
        }),
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
  // Active products first; with includeRetired the retired ones follow once the active ones are through.
  const cursorOnRetired = filter.cursor !== undefined && decodeCursor(filter.cursor)?.listKey === 'RETIRED';
  let result = await query(cursorOnRetired ? 'RETIRED' : 'PRODUCT', filter.cursor, filter.limit);
  let items = result.Items ?? [];
  if (filter.includeRetired && !cursorOnRetired && !result.LastEvaluatedKey && items.length < filter.limit) {
    // Only as many as fit on this page, so the cursor continues right after the last one shown.
    const retired = await query('RETIRED', undefined, filter.limit - items.length);
    items = [...items, ...(retired.Items ?? [])];
    result = retired;
  }
  return { items: items.map((i) => withoutKeys(i, ['nameKey', 'listKey']) as Product), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
