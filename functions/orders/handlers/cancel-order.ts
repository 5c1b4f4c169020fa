/**
 * Cancels an order that is the rep's own business again (a draft, a returned order) or one that waits
 * in the credit stage (R-CREDIT-5: an order in CREDIT_HOLD waits until the hold is lifted or it is
 * cancelled) or for stock (R-FULFIL-2: what it reserved goes back to stock). A waiting order's reservation, if a re-check left it one (R-CREDIT-7), is released in
 * the same write; then its wait ends, so its workflow finishes. Once approved, a cancellation is a
 * change request (R-INTAKE-6).
 */
import { releaseItems } from '../../credit/account.js';
import { CREDIT_WAITING } from '../../credit/stage.js';
import { withdrawRequests } from '../../stock/requests.js';
import { releaseItemsFor, releaseOrderStock } from '../../stock/reservation.js';
import { checkSafetyStockOfLines } from '../../stock/safety.js';
import { actorOf } from '../../shared/auth.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { logger } from '../../shared/logger.js';
import { etag } from '../../shared/versioned.js';
import { endWait } from '../../tasks/waits.js';
import { orderRoutes } from '../routes.js';
import { assertMayWork } from '../rules.js';
import type { Order } from '../schemas.js';
import { getOrder, updateOrder } from '../store.js';

const CANCELLABLE: readonly Order['status'][] = ['DRAFT', 'RETURNED', 'EXCEPTION', ...CREDIT_WAITING, 'AWAITING_STOCK'];

export const handler = httpHandler(orderRoutes.cancelOrder, async ({ params, body, user }) => {
  const current = await getOrder(params.orderId, true);
  assertMayWork(user, current);
  if (!CANCELLABLE.includes(current.status)) {
    throw conflict(
      `${current.orderId} is ${current.status}: it can be cancelled directly only as a draft, when returned, or while it waits in the credit stage; an approved order is cancelled by a change request`,
    );
  }
  const reserved = current.credit?.reserved;
  const by = actorOf(user);
  // R-FULFIL-2: goods already reserved for it go back to stock in the same write (or right after, for a very long order).
  const goods = current.fulfilment ? await releaseItemsFor(current, by, `order cancelled: ${body.reason}`, 80) : [];
  const order = await updateOrder(
    params.orderId,
    (latest) => {
      if (latest.version !== current.version) throw conflict(`${latest.orderId} changed while it was being cancelled; reload and try again`);
      const { reserved: _reserved, pendingTask: _task, ...credit } = latest.credit ?? { attempt: 0 };
      return { ...latest, status: 'CANCELLED', cancelReason: body.reason, ...(latest.credit ? { credit } : {}) };
    },
    by,
    reserved ? 'order cancelled; its credit reservation released' : 'order cancelled',
    { reason: body.reason, alsoWrite: [...(reserved ? releaseItems(current, reserved.amountMinor) : []), ...(goods ?? [])] },
  );
  if (!goods) await releaseOrderStock(current, by, `order cancelled: ${body.reason}`);
  // R-FULFIL-9: goods given back in the cancellation's own write may lift a balance over its safety stock.
  else if (goods.length > 0) await checkSafetyStockOfLines(current.lines, current.fulfilment?.warehouseId);
  await withdrawRequests(current, `order cancelled: ${body.reason}`);
  const waiting = current.status === 'AWAITING_STOCK' ? current.fulfilment?.pendingTask : CREDIT_WAITING.includes(current.status) ? current.credit?.pendingTask : undefined;
  if (waiting) {
    try {
      await endWait(waiting.taskId, { outcome: 'CANCELLED' }, 'CANCELLED');
    } catch (err) {
      // The order is cancelled either way; a wait that cannot be ended now ends at its timeout, finding the order cancelled.
      logger.error('could not end the wait of a cancelled order', { orderId: order.orderId, taskId: waiting.taskId, error: err as Error });
    }
  }
  return { status: 200, body: order, headers: { etag: etag(order) } };
});
