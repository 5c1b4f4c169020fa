import { readCustomerData } from '../../customers/access.js';
import { onlyOwnCustomers } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import type { Customer } from '../../customers/schemas.js';
import { HttpError, forbidden } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { orderRoutes } from '../routes.js';
import { listOrders } from '../store.js';

/** The customer a list is narrowed to, if it exists (a list of nobody's orders is empty, not a 404). */
async function customerIfAny(customerId: string): Promise<Customer | undefined> {
  try {
    return await getCustomer(customerId);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return undefined;
    throw err;
  }
}

export const handler = httpHandler(orderRoutes.listOrders, async ({ query, user }) => {
  // R-INFO-2: a sales rep lists own orders only.
  if (onlyOwnCustomers(user) && query.ownerRepId !== undefined && query.ownerRepId !== user.userId) {
    throw forbidden('a sales rep lists own orders only; leave out ownerRepId or use your own');
  }
  const ownerRepId = onlyOwnCustomers(user) ? user.userId : query.ownerRepId;
  const list = () => listOrders({ ...query, ownerRepId });
  // Lists across customers show summaries and are not logged; the orders of ONE customer are that
  // customer's data, so that list read by anyone but its owner rep is logged (R-INFO-2). A sales
  // rep's list holds own orders only: never another rep's customer's.
  const customer = query.customerId && !onlyOwnCustomers(user) ? await customerIfAny(query.customerId) : undefined;
  const page = customer ? await readCustomerData(user, customer, { what: 'orders' }, list) : await list();
  return { status: 200, body: page };
});
