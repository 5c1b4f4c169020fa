import { actorOf } from '../../shared/auth.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { orderRoutes } from '../routes.js';
import { assertMayWork } from '../rules.js';
import { getOrder, updateOrder } from '../store.js';

export const handler = httpHandler(orderRoutes.cancelOrder, async ({ params, body, user }) => {
  const current = await getOrder(params.orderId);
  assertMayWork(user, current);
  const order = await updateOrder(
    params.orderId,
    (latest) => {
      // A draft or a returned order is the rep's own business; once under review or approved, a cancellation is a change request (R-INTAKE-6).
      if (latest.status !== 'DRAFT' && latest.status !== 'RETURNED') {
        throw conflict(`${latest.orderId} is ${latest.status}: it can be cancelled only as a draft or when returned`);
      }
      return { ...latest, status: 'CANCELLED', cancelReason: body.reason };
    },
    actorOf(user),
    'order cancelled',
    { reason: body.reason },
  );
  return { status: 200, body: order, headers: { etag: etag(order) } };
});
