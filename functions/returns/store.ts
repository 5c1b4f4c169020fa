/**
 * Return persistence: versioned records with history, listed by customer and by status, and per
 * invoice one tally item (returnId = INVOICE#<invoiceId>) holding per invoice line what returns not
 * refused claim of it (l<lineNo>, in millionths of the unit). A new return raises it on the condition
 * that no line passes what was invoiced, so two returns at the same moment never return more than
 * was delivered (R-RETURN-1).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { subjectOf } from '../shared/audit.js';
import { businessDate } from '../shared/clock.js';
import { type TransactItem, ddb, nextInSequence, tableName, withoutKeys, partitionPage } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { versionedStore } from '../shared/versioned.js';
import type { Return, ReturnStatus } from './schemas.js';

const fromItem = (item: Record<string, unknown>) => withoutKeys(item, ['createdKey']) as Return;

export const returnSubject = (returnId: string) => subjectOf('return', returnId);

const store = versionedStore<Return>({
  table: 'returns',
  key: 'returnId',
  noun: 'return',
  subject: returnSubject,
  toItem: (r) => ({ ...r, createdKey: `${r.createdAt}#${r.returnId}` }),
  fromItem,
});

export const { get: getReturn, replace: replaceReturn, replaceItems: returnReplaceItems } = store;

/** A new return's put (on the condition that its number is free), for the caller's transaction. */
export const returnPut = (r: Return): TransactItem => ({
  Put: { TableName: tableName('returns'), Item: { ...r, createdKey: `${r.createdAt}#${r.returnId}` }, ConditionExpression: 'attribute_not_exists(returnId)' },
});

/** RT-YYYY-NNNNNN from the year's sequence. */
export async function nextReturnNumber(): Promise<string> {
  const year = businessDate().slice(0, 4);
  return formatNumber(`RT-${year}`, await nextInSequence(`return-${year}`));
}

const tallyKey = (invoiceId: string) => ({ returnId: `INVOICE#${invoiceId}` });
const attr = (lineNo: number) => `l${lineNo}`;

/** What returns not refused claim of each line of the invoice (millionths of the unit). */
export async function returnedOnInvoice(invoiceId: string): Promise<Map<number, number>> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('returns'), Key: tallyKey(invoiceId), ConsistentRead: true }));
  const found = new Map<number, number>();
  for (const [k, v] of Object.entries(Item ?? {})) if (/^l\d+$/.test(k)) found.set(Number(k.slice(1)), Number(v));
  return found;
}

/** Each line's claim up by its units, on the condition that it stays within what was invoiced. */
export function claimLinesItem(invoiceId: string, claims: readonly { lineNo: number; units: number; invoicedUnits: number }[]): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, number | string> = { ':zero': 0, ':i': invoiceId };
  const sets: string[] = [];
  const conditions: string[] = [];
  claims.forEach((c, i) => {
    names[`#l${i}`] = attr(c.lineNo);
    values[`:q${i}`] = c.units;
    values[`:m${i}`] = c.invoicedUnits - c.units;
    sets.push(`#l${i} = if_not_exists(#l${i}, :zero) + :q${i}`);
    conditions.push(`(attribute_not_exists(#l${i}) OR #l${i} <= :m${i})`);
  });
  return {
    Update: {
      TableName: tableName('returns'),
      Key: tallyKey(invoiceId),
      UpdateExpression: `SET ${sets.join(', ')}, invoiceId = :i`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Claims given back (a return refused, withdrawn, or less came back than approved); none: no write. */
export function releaseLinesItems(invoiceId: string, releases: readonly { lineNo: number; units: number }[]): TransactItem[] {
  const some = releases.filter((r) => r.units > 0);
  if (some.length === 0) return [];
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  some.forEach((r, i) => {
    names[`#l${i}`] = attr(r.lineNo);
    values[`:q${i}`] = r.units;
  });
  return [
    {
      Update: {
        TableName: tableName('returns'),
        Key: tallyKey(invoiceId),
        UpdateExpression: `SET ${some.map((_, i) => `#l${i} = #l${i} - :q${i}`).join(', ')}`,
        ConditionExpression: some.map((_, i) => `#l${i} >= :q${i}`).join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  ];
}

/** A customer's returns, newest first. */
export async function listReturnsOfCustomer(customerId: string, page: { limit: number; cursor?: string | undefined }) {
  return partitionPage({ table: 'returns', index: 'byCustomer', partition: ['customerId', customerId], page, newestFirst: true, map: fromItem });
}

/** The returns in a status, oldest first (the warehouse's list of approved ones to receive, quality's to inspect). */
export async function listReturnsInStatus(status: ReturnStatus, page: { limit: number; cursor?: string | undefined }) {
  return partitionPage({ table: 'returns', index: 'byStatus', partition: ['status', status], page, map: fromItem });
}
