import { readAccessLog } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { customerRoutes } from '../routes.js';
import { customerSubject, getCustomer } from '../store.js';

export const handler = httpHandler(customerRoutes.getCustomerAccessLog, async ({ params, query }) => {
  const customer = await getCustomer(params.customerId);
  return { status: 200, body: await readAccessLog(customerSubject(customer.customerId), query) };
});
