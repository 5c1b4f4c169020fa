/**
 * Credit note persistence: versioned records with history, and per invoice one tally item
 * (creditNoteId = INVOICE#<invoiceId>) holding what the credit notes waiting or issued on it add up
 * to. Every new credit note raises the tally on the condition that it stays within the invoice's
 * gross, so two requests at the same moment never together credit more than the invoice (R-BILL-4).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { subjectOf } from '../shared/audit.js';
import { businessDate } from '../shared/clock.js';
import { type TransactItem, ddb, decodeCursor, encodeCursor, nextInSequence, tableName, withoutKeys } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { versionedStore } from '../shared/versioned.js';
import type { CreditNote, CreditNoteStatus } from './schemas.js';

const INDEX_ATTRIBUTES = ['createdKey', 'issuedMonth', 'issuedKey'] as const;
const fromItem = (item: Record<string, unknown>) => withoutKeys(item, INDEX_ATTRIBUTES) as CreditNote;

export const creditNoteSubject = (creditNoteId: string) => subjectOf('creditNote', creditNoteId);

const store = versionedStore<CreditNote>({
  table: 'creditNotes',
  key: 'creditNoteId',
  noun: 'credit note',
  subject: creditNoteSubject,
  toItem: (n) => ({
    ...n,
    createdKey: `${n.createdAt}#${n.creditNoteId}`,
    ...(n.issuedOn ? { issuedMonth: n.issuedOn.slice(0, 7), issuedKey: `${n.issuedOn}#${n.creditNoteId}` } : {}),
  }),
  fromItem,
});

export const { get: getCreditNote, replaceItems: creditNoteReplaceItems } = store;

/** A new credit note's put (on the condition that its number is free), for the caller's transaction. */
export function creditNotePut(note: CreditNote): TransactItem {
  return {
    Put: {
      TableName: tableName('creditNotes'),
      Item: {
        ...note,
        createdKey: `${note.createdAt}#${note.creditNoteId}`,
        ...(note.issuedOn ? { issuedMonth: note.issuedOn.slice(0, 7), issuedKey: `${note.issuedOn}#${note.creditNoteId}` } : {}),
      },
      ConditionExpression: 'attribute_not_exists(creditNoteId)',
    },
  };
}

/** CN-YYYY-NNNNNN from the year's sequence (a number lost to a failed write leaves a gap, never a duplicate). */
export async function nextCreditNoteNumber(): Promise<string> {
  const year = businessDate().slice(0, 4);
  return formatNumber(`CN-${year}`, await nextInSequence(`creditNote-${year}`));
}

const tallyKey = (invoiceId: string) => ({ creditNoteId: `INVOICE#${invoiceId}` });

/** What the invoice's credit notes (waiting or issued) add up to; 0 before the first. */
export async function creditedOnInvoice(invoiceId: string): Promise<number> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('creditNotes'), Key: tallyKey(invoiceId), ConsistentRead: true }));
  return Number(Item?.creditedMinor ?? 0);
}

/** The tally up by `amountMinor`, on the condition that it stays within the invoice's gross. */
export function creditInvoiceItem(invoiceId: string, amountMinor: number, grossMinor: number): TransactItem {
  return {
    Update: {
      TableName: tableName('creditNotes'),
      Key: tallyKey(invoiceId),
      UpdateExpression: 'SET creditedMinor = if_not_exists(creditedMinor, :zero) + :a, invoiceId = :i',
      ConditionExpression: 'attribute_not_exists(creditedMinor) OR creditedMinor <= :max',
      ExpressionAttributeValues: { ':zero': 0, ':a': amountMinor, ':i': invoiceId, ':max': grossMinor - amountMinor },
    },
  };
}

/** The tally down by `amountMinor` (a credit note refused, expired or reversed): the invoice can be credited that much again. */
export function uncreditInvoiceItem(invoiceId: string, amountMinor: number): TransactItem {
  return {
    Update: {
      TableName: tableName('creditNotes'),
      Key: tallyKey(invoiceId),
      UpdateExpression: 'SET creditedMinor = creditedMinor - :a',
      ConditionExpression: 'creditedMinor >= :a',
      ExpressionAttributeValues: { ':a': amountMinor },
    },
  };
}

/** A customer's credit notes, newest first (optionally in one status). */
export async function listCreditNotes(customerId: string, page: { limit: number; cursor?: string | undefined }, status?: CreditNoteStatus) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('creditNotes'),
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customerId = :c',
      ...(status ? { FilterExpression: '#status = :s', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':c': customerId, ...(status ? { ':s': status } : {}) },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
