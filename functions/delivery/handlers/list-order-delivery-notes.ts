import { assertMayWork } from '../../orders/rules.js';
import { getOrder } from '../../orders/store.js';
import { httpHandler } from '../../shared/http.js';
import { deliveryRoutes } from '../routes.js';
import { listNotesOfOrder } from '../store.js';

export const handler = httpHandler(deliveryRoutes.listOrderDeliveryNotes, async ({ params, user }) => {
  assertMayWork(user, await getOrder(params.orderId));
  return { status: 200, body: { items: await listNotesOfOrder(params.orderId) } };
});
