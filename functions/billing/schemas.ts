/** Invoices, payments and the receivables ledger (R-BILL-1..3, R-BILL-5, R-AR-1, R-AR-2). */
import * as z from 'zod';
import { Money, moneyInput } from '../shared/money.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
export const InvoiceNumber = z.string().regex(/^INV-\d{4}-\d{6,}$/, 'an invoice number such as INV-2026-000001');
export const ReceiptNumber = z.string().regex(/^RC-\d{4}-\d{6,}$/, 'a receipt number such as RC-2026-000001');
const CustomerNumber = z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001');

export const InvoiceLine = z
  .object({
    lineNo: z.int().meta({ description: 'the order line' }),
    productCode: z.string(),
    productName: z.string(),
    specification: z.string().optional(),
    quantity: z.string().meta({ description: 'shipped on the delivery note' }),
    unit: z.string(),
    unitPrice: Money.meta({ description: "the order's approved price" }),
    taxRateBasisPoints: z.int(),
    net: Money,
    tax: Money,
    gross: Money,
  })
  .meta({ id: 'InvoiceLine' });
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export const Settlement = z
  .object({
    kind: z.enum(['PAYMENT', 'CUSTOMER_CREDIT', 'CREDIT_NOTE']),
    reference: z.string().meta({ description: 'receipt or credit note number' }),
    amount: Money,
    on: IsoDate,
  })
  .meta({ id: 'Settlement' });

export const InvoiceStatus = z.enum(['OPEN', 'PAID']);

export const Invoice = z
  .object({
    invoiceId: z.string().meta({ description: 'INV-YYYY-NNNNNN' }),
    customerId: z.string(),
    customerName: z.string(),
    ownerRepId: z.string(),
    region: z.string().optional(),
    orderId: z.string(),
    deliveryNoteId: z.string().meta({ description: 'one invoice per delivery note, never two (R-BILL-1)' }),
    issuedOn: IsoDate,
    dueDate: IsoDate.meta({ description: "issue date + the customer's payment terms" }),
    paymentTermsDays: z.int(),
    lines: z.array(InvoiceLine),
    net: Money,
    tax: Money,
    gross: Money,
    outstanding: Money,
    status: InvoiceStatus,
    settlements: z.array(Settlement),
    paidOn: IsoDate.optional(),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'Invoice' });
export type Invoice = z.infer<typeof Invoice>;

export const PaymentMethod = z.enum(['BANK_TRANSFER', 'CASH']);

export const RecordPayment = z
  .object({
    customerId: CustomerNumber,
    method: PaymentMethod.meta({ description: 'a bank transfer once the bank confirmed it; cash at pickup or at the cashier (R-BILL-2)' }),
    amount: moneyInput({ min: 1, minMessage: 'a payment is more than zero' }),
    receivedOn: IsoDate,
    bankReference: text(100).optional().meta({
      description:
        "the bank's reference of the transfer; required for a bank transfer. Unique per customer and received date (compared trimmed, upper-cased, without white space): a second payment with it is refused with 409 (/problems/duplicate-reference) naming the receipt already recorded with it, unless separatePayment",
    }),
    receiptReference: text(100).optional().meta({
      description:
        "cash only: the number on the company's paper receipt (收据号) handed to the payer. Unique per customer and received date as the bank reference is: a second cash payment with it is refused with 409 unless separatePayment",
    }),
    separatePayment: z.boolean().optional().meta({
      description:
        'finance states that this is another payment that has the same reference as one recorded already (e.g. two transfers the bank gave one reference): it is recorded although the reference is taken. Needed only after a 409 duplicate-reference',
    }),
    invoices: z.array(InvoiceNumber).max(40).optional().meta({ description: 'pay these invoices, in this order; otherwise the oldest due first (R-BILL-3)' }),
    orderId: z.string().regex(/^SO-\d{4}-\d{6,}$/, 'an order number such as SO-2026-000001').optional().meta({
      description: "paid ahead for this order (prepayment, cash at pickup): kept as customer credit for the order's own invoices, not allocated to older ones",
    }),
    collectedBy: z.string().trim().min(1).max(100).optional().meta({ description: "the user id of the sales rep who collected the cash; only with the sales manager's permission for the customer (R-BILL-2)" }),
    remarks: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((p) => p.method !== 'BANK_TRANSFER' || p.bankReference !== undefined, { message: 'a bank transfer needs the bank reference', path: ['bankReference'] })
  .refine((p) => p.method === 'CASH' || p.receiptReference === undefined, { message: "a paper receipt's number is for cash: a bank transfer is known by its bank reference", path: ['receiptReference'] })
  .refine((p) => !(p.orderId && p.invoices), { message: 'a payment ahead for an order names no invoices', path: ['invoices'] })
  .meta({ id: 'RecordPayment' });
export type RecordPayment = z.infer<typeof RecordPayment>;

export const Allocation = z.object({ invoiceId: z.string(), amount: Money }).meta({ id: 'Allocation' });
export type Allocation = z.infer<typeof Allocation>;

export const Payment = z
  .object({
    receiptNumber: z.string().meta({ description: 'RC-YYYY-NNNNNN, given when the payment is recorded' }),
    customerId: z.string(),
    customerName: z.string(),
    method: PaymentMethod,
    amount: Money,
    receivedOn: IsoDate,
    bankReference: z.string().optional(),
    receiptReference: z.string().optional().meta({ description: "cash: the number on the company's paper receipt (收据号)" }),
    sameReferenceAs: z.string().optional().meta({
      description: 'recorded with separatePayment: its reference is also that of this payment, recorded before it (which holds the reference)',
    }),
    collectedBy: z.string().optional(),
    remarks: z.string().optional(),
    orderId: z.string().optional().meta({ description: 'paid ahead for this order' }),
    allocations: z.array(Allocation).meta({ description: 'the invoices it paid, and how much of each' }),
    unallocated: Money.meta({ description: 'left over: customer credit, used by later invoices first' }),
    recordedAt: IsoTimestamp,
    recordedBy: Actor,
    reversal: z.object({ on: IsoDate, at: IsoTimestamp, by: Actor, reason: z.string() }).optional().meta({
      description: 'reversed by a REVERSAL entry in the ledger (R-BILL-5: never edited): the invoices it paid are open again, its customer credit is gone, its reference is free',
    }),
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;

export const ReversePayment = z
  .object({ reason: text(1000).meta({ description: 'the mistake: what was wrong with it (wrong customer, amount keyed wrong, recorded twice …)' }) })
  .strict()
  .meta({ id: 'ReversePayment' });
export type ReversePayment = z.infer<typeof ReversePayment>;

export const LedgerEntryKind = z.enum(['INVOICE', 'PAYMENT', 'CREDIT_NOTE', 'ALLOCATION', 'REVERSAL']);
export type LedgerEntryKind = z.infer<typeof LedgerEntryKind>;

export const LedgerEntry = z
  .object({
    customerId: z.string(),
    seq: z.int().meta({ description: "the entry's number in the customer's ledger: 1, 2, 3, … without gaps" }),
    kind: LedgerEntryKind,
    amount: Money.meta({ description: 'what the customer owes goes up (+) or down (−); an allocation moves credit to an invoice and is 0' }),
    balanceAfter: Money,
    reference: z.string().meta({ description: 'invoice, receipt or credit note number' }),
    description: z.string(),
    allocations: z.array(Allocation).optional(),
    on: IsoDate,
    at: IsoTimestamp,
    by: Actor,
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const CustomerLedger = z
  .object({
    customerId: z.string(),
    balance: Money.meta({ description: 'what the customer owes: Σ entries = Σ open invoices − customer credit (R-BILL-5)' }),
    customerCredit: Money.meta({ description: 'paid and not yet allocated' }),
    entries: z.array(LedgerEntry).meta({ description: 'newest first' }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'CustomerLedger' });

export const InvoiceIdParams = z.object({ invoiceId: InvoiceNumber });
export const ReceiptParams = z.object({ receiptNumber: ReceiptNumber });
export const CustomerIdParams = z.object({ customerId: CustomerNumber });
export const ListInvoicesQuery = PageQuery.extend({ customerId: CustomerNumber, status: InvoiceStatus.optional() });

export const AgingBucket = z.object({ bucket: z.string(), amount: Money, invoices: z.int() }).meta({ id: 'AgingBucket' });
const customerCreditMoney = () => Money.meta({ description: 'customer credit on the day: payments not applied to an invoice and credit notes left as credit (R-BILL-3); not an aging bucket' });
const netMoney = () => Money.meta({ description: 'net receivables: open invoices (total) − customer credit; negative when the credit is more' });
export const AgingGroup = z
  .object({
    key: z.string().meta({ description: 'customer id, sales rep id or region' }),
    name: z.string(),
    total: Money.meta({ description: 'open invoices: the sum of the buckets' }),
    buckets: z.array(AgingBucket),
    customerCredit: customerCreditMoney(),
    net: netMoney(),
  })
  .meta({ id: 'AgingGroup' });
export const AgingReport = z
  .object({
    asOf: IsoDate,
    groupBy: z.enum(['customer', 'rep', 'region']),
    buckets: z.array(z.string()).meta({ description: 'not due, 1-30, 31-60, 61-90, over 90 days past due (setting, R-AR-1)' }),
    total: Money.meta({ description: 'open invoices of every group: the sum of the buckets' }),
    customerCredit: customerCreditMoney(),
    net: netMoney(),
    totals: z.array(AgingBucket),
    groups: z.array(AgingGroup).meta({ description: 'every group with an open invoice or customer credit on the day (a customer who only paid ahead is one too), most open first' }),
  })
  .meta({ id: 'AgingReport' });
export type AgingReport = z.infer<typeof AgingReport>;

export const AgingQuery = z.object({
  asOf: IsoDate.optional().meta({ description: 'default: today; a past date uses what was open on that day' }),
  groupBy: z.enum(['customer', 'rep', 'region']).default('customer'),
});
