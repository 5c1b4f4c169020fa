import { readCustomerData } from '../../customers/access.js';
import { getCustomer } from '../../customers/store.js';
import { httpHandler } from '../../shared/http.js';
import { reservationRoutes } from '../routes.js';
import { listReservations } from '../store.js';

export const handler = httpHandler(reservationRoutes.listGoodsReservations, async ({ query, user }) => {
  // R-INFO-2: a rep sees own customers' reservations only; one customer's list read by others is logged.
  const customer = await getCustomer(query.customerId);
  const page = await readCustomerData(user, customer, { what: 'goodsReservations' }, () => listReservations(query.customerId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }));
  return { status: 200, body: page };
});
