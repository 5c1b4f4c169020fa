/**
 * Receivables: aging by customer, rep or region as of a date (R-AR-1), with each customer's credit
 * beside it (R-BILL-3), and the daily alerts at each milestone of an open invoice, sent once per
 * invoice and milestone (R-AR-2). Both read the open invoices through the sparse due-date index of
 * the credit account: paid invoices are not in it, so the work grows with what is open, not with
 * every invoice ever issued. The customer credit comes the same way from the ledger's sparse index
 * of unapplied credits (CREDIT# items), so a customer who only paid ahead is in the aging too.
 */
import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type OpenItem, openInvoicesDueBefore } from '../credit/account.js';
import { notifyOnce, toRole, toUser } from '../notifications/outbox.js';
import { addDays, addMonths, businessDate, businessDayStart } from '../shared/clock.js';
import { ddb, queryAll, tableName } from '../shared/dynamo.js';
import type { TableId } from '../shared/definitions.js';
import { formatMajor, money } from '../shared/money.js';
import { settings } from '../shared/settings.js';
import { fromInvoiceItem } from './invoices.js';
import { type CustomerCredit, UNAPPLIED } from './ledger.js';
import { type BookedEntry, agingBucket, alertsVpAbove, bucketLabels, creditOnDay, daysBetween, milestoneReached, milestoneWords } from './rules.js';
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

/** Items by key (batches of 100, unprocessed keys asked again), optionally only some attributes. */
async function itemsByKeys(table: TableId, keyName: string, ids: readonly string[], attributes?: readonly string[]): Promise<Record<string, unknown>[]> {
  const name = tableName(table);
  const projection = attributes ? { ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])) } : {};
  const unique = [...new Set(ids)];
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((id) => ({ [keyName]: id }));
    while (keys && keys.length > 0) {
      const result: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [name]: { Keys: keys, ...projection } } }));
      found.push(...(result.Responses?.[name] ?? []));
      keys = result.UnprocessedKeys?.[name]?.Keys;
    }
  }
  return found;
}

const invoicesByIds = async (ids: readonly string[]): Promise<Invoice[]> => (await itemsByKeys('invoices', 'invoiceId', ids)).map(fromInvoiceItem);

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

/** A customer's credit on `asOf` (R-BILL-3): unapplied payments and credit notes left as credit, with who and where for the grouping. */
export interface CreditOn {
  customerId: string;
  customerName: string;
  ownerRepId: string;
  region: string;
  creditMinor: number;
  currency: string;
}

/** The unapplied credits now (the sparse index), received or issued on or before `receivedBy` if given. */
async function unappliedCredits(receivedBy?: string): Promise<CustomerCredit[]> {
  const items = await queryAll({
    TableName: tableName('ledger'),
    IndexName: 'unappliedCredits',
    KeyConditionExpression: receivedBy ? 'unappliedKey = :k AND receivedOn <= :d' : 'unappliedKey = :k',
    ExpressionAttributeValues: { ':k': UNAPPLIED, ...(receivedBy ? { ':d': receivedBy } : {}) },
  });
  return items as unknown as CustomerCredit[];
}

/**
 * Every ledger entry booked after `day`, across customers (the entriesByMonth index, from the
 * month after the day begins to this one; the business date is the exact rule), with only what
 * customer credit needs.
 */
async function entriesBookedAfter(day: string): Promise<BookedEntry[]> {
  const first = addDays(day, 1);
  const thisMonth = businessDate().slice(0, 7);
  const entries: BookedEntry[] = [];
  for (let month = first.slice(0, 7); month <= thisMonth; month = addMonths(`${month}-01`, 1).slice(0, 7)) {
    const items = await queryAll({
      TableName: tableName('ledger'),
      IndexName: 'entriesByMonth',
      KeyConditionExpression: month === first.slice(0, 7) ? 'entryMonth = :m AND monthKey >= :start' : 'entryMonth = :m',
      FilterExpression: '#on > :day',
      ProjectionExpression: 'customerId, #kind, #reference, amountMinor, allocations',
      ExpressionAttributeNames: { '#on': 'on', '#kind': 'kind', '#reference': 'reference' },
      ExpressionAttributeValues: { ':m': month, ':day': day, ...(month === first.slice(0, 7) ? { ':start': businessDayStart(first).toISOString() } : {}) },
    });
    entries.push(...(items as unknown as BookedEntry[]));
  }
  return entries;
}

/**
 * Each customer's credit on `asOf`, with its name, rep and region as the customer record has them
 * now. Today or later: the unapplied credits as they are. A past day: those there by then and what
 * the entries booked since took from them (creditOnDay), so the credit is read on the same dates as
 * the invoices' outstanding. Only customers with credit: the aging has a row for each.
 */
export async function creditOn(asOf: string): Promise<CreditOn[]> {
  const perCustomer = new Map<string, number>();
  if (asOf >= businessDate()) {
    for (const c of await unappliedCredits()) perCustomer.set(c.customerId, (perCustomer.get(c.customerId) ?? 0) + c.remainingMinor);
  } else {
    const [unappliedNow, bookedAfter] = await Promise.all([unappliedCredits(asOf), entriesBookedAfter(asOf)]);
    const allocated = [...new Set(bookedAfter.filter((e) => e.kind === 'ALLOCATION').map((e) => e.reference))];
    const applied = new Map(
      (await itemsByKeys('invoices', 'invoiceId', allocated, ['invoiceId', 'settlements'])).map((i) => [
        String(i.invoiceId),
        (i.settlements as Invoice['settlements']).filter((x) => x.kind === 'CUSTOMER_CREDIT').map((x) => ({ reference: x.reference, amountMinor: x.amount.amountMinor })),
      ]),
    );
    // The receipt dates that matter: payments booked since that paid invoices issued since, or whose credit went to one, or that were reversed since.
    const invoicesSince = new Set(bookedAfter.filter((e) => e.kind === 'INVOICE').map((e) => e.reference));
    const paymentsSince = new Set(bookedAfter.filter((e) => e.kind === 'PAYMENT').map((e) => e.reference));
    const receipts = [
      ...bookedAfter.filter((e) => e.kind === 'PAYMENT' && (e.allocations ?? []).some((a) => invoicesSince.has(a.invoiceId))).map((e) => e.reference),
      ...bookedAfter.filter((e) => e.kind === 'REVERSAL' && paymentsSince.has(e.reference)).map((e) => e.reference),
      ...[...applied.values()].flat().map((x) => x.reference).filter((r) => paymentsSince.has(r)),
    ];
    const receivedOn = new Map((await itemsByKeys('payments', 'receiptNumber', receipts, ['receiptNumber', 'receivedOn'])).map((p) => [String(p.receiptNumber), String(p.receivedOn)]));
    for (const [customerId, minor] of creditOnDay({ asOf, unappliedNow, bookedAfter, creditApplied: applied, receivedOn })) perCustomer.set(customerId, minor);
  }
  const withCredit = [...perCustomer].filter(([, minor]) => minor > 0);
  const customers = new Map(
    (await itemsByKeys('customers', 'customerId', withCredit.map(([id]) => id), ['customerId', 'name', 'ownerRepId', 'region'])).map((c) => [String(c.customerId), c]),
  );
  const currency = settings().currency;
  return withCredit.map(([customerId, creditMinor]) => {
    const c = customers.get(customerId);
    return { customerId, customerName: String(c?.name ?? customerId), ownerRepId: String(c?.ownerRepId ?? '-'), region: String(c?.region ?? '-'), creditMinor, currency };
  });
}

/**
 * R-AR-1: the open invoices of `asOf` by bucket of days past due, per customer, rep or region, with
 * the customer credit of the day beside them (R-BILL-3: not a bucket), and net = open − credit.
 * Every group with an open invoice or credit is a row; the totals are the rows' sums.
 */
export function agingReport(
  lines: readonly OpenOn[],
  credits: readonly CreditOn[],
  asOf: string,
  groupBy: AgingReport['groupBy'],
  bounds = settings().agingBucketDays,
  currency = settings().currency,
): AgingReport {
  const labels = bucketLabels(bounds);
  const empty = () => new Map(labels.map((l) => [l, { minor: 0, invoices: 0 }]));
  const groups = new Map<string, { name: string; buckets: ReturnType<typeof empty>; creditMinor: number }>();
  const totals = empty();
  let creditMinor = 0;
  const groupOf = (l: Pick<OpenOn, 'customerId' | 'customerName' | 'ownerRepId' | 'region'>) => {
    const key = groupBy === 'customer' ? l.customerId : groupBy === 'rep' ? l.ownerRepId : l.region;
    const group = groups.get(key) ?? { name: groupBy === 'customer' ? l.customerName : key, buckets: empty(), creditMinor: 0 };
    groups.set(key, group);
    return group;
  };
  for (const l of lines) {
    const group = groupOf(l);
    const bucket = agingBucket(daysBetween(l.dueDate, asOf), bounds);
    for (const into of [group.buckets.get(bucket)!, totals.get(bucket)!]) {
      into.minor += l.outstandingMinor;
      into.invoices += 1;
    }
  }
  for (const c of credits) {
    groupOf(c).creditMinor += c.creditMinor;
    creditMinor += c.creditMinor;
  }
  const view = (buckets: ReturnType<typeof empty>) => labels.map((bucket) => ({ bucket, amount: money(buckets.get(bucket)!.minor, currency), invoices: buckets.get(bucket)!.invoices }));
  const sum = (buckets: ReturnType<typeof empty>) => [...buckets.values()].reduce((s, b) => s + b.minor, 0);
  const totalMinor = sum(totals);
  return {
    asOf,
    groupBy,
    buckets: labels,
    total: money(totalMinor, currency),
    customerCredit: money(creditMinor, currency),
    net: money(totalMinor - creditMinor, currency),
    totals: view(totals),
    groups: [...groups.entries()]
      .map(([key, g]) => ({ key, name: g.name, total: money(sum(g.buckets), currency), buckets: view(g.buckets), customerCredit: money(g.creditMinor, currency), net: money(sum(g.buckets) - g.creditMinor, currency) }))
      .sort((a, b) => b.total.amountMinor - a.total.amountMinor || b.customerCredit.amountMinor - a.customerCredit.amountMinor || a.key.localeCompare(b.key)),
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
