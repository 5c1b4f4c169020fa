import { readCustomerData } from '../../customers/access.js';
import { getCustomer } from '../../customers/store.js';
import { businessDate } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { readAccountWithItems } from '../account.js';
import { creditRoutes } from '../routes.js';
import { creditView } from '../view.js';

export const handler = httpHandler(creditRoutes.getCustomerCredit, async ({ params, user }) => {
  const customer = await getCustomer(params.customerId);
  // R-INFO-2: credit data is customer data; a read by anyone but the owner is logged, a refusal too.
  const { account, openItems } = await readCustomerData(user, customer, { what: 'creditPosition' }, () => readAccountWithItems(customer.customerId));
  return { status: 200, body: creditView(customer, account, openItems, businessDate()) };
});
