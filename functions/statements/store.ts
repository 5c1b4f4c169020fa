/**
 * Statements in DynamoDB (R-BILL-6), and what they are made from: the customer's ledger entries
 * read newest first down to the month's opening, the customers with entries in a month (the
 * ledger's entriesByMonth index), the open invoices (the credit account's open items) and the
 * invoices paid since the month end.
 */
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { fromInvoiceItem } from '../billing/invoices.js';
import type { Invoice } from '../billing/schemas.js';
import { openItemKey } from '../credit/account.js';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { type TransactItem, ddb, decodeCursor, encodeCursor, tableName, transactConditional } from '../shared/dynamo.js';
import type { Actor } from '../shared/schemas.js';
import type { BookedEntry } from './rules.js';
import type { Statement, StatementStatus, StatementSummary } from './schemas.js';

export const statementSubject = (statementId: string) => subjectOf('statement', statementId);

/**
 * The customer's ledger entries newest first, down to and with the first one booked before `from`
 * (the opening balance): a month-end run reads the month and what came after it, never the
 * customer's whole history.
 */
export async function entriesBackTo(customerId: string, from: string): Promise<BookedEntry[]> {
  const entries: BookedEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: tableName('ledger'),
        KeyConditionExpression: 'customerId = :c AND begins_with(entryKey, :e)',
        ExpressionAttributeValues: { ':c': customerId, ':e': 'E#' },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: 100,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const entry = item as unknown as BookedEntry;
      entries.push({ ...entry, ...(entry.allocations ? { allocations: entry.allocations } : {}) });
      if (entry.on < from) return entries;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return entries;
}

/** Every customer with a ledger entry booked in the month (the month's entries across customers, paged). */
export async function customersWithEntriesIn(month: string): Promise<string[]> {
  const customers = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: tableName('ledger'),
        IndexName: 'entriesByMonth',
        KeyConditionExpression: 'entryMonth = :m',
        ExpressionAttributeValues: { ':m': month },
        ProjectionExpression: 'customerId',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) customers.add(String(item.customerId));
    start = page.LastEvaluatedKey;
  } while (start);
  return [...customers].sort();
}

/** The customer's invoices open now, as the credit account holds them (outstanding, due date, issue date). */
export async function openInvoicesNow(customerId: string): Promise<{ invoiceId: string; outstandingMinor: number; dueDate: string; issuedOn?: string }[]> {
  const found: { invoiceId: string; outstandingMinor: number; dueDate: string; issuedOn?: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: tableName('credit'),
        KeyConditionExpression: 'customerId = :c AND begins_with(itemKey, :p)',
        ExpressionAttributeValues: { ':c': customerId, ':p': openItemKey('INVOICE', '') },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      found.push({ invoiceId: String(item.reference), outstandingMinor: Number(item.amountMinor), dueDate: String(item.dueDate), ...(item.issuedOn ? { issuedOn: String(item.issuedOn) } : {}) });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Invoices by number (batches of 100, unprocessed keys retried). */
export async function invoicesByIds(ids: readonly string[]): Promise<Invoice[]> {
  const found: Invoice[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((invoiceId) => ({ invoiceId }));
    while (keys && keys.length > 0) {
      const result: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName('invoices')]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of result.Responses?.[tableName('invoices')] ?? []) found.push(fromInvoiceItem(item));
      keys = result.UnprocessedKeys?.[tableName('invoices')]?.Keys;
    }
  }
  return found;
}

export async function getStatement(statementId: string, consistent = false): Promise<Statement | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('statements'), Key: { statementId }, ConsistentRead: consistent }));
  return Item as Statement | undefined;
}

/** Writes a new statement with its history entry, only if the customer has none for the month: true if written now. */
export async function putStatementOnce(statement: Statement, by: Actor): Promise<boolean> {
  const written = await transactConditional([
    { Put: { TableName: tableName('statements'), Item: statement, ConditionExpression: 'attribute_not_exists(statementId)' } },
    changeEntryPut(
      statementSubject(statement.statementId),
      by,
      'statement generated',
      null,
      { month: statement.month, opening: statement.opening, closing: statement.closing, lines: statement.lines.length, openItems: statement.openItems.length },
    ),
  ]);
  if (written.ok) return true;
  if (written.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`${statement.statementId} could not be written: ${written.reasons.join(', ')}`);
}

/** The statement replaced by its next version on the condition that it is still the version read, with its history entry. */
export function statementReplaceItems(before: Statement, after: Statement, by: Actor, action: string, changed: Record<string, unknown>, reason?: string): TransactItem[] {
  return [
    {
      Put: {
        TableName: tableName('statements'),
        Item: after,
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    },
    changeEntryPut(statementSubject(before.statementId), by, action, { status: before.status }, { status: after.status, ...changed }, reason),
  ];
}

const SUMMARY_FIELDS = ['statementId', 'customerId', 'customerName', 'ownerRepId', 'month', 'currency', 'opening', 'closing', 'openTotal', 'status', 'generatedAt'] as const;

/** A customer's statements (newest month first) or a month's (by customer), optionally in one status. */
export async function listStatements(by: { customerId: string } | { month: string }, page: { limit: number; cursor?: string | undefined }, status?: StatementStatus) {
  const byCustomer = 'customerId' in by;
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('statements'),
      IndexName: byCustomer ? 'byCustomer' : 'byMonth',
      KeyConditionExpression: byCustomer ? 'customerId = :k' : '#month = :k',
      ProjectionExpression: SUMMARY_FIELDS.map((f) => `#${f}`).join(', '),
      ...(status ? { FilterExpression: '#status = :s' } : {}),
      ExpressionAttributeNames: Object.fromEntries(SUMMARY_FIELDS.map((f) => [`#${f}`, f])),
      ExpressionAttributeValues: { ':k': byCustomer ? by.customerId : by.month, ...(status ? { ':s': status } : {}) },
      ScanIndexForward: !byCustomer,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []) as StatementSummary[], nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
