import { httpHandler } from '../../shared/http.js';
import { reversePayment } from '../payment-reversal.js';
import { billingRoutes } from '../routes.js';

export const handler = httpHandler(billingRoutes.reversePayment, async ({ params, body, user }) => {
  // R-BILL-5: finance mends a mistaken payment with a REVERSAL entry, only while its customer credit is unused; the invoices it paid open again.
  return { status: 200, body: await reversePayment(params.receiptNumber, body, user) };
});
