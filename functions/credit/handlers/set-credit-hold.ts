import { getCustomer } from '../../customers/store.js';
import { actorOf } from '../../shared/auth.js';
import { businessDate } from '../../shared/clock.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { readAccountWithItems } from '../account.js';
import { setCreditHold } from '../holds.js';
import { creditRoutes } from '../routes.js';
import { creditView } from '../view.js';

export const handler = httpHandler(creditRoutes.setCreditHold, async ({ params, body, user }) => {
  const customer = await getCustomer(params.customerId, true);
  if (!(await setCreditHold(customer, 'MANUAL', body.reason, actorOf(user)))) throw conflict(`${customer.customerId} is on credit hold already`);
  const { account, openItems } = await readAccountWithItems(customer.customerId);
  return { status: 200, body: creditView(customer, account, openItems, businessDate()) };
});
