import { etag } from '../../shared/versioned.js';
import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { customerRoutes } from '../routes.js';
import { applyPatch, assertMayEdit } from '../rules.js';
import { updateCustomerChecked } from '../store.js';

export const handler = httpHandler(customerRoutes.updateCustomer, async ({ params, body, user, headers }) => {
  // Archive fields only (the schema has no credit fields); the version check guards concurrent edits.
  const customer = await updateCustomerChecked(
    params.customerId,
    (current) => {
      assertMayEdit(user, current, body);
      return applyPatch(current, body);
    },
    actorOf(user),
    'customer updated',
    headers['if-match'],
  );
  return { status: 200, body: customer, headers: { etag: etag(customer) } };
});
