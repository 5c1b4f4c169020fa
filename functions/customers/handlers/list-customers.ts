import { forbidden } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { customerRoutes } from '../routes.js';
import { onlyOwnCustomers } from '../rules.js';
import { listCustomers } from '../store.js';

export const handler = httpHandler(customerRoutes.listCustomers, async ({ query, user }) => {
  // R-INFO-2: a sales rep lists own customers only. Lists carry summaries (no contacts, no credit amounts).
  if (onlyOwnCustomers(user) && query.ownerRepId !== undefined && query.ownerRepId !== user.userId) {
    throw forbidden("a sales rep lists own customers only; leave out ownerRepId or use your own");
  }
  const ownerRepId = onlyOwnCustomers(user) ? user.userId : query.ownerRepId;
  const page = await listCustomers({ ...query, ownerRepId });
  return { status: 200, body: page };
});
