/** Invoices, payments, the ledger and receivables (R-BILL-1..3, R-BILL-5, R-AR-1): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { DeliveryNoteIdParams } from '../delivery/schemas.js';
import { INVOICING_TABLES } from './functions.js';
import { AgingQuery, AgingReport, CustomerIdParams, CustomerLedger, Invoice, InvoiceIdParams, ListInvoicesQuery, Payment, ReceiptParams, RecordPayment, ReversePayment } from './schemas.js';

/** Who reads receivables: finance, the sales side's managers, the customer's rep (own customers only), audit. */
export const BILLING_READERS: readonly Role[] = ['finance', 'finance_manager', 'sales_rep', 'sales_manager', 'sales_vp', 'general_manager', 'auditor', 'admin'];

/** Routes with exactly the same access share a function (functions/shared/route-group.ts). */
const billingReads: FunctionDefinition = {
  id: 'BillingReads',
  entry: 'functions/billing/handlers/billing-reads.ts',
  description: 'Read invoices, payments, a customer ledger and the receivables aging',
  access: { tables: { invoices: 'read', payments: 'read', ledger: 'read', credit: 'read', customers: 'read', audit: 'readwrite' } },
};

export const billingRoutes = {
  listInvoices: defineRoute({
    operationId: 'listInvoices',
    method: 'GET',
    path: '/invoices',
    tag: 'Billing',
    summary: "A customer's invoices, newest first (status OPEN or PAID to narrow)",
    roles: BILLING_READERS,
    query: ListInvoicesQuery,
    responses: { 200: { description: 'OK', schema: pageOf(Invoice, 'InvoicePage') } },
    function: billingReads,
  }),
  getInvoice: defineRoute({
    operationId: 'getInvoice',
    method: 'GET',
    path: '/invoices/{invoiceId}',
    tag: 'Billing',
    summary: 'An invoice: lines at the approved prices with VAT, due date, what is still open and what settled it',
    roles: BILLING_READERS,
    params: InvoiceIdParams,
    responses: { 200: { description: 'OK', schema: Invoice } },
    function: billingReads,
  }),
  getInvoiceHistory: defineRoute({
    operationId: 'getInvoiceHistory',
    method: 'GET',
    path: '/invoices/{invoiceId}/history',
    tag: 'Billing',
    summary: 'Every change of an invoice: issue, each payment or credit that settled part of it',
    roles: BILLING_READERS,
    params: InvoiceIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'InvoiceChangePage') } },
    function: billingReads,
  }),
  invoiceDeliveryNote: defineRoute({
    operationId: 'invoiceDeliveryNote',
    method: 'POST',
    path: '/delivery-notes/{deliveryNoteId}/invoice',
    tag: 'Billing',
    summary: 'Invoice a delivery note whose goods left now, instead of waiting for its event or the order’s end; a note has one invoice, never two (answers it if it has one)',
    roles: ['finance', 'finance_manager'],
    params: DeliveryNoteIdParams,
    responses: { 200: { description: 'The note’s invoice', schema: Invoice } },
    function: {
      id: 'InvoiceDeliveryNote',
      entry: 'functions/billing/handlers/invoice-delivery-note.ts',
      description: 'Invoice a delivery note once',
      access: { tables: INVOICING_TABLES },
    },
  }),
  recordPayment: defineRoute({
    operationId: 'recordPayment',
    method: 'POST',
    path: '/payments',
    tag: 'Billing',
    summary:
      'Record a payment (cash, or a bank transfer the bank confirmed) with a receipt number; it pays the invoices named, or the oldest due first; what is left stays as customer credit (R-BILL-2, R-BILL-3). A bank reference or paper receipt number already recorded for the customer that day is refused (409 duplicate-reference, naming the receipt) unless separatePayment',
    roles: ['finance', 'finance_manager'],
    body: RecordPayment,
    idempotent: true,
    responses: { 201: { description: 'Recorded', schema: Payment } },
    function: {
      id: 'RecordPayment',
      entry: 'functions/billing/handlers/record-payment.ts',
      description: 'Record a payment, allocate it, move the ledger and the credit exposure',
      access: {
        tables: { payments: 'readwrite', ledger: 'readwrite', invoices: 'readwrite', credit: 'readwrite', customers: 'read', counters: 'readwrite', audit: 'write', notifications: 'write', idempotency: 'readwrite', orders: 'read', tasks: 'readwrite' },
        sendTaskResult: ['orderReview'],
      },
    },
  }),
  getPayment: defineRoute({
    operationId: 'getPayment',
    method: 'GET',
    path: '/payments/{receiptNumber}',
    tag: 'Billing',
    summary: 'A payment by its receipt number, with the invoices it paid',
    roles: BILLING_READERS,
    params: ReceiptParams,
    responses: { 200: { description: 'OK', schema: Payment } },
    function: billingReads,
  }),
  getPaymentHistory: defineRoute({
    operationId: 'getPaymentHistory',
    method: 'GET',
    path: '/payments/{receiptNumber}/history',
    tag: 'Billing',
    summary: 'Every change of a payment: recorded, reversed (R-INFO-3)',
    roles: BILLING_READERS,
    params: ReceiptParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'PaymentChangePage') } },
    function: billingReads,
  }),
  reversePayment: defineRoute({
    operationId: 'reversePayment',
    method: 'POST',
    path: '/payments/{receiptNumber}/reversal',
    tag: 'Billing',
    summary:
      'Reverse a payment recorded by mistake with a REVERSAL entry (R-BILL-5: never edited), once, while its customer credit is unused: the invoices it paid open again by what it paid, the credit exposure goes back up, its reference is free again; its rep and finance are told',
    roles: ['finance', 'finance_manager'],
    params: ReceiptParams,
    body: ReversePayment,
    responses: { 200: { description: 'Reversed', schema: Payment } },
    function: {
      id: 'ReversePayment',
      entry: 'functions/billing/handlers/reverse-payment.ts',
      description: 'Reverse a payment through the ledger: reopen its invoices, take back its customer credit, free its reference',
      access: { tables: { payments: 'readwrite', ledger: 'readwrite', invoices: 'readwrite', credit: 'readwrite', customers: 'read', orders: 'read', audit: 'write', notifications: 'write' } },
    },
  }),
  getCustomerLedger: defineRoute({
    operationId: 'getCustomerLedger',
    method: 'GET',
    path: '/customers/{customerId}/ledger',
    tag: 'Billing',
    summary: "A customer's ledger: balance, customer credit and the entries, newest first (R-BILL-5)",
    roles: BILLING_READERS,
    params: CustomerIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: CustomerLedger } },
    function: billingReads,
  }),
  getReceivablesAging: defineRoute({
    operationId: 'getReceivablesAging',
    method: 'GET',
    path: '/receivables/aging',
    tag: 'Billing',
    summary: 'Open receivables by days past due (not due, 1-30, 31-60, 61-90, over 90: setting) per customer, rep or region, as of a date (R-AR-1)',
    roles: ['finance', 'finance_manager', 'sales_rep', 'sales_manager', 'sales_vp', 'general_manager', 'auditor'],
    query: AgingQuery,
    responses: { 200: { description: 'OK', schema: AgingReport } },
    function: billingReads,
  }),
};
