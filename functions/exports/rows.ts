/**
 * The rows of each export (R-AR-3): a CSV column list and a JSON Lines object per kind, from what
 * the billing stores hold. Pure: no I/O. Money in CSV is a decimal in major units with a
 * currency column (formatMajor: exact, never a float); in JSON Lines it stays { amountMinor,
 * currency } as the API gives it.
 */
import type { CreditOn, OpenOn } from '../billing/receivables.js';
import { agingBucket, daysBetween } from '../billing/rules.js';
import type { Invoice, LedgerEntry, Payment } from '../billing/schemas.js';
import { formatMajor, type Money, money } from '../shared/money.js';
import type { Column } from './csv.js';

const text = <T>(header: string, value: (row: T) => string | undefined | null): Column<T> => ({ header, type: 'text', value });
const number = <T>(header: string, value: (row: T) => string | number | undefined | null): Column<T> => ({ header, type: 'number', value });
const amount = <T>(header: string, value: (row: T) => Money): Column<T> => number(header, (row) => formatMajor(value(row)));
/** INV-2026-000001:1200.00;INV-2026-000002:30.00 */
const allocationsText = (allocations: readonly { invoiceId: string; amount: Money }[] | undefined) =>
  (allocations ?? []).map((a) => `${a.invoiceId}:${formatMajor(a.amount)}`).join(';');

export const LEDGER_COLUMNS: Column<LedgerEntry>[] = [
  text('entry_date', (e) => e.on),
  text('recorded_at_utc', (e) => e.at),
  text('customer_id', (e) => e.customerId),
  number('entry_no', (e) => e.seq),
  text('kind', (e) => e.kind),
  amount('amount', (e) => e.amount),
  amount('balance_after', (e) => e.balanceAfter),
  text('currency', (e) => e.amount.currency),
  text('reference', (e) => e.reference),
  text('description', (e) => e.description),
  text('allocations', (e) => allocationsText(e.allocations)),
  text('recorded_by', (e) => e.by.name),
];

export const INVOICE_COLUMNS: Column<Invoice>[] = [
  text('invoice_id', (i) => i.invoiceId),
  text('issued_on', (i) => i.issuedOn),
  text('due_date', (i) => i.dueDate),
  text('customer_id', (i) => i.customerId),
  text('customer_name', (i) => i.customerName),
  text('owner_rep_id', (i) => i.ownerRepId),
  text('region', (i) => i.region),
  text('order_id', (i) => i.orderId),
  text('delivery_note_id', (i) => i.deliveryNoteId),
  number('payment_terms_days', (i) => i.paymentTermsDays),
  number('lines', (i) => i.lines.length),
  amount('net', (i) => i.net),
  amount('tax', (i) => i.tax),
  amount('gross', (i) => i.gross),
  amount('outstanding', (i) => i.outstanding),
  text('currency', (i) => i.gross.currency),
  text('status', (i) => i.status),
  text('paid_on', (i) => i.paidOn),
];

const allocated = (p: Payment) => money(p.amount.amountMinor - p.unallocated.amountMinor, p.amount.currency);

export const PAYMENT_COLUMNS: Column<Payment>[] = [
  text('receipt_number', (p) => p.receiptNumber),
  text('received_on', (p) => p.receivedOn),
  text('customer_id', (p) => p.customerId),
  text('customer_name', (p) => p.customerName),
  text('method', (p) => p.method),
  amount('amount', (p) => p.amount),
  amount('allocated', allocated),
  amount('unallocated', (p) => p.unallocated),
  text('currency', (p) => p.amount.currency),
  text('bank_reference', (p) => p.bankReference),
  text('allocations', (p) => allocationsText(p.allocations)),
  text('order_id', (p) => p.orderId),
  text('collected_by', (p) => p.collectedBy),
  text('remarks', (p) => p.remarks),
  text('recorded_at_utc', (p) => p.recordedAt),
  text('recorded_by', (p) => p.recordedBy.name),
  // Added with payment references and reversals (R-BILL-2, R-BILL-5): after the columns that were there, so readers by position keep working.
  text('receipt_reference', (p) => p.receiptReference),
  text('reversed_on', (p) => p.reversal?.on),
  text('reversal_reason', (p) => p.reversal?.reason),
];

/** The bucket of a customer's credit row in the aging snapshot: beside the age buckets, not one of them. */
export const CUSTOMER_CREDIT_BUCKET = 'customer credit';

/**
 * One line of the aging snapshot (R-AR-1): an open invoice with its bucket as of the day, or a
 * customer's credit on the day (R-BILL-3: unapplied payments and credit notes) as a negative
 * amount in a row of its own, so that a customer's lines add up to its net receivable.
 */
export interface AgingLine {
  asOf: string;
  kind: 'INVOICE' | 'CUSTOMER_CREDIT';
  invoiceId: string | null;
  customerId: string;
  customerName: string;
  ownerRepId: string;
  region: string;
  dueDate: string | null;
  daysPastDue: number | null;
  bucket: string;
  outstanding: Money;
}

export function creditAgingLine(credit: CreditOn, asOf: string): AgingLine {
  return {
    asOf,
    kind: 'CUSTOMER_CREDIT',
    invoiceId: null,
    customerId: credit.customerId,
    customerName: credit.customerName,
    ownerRepId: credit.ownerRepId,
    region: credit.region,
    dueDate: null,
    daysPastDue: null,
    bucket: CUSTOMER_CREDIT_BUCKET,
    outstanding: money(-credit.creditMinor, credit.currency),
  };
}

export function agingLine(line: OpenOn, asOf: string, bounds: readonly number[]): AgingLine {
  const daysPastDue = daysBetween(line.dueDate, asOf);
  return {
    asOf,
    kind: 'INVOICE',
    invoiceId: line.invoiceId,
    customerId: line.customerId,
    customerName: line.customerName,
    ownerRepId: line.ownerRepId,
    region: line.region,
    dueDate: line.dueDate,
    daysPastDue,
    bucket: agingBucket(daysPastDue, bounds),
    outstanding: money(line.outstandingMinor, line.currency),
  };
}

export const AGING_COLUMNS: Column<AgingLine>[] = [
  text('as_of', (l) => l.asOf),
  text('invoice_id', (l) => l.invoiceId),
  text('customer_id', (l) => l.customerId),
  text('customer_name', (l) => l.customerName),
  text('owner_rep_id', (l) => l.ownerRepId),
  text('region', (l) => l.region),
  text('due_date', (l) => l.dueDate),
  number('days_past_due', (l) => l.daysPastDue),
  text('bucket', (l) => l.bucket),
  amount('outstanding', (l) => l.outstanding),
  text('currency', (l) => l.outstanding.currency),
];
