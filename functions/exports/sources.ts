/**
 * The rows of an export, page by page from DynamoDB (R-AR-3): Query with ExclusiveStartKey on the
 * by-month indexes, one month partition after the other, each page handed on as it arrives.
 * While a page is being written the next one is already being read (one page ahead, never more),
 * so at most two pages of ~1 MB are held, whatever the period's size. No Scan.
 */
import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { fromInvoiceItem } from '../billing/invoices.js';
import { entryView } from '../billing/ledger.js';
import { openOn } from '../billing/receivables.js';
import type { Invoice, LedgerEntry, Payment } from '../billing/schemas.js';
import { addDays, businessDayStart } from '../shared/clock.js';
import { ddb, tableName, withoutKeys } from '../shared/dynamo.js';
import { settings } from '../shared/settings.js';
import { monthsOf } from './plan.js';
import { type AgingLine, agingLine } from './rows.js';

type Item = Record<string, unknown>;

/** Every page of a query, reading the next page while the caller works on this one. */
export async function* queryPages(input: QueryCommandInput): AsyncGenerator<Item[]> {
  let next: Promise<QueryCommandOutput> | undefined = ddb.send(new QueryCommand(input));
  try {
    while (next) {
      const page: QueryCommandOutput = await next;
      next = page.LastEvaluatedKey ? ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: page.LastEvaluatedKey })) : undefined;
      yield (page.Items ?? []) as Item[];
    }
  } finally {
    // The caller stopped early (a write failed): the page read ahead is dropped, its failure too.
    next?.catch(() => undefined);
  }
}

/**
 * Ledger entries whose entry date is in the period, in time order. The index is partitioned by the
 * entry's business month and sorted by `<at>#<customer>#<seq>` (UTC), so the key condition takes
 * the UTC instants at which the period's first and next-after-last business days start; the filter
 * on the business date is the exact rule (and costs no reads).
 */
export async function* ledgerPages(period: { from: string; to: string }): AsyncGenerator<LedgerEntry[]> {
  const start = businessDayStart(period.from).toISOString();
  const end = businessDayStart(addDays(period.to, 1)).toISOString();
  for (const month of monthsOf(period.from, period.to)) {
    const pages = queryPages({
      TableName: tableName('ledger'),
      IndexName: 'entriesByMonth',
      KeyConditionExpression: 'entryMonth = :m AND monthKey BETWEEN :start AND :end',
      FilterExpression: '#on BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#on': 'on' },
      ExpressionAttributeValues: { ':m': month, ':start': start, ':end': end, ':from': period.from, ':to': period.to },
    });
    for await (const items of pages) yield items.map((e) => entryView(e as Parameters<typeof entryView>[0]));
  }
}

/** Invoices issued in the period, by issue date and number (index byMonth: issuedMonth, issuedKey = <issuedOn>#<invoiceId>). */
export async function* invoicePages(period: { from: string; to: string }): AsyncGenerator<Invoice[]> {
  for (const month of monthsOf(period.from, period.to)) {
    const pages = queryPages({
      TableName: tableName('invoices'),
      IndexName: 'byMonth',
      KeyConditionExpression: 'issuedMonth = :m AND issuedKey BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':m': month, ':from': period.from, ':to': `${period.to}#\uffff` },
    });
    for await (const items of pages) yield items.map(fromInvoiceItem);
  }
}

/** Payments received in the period, by receipt date and number (index byMonth: receivedMonth, receivedKey = <receivedOn>#<receipt>). */
export async function* paymentPages(period: { from: string; to: string }): AsyncGenerator<Payment[]> {
  for (const month of monthsOf(period.from, period.to)) {
    const pages = queryPages({
      TableName: tableName('payments'),
      IndexName: 'byMonth',
      KeyConditionExpression: 'receivedMonth = :m AND receivedKey BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':m': month, ':from': period.from, ':to': `${period.to}#\uffff` },
    });
    for await (const items of pages) yield items.map((p) => withoutKeys(p, ['receivedKey', 'receivedMonth']) as Payment);
  }
}

/**
 * The aging snapshot: one line per invoice open on `asOf`, by customer and due date. It comes from
 * the receivables' own reading (the sparse index of open invoices), which holds the open invoices
 * in memory: they are the company's open items (thousands), not its history.
 */
export async function* agingPages(asOf: string, pageSize = 1000): AsyncGenerator<AgingLine[]> {
  const bounds = settings().agingBucketDays;
  const lines = (await openOn(asOf))
    .sort((a, b) => a.customerId.localeCompare(b.customerId) || a.dueDate.localeCompare(b.dueDate) || a.invoiceId.localeCompare(b.invoiceId))
    .map((l) => agingLine(l, asOf, bounds));
  for (let i = 0; i < lines.length; i += pageSize) yield lines.slice(i, i + pageSize);
}
