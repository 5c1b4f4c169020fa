/** Customer persistence: the item layout, index attributes, and conditional writes with history. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { subjectOf } from '../shared/audit.js';
import { conflict } from '../shared/errors.js';
import { type TransactItem, ddb, decodeCursor, encodeCursor, namePrefixQuery, nextInSequence, tableName, withoutKeys } from '../shared/dynamo.js';
import { versionedStore } from '../shared/versioned.js';
import { formatNumber } from '../shared/ids.js';
import type { Actor } from '../shared/schemas.js';
import { nameKey, normaliseName } from './rules.js';
import type { Customer, CustomerSummary, CreditStatus } from './schemas.js';

/** Attributes that exist for indexes only and never leave the store. */
const INDEX_ATTRIBUTES = ['nameKey', 'listKey', 'creditReviewDueKey', 'nextCreditReviewOn'] as const;

/** Customers whose credit review should be (re)started by the nightly job carry the sparse due key. */
export function reviewDueOn(customer: Customer): string | undefined {
  if (customer.credit.status === 'REQUESTED') return customer.createdAt.slice(0, 10);
  if (customer.credit.status === 'APPROVED') return customer.credit.nextReviewOn;
  return undefined;
}

export function toItem(customer: Customer): Record<string, unknown> {
  const due = reviewDueOn(customer);
  return {
    ...customer,
    nameKey: nameKey(customer.name, customer.customerId),
    listKey: 'CUSTOMER',
    ...(due ? { creditReviewDueKey: 'DUE', nextCreditReviewOn: due } : {}),
  };
}

export const fromItem = (item: Record<string, unknown>) => withoutKeys(item, INDEX_ATTRIBUTES) as Customer;

export const customerSubject = (customerId: string) => subjectOf('customer', customerId);

export async function nextCustomerNumber(): Promise<string> {
  return formatNumber('CU', await nextInSequence('customer'));
}

const customers = versionedStore<Customer>({
  table: 'customers',
  key: 'customerId',
  noun: 'customer',
  subject: customerSubject,
  toItem,
  fromItem,
});

export const getCustomer = customers.get;
export const replaceCustomer = customers.replace;

/** Creates the customer with its history entry and `alsoWrite` (its credit review's start, the request's answer) in one write. */
export async function insertCustomer(customer: Customer, by: Actor, alsoWrite: TransactItem[] = []): Promise<void> {
  if (!(await customers.insert(customer, by, 'customer created', alsoWrite))) throw conflict(`customer ${customer.customerId} exists already`);
}

/** Read-modify-write with the version check; a caller's If-Match must name the version it read. */
export function updateCustomerChecked(
  customerId: string,
  change: (current: Customer) => Customer,
  by: Actor,
  action: string,
  ifMatch?: string,
  alsoWrite?: TransactItem[] | ((next: Customer) => TransactItem[]),
) {
  return customers.update(customerId, change, by, action, { ifMatch, ...(alsoWrite ? { alsoWrite } : {}) });
}

export async function listCustomers(filter: {
  ownerRepId?: string;
  q?: string;
  class?: string;
  creditStatus?: CreditStatus;
  limit: number;
  cursor?: string;
}): Promise<{ items: CustomerSummary[]; nextCursor: string | null }> {
  const byOwner = filter.ownerRepId !== undefined;
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('customers'),
      IndexName: byOwner ? 'byOwner' : 'byName',
      ...namePrefixQuery({
        partition: byOwner ? ['ownerRepId', filter.ownerRepId] : ['listKey', 'CUSTOMER'],
        nameKey: 'nameKey',
        namePrefix: filter.q ? normaliseName(filter.q) : undefined,
        equals: { class: filter.class, 'credit.status': filter.creditStatus },
      }),
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor),
    }),
  );
  const items = (result.Items ?? []).map((item) => {
    const c = fromItem(item);
    return {
      customerId: c.customerId,
      name: c.name,
      region: c.region,
      class: c.class,
      fulfilmentMode: c.fulfilmentMode,
      ownerRepId: c.ownerRepId,
      creditStatus: c.credit.status,
    };
  });
  return { items, nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
