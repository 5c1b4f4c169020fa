import { readHistory, recordAccess } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { customerRoutes } from '../routes.js';
import { assertMaySee, readNeedsLogging } from '../rules.js';
import { customerSubject, getCustomer } from '../store.js';

export const handler = httpHandler(customerRoutes.getCustomerHistory, async ({ params, query, user }) => {
  const customer = await getCustomer(params.customerId);
  assertMaySee(user, customer);
  // The history holds the customer's data too, so reading it by others is logged like the record (R-INFO-2).
  if (readNeedsLogging(user, customer)) await recordAccess(customerSubject(customer.customerId), user, 'customer history');
  return { status: 200, body: await readHistory(customerSubject(customer.customerId), query) };
});
