import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { recordMovement } from '../movements.js';
import { stockRoutes } from '../routes.js';

export const handler = httpHandler(
  stockRoutes.recordStockReceipt,
  async ({ body, user }) => ({ status: 201, body: await recordMovement({ kind: 'RECEIPT', input: body }, actorOf(user)) }),
  { idempotency: withIdempotency },
);
