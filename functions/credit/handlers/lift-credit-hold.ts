import { getCustomer } from '../../customers/store.js';
import { actorOf } from '../../shared/auth.js';
import { businessDate } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { readAccountWithItems } from '../account.js';
import { liftCreditHold } from '../holds.js';
import { creditRoutes } from '../routes.js';
import { creditView } from '../view.js';

export const handler = httpHandler(creditRoutes.liftCreditHold, async ({ params, body, user }) => {
  const customer = await getCustomer(params.customerId, true);
  const resumedOrders = await liftCreditHold(customer, body.reason, actorOf(user));
  const { account, openItems } = await readAccountWithItems(customer.customerId);
  return { status: 200, body: { ...creditView(customer, account, openItems, businessDate()), resumedOrders } };
});
