import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { orderRoutes } from '../routes.js';
import { assertMayWork } from '../rules.js';
import { getOrder } from '../store.js';

export const handler = httpHandler(orderRoutes.getOrder, async ({ params, user }) => {
  const order = await getOrder(params.orderId);
  assertMayWork(user, order);
  return { status: 200, body: order, headers: { etag: etag(order) } };
});
