import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { readCustomerData } from '../access.js';
import { customerRoutes } from '../routes.js';
import { customerSubject, getCustomer } from '../store.js';

export const handler = httpHandler(customerRoutes.getCustomerHistory, async ({ params, query, user }) => {
  const customer = await getCustomer(params.customerId);
  // The history holds the customer's data too, so reading it by others is logged like the record (R-INFO-2).
  const page = await readCustomerData(user, customer, { what: 'customerHistory' }, () => readHistory(customerSubject(customer.customerId), query));
  return { status: 200, body: page };
});
