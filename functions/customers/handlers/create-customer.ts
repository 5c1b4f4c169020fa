import { etag } from '../../shared/versioned.js';
import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { reviewStartItem } from '../../credit/review.js';
import { customerRoutes } from '../routes.js';
import { ownerOfNewCustomer } from '../rules.js';
import type { Customer } from '../schemas.js';
import { insertCustomer, nextCustomerNumber } from '../store.js';

export const handler = httpHandler(customerRoutes.createCustomer, async ({ body, user }) => {
  // Who may create for whom: a sales rep for themself, back office for a named rep.
  const ownerRepId = ownerOfNewCustomer(user, body);
  const by = actorOf(user);
  const at = nowIso();
  // R-CREDIT-2: a new customer starts in credit review; until finance decides, no credit terms.
  const customer: Customer = {
    ...body,
    customerId: await nextCustomerNumber(),
    ownerRepId,
    credit: { status: 'REQUESTED', round: 1, reason: 'NEW_CUSTOMER' },
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  const answer = { status: 201, body: customer, headers: { location: `/customers/${customer.customerId}`, etag: etag(customer) } };
  // The customer, its review's start (the outbox) and this request's answer in one write.
  await insertCustomer(customer, by, [reviewStartItem(customer), ...answerItems(answer)]);
  return answer;
}, { idempotency: withIdempotency });
