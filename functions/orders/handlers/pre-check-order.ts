/** Workflow step (R-REVIEW-1, R-REVIEW-2): record every finding on the order, or on its change request (R-INTAKE-6), and route it. */
import * as z from 'zod';
import { getCustomer } from '../../customers/store.js';
import { priceBookFor } from '../../pricing/prices.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { settings } from '../../shared/settings.js';
import { stepHandler } from '../../shared/step.js';
import { pendingChangeOf, withProposal } from '../changes.js';
import { findingsFor, reviewRoute } from '../rules.js';
import type { Finding } from '../schemas.js';
import { ReviewSuperseded, getOrder, productsByCode, updateOrder } from '../store.js';

const Input = z.object({
  orderId: z.string(),
  round: z.int(),
  /** The execution's input: a change request's review names it (R-INTAKE-6). */
  executionInput: z.looseObject({ changeRequestId: z.string().optional() }).optional(),
});

export const handler = stepHandler('PreCheckOrder', Input, async ({ orderId, round, executionInput }) => {
  const changeRequestId = executionInput?.changeRequestId;
  if (changeRequestId) return { ...(await preCheckChange(orderId, changeRequestId)), changeRequestId };

  const order = await getOrder(orderId, true);
  if (order.review.round !== round) throw new ReviewSuperseded(orderId, round);
  const threshold = settings().autoApprovalThresholdMinor;
  // A retried step finds its findings already recorded.
  if (order.status === 'IN_REVIEW') return { ...reviewRoute(order.findings, order.totals, threshold), findingCount: order.findings.length, changeRequestId: null };

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
  return { ...route, findingCount: findings.length, changeRequestId: null };
});

/**
 * The same pre-check on what the order would become: the proposal of an amendment, checked as of
 * the day it was asked for. A cancellation has nothing to check; the order desk still decides.
 */
async function preCheckChange(orderId: string, changeRequestId: string) {
  const order = await getOrder(orderId, true);
  const change = pendingChangeOf(order, changeRequestId);
  const threshold = settings().autoApprovalThresholdMinor;
  const totals = change.proposed?.totals ?? order.totals;
  // A retried step finds its findings already recorded.
  if (change.review.checkedAt) return { ...reviewRoute(change.findings, totals, threshold), findingCount: change.findings.length };

  let findings: Finding[] = [];
  if (change.proposed) {
    const askedOn = businessDate(new Date(change.requestedAt));
    const proposed = withProposal(order, change.proposed);
    const [customer, products, book] = await Promise.all([
      getCustomer(order.customerId),
      productsByCode(proposed.lines.map((l) => l.productCode)),
      priceBookFor(order.customerId, askedOn),
    ]);
    findings = findingsFor(proposed, customer, products, book, askedOn);
  }
  await updateOrder(
    orderId,
    (latest) => {
      const pending = pendingChangeOf(latest, changeRequestId);
      return { ...latest, pendingChange: { ...pending, findings, review: { ...pending.review, checkedAt: nowIso() } } };
    },
    SYSTEM_ACTOR,
    `pre-check (change request ${changeRequestId}): ${findings.length === 0 ? 'no finding' : findings.map((f) => f.code).join(', ')}`,
  );
  return { ...reviewRoute(findings, totals, threshold), findingCount: findings.length };
}
