/**
 * Price list persistence. One partition per list (priceListId = GENERAL or CUSTOMER#<customerId>):
 * each version is its own item (sort key version ≥ 1, with its items), and a head item at
 * version 0 carries listKey = PRICELIST (the byList index lists heads only), the latest version
 * and its status, and the approved versions with their effective dates, so that the version in
 * force is found from one read. Every change is one transaction: the version (conditional on the
 * revision read), the head (conditional on the latest version), the history entry (R-INFO-3) and
 * any notification it causes.
 */
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { ddb, decodeCursor, encodeCursor, tableName, transactConditional, withoutKeys } from '../shared/dynamo.js';
import { notFound, preconditionFailed } from '../shared/errors.js';
import type { Actor } from '../shared/schemas.js';
import type { TransactItem } from '../shared/versioned.js';
import type { CatalogueEntry } from './rules.js';
import { refOf, versionInForce } from './rules.js';
import { GENERAL, type ApprovedVersion, type PriceListKind, type PriceListStatus, type PriceListSummary, type PriceListVersion, type PriceListVersionSummary } from './schemas.js';

const HEAD_VERSION = 0;
const LIST_KEY = 'PRICELIST';

/** History subject: priceList#GENERAL, priceList#CUSTOMER#CU-000001 (task decisions land there too). */
export const priceListSubject = (priceListId: string) => subjectOf('priceList', priceListId);

export interface PriceListHead {
  priceListId: string;
  kind: PriceListKind;
  customerId?: string;
  customerName?: string;
  currency: string;
  latestVersion: number;
  latestStatus: PriceListStatus;
  approved: ApprovedVersion[];
  createdAt: string;
  updatedAt: string;
}

export async function getHead(priceListId: string, consistent = false): Promise<PriceListHead | undefined> {
  const { Item } = await ddb.send(
    new GetCommand({ TableName: tableName('priceLists'), Key: { priceListId, version: HEAD_VERSION }, ConsistentRead: consistent }),
  );
  return Item ? (withoutKeys(Item, ['version', 'listKey']) as PriceListHead) : undefined;
}

export async function getVersion(priceListId: string, version: number, consistent = false): Promise<PriceListVersion> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('priceLists'), Key: { priceListId, version }, ConsistentRead: consistent }));
  if (!Item || version < 1) throw notFound(`no version ${version} of price list ${refOf(priceListId)}`);
  return Item as PriceListVersion;
}

/** The head as the API shows it, with the version in force on `today`. */
export function summaryOf(head: PriceListHead, today: string): PriceListSummary {
  const inForce = versionInForce(
    head.approved.map((a) => ({ ...a, status: 'APPROVED' as const })),
    today,
  );
  return {
    priceListId: head.priceListId,
    kind: head.kind,
    ...(head.customerId ? { customerId: head.customerId, customerName: head.customerName } : {}),
    currency: head.currency,
    latestVersion: head.latestVersion,
    latestStatus: head.latestStatus,
    inForce: inForce ? { version: inForce.version, effectiveFrom: inForce.effectiveFrom } : null,
    approvedVersions: head.approved,
    updatedAt: head.updatedAt,
  };
}

export function versionSummary(v: PriceListVersion): PriceListVersionSummary {
  const { items, ...rest } = v;
  return { ...rest, itemCount: items.length };
}

/** The heads of all price lists (or of one kind), by id: customer lists first, then GENERAL. */
export async function listHeads(filter: { kind?: PriceListKind; limit: number; cursor?: string }) {
  const names: Record<string, string> = { '#lk': 'listKey' };
  const values: Record<string, unknown> = { ':lk': LIST_KEY };
  let condition = '#lk = :lk';
  if (filter.kind) {
    names['#id'] = 'priceListId';
    values[':id'] = filter.kind === 'general' ? GENERAL : 'CUSTOMER#';
    condition += filter.kind === 'general' ? ' AND #id = :id' : ' AND begins_with(#id, :id)';
  }
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('priceLists'),
      IndexName: 'byList',
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor),
    }),
  );
  return {
    items: (result.Items ?? []).map((i) => withoutKeys(i, ['version', 'listKey']) as PriceListHead),
    nextCursor: encodeCursor(result.LastEvaluatedKey),
  };
}

/** The versions of a list, newest first. */
export async function listVersions(priceListId: string, page: { limit: number; cursor?: string }) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('priceLists'),
      KeyConditionExpression: 'priceListId = :id AND #v > :head',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':id': priceListId, ':head': HEAD_VERSION },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map((i) => versionSummary(i as PriceListVersion)), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** The catalogue entries of the products an item list names (BatchGet, 100 keys a call). */
export async function catalogueFor(productCodes: Iterable<string>): Promise<Map<string, CatalogueEntry>> {
  const codes = [...new Set(productCodes)];
  const found = new Map<string, CatalogueEntry>();
  for (let i = 0; i < codes.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = codes.slice(i, i + 100).map((productCode) => ({ productCode }));
    while (keys && keys.length > 0) {
      const table = tableName('products');
      const result: BatchGetCommandOutput = await ddb.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: { Keys: keys, ProjectionExpression: 'productCode, specifications, #s', ExpressionAttributeNames: { '#s': 'status' } },
          },
        }),
      );
      for (const item of result.Responses?.[table] ?? []) found.set(String(item.productCode), item as CatalogueEntry);
      keys = result.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return found;
}

/** If-Match must name the revision the client read. */
export function assertIfMatch(ifMatch: string | undefined, v: Pick<PriceListVersion, 'revision' | 'version'>): void {
  if (ifMatch !== undefined && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(v.revision)) {
    throw preconditionFailed(`version ${v.version} is at revision ${v.revision}, you read another; reload and try again`);
  }
}

export const etagOf = (v: Pick<PriceListVersion, 'revision'>) => `"${v.revision}"`;

function headUpdate(v: PriceListVersion, approvedEntry?: ApprovedVersion): TransactItem {
  return {
    Update: {
      TableName: tableName('priceLists'),
      Key: { priceListId: v.priceListId, version: HEAD_VERSION },
      UpdateExpression: `SET latestStatus = :s, updatedAt = :at${approvedEntry ? ', approved = list_append(approved, :entry)' : ''}`,
      ConditionExpression: 'latestVersion = :v',
      ExpressionAttributeValues: {
        ':s': v.status,
        ':at': v.updatedAt,
        ':v': v.version,
        ...(approvedEntry ? { ':entry': [approvedEntry] } : {}),
      },
    },
  };
}

const transact = async (items: TransactItem[]): Promise<boolean> => (await transactConditional(items)).ok;

/**
 * Writes a new version and moves the head to it (creating the head with the list's first
 * version). False if another version was drafted at the same moment.
 */
export async function insertVersion(
  v: PriceListVersion,
  head: PriceListHead | undefined,
  by: Actor,
  action: string,
  history: Record<string, unknown>,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> {
  const table = tableName('priceLists');
  const headWrite: TransactItem = head
    ? {
        Update: {
          TableName: table,
          Key: { priceListId: v.priceListId, version: HEAD_VERSION },
          UpdateExpression: 'SET latestVersion = :v, latestStatus = :s, updatedAt = :at',
          ConditionExpression: 'latestVersion = :previous',
          ExpressionAttributeValues: { ':v': v.version, ':s': v.status, ':at': v.updatedAt, ':previous': head.latestVersion },
        },
      }
    : {
        Put: {
          TableName: table,
          Item: {
            priceListId: v.priceListId,
            version: HEAD_VERSION,
            listKey: LIST_KEY,
            kind: v.kind,
            ...(v.customerId ? { customerId: v.customerId, customerName: v.customerName } : {}),
            currency: v.currency,
            latestVersion: v.version,
            latestStatus: v.status,
            approved: [],
            createdAt: v.createdAt,
            updatedAt: v.updatedAt,
          },
          ConditionExpression: 'attribute_not_exists(priceListId)',
        },
      };
  return transact([
    { Put: { TableName: table, Item: v, ConditionExpression: 'attribute_not_exists(priceListId)' } },
    headWrite,
    changeEntryPut(priceListSubject(v.priceListId), by, action, null, history),
    ...alsoWrite,
  ]);
}

/**
 * Replaces a version if it is still at the revision `before` was read at, with the head's status,
 * the history entry and any other writes in one transaction. False if someone changed it first.
 */
export async function replaceVersion(options: {
  before: PriceListVersion;
  after: PriceListVersion;
  by: Actor;
  action: string;
  reason?: string;
  history: { before: Record<string, unknown>; after: Record<string, unknown> };
  approvedEntry?: ApprovedVersion;
  alsoWrite?: TransactItem[];
}): Promise<boolean> {
  const { before, after } = options;
  return transact([
    {
      Put: {
        TableName: tableName('priceLists'),
        Item: after,
        ConditionExpression: '#rev = :expected',
        ExpressionAttributeNames: { '#rev': 'revision' },
        ExpressionAttributeValues: { ':expected': before.revision },
      },
    },
    headUpdate(after, options.approvedEntry),
    changeEntryPut(priceListSubject(after.priceListId), options.by, options.action, options.history.before, options.history.after, options.reason),
    ...(options.alsoWrite ?? []),
  ]);
}
