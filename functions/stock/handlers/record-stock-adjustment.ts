import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { recordMovement } from '../movements.js';
import { stockRoutes } from '../routes.js';

export const handler = httpHandler(
  stockRoutes.recordStockAdjustment,
  async ({ body, user }) => ({ status: 201, body: await recordMovement({ kind: 'ADJUSTMENT', input: body }, actorOf(user)) }),
  { idempotency: withIdempotency },
);
