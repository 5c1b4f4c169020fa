import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { recordPayment } from '../payments.js';
import { billingRoutes } from '../routes.js';
import type { Payment } from '../schemas.js';

const created = (payment: Payment) => ({ status: 201, body: payment, headers: { location: `/payments/${payment.receiptNumber}` } });

export const handler = httpHandler(
  billingRoutes.recordPayment,
  // R-BILL-2/3: finance records it; the allocation, the ledger, the exposure and the answer move in one write.
  async ({ body, user }) => created(await recordPayment(body, actorOf(user), created)),
  { idempotency: withIdempotency },
);
