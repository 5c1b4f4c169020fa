/** One function for the reads of billing (same access). A sales rep reads own customers' only (R-INFO-2). */
import { assertMaySee, onlyOwnCustomers } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import { readHistory } from '../../shared/audit.js';
import { businessDate } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { money } from '../../shared/money.js';
import { routeGroup } from '../../shared/route-group.js';
import { getInvoice, invoiceSubject, listInvoices } from '../invoices.js';
import { readEntries, readLedgerState } from '../ledger.js';
import { getPayment } from '../payments.js';
import { agingReport, creditOn, openOn } from '../receivables.js';
import { billingRoutes } from '../routes.js';

async function readableInvoice(user: Parameters<typeof assertMaySee>[0], invoiceId: string) {
  const invoice = await getInvoice(invoiceId);
  if (!invoice) throw notFound(`no invoice ${invoiceId}`);
  assertMaySee(user, invoice);
  return invoice;
}

export const handler = routeGroup([
  [
    billingRoutes.listInvoices,
    httpHandler(billingRoutes.listInvoices, async ({ query, user }) => {
      assertMaySee(user, await getCustomer(query.customerId));
      return { status: 200, body: await listInvoices(query.customerId, { limit: query.limit, cursor: query.cursor }, query.status) };
    }),
  ],
  [billingRoutes.getInvoice, httpHandler(billingRoutes.getInvoice, async ({ params, user }) => ({ status: 200, body: await readableInvoice(user, params.invoiceId) }))],
  [
    billingRoutes.getInvoiceHistory,
    httpHandler(billingRoutes.getInvoiceHistory, async ({ params, query, user }) => {
      const invoice = await readableInvoice(user, params.invoiceId);
      return { status: 200, body: await readHistory(invoiceSubject(invoice.invoiceId), query) };
    }),
  ],
  [
    billingRoutes.getPayment,
    httpHandler(billingRoutes.getPayment, async ({ params, user }) => {
      const payment = await getPayment(params.receiptNumber);
      if (!payment) throw notFound(`no payment ${params.receiptNumber}`);
      assertMaySee(user, await getCustomer(payment.customerId));
      return { status: 200, body: payment };
    }),
  ],
  [
    billingRoutes.getCustomerLedger,
    httpHandler(billingRoutes.getCustomerLedger, async ({ params, query, user }) => {
      assertMaySee(user, await getCustomer(params.customerId));
      const [state, page] = await Promise.all([readLedgerState(params.customerId), readEntries(params.customerId, { limit: query.limit, cursor: query.cursor })]);
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
