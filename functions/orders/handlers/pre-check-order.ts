/** Workflow step (R-REVIEW-1, R-REVIEW-2): record every finding on the order and route it. */
import * as z from 'zod';
import { getCustomer } from '../../customers/store.js';
import { priceBookFor } from '../../pricing/prices.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { businessDate } from '../../shared/clock.js';
import { settings } from '../../shared/settings.js';
import { stepHandler } from '../../shared/step.js';
import { findingsFor, reviewRoute } from '../rules.js';
import { ReviewSuperseded, getOrder, productsByCode, updateOrder } from '../store.js';

const Input = z.object({ orderId: z.string(), round: z.int() });

export const handler = stepHandler('PreCheckOrder', Input, async ({ orderId, round }) => {
  const order = await getOrder(orderId, true);
  if (order.review.round !== round) throw new ReviewSuperseded(orderId, round);
  const threshold = settings().autoApprovalThresholdMinor;
  // A retried step finds its findings already recorded.
  if (order.status === 'IN_REVIEW') return { ...reviewRoute(order.findings, order.totals, threshold), findingCount: order.findings.length };

  const submittedOn = businessDate(new Date(order.review.submittedAt ?? order.updatedAt));
  const [customer, products, book] = await Promise.all([
    getCustomer(order.customerId),
    productsByCode(order.lines.map((l) => l.productCode)),
    priceBookFor(order.customerId, submittedOn),
  ]);
  const findings = findingsFor(order, customer, products, book, submittedOn);
  const route = reviewRoute(findings, order.totals, threshold);
  await updateOrder(
    orderId,
    (latest) => {
      if (latest.review.round !== round || latest.status !== 'SUBMITTED') throw new ReviewSuperseded(orderId, round);
      return { ...latest, status: 'IN_REVIEW', findings };
    },
    SYSTEM_ACTOR,
    findings.length === 0 ? `pre-check (round ${round}): no finding` : `pre-check (round ${round}): ${findings.map((f) => f.code).join(', ')}`,
  );
  return { ...route, findingCount: findings.length };
});
