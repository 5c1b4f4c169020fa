import { readCustomerData } from '../../customers/access.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { orderRoutes } from '../routes.js';
import { assertMayWork } from '../rules.js';
import { getOrder } from '../store.js';

export const handler = httpHandler(orderRoutes.getOrder, async ({ params, user }) => {
  const order = await getOrder(params.orderId);
  // R-INFO-2: the order is its customer's data; reads by anyone but its rep are logged, refusals too.
  const body = await readCustomerData(user, order, { what: 'order', id: order.orderId }, async () => order, () => assertMayWork(user, order));
  return { status: 200, body, headers: { etag: etag(order) } };
});
