import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { conflict, incomplete } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { settings } from '../../shared/settings.js';
import { etag } from '../../shared/versioned.js';
import { workflowStartItem } from '../../outbox/store.js';
import { priceBookFor } from '../../pricing/prices.js';
import { orderRoutes } from '../routes.js';
import { assertMayWork, missingForSubmission, requote, totalsOf } from '../rules.js';
import type { Order } from '../schemas.js';
import { getOrder, updateOrder } from '../store.js';

export const handler = httpHandler(orderRoutes.submitOrder, async ({ params, user }) => {
  const current = await getOrder(params.orderId, true);
  assertMayWork(user, current);
  if (current.status !== 'DRAFT' && current.status !== 'RETURNED' && current.status !== 'EXCEPTION') {
    throw conflict(`${current.orderId} is ${current.status}; only a draft, a returned order or one in exception is submitted`);
  }
  // R-PRICE-1: the price list versions in force at submission price the order.
  const lines = requote(current.lines, await priceBookFor(current.customerId, businessDate()));
  // R-INTAKE-2: a submitted order is complete; every gap is named (before the totals: they must fit).
  const gaps = missingForSubmission({ ...current, lines });
  if (gaps.length > 0) throw incomplete(`Order ${current.orderId}`, gaps);
  const candidate: Order = { ...current, lines, totals: totalsOf(lines, settings().currency) };

  const by = actorOf(user);
  const round = current.review.round + 1;
  const submitted = await updateOrder(
    current.orderId,
    (latest) => {
      if (latest.version !== current.version) throw conflict(`${current.orderId} changed while it was being submitted; submit again`);
      return { ...candidate, status: 'SUBMITTED', findings: [], review: { round, submittedAt: nowIso(), submittedBy: by } };
    },
    by,
    `order submitted for review (round ${round})`,
    // The review runs as the order's state machine, asked for in the same write as SUBMITTED (the outbox).
    { alsoWrite: [workflowStartItem('orderReview', `${current.orderId}-round-${round}`, { orderId: current.orderId, round })] },
  );
  return { status: 202, body: submitted, headers: { etag: etag(submitted) } };
});
