import { assertMaySee, readNeedsLogging } from '../../customers/rules.js';
import { customerSubject, getCustomer } from '../../customers/store.js';
import { recordAccess } from '../../shared/audit.js';
import { businessDate } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { readAccountWithItems } from '../account.js';
import { creditRoutes } from '../routes.js';
import { creditView } from '../view.js';

export const handler = httpHandler(creditRoutes.getCustomerCredit, async ({ params, user }) => {
  const customer = await getCustomer(params.customerId);
  assertMaySee(user, customer);
  // R-INFO-2: credit data is customer data; a read by anyone but the owner is logged first.
  if (readNeedsLogging(user, customer)) await recordAccess(customerSubject(customer.customerId), user, 'credit position');
  const { account, openItems } = await readAccountWithItems(customer.customerId);
  return { status: 200, body: creditView(customer, account, openItems, businessDate()) };
});
