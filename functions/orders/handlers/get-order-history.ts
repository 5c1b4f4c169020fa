import { readCustomerData } from '../../customers/access.js';
import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { orderRoutes } from '../routes.js';
import { assertMayWork } from '../rules.js';
import { getOrder, orderSubject } from '../store.js';

export const handler = httpHandler(orderRoutes.getOrderHistory, async ({ params, query, user }) => {
  const order = await getOrder(params.orderId);
  const page = await readCustomerData(user, order, { what: 'orderHistory', id: order.orderId }, () => readHistory(orderSubject(order.orderId), query), () => assertMayWork(user, order));
  return { status: 200, body: page };
});
