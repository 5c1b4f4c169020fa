import { etag } from '../../shared/versioned.js';
import { recordAccess } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { customerRoutes } from '../routes.js';
import { assertMaySee, readNeedsLogging } from '../rules.js';
import { customerSubject, getCustomer } from '../store.js';

export const handler = httpHandler(customerRoutes.getCustomer, async ({ params, user }) => {
  const customer = await getCustomer(params.customerId);
  assertMaySee(user, customer);
  // R-INFO-2: a read by anyone but the owner is logged before the data leaves.
  if (readNeedsLogging(user, customer)) await recordAccess(customerSubject(customer.customerId), user, 'customer record');
  return { status: 200, body: customer, headers: { etag: etag(customer) } };
});
