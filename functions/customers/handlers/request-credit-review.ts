import { etag } from '../../shared/versioned.js';
import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { requestNewRound } from '../../credit/review.js';
import { customerRoutes } from '../routes.js';

export const handler = httpHandler(customerRoutes.requestCreditReview, async ({ params, body, user }) => {
  // R-CREDIT-1: finance (or the sales manager) can re-evaluate a customer at any time; 409 while a round runs.
  const customer = await requestNewRound(params.customerId, 'REQUESTED', actorOf(user), body.comment);
  return { status: 202, body: customer, headers: { etag: etag(customer) } };
});
