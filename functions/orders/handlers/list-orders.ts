import { forbidden } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { onlyOwnCustomers } from '../../customers/rules.js';
import { orderRoutes } from '../routes.js';
import { listOrders } from '../store.js';

export const handler = httpHandler(orderRoutes.listOrders, async ({ query, user }) => {
  // R-INFO-2: a sales rep lists own orders only.
  if (onlyOwnCustomers(user) && query.ownerRepId !== undefined && query.ownerRepId !== user.userId) {
    throw forbidden('a sales rep lists own orders only; leave out ownerRepId or use your own');
  }
  const ownerRepId = onlyOwnCustomers(user) ? user.userId : query.ownerRepId;
  return { status: 200, body: await listOrders({ ...query, ownerRepId }) };
});
