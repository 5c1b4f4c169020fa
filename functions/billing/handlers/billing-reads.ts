/**
 * One function for the reads of billing (same access). A sales rep reads own customers' only, and
 * every read of one customer's invoices, ledger or payments (and their history) by anyone but its owner rep is logged,
 * refusals too (R-INFO-2, functions/customers/access.ts); the aging across customers is not.
 */
import { readCustomerData } from '../../customers/access.js';
import { onlyOwnCustomers } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import { readHistory } from '../../shared/audit.js';
import { businessDate } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { money } from '../../shared/money.js';
import { routeGroup } from '../../shared/route-group.js';
import { getInvoice, invoiceSubject, listInvoices } from '../invoices.js';
import { readEntries, readLedgerState } from '../ledger.js';
import { getPayment, paymentSubject } from '../payments.js';
import { agingReport, creditOn, openOn } from '../receivables.js';
import { billingRoutes } from '../routes.js';

async function invoiceOf(invoiceId: string) {
  const invoice = await getInvoice(invoiceId);
  if (!invoice) throw notFound(`no invoice ${invoiceId}`);
  return invoice;
}

async function paymentOf(receiptNumber: string) {
  const payment = await getPayment(receiptNumber);
  if (!payment) throw notFound(`no payment ${receiptNumber}`);
  return payment;
}

export const handler = routeGroup([
  [
    billingRoutes.listInvoices,
    httpHandler(billingRoutes.listInvoices, async ({ query, user }) => {
      const customer = await getCustomer(query.customerId);
      const page = await readCustomerData(user, customer, { what: 'invoices' }, () => listInvoices(query.customerId, { limit: query.limit, cursor: query.cursor }, query.status));
      return { status: 200, body: page };
    }),
  ],
  [
    billingRoutes.getInvoice,
    httpHandler(billingRoutes.getInvoice, async ({ params, user }) => {
      const invoice = await invoiceOf(params.invoiceId);
      return { status: 200, body: await readCustomerData(user, invoice, { what: 'invoice', id: invoice.invoiceId }, async () => invoice) };
    }),
  ],
  [
    billingRoutes.getInvoiceHistory,
    httpHandler(billingRoutes.getInvoiceHistory, async ({ params, query, user }) => {
      const invoice = await invoiceOf(params.invoiceId);
      const page = await readCustomerData(user, invoice, { what: 'invoiceHistory', id: invoice.invoiceId }, () => readHistory(invoiceSubject(invoice.invoiceId), query));
      return { status: 200, body: page };
    }),
  ],
  [
    billingRoutes.getPayment,
    httpHandler(billingRoutes.getPayment, async ({ params, user }) => {
      const payment = await paymentOf(params.receiptNumber);
      const customer = await getCustomer(payment.customerId);
      return { status: 200, body: await readCustomerData(user, customer, { what: 'payment', id: payment.receiptNumber }, async () => payment) };
    }),
  ],
  [
    billingRoutes.getPaymentHistory,
    httpHandler(billingRoutes.getPaymentHistory, async ({ params, query, user }) => {
      const payment = await paymentOf(params.receiptNumber);
      const customer = await getCustomer(payment.customerId);
      const page = await readCustomerData(user, customer, { what: 'paymentHistory', id: payment.receiptNumber }, () => readHistory(paymentSubject(payment.receiptNumber), query));
      return { status: 200, body: page };
    }),
  ],
  [
    billingRoutes.getCustomerLedger,
    httpHandler(billingRoutes.getCustomerLedger, async ({ params, query, user }) => {
      const customer = await getCustomer(params.customerId);
      const [state, page] = await readCustomerData(user, customer, { what: 'ledger' }, () =>
        Promise.all([readLedgerState(params.customerId), readEntries(params.customerId, { limit: query.limit, cursor: query.cursor })]),
      );
      return {
        status: 200,
        body: { customerId: params.customerId, balance: money(state.balanceMinor, state.currency), customerCredit: money(state.creditMinor, state.currency), entries: page.entries, nextCursor: page.nextCursor },
      };
    }),
  ],
  [
    billingRoutes.getReceivablesAging,
    httpHandler(billingRoutes.getReceivablesAging, async ({ query, user }) => {
      const asOf = query.asOf ?? businessDate();
      // R-INFO-2: a rep's aging holds own customers only.
      const own = (l: { ownerRepId: string }) => !onlyOwnCustomers(user) || l.ownerRepId === user.userId;
      const [lines, credits] = await Promise.all([openOn(asOf), creditOn(asOf)]);
      return { status: 200, body: agingReport(lines.filter(own), credits.filter(own), asOf, query.groupBy) };
    }),
  ],
]);
