import { readCustomerData } from '../../customers/access.js';
import { assertMayWork } from '../../orders/rules.js';
import { getOrder } from '../../orders/store.js';
import { httpHandler } from '../../shared/http.js';
import { deliveryRoutes } from '../routes.js';
import { listNotesOfOrder } from '../store.js';

export const handler = httpHandler(deliveryRoutes.listOrderDeliveryNotes, async ({ params, user }) => {
  const order = await getOrder(params.orderId);
  // One order's notes are its customer's data (R-INFO-2): logged like the order.
  const items = await readCustomerData(user, order, { what: 'orderDeliveryNotes', id: order.orderId }, () => listNotesOfOrder(params.orderId), () => assertMayWork(user, order));
  return { status: 200, body: { items } };
});
