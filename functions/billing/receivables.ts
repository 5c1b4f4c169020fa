/**
 * Receivables: aging by customer, rep or region as of a date (R-AR-1), and the daily alerts at each
 * milestone of an open invoice, sent once per invoice and milestone (R-AR-2). Both read the open
 * invoices through the sparse due-date index of the credit account: paid invoices are not in it,
 * so the work grows with what is open, not with every invoice ever issued.
 */
import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type OpenItem, openInvoicesDueBefore } from '../credit/account.js';
import { notifyOnce, toRole, toUser } from '../notifications/outbox.js';
import { addDays, businessDate } from '../shared/clock.js';
import { ddb, tableName } from '../shared/dynamo.js';
import { formatMajor, money } from '../shared/money.js';
import { settings } from '../shared/settings.js';
import { fromInvoiceItem } from './invoices.js';
import { agingBucket, alertsVpAbove, bucketLabels, daysBetween, milestoneReached, milestoneWords } from './rules.js';
import type { AgingReport, Invoice } from './schemas.js';

type OpenInvoiceItem = OpenItem & { dueDate: string };

/** What was open on `asOf`: one line per invoice with its outstanding amount on that day. */
export interface OpenOn {
  invoiceId: string;
  customerId: string;
  customerName: string;
  ownerRepId: string;
  region: string;
  dueDate: string;
  outstandingMinor: number;
  currency: string;
}

/** Outstanding on a past day: the gross less what was settled on or before it. */
const outstandingOn = (invoice: Invoice, day: string) => invoice.gross.amountMinor - invoice.settlements.filter((s) => s.on <= day).reduce((sum, s) => sum + s.amount.amountMinor, 0);

async function invoicesByIds(ids: readonly string[]): Promise<Invoice[]> {
  const found: Invoice[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((invoiceId) => ({ invoiceId }));
    while (keys && keys.length > 0) {
      const result: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName('invoices')]: { Keys: keys } } }));
      for (const item of result.Responses?.[tableName('invoices')] ?? []) found.push(fromInvoiceItem(item));
      keys = result.UnprocessedKeys?.[tableName('invoices')]?.Keys;
    }
  }
  return found;
}

/** Invoices paid in full after `day` (sparse index of paid invoices by the day they were paid). */
async function paidAfter(day: string): Promise<Invoice[]> {
  const found: Invoice[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: tableName('invoices'),
        IndexName: 'paidByDate',
        KeyConditionExpression: 'paidKey = :k AND paidOn > :d',
        ExpressionAttributeValues: { ':k': 'PAID', ':d': day },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) found.push(fromInvoiceItem(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/**
 * The invoices open on `asOf`. Today or later: the open items as they are. A past day: the open
 * items issued by then (with what was outstanding that day) and the invoices paid since.
 */
export async function openOn(asOf: string): Promise<OpenOn[]> {
  const open = (await openInvoicesDueBefore('9999-12-31')) as OpenInvoiceItem[];
  const line = (i: { invoiceId: string; customerId: string; customerName?: string; ownerRepId?: string; region?: string; dueDate: string; currency: string }, outstandingMinor: number): OpenOn => ({
    invoiceId: i.invoiceId,
    customerId: i.customerId,
    customerName: i.customerName ?? i.customerId,
    ownerRepId: i.ownerRepId ?? '-',
    region: i.region ?? '-',
    dueDate: i.dueDate,
    outstandingMinor,
    currency: i.currency,
  });
  if (asOf >= businessDate()) return open.map((o) => line({ ...o, invoiceId: o.reference }, o.amountMinor));
  const records = await invoicesByIds(open.filter((o) => (o.issuedOn ?? o.openedAt.slice(0, 10)) <= asOf).map((o) => o.reference));
  const then = [...records, ...(await paidAfter(asOf))].filter((i) => i.issuedOn <= asOf);
  return then
    .map((i) => line({ ...i, currency: i.gross.currency }, outstandingOn(i, asOf)))
    .filter((l) => l.outstandingMinor > 0);
}

/** R-AR-1: the open invoices of `asOf` by bucket of days past due, per customer, rep or region. */
export function agingReport(lines: readonly OpenOn[], asOf: string, groupBy: AgingReport['groupBy'], bounds = settings().agingBucketDays, currency = settings().currency): AgingReport {
  const labels = bucketLabels(bounds);
  const empty = () => new Map(labels.map((l) => [l, { minor: 0, invoices: 0 }]));
  const groups = new Map<string, { name: string; buckets: ReturnType<typeof empty> }>();
  const totals = empty();
  for (const l of lines) {
    const key = groupBy === 'customer' ? l.customerId : groupBy === 'rep' ? l.ownerRepId : l.region;
    const name = groupBy === 'customer' ? l.customerName : key;
    const group = groups.get(key) ?? { name, buckets: empty() };
    groups.set(key, group);
    const bucket = agingBucket(daysBetween(l.dueDate, asOf), bounds);
    for (const into of [group.buckets.get(bucket)!, totals.get(bucket)!]) {
      into.minor += l.outstandingMinor;
      into.invoices += 1;
    }
  }
  const view = (buckets: ReturnType<typeof empty>) => labels.map((bucket) => ({ bucket, amount: money(buckets.get(bucket)!.minor, currency), invoices: buckets.get(bucket)!.invoices }));
  const sum = (buckets: ReturnType<typeof empty>) => money([...buckets.values()].reduce((s, b) => s + b.minor, 0), currency);
  return {
    asOf,
    groupBy,
    buckets: labels,
    total: sum(totals),
    totals: view(totals),
    groups: [...groups.entries()]
      .map(([key, g]) => ({ key, name: g.name, total: sum(g.buckets), buckets: view(g.buckets) }))
      .sort((a, b) => b.total.amountMinor - a.total.amountMinor || a.key.localeCompare(b.key)),
  };
}

/**
 * R-AR-2, the daily job: each open invoice at a milestone (due in 3 days, due today, 7, 30, 60, 90
 * days overdue: setting) is announced to its rep and finance, and above 30 days also the VP sales.
 * Each notification's id comes from the invoice, the milestone and the recipient, written only if
 * absent: a second run the same day (or a retry) sends nothing twice.
 */
export async function sendReceivableAlerts(asOf: string): Promise<{ asOf: string; openInvoices: number; alertsSent: number }> {
  const milestones = settings().receivableAlertDays;
  const earliest = Math.min(...milestones);
  // Due on or before asOf + 3 days (the first milestone before due): only those can be at a milestone.
  const open = (await openInvoicesDueBefore(addDays(asOf, -earliest + 1))) as OpenInvoiceItem[];
  let alerts = 0;
  for (const invoice of open) {
    const milestone = milestoneReached(invoice.dueDate, asOf, milestones);
    if (milestone === undefined) continue;
    const words = milestoneWords(milestone);
    const amount = `${formatMajor(money(invoice.amountMinor, invoice.currency))} ${invoice.currency}`;
    const recipients = [toUser(invoice.ownerRepId ?? 'unknown'), toRole('finance'), ...(milestone > alertsVpAbove ? [toRole('sales_vp')] : [])];
    for (const recipient of recipients) {
      const sent = await notifyOnce({
        dedupeKey: `${invoice.reference}#receivable-${milestone}`,
        recipient,
        topic: 'receivable-alert',
        subject: `Invoice ${invoice.reference} ${words}: ${invoice.customerName ?? invoice.customerId}, ${amount} open`,
        body: `${invoice.reference} of ${invoice.customerName ?? invoice.customerId} (${invoice.customerId}), due ${invoice.dueDate}, is ${words} with ${amount} still open (as of ${asOf}).`,
        link: `/invoices/${invoice.reference}`,
      });
      if (sent) alerts++;
    }
  }
  return { asOf, openInvoices: open.length, alertsSent: alerts };
}
