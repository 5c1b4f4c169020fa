/** Billing and receivables rules (R-BILL-1, R-BILL-3, R-AR-1, R-AR-2). Pure: no I/O. */
import { Decimal } from 'decimal.js';
import type { Order } from '../orders/schemas.js';
import { addDays } from '../shared/clock.js';
import { lineAmount, money, taxAmount } from '../shared/money.js';
import type { InvoiceLine, LedgerEntryKind } from './schemas.js';

/** R-BILL-1: shipped quantities at the order's approved prices, VAT per product, each line rounded half-up to the fen. */
export function invoiceLines(noteLines: readonly { lineNo: number; quantity: string }[], order: Pick<Order, 'orderId' | 'lines'>): InvoiceLine[] {
  return noteLines
    .filter((l) => !new Decimal(l.quantity).isZero())
    .map((l) => {
      const line = order.lines.find((o) => o.lineNo === l.lineNo);
      if (!line?.unitPrice) throw new Error(`${order.orderId} line ${l.lineNo} has no approved price`);
      const net = lineAmount(l.quantity, line.unitPrice);
      const tax = taxAmount(net, line.taxRateBasisPoints);
      return {
        lineNo: line.lineNo,
        productCode: line.productCode,
        productName: line.productName,
        ...(line.specification ? { specification: line.specification } : {}),
        quantity: l.quantity,
        unit: line.unit,
        unitPrice: line.unitPrice,
        taxRateBasisPoints: line.taxRateBasisPoints,
        net,
        tax,
        gross: money(net.amountMinor + tax.amountMinor, net.currency),
      };
    });
}

export function invoiceTotals(lines: readonly InvoiceLine[], currency: string) {
  const sum = (f: (l: InvoiceLine) => number) => money(lines.reduce((s, l) => s + f(l), 0), currency);
  return { net: sum((l) => l.net.amountMinor), tax: sum((l) => l.tax.amountMinor), gross: sum((l) => l.gross.amountMinor) };
}

/** The due date: the invoice date plus the customer's payment terms in days. */
export const dueDateFor = (issuedOn: string, paymentTermsDays: number) => addDays(issuedOn, paymentTermsDays);

export interface OpenInvoice {
  invoiceId: string;
  outstandingMinor: number;
  dueDate: string;
}

/**
 * R-BILL-3: a payment pays the invoices it names, in that order; otherwise the open invoices oldest
 * due first (then by number). What is left over stays as customer credit.
 */
export function allocate(amountMinor: number, open: readonly OpenInvoice[], named?: readonly string[]): { allocations: { invoiceId: string; amountMinor: number }[]; leftoverMinor: number } {
  const order = named
    ? named.map((id) => open.find((i) => i.invoiceId === id)).filter((i): i is OpenInvoice => i !== undefined)
    : [...open].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceId.localeCompare(b.invoiceId));
  const allocations: { invoiceId: string; amountMinor: number }[] = [];
  let left = amountMinor;
  for (const invoice of order) {
    if (left <= 0) break;
    const take = Math.min(left, invoice.outstandingMinor);
    if (take <= 0) continue;
    allocations.push({ invoiceId: invoice.invoiceId, amountMinor: take });
    left -= take;
  }
  return { allocations, leftoverMinor: left };
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** R-AR-1: the bucket labels for upper bounds such as [30, 60, 90]: not due, 1-30, 31-60, 61-90, over 90. */
export function bucketLabels(bounds: readonly number[]): string[] {
  return ['not due', ...bounds.map((b, i) => `${i === 0 ? 1 : bounds[i - 1]! + 1}-${b}`), `over ${bounds[bounds.length - 1]}`];
}

/** The bucket of an invoice `daysPastDue` days past its due date (0 or less: not due). */
export function agingBucket(daysPastDue: number, bounds: readonly number[]): string {
  const labels = bucketLabels(bounds);
  if (daysPastDue <= 0) return labels[0]!;
  const i = bounds.findIndex((b) => daysPastDue <= b);
  return i === -1 ? labels[labels.length - 1]! : labels[i + 1]!;
}

/**
 * R-AR-2: the milestone an invoice has reached on `asOf` (days relative to its due date: −3 = due in
 * 3 days, 0 = due today, 7 = 7 days overdue …), the latest one only: a job that missed a day still
 * sends it, and older milestones are not sent late. Undefined before the first.
 */
export function milestoneReached(dueDate: string, asOf: string, milestones: readonly number[]): number | undefined {
  const past = daysBetween(dueDate, asOf);
  const reached = [...milestones].sort((a, b) => a - b).filter((m) => past >= m);
  return reached[reached.length - 1];
}

export function milestoneWords(milestone: number): string {
  if (milestone < 0) return `due in ${-milestone} day${milestone === -1 ? '' : 's'}`;
  if (milestone === 0) return 'due today';
  return `${milestone} days overdue`;
}

/** R-AR-2: to the rep and finance; above 30 days overdue also the VP sales. */
export const alertsVpAbove = 30;

/** A ledger entry as booked, as far as customer credit is concerned. */
export interface BookedEntry {
  customerId: string;
  kind: LedgerEntryKind;
  reference: string;
  amountMinor: number;
  allocations?: readonly { invoiceId: string; amountMinor: number }[];
}

/**
 * R-AR-1 with R-BILL-3: each customer's credit (unapplied payments and credit notes) on a past day,
 * on the receivables' own dates as the aging takes an invoice's outstanding from its settlements: a
 * payment is there from the day it was received, a credit note from the day it was issued, and
 * credit is used on the day of the invoice it went to. From what is unapplied now and the entries
 * booked after the day, undone:
 * - the credits unapplied now that were there by then (received on or before it);
 * - credit applied since to invoices issued since (each ALLOCATION's invoice names in its
 *   CUSTOMER_CREDIT settlements which credit paid how much), where that credit was there by then;
 * - the credit of credit notes and payments reversed since (a REVERSAL takes back what its note or
 *   payment left as credit: the amount less what it had settled), where it was there by then;
 * - payments received by then but booked later against invoices issued since: on the day, the
 *   money was in hand and the invoice did not exist.
 * A payment booked after the day was there by then if it was received by then; a credit note
 * booked after it was not; anything booked by then was there.
 */
export function creditOnDay(input: {
  asOf: string;
  unappliedNow: readonly { customerId: string; receiptNumber: string; remainingMinor: number; receivedOn: string }[];
  /** Every ledger entry booked after `asOf`, across customers. */
  bookedAfter: readonly BookedEntry[];
  /** Invoice → its CUSTOMER_CREDIT settlements, for the invoices of the ALLOCATION entries in `bookedAfter`. */
  creditApplied: ReadonlyMap<string, readonly { reference: string; amountMinor: number }[]>;
  /** Receipt number → the day it was received, for the payments booked after `asOf` that matter here. */
  receivedOn: ReadonlyMap<string, string>;
}): Map<string, number> {
  const { asOf } = input;
  const booked = (kind: BookedEntry['kind']) => new Set(input.bookedAfter.filter((e) => e.kind === kind).map((e) => e.reference));
  const [invoicesSince, paymentsSince, creditNotesSince] = [booked('INVOICE'), booked('PAYMENT'), booked('CREDIT_NOTE')];
  const receivedBy = (receipt: string) => (input.receivedOn.get(receipt) ?? '9999-12-31') <= asOf;
  const thereBy = (source: string) => (creditNotesSince.has(source) ? false : paymentsSince.has(source) ? receivedBy(source) : true);
  const credit = new Map<string, number>();
  const add = (customerId: string, minor: number) => {
    if (minor !== 0) credit.set(customerId, (credit.get(customerId) ?? 0) + minor);
  };
  for (const c of input.unappliedNow) if (c.receivedOn <= asOf) add(c.customerId, c.remainingMinor);
  const applied = new Set<string>();
  for (const e of input.bookedAfter) {
    if (e.kind === 'ALLOCATION' && !applied.has(e.reference)) {
      applied.add(e.reference);
      for (const s of input.creditApplied.get(e.reference) ?? []) if (thereBy(s.reference)) add(e.customerId, s.amountMinor);
    } else if (e.kind === 'REVERSAL' && thereBy(e.reference)) {
      const settledMinor = -(e.allocations ?? []).reduce((s, a) => s + a.amountMinor, 0);
      add(e.customerId, Math.max(0, e.amountMinor - settledMinor));
    } else if (e.kind === 'PAYMENT' && receivedBy(e.reference)) {
      for (const a of e.allocations ?? []) if (invoicesSince.has(a.invoiceId)) add(e.customerId, a.amountMinor);
    }
  }
  for (const [customerId, minor] of credit) if (minor <= 0) credit.delete(customerId);
  return credit;
}

/**
 * A payment's reference as it is compared (R-BILL-2): full-width forms folded (NFKC: an IME's
 * "ＩＣＢＣ-００４２" is "ICBC-0042", its full-width space a space), every white space removed,
 * upper-cased. "icbc 2026-0042 " and "ICBC2026-0042" are one reference.
 */
export const normaliseReference = (reference: string) => reference.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();

/** The reference that identifies a payment (unique per customer and received date): a transfer's bank reference, or cash's paper receipt number. */
export function paymentReference(p: { method: string; bankReference?: string | undefined; receiptReference?: string | undefined }): { field: 'bankReference' | 'receiptReference'; text: string } | undefined {
  if (p.method === 'BANK_TRANSFER' && p.bankReference) return { field: 'bankReference', text: p.bankReference };
  if (p.method === 'CASH' && p.receiptReference) return { field: 'receiptReference', text: p.receiptReference };
  return undefined;
}

/** Why a reversal cannot take back a customer credit any more (R-BILL-5): the same words for payments and credit notes. */
export const creditUsedRefusal = (reference: string, instead: string) => `${reference}'s customer credit has been used by an invoice since: ${instead}`;

/** What fulfilment is under way means for a prepayment: the order went on because it was paid. */
const ORDER_GONE_ON = ['CREDIT_APPROVED', 'AWAITING_STOCK', 'GOODS_RESERVED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED'];

/**
 * R-BILL-5: a recorded payment is mended by a reversal, once, and only while its effect can be
 * taken back whole: the customer credit it left is all there (no invoice used any of it). A payment
 * ahead for an order is not reversed while the order, released by it, goes on to the goods without
 * other payments covering it. The invoices it paid open again by what it paid of each, whatever
 * settled them since (their outstanding only grows back to what it would be without it).
 * Undefined when it can be reversed; otherwise why not.
 */
export function paymentReversalRefusal(
  payment: { receiptNumber: string; unallocatedMinor: number; reversal?: { on: string; by: { name: string } } | undefined },
  now: { creditRemainingMinor: number; order?: { orderId: string; status: string; grossMinor: number; coveredWithoutMinor: number } | undefined },
): string | undefined {
  if (payment.reversal) return `${payment.receiptNumber} was reversed on ${payment.reversal.on} by ${payment.reversal.by.name}: a payment is reversed once`;
  if (now.creditRemainingMinor !== payment.unallocatedMinor) {
    return creditUsedRefusal(payment.receiptNumber, 'the payment is no longer reversed as a whole; correct what remains with a credit note or an adjusting payment');
  }
  const order = now.order;
  if (order && ORDER_GONE_ON.includes(order.status) && order.coveredWithoutMinor < order.grossMinor) {
    return `${payment.receiptNumber} paid ahead for ${order.orderId}, which went on to fulfilment with it (${order.status}) and is not covered without it: record the correct payment for the order first (separatePayment if it has the same reference), or cancel the order`;
  }
  return undefined;
}
