/**
 * The credit account of a customer (R-CREDIT-4, R-CREDIT-5): one item holding limit, exposure,
 * available and the hold, and one open item per thing the exposure is made of (an order approved
 * but not yet invoiced; later an invoice outstanding). Exposure always equals the sum of the open
 * items: every change writes the account and its open item in one transaction.
 *
 * DynamoDB conditions cannot add, so the account also stores `availableMinor` = limit − exposure,
 * kept by the same update expressions; "exposure + amount ≤ limit" becomes `availableMinor >= amount`,
 * which two concurrent reservations can never both pass beyond the limit.
 */
import { GetCommand, PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../customers/schemas.js';
import { nowIso } from '../shared/clock.js';
import { ddb, isConditionalFailure, tableName, queryAll } from '../shared/dynamo.js';
import { settings } from '../shared/settings.js';
import type { Actor } from '../shared/schemas.js';
import type { TransactItem } from '../shared/versioned.js';

export const ACCOUNT = 'ACCOUNT';
export const openItemKey = (kind: OpenItemKind, reference: string) => `OPEN#${kind}#${reference}`;

export type OpenItemKind = 'ORDER' | 'INVOICE';

export interface CreditHold {
  kind: 'MANUAL' | 'OVERDUE';
  reason: string;
  since: string;
  setBy: Actor;
}

export interface CreditAccount {
  customerId: string;
  currency: string;
  limitMinor: number;
  exposureMinor: number;
  /** Orders approved but not yet invoiced. */
  reservedMinor: number;
  /** Invoices outstanding (the billing area adds them). */
  receivableMinor: number;
  /** limitMinor − exposureMinor; negative when an approved credit decision let an order over the limit. */
  availableMinor: number;
  hold?: CreditHold;
  updatedAt?: string;
}

export interface OpenItem {
  customerId: string;
  kind: OpenItemKind;
  reference: string;
  amountMinor: number;
  currency: string;
  openedAt: string;
  dueDate?: string;
  /** The credit decision that let it over the limit (R-CREDIT-4). */
  approval?: { taskId: string; decidedBy: Actor; decidedAt: string };
  /** An invoice's: who it is with and where, for aging by rep and region (R-AR-1) and the alerts (R-AR-2). */
  customerName?: string;
  ownerRepId?: string;
  region?: string;
  issuedOn?: string;
}

const accountKey = (customerId: string) => ({ customerId, itemKey: ACCOUNT });

/** What the account reads before its first write: the approved limit, nothing exposed. */
export function newAccount(customer: Pick<Customer, 'customerId' | 'credit'>): CreditAccount {
  const limitMinor = customer.credit.status === 'APPROVED' ? (customer.credit.limit?.amountMinor ?? 0) : 0;
  return {
    customerId: customer.customerId,
    currency: customer.credit.limit?.currency ?? settings().currency,
    limitMinor,
    exposureMinor: 0,
    reservedMinor: 0,
    receivableMinor: 0,
    availableMinor: limitMinor,
  };
}

function accountOf(item: Record<string, unknown>): CreditAccount {
  const { itemKey: _key, holdKey: _hold, ...account } = item;
  return account as unknown as CreditAccount;
}

/** The customers whose account is on a hold of this kind (the sparse index accountsOnHold). */
export async function customersOnHold(kind: CreditHold['kind']): Promise<string[]> {
  const items = await queryAll({
    TableName: tableName('credit'),
    IndexName: 'accountsOnHold',
    KeyConditionExpression: 'holdKey = :kind',
    ExpressionAttributeValues: { ':kind': kind },
  });
  return items.map((i) => String(i.customerId));
}

export async function getAccount(customerId: string): Promise<CreditAccount | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('credit'), Key: accountKey(customerId), ConsistentRead: true }));
  return Item ? accountOf(Item) : undefined;
}

/** The account, created from the customer's approved profile the first time it is needed. */
export async function ensureAccount(customer: Pick<Customer, 'customerId' | 'credit'>): Promise<CreditAccount> {
  const existing = await getAccount(customer.customerId);
  if (existing) return existing;
  const fresh = { ...newAccount(customer), updatedAt: nowIso() };
  try {
    await ddb.send(
      new PutCommand({ TableName: tableName('credit'), Item: { ...fresh, itemKey: ACCOUNT }, ConditionExpression: 'attribute_not_exists(itemKey)' }),
    );
    return fresh;
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    return (await getAccount(customer.customerId))!;
  }
}

/** The account and every open item behind it (one partition, read consistently). */
export async function readAccountWithItems(customerId: string): Promise<{ account: CreditAccount | undefined; openItems: OpenItem[] }> {
  let account: CreditAccount | undefined;
  const openItems: OpenItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: tableName('credit'),
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.itemKey === ACCOUNT) account = accountOf(item);
      else {
        const { itemKey: _key, dueKey: _due, ...open } = item;
        openItems.push(open as unknown as OpenItem);
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { account, openItems };
}

/**
 * Reserves an order's exposure: the account update and the open item, for the caller's transaction.
 * Without an approval the account must have the amount available; with one (R-CREDIT-4) it may go
 * over. Never while the customer is on hold (R-CREDIT-5).
 */
export function reserveItems(order: { orderId: string; customerId: string }, amountMinor: number, currency: string, approval?: OpenItem['approval']): TransactItem[] {
  const at = nowIso();
  const item: OpenItem & { itemKey: string } = {
    customerId: order.customerId,
    itemKey: openItemKey('ORDER', order.orderId),
    kind: 'ORDER',
    reference: order.orderId,
    amountMinor,
    currency,
    openedAt: at,
    ...(approval ? { approval } : {}),
  };
  return [
    {
      Update: {
        TableName: tableName('credit'),
        Key: accountKey(order.customerId),
        UpdateExpression:
          'SET exposureMinor = exposureMinor + :a, reservedMinor = reservedMinor + :a, availableMinor = availableMinor - :a, updatedAt = :at',
        ConditionExpression: `attribute_exists(itemKey) AND attribute_not_exists(#hold)${approval ? '' : ' AND availableMinor >= :a'}`,
        ExpressionAttributeNames: { '#hold': 'hold' },
        ExpressionAttributeValues: { ':a': amountMinor, ':at': at },
      },
    },
    { Put: { TableName: tableName('credit'), Item: item, ConditionExpression: 'attribute_not_exists(itemKey)' } },
  ];
}

/**
 * An invoice outstanding joins the exposure as a receivable (for the billing area, which issues
 * invoices): the account and the open item, which carries its due date in the sparse due-date index.
 */
export function receivableItems(customerId: string, invoice: { invoiceId: string; amountMinor: number; currency: string; dueDate: string }): TransactItem[] {
  const at = nowIso();
  const item: OpenItem & { itemKey: string; dueKey: string } = {
    customerId,
    itemKey: openItemKey('INVOICE', invoice.invoiceId),
    kind: 'INVOICE',
    reference: invoice.invoiceId,
    amountMinor: invoice.amountMinor,
    currency: invoice.currency,
    openedAt: at,
    dueDate: invoice.dueDate,
    dueKey: 'INVOICE',
  };
  return [
    {
      Update: {
        TableName: tableName('credit'),
        Key: accountKey(customerId),
        UpdateExpression:
          'SET exposureMinor = exposureMinor + :a, receivableMinor = receivableMinor + :a, availableMinor = availableMinor - :a, updatedAt = :at',
        ConditionExpression: 'attribute_exists(itemKey)',
        ExpressionAttributeValues: { ':a': invoice.amountMinor, ':at': at },
      },
    },
    { Put: { TableName: tableName('credit'), Item: item, ConditionExpression: 'attribute_not_exists(itemKey)' } },
  ];
}

/**
 * R-BILL-1 with R-CREDIT-4: an invoice turns part of its order's reserved exposure into a
 * receivable. `fromOrderMinor` of the order's open item (at most what it still holds, read as
 * `orderOpenMinor`) moves to the invoice's open item; anything invoiced beyond it adds to the
 * exposure. The invoice's open item carries its due date in the sparse due-date index and what the
 * aging groups by. For the invoice's one transaction.
 */
export function invoiceExposureItems(
  invoice: { invoiceId: string; customerId: string; customerName: string; ownerRepId: string; region?: string | undefined; orderId: string; grossMinor: number; currency: string; issuedOn: string; dueDate: string },
  orderOpenMinor: number,
  outstandingMinor: number,
): TransactItem[] {
  const at = nowIso();
  const fromOrder = Math.min(orderOpenMinor, invoice.grossMinor);
  const added = invoice.grossMinor - fromOrder;
  const orderKey = { customerId: invoice.customerId, itemKey: openItemKey('ORDER', invoice.orderId) };
  const orderItem: TransactItem[] =
    fromOrder === 0
      ? []
      : fromOrder === orderOpenMinor
        ? [{ Delete: { TableName: tableName('credit'), Key: orderKey, ConditionExpression: 'amountMinor = :a', ExpressionAttributeValues: { ':a': orderOpenMinor } } }]
        : [
            {
              Update: {
                TableName: tableName('credit'),
                Key: orderKey,
                UpdateExpression: 'SET amountMinor = amountMinor - :f',
                ConditionExpression: 'amountMinor = :a',
                ExpressionAttributeValues: { ':a': orderOpenMinor, ':f': fromOrder },
              },
            },
          ];
  const settledAtOnce = invoice.grossMinor - outstandingMinor;
  const item: OpenItem & { itemKey: string; dueKey?: string } = {
    customerId: invoice.customerId,
    itemKey: openItemKey('INVOICE', invoice.invoiceId),
    kind: 'INVOICE',
    reference: invoice.invoiceId,
    amountMinor: outstandingMinor,
    currency: invoice.currency,
    openedAt: at,
    dueDate: invoice.dueDate,
    issuedOn: invoice.issuedOn,
    customerName: invoice.customerName,
    ownerRepId: invoice.ownerRepId,
    ...(invoice.region ? { region: invoice.region } : {}),
    ...(outstandingMinor > 0 ? { dueKey: 'INVOICE' } : {}),
  };
  return [
    {
      Update: {
        TableName: tableName('credit'),
        Key: accountKey(invoice.customerId),
        // The receivable is what stays open; customer credit used at once (settledAtOnce) lowers the exposure.
        UpdateExpression:
          'SET receivableMinor = receivableMinor + :open, reservedMinor = reservedMinor - :f, exposureMinor = exposureMinor + :net, availableMinor = availableMinor - :net, updatedAt = :at',
        ConditionExpression: 'attribute_exists(itemKey)',
        ExpressionAttributeValues: { ':open': outstandingMinor, ':f': fromOrder, ':net': added - settledAtOnce, ':at': at },
      },
    },
    ...orderItem,
    ...(outstandingMinor > 0 ? [{ Put: { TableName: tableName('credit'), Item: item, ConditionExpression: 'attribute_not_exists(itemKey)' } }] : []),
  ];
}

/**
 * A payment or credit settles part of an open invoice: its open item goes down (and leaves the
 * due-date index when nothing is left), conditional on the amount read. The account's side is
 * `receivablesSettledItem`, once per transaction.
 */
export function settleInvoiceItem(customerId: string, invoiceId: string, outstandingMinor: number, settleMinor: number): TransactItem {
  const Key = { customerId, itemKey: openItemKey('INVOICE', invoiceId) };
  if (settleMinor === outstandingMinor) {
    return { Delete: { TableName: tableName('credit'), Key, ConditionExpression: 'amountMinor = :a', ExpressionAttributeValues: { ':a': outstandingMinor } } };
  }
  return {
    Update: {
      TableName: tableName('credit'),
      Key,
      UpdateExpression: 'SET amountMinor = amountMinor - :s',
      ConditionExpression: 'amountMinor = :a',
      ExpressionAttributeValues: { ':a': outstandingMinor, ':s': settleMinor },
    },
  };
}

/** Receivables paid: exposure down, available up by the same amount. */
export function receivablesSettledItem(customerId: string, settledMinor: number): TransactItem {
  return {
    Update: {
      TableName: tableName('credit'),
      Key: accountKey(customerId),
      UpdateExpression: 'SET receivableMinor = receivableMinor - :s, exposureMinor = exposureMinor - :s, availableMinor = availableMinor + :s, updatedAt = :at',
      ConditionExpression: 'attribute_exists(itemKey)',
      ExpressionAttributeValues: { ':s': settledMinor, ':at': nowIso() },
    },
  };
}

/**
 * The counterpart of `settleInvoiceItem` (a reversal of what settled it): the invoice's open item
 * grows back by `amountMinor`, conditional on the amount read, or, if it had gone (paid in full),
 * comes back with it and its due date in the sparse due-date index (the aging and the daily alerts
 * see it again). The account's side is `receivablesReopenedItem`, once per transaction.
 */
export function reopenInvoiceItem(
  invoice: { invoiceId: string; customerId: string; customerName: string; ownerRepId: string; region?: string | undefined; dueDate: string; issuedOn: string; currency: string },
  open: OpenItem | undefined,
  amountMinor: number,
): TransactItem {
  const Key = { customerId: invoice.customerId, itemKey: openItemKey('INVOICE', invoice.invoiceId) };
  if (open) {
    return {
      Update: {
        TableName: tableName('credit'),
        Key,
        UpdateExpression: 'SET amountMinor = amountMinor + :s',
        ConditionExpression: 'amountMinor = :a',
        ExpressionAttributeValues: { ':a': open.amountMinor, ':s': amountMinor },
      },
    };
  }
  const item: OpenItem & { itemKey: string; dueKey: string } = {
    ...Key,
    kind: 'INVOICE',
    reference: invoice.invoiceId,
    amountMinor,
    currency: invoice.currency,
    openedAt: nowIso(),
    dueDate: invoice.dueDate,
    dueKey: 'INVOICE',
    issuedOn: invoice.issuedOn,
    customerName: invoice.customerName,
    ownerRepId: invoice.ownerRepId,
    ...(invoice.region ? { region: invoice.region } : {}),
  };
  return { Put: { TableName: tableName('credit'), Item: item, ConditionExpression: 'attribute_not_exists(itemKey)' } };
}

/** The counterpart of `receivablesSettledItem`: receivables open again, exposure up, available down by the same amount. */
export function receivablesReopenedItem(customerId: string, amountMinor: number): TransactItem {
  return receivablesSettledItem(customerId, -amountMinor);
}

/** The open item of an order or invoice, read consistently. */
export async function getOpenItem(customerId: string, kind: OpenItemKind, reference: string): Promise<OpenItem | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('credit'), Key: { customerId, itemKey: openItemKey(kind, reference) }, ConsistentRead: true }));
  return Item as OpenItem | undefined;
}

/** Open invoices due before `date` (exclusive), oldest first, across customers: the sparse index only. */
export async function openInvoicesDueBefore(date: string): Promise<OpenItem[]> {
  const found: OpenItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: tableName('credit'),
        IndexName: 'openInvoicesByDue',
        KeyConditionExpression: 'dueKey = :k AND dueDate < :d',
        ExpressionAttributeValues: { ':k': 'INVOICE', ':d': date },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const { itemKey: _key, dueKey: _due, ...open } = item;
      found.push(open as unknown as OpenItem);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Releases an order's reserved exposure (cancelled, changed, refused): the open item goes, the account gives the amount back. */
export function releaseItems(order: { orderId: string; customerId: string }, amountMinor: number): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName('credit'),
        Key: accountKey(order.customerId),
        UpdateExpression:
          'SET exposureMinor = exposureMinor - :a, reservedMinor = reservedMinor - :a, availableMinor = availableMinor + :a, updatedAt = :at',
        ConditionExpression: 'attribute_exists(itemKey)',
        ExpressionAttributeValues: { ':a': amountMinor, ':at': nowIso() },
      },
    },
    {
      Delete: {
        TableName: tableName('credit'),
        Key: { customerId: order.customerId, itemKey: openItemKey('ORDER', order.orderId) },
        ConditionExpression: 'amountMinor = :a',
        ExpressionAttributeValues: { ':a': amountMinor },
      },
    },
  ];
}

/** Records the credit decision on an order whose exposure is already reserved (a re-check after a lower limit, R-CREDIT-7). */
export function approveReservedItem(order: { orderId: string; customerId: string }, approval: NonNullable<OpenItem['approval']>): TransactItem {
  return {
    Update: {
      TableName: tableName('credit'),
      Key: { customerId: order.customerId, itemKey: openItemKey('ORDER', order.orderId) },
      UpdateExpression: 'SET approval = :approval',
      ConditionExpression: 'attribute_exists(itemKey)',
      ExpressionAttributeValues: { ':approval': approval },
    },
  };
}

/** Nothing is released to a customer on hold: a condition for writes that clear an order without reserving. */
export function notOnHoldCheck(customerId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName('credit'),
      Key: accountKey(customerId),
      ConditionExpression: 'attribute_not_exists(#hold)',
      ExpressionAttributeNames: { '#hold': 'hold' },
    },
  };
}

/** A new limit (credit review, finance's change): available follows, exposure stays. Creates the account if needed. */
export function limitItem(customerId: string, limitMinor: number, currency: string): TransactItem {
  return {
    Update: {
      TableName: tableName('credit'),
      Key: accountKey(customerId),
      UpdateExpression:
        'SET limitMinor = :limit, currency = :currency, availableMinor = :limit - if_not_exists(exposureMinor, :zero), exposureMinor = if_not_exists(exposureMinor, :zero), reservedMinor = if_not_exists(reservedMinor, :zero), receivableMinor = if_not_exists(receivableMinor, :zero), updatedAt = :at',
      ExpressionAttributeValues: { ':limit': limitMinor, ':currency': currency, ':zero': 0, ':at': nowIso() },
    },
  };
}

/** Sets a hold (R-CREDIT-5); fails if one is set already. Creates the account if needed. */
export function setHoldItem(customer: Pick<Customer, 'customerId' | 'credit'>, hold: CreditHold): TransactItem {
  const fresh = newAccount(customer);
  return {
    Update: {
      TableName: tableName('credit'),
      Key: accountKey(customer.customerId),
      UpdateExpression:
        'SET #hold = :hold, holdKey = :holdKey, limitMinor = if_not_exists(limitMinor, :limit), currency = if_not_exists(currency, :currency), exposureMinor = if_not_exists(exposureMinor, :zero), reservedMinor = if_not_exists(reservedMinor, :zero), receivableMinor = if_not_exists(receivableMinor, :zero), availableMinor = if_not_exists(availableMinor, :limit), updatedAt = :at',
      ConditionExpression: 'attribute_not_exists(#hold)',
      ExpressionAttributeNames: { '#hold': 'hold' },
      ExpressionAttributeValues: { ':hold': hold, ':holdKey': hold.kind, ':limit': fresh.limitMinor, ':currency': fresh.currency, ':zero': 0, ':at': hold.since },
    },
  };
}

/** Lifts the hold that was read (same `since`), so a hold set again meanwhile is not lifted unseen. */
export function liftHoldItem(customerId: string, since: string): TransactItem {
  return {
    Update: {
      TableName: tableName('credit'),
      Key: accountKey(customerId),
      UpdateExpression: 'REMOVE #hold, holdKey SET updatedAt = :at',
      ConditionExpression: '#hold.since = :since',
      ExpressionAttributeNames: { '#hold': 'hold' },
      ExpressionAttributeValues: { ':since': since, ':at': nowIso() },
    },
  };
}
