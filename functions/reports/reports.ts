/**
 * Sales summaries on the summary days and the month-end reconciliation (R-AR-4). Each report is
 * one record, written once (its id names the day or month: a second run finds it and sends
 * nothing twice), with a notification to the people who act on it. Both read through indexes by
 * month (invoices, payments) or by status (delivery notes) and a product's movements by time: no
 * table is scanned.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Decimal } from 'decimal.js';
import { fromInvoiceItem } from '../billing/invoices.js';
import { agingReport, creditOn, openOn } from '../billing/receivables.js';
import type { Invoice, Payment } from '../billing/schemas.js';
import type { DeliveryNote, DeliveryNoteStatus } from '../delivery/schemas.js';
import { notifyOnce, toRole } from '../notifications/outbox.js';
import { productsByCode } from '../orders/store.js';
import { addDays, businessDayStart, nowIso } from '../shared/clock.js';
import { ddb, isConditionalFailure, partitionPage, queryAll, tableName, withoutKeys } from '../shared/dynamo.js';
import { formatMajor, money } from '../shared/money.js';
import { fromUnits, toUnits } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import { settings } from '../shared/settings.js';
import { type ReconciliationLine, differences, summaryPeriod } from './rules.js';

export type Report = Record<string, unknown> & { reportId: string; kind: 'SALES_SUMMARY' | 'RECONCILIATION'; generatedAt: string };

/** The months (YYYY-MM) a period touches. */
function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addDays(`${m}-28`, 5).slice(0, 7)) months.push(m);
  return months;
}

async function byMonthIndex(table: 'invoices' | 'payments', monthAttr: string, keyAttr: string, from: string, to: string) {
  const items: Record<string, unknown>[] = [];
  for (const month of monthsOf(from, to)) {
    items.push(
      ...(await queryAll({
        TableName: tableName(table),
        IndexName: 'byMonth',
        KeyConditionExpression: '#m = :m AND #k BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#m': monthAttr, '#k': keyAttr },
        ExpressionAttributeValues: { ':m': month, ':from': from, ':to': `${to}#~` },
      })),
    );
  }
  return items;
}

/** Writes the report once; false if it exists (a second run of the job). */
async function putOnce(report: Report): Promise<boolean> {
  try {
    await ddb.send(new PutCommand({ TableName: tableName('reports'), Item: report, ConditionExpression: 'attribute_not_exists(reportId)' }));
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

async function tell(report: Report, roles: readonly Role[], subject: string, body: string): Promise<void> {
  for (const role of roles) await notifyOnce({ dedupeKey: `${report.reportId}#ready`, recipient: toRole(role), topic: 'report', subject, body, link: `/reports/${report.reportId}` });
}

const sumBy = <T>(items: readonly T[], key: (t: T) => string, amount: (t: T) => number) => {
  const totals = new Map<string, { count: number; minor: number }>();
  for (const item of items) {
    const k = key(item);
    const t = totals.get(k) ?? { count: 0, minor: 0 };
    t.count += 1;
    t.minor += amount(item);
    totals.set(k, t);
  }
  return [...totals.entries()].sort((a, b) => b[1].minor - a[1].minor || a[0].localeCompare(b[0]));
};

/** R-AR-4: the sales summary on a summary day: invoiced by rep, region and product, payments received, receivables (open, customer credit, net). */
export async function salesSummary(day: string): Promise<{ report: Report; created: boolean }> {
  const reportId = `SALES-${day}`;
  const existing = await getReport(reportId);
  if (existing) return { report: existing, created: false };
  const currency = settings().currency;
  const { from, to } = summaryPeriod(day, settings().salesSummaryDays);
  const invoices = (await byMonthIndex('invoices', 'issuedMonth', 'issuedKey', from, to)).map(fromInvoiceItem);
  // A payment reversed by the period's end (R-BILL-5) was not received after all.
  const payments = ((await byMonthIndex('payments', 'receivedMonth', 'receivedKey', from, to)) as unknown as Payment[]).filter((p) => !p.reversal || p.reversal.on > to);
  const m = (minor: number) => money(minor, currency);
  const lines = invoices.flatMap((i: Invoice) => i.lines.map((l) => ({ ...l, invoiceId: i.invoiceId })));
  const byProduct = new Map<string, { productCode: string; productName: string; unit: string; quantity: Decimal; grossMinor: number }>();
  for (const l of lines) {
    const p = byProduct.get(l.productCode) ?? { productCode: l.productCode, productName: l.productName, unit: l.unit, quantity: new Decimal(0), grossMinor: 0 };
    p.quantity = p.quantity.plus(l.quantity);
    p.grossMinor += l.gross.amountMinor;
    byProduct.set(l.productCode, p);
  }
  const aging = agingReport(await openOn(to), await creditOn(to), to, 'rep');
  const report: Report = {
    reportId,
    kind: 'SALES_SUMMARY',
    day,
    period: { from, to },
    generatedAt: nowIso(),
    invoiced: {
      invoices: invoices.length,
      net: m(invoices.reduce((s, i) => s + i.net.amountMinor, 0)),
      tax: m(invoices.reduce((s, i) => s + i.tax.amountMinor, 0)),
      gross: m(invoices.reduce((s, i) => s + i.gross.amountMinor, 0)),
    },
    byRep: sumBy(invoices, (i) => i.ownerRepId, (i) => i.gross.amountMinor).map(([repId, t]) => ({ repId, invoices: t.count, gross: m(t.minor) })),
    byRegion: sumBy(invoices, (i) => i.region ?? '-', (i) => i.gross.amountMinor).map(([region, t]) => ({ region, invoices: t.count, gross: m(t.minor) })),
    byProduct: [...byProduct.values()].sort((a, b) => b.grossMinor - a.grossMinor).map((p) => ({ productCode: p.productCode, productName: p.productName, unit: p.unit, quantity: p.quantity.toString(), gross: m(p.grossMinor) })),
    payments: { count: payments.length, amount: m(payments.reduce((s, p) => s + p.amount.amountMinor, 0)) },
    // Open invoices by bucket, the customer credit beside them (paid ahead, credit notes left as credit) and net = open − credit.
    receivables: { asOf: to, total: aging.total, buckets: aging.totals, customerCredit: aging.customerCredit, net: aging.net },
  };
  const created = await putOnce(report);
  const gross = report.invoiced as { gross: { amountMinor: number } };
  await tell(
    report,
    ['sales_manager', 'sales_vp', 'general_manager', 'finance_manager'],
    `Sales summary ${from} – ${to}`,
    `${invoices.length} invoices, ${formatMajor(m(gross.gross.amountMinor))} ${currency} gross; ${payments.length} payments, ${formatMajor((report.payments as { amount: { amountMinor: number; currency: string } }).amount)} ${currency} received; receivables open on ${to}: ${formatMajor(aging.total)} ${currency}, less ${formatMajor(aging.customerCredit)} ${currency} customer credit: ${formatMajor(aging.net)} ${currency} net.`,
  );
  return { report: created ? report : ((await getReport(reportId)) ?? report), created };
}

/** Notes whose goods left (the statuses after goods issue). */
const SHIPPED: readonly DeliveryNoteStatus[] = ['GOODS_ISSUED', 'DISPATCHED', 'DELIVERED'];

/**
 * R-AR-4, month end: every delivery note line shipped in the month (a note's goods leave on the day
 * it is issued) against the warehouse's issue movements for it and its invoice; each difference
 * listed, for sales, finance and the warehouse.
 */
export async function reconcileMonth(month: string): Promise<{ report: Report; created: boolean }> {
  const reportId = `RECON-${month}`;
  const existing = await getReport(reportId);
  if (existing) return { report: existing, created: false };
  const first = `${month}-01`;
  const next = addDays(`${month}-28`, 5).slice(0, 7) + '-01';
  // createdKey starts with the UTC timestamp: read a day either side, keep the notes issued in the month.
  const fromKey = businessDayStart(addDays(first, -1)).toISOString();
  const toKey = businessDayStart(addDays(next, 1)).toISOString();
  const notes: DeliveryNote[] = [];
  for (const status of SHIPPED) {
    const items = await queryAll({
      TableName: tableName('deliveryNotes'),
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s AND createdKey BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ':from': fromKey, ':to': toKey },
    });
    notes.push(...items.map((i) => withoutKeys(i, ['createdKey']) as DeliveryNote).filter((n) => n.issuedOn >= first && n.issuedOn < next));
  }
  const products = await productsByCode(notes.flatMap((n) => n.lines.map((l) => l.productCode)));
  // The warehouse's issue movements of the month per note and product (each product's movements by time).
  const issued = new Map<string, number>();
  for (const productCode of products.keys()) {
    const moves = await queryAll({
      TableName: tableName('stock'),
      KeyConditionExpression: 'productCode = :p AND itemKey BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': productCode, ':from': `MOVE#${fromKey}`, ':to': `MOVE#${toKey}~` },
    });
    for (const mv of moves) {
      if (mv.kind !== 'ISSUE' || !String(mv.reference).startsWith('DN-')) continue;
      const key = `${String(mv.reference)}#${productCode}`;
      issued.set(key, (issued.get(key) ?? 0) + Number(mv.units));
    }
  }
  const invoices = new Map<string, Invoice>();
  for (const note of notes) {
    if (!note.invoiceId) continue;
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('invoices'), Key: { invoiceId: note.invoiceId } }));
    if (Item) invoices.set(note.invoiceId, fromInvoiceItem(Item));
  }
  const lines: ReconciliationLine[] = notes.flatMap((note) => {
    const invoice = note.invoiceId ? invoices.get(note.invoiceId) : undefined;
    // Movements name the note, not its line: a product on two lines of a note gets what left filled line by line, the rest on its last line.
    const left = new Map<string, number>();
    return note.lines.map((l) => {
      const product = products.get(l.productCode)!;
      const key = `${note.deliveryNoteId}#${l.productCode}`;
      if (!left.has(key)) left.set(key, issued.get(key) ?? 0);
      const lastOfProduct = note.lines.filter((x) => x.productCode === l.productCode).at(-1)!.lineNo === l.lineNo;
      const shippedUnits = toUnits(l.quantity, product.quantityScale);
      const take = lastOfProduct ? left.get(key)! : Math.min(shippedUnits, left.get(key)!);
      left.set(key, left.get(key)! - take);
      return {
        deliveryNoteId: note.deliveryNoteId,
        orderId: note.orderId,
        lineNo: l.lineNo,
        productCode: l.productCode,
        unit: l.unit,
        shipped: l.quantity,
        issued: fromUnits(take, product.quantityScale),
        invoiced: invoice?.lines.find((il) => il.lineNo === l.lineNo)?.quantity ?? '0',
        ...(invoice ? { invoiceId: invoice.invoiceId } : {}),
      };
    });
  });
  const found = differences(lines);
  const report: Report = {
    reportId,
    kind: 'RECONCILIATION',
    month,
    generatedAt: nowIso(),
    deliveryNotes: notes.length,
    lines: lines.length,
    invoiced: lines.filter((l) => l.invoiceId).length,
    differences: found,
  };
  const created = await putOnce(report);
  await tell(
    report,
    ['finance', 'warehouse', 'sales_manager'],
    `Reconciliation ${month}: ${found.length === 0 ? 'no difference' : `${found.length} difference${found.length === 1 ? '' : 's'}`}`,
    `${notes.length} delivery notes shipped in ${month} (${lines.length} lines) against the warehouse's issues and the invoices: ${found.length === 0 ? 'everything agrees' : found.map((d) => `${d.deliveryNoteId}/${d.lineNo} ${d.productCode}: ${d.detail}`).join('; ')}.`,
  );
  return { report: created ? report : ((await getReport(reportId)) ?? report), created };
}

export async function getReport(reportId: string): Promise<Report | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('reports'), Key: { reportId }, ConsistentRead: true }));
  return Item as Report | undefined;
}

export async function listReports(kind: Report['kind'], page: { limit: number; cursor?: string | undefined }) {
  return partitionPage({ table: 'reports', index: 'byKind', partition: ['kind', kind], page, newestFirst: true, map: (item: Record<string, unknown>) => item as Report });
}
