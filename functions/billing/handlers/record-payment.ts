import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { recordPayment } from '../payments.js';
import { billingRoutes } from '../routes.js';

export const handler = httpHandler(
  billingRoutes.recordPayment,
  async ({ body, user }) => {
    // R-BILL-2/3: finance records it; the allocation, the ledger and the exposure move in one write.
    const payment = await recordPayment(body, actorOf(user));
    return { status: 201, body: payment, headers: { location: `/payments/${payment.receiptNumber}` } };
  },
  { idempotency: withIdempotency },
);
