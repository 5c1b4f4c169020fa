/**
 * The rows of an export, page by page from DynamoDB (R-AR-3): one Query per business day of the
 * period (a key range of the by-month indexes), each paged with ExclusiveStartKey, each page
 * handed on as it arrives. While a page is being written the next one is already being read (one
 * page ahead, never more), so at most two pages of ~1 MB are held, whatever the period's size.
 * No Scan. A day per query rather than a month: the same reads in DynamoDB (a few more requests,
 * each small), and it keeps pagination shallow where the cost grows with its depth (DynamoDB
 * Local reads a key range from its start again for every page: a month of 100,000 entries in one
 * range takes six times as long).
 */
import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { fromInvoiceItem } from '../billing/invoices.js';
import { entryView } from '../billing/ledger.js';
import { creditOn, openOn } from '../billing/receivables.js';
import type { Invoice, LedgerEntry, Payment } from '../billing/schemas.js';
import { addDays, businessDayStart } from '../shared/clock.js';
import { ddb, tableName, withoutKeys } from '../shared/dynamo.js';
import { settings } from '../shared/settings.js';
import { type AgingLine, agingLine, creditAgingLine } from './rows.js';

type Item = Record<string, unknown>;

/** The business days of a period, in order. */
export function* daysOf(period: { from: string; to: string }): Generator<string> {
  for (let day = period.from; day <= period.to; day = addDays(day, 1)) yield day;
}

/**
 * Every page of each query in turn, reading the next page (or the next query's first) while the
 * caller works on this one.
 */
export async function* queryPages(queries: Iterable<QueryCommandInput>): AsyncGenerator<Item[]> {
  const inputs = queries[Symbol.iterator]();
  const send = (input: QueryCommandInput, start?: Record<string, unknown>) => ({ input, page: ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: start })) });
  const first = inputs.next();
  let pending: { input: QueryCommandInput; page: Promise<QueryCommandOutput> } | undefined = first.done ? undefined : send(first.value);
  try {
    while (pending) {
      const page: QueryCommandOutput = await pending.page;
      if (page.LastEvaluatedKey) pending = send(pending.input, page.LastEvaluatedKey);
      else {
        const next = inputs.next();
        pending = next.done ? undefined : send(next.value);
      }
      yield (page.Items ?? []) as Item[];
    }
  } finally {
    // The caller stopped early (a write failed): the page read ahead is dropped, its failure too.
    pending?.page.catch(() => undefined);
  }
}

/**
 * Ledger entries whose entry date is in the period, in time order. The index is partitioned by the
 * entry's business month and sorted by `<at>#<customer>#<seq>` (UTC), so a day's key range runs
 * from the UTC instant its business day starts to the instant the next one starts; the filter on
 * the business date is the exact rule (and costs no reads).
 */
export async function* ledgerPages(period: { from: string; to: string }): AsyncGenerator<LedgerEntry[]> {
  const queries = (function* () {
    for (const day of daysOf(period)) {
      yield {
        TableName: tableName('ledger'),
        IndexName: 'entriesByMonth',
        KeyConditionExpression: 'entryMonth = :m AND monthKey BETWEEN :start AND :end',
        FilterExpression: '#on = :day',
        ExpressionAttributeNames: { '#on': 'on' },
        ExpressionAttributeValues: { ':m': day.slice(0, 7), ':start': businessDayStart(day).toISOString(), ':end': businessDayStart(addDays(day, 1)).toISOString(), ':day': day },
      };
    }
  })();
  for await (const items of queryPages(queries)) yield items.map((e) => entryView(e as Parameters<typeof entryView>[0]));
}

/** One query per day of a by-month index whose sort key starts with the day (`<day>#<number>`). */
function dayQueries(table: 'invoices' | 'payments', partitionKey: string, sortKey: string, period: { from: string; to: string }): Generator<QueryCommandInput> {
  return (function* () {
    for (const day of daysOf(period)) {
      yield {
        TableName: tableName(table),
        IndexName: 'byMonth',
        KeyConditionExpression: '#pk = :m AND begins_with(#sk, :day)',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':m': day.slice(0, 7), ':day': `${day}#` },
      };
    }
  })();
}

/** Invoices issued in the period, by issue date and number (index byMonth: issuedMonth, issuedKey = <issuedOn>#<invoiceId>). */
export async function* invoicePages(period: { from: string; to: string }): AsyncGenerator<Invoice[]> {
  for await (const items of queryPages(dayQueries('invoices', 'issuedMonth', 'issuedKey', period))) yield items.map(fromInvoiceItem);
}

/** Payments received in the period, by receipt date and number (index byMonth: receivedMonth, receivedKey = <receivedOn>#<receipt>). */
export async function* paymentPages(period: { from: string; to: string }): AsyncGenerator<Payment[]> {
  for await (const items of queryPages(dayQueries('payments', 'receivedMonth', 'receivedKey', period))) yield items.map((p) => withoutKeys(p, ['receivedKey', 'receivedMonth']) as Payment);
}

/**
 * The aging snapshot: one line per invoice open on `asOf`, by customer and due date, and after a
 * customer's invoices its credit on the day (a line of its own, negative), also for a customer who
 * only paid ahead. It comes from the receivables' own reading (the sparse indexes of open invoices
 * and of unapplied credit), which holds them in memory: they are the company's open items
 * (thousands), not its history.
 */
export async function* agingPages(asOf: string, pageSize = 1000): AsyncGenerator<AgingLine[]> {
  const bounds = settings().agingBucketDays;
  const [open, credits] = await Promise.all([openOn(asOf), creditOn(asOf)]);
  const lines = [
    ...open.map((l) => ({ line: agingLine(l, asOf, bounds), order: `0#${l.dueDate}#${l.invoiceId}` })),
    ...credits.map((c) => ({ line: creditAgingLine(c, asOf), order: '1#' })),
  ]
    .sort((a, b) => a.line.customerId.localeCompare(b.line.customerId) || a.order.localeCompare(b.order))
    .map((x) => x.line);
  for (let i = 0; i < lines.length; i += pageSize) yield lines.slice(i, i + pageSize);
}
