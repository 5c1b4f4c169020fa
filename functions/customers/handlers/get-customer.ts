import { etag } from '../../shared/versioned.js';
import { httpHandler } from '../../shared/http.js';
import { readCustomerData } from '../access.js';
import { customerRoutes } from '../routes.js';
import { getCustomer } from '../store.js';

export const handler = httpHandler(customerRoutes.getCustomer, async ({ params, user }) => {
  const customer = await getCustomer(params.customerId);
  // R-INFO-2: another rep is refused, and logged; a read by anyone but the owner is logged before the data leaves.
  const body = await readCustomerData(user, customer, { what: 'customer' }, async () => customer);
  return { status: 200, body, headers: { etag: etag(customer) } };
});
