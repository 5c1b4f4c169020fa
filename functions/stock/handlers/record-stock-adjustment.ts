import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { recordMovement } from '../movements.js';
import { stockRoutes } from '../routes.js';
import type { StockMovement } from '../schemas.js';

const created = (movement: StockMovement) => ({ status: 201, body: movement });

export const handler = httpHandler(
  stockRoutes.recordStockAdjustment,
  async ({ body, user }) => created(await recordMovement({ kind: 'ADJUSTMENT', input: body }, actorOf(user), created)),
  { idempotency: withIdempotency },
);
