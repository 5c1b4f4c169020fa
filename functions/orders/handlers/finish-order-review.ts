/**
 * Workflow step: the review's outcome on the order, or on its change request (R-INTAKE-6), once, with a note to its rep (R-REVIEW-3).
 * `next: 'CREDIT'` sends an approved order on to the credit stage, whose checks continue the order's numbering (`creditAttempt`).
 */
import * as z from 'zod';
import { notificationPut, toUser } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { closeTask } from '../../tasks/store.js';
import { finishChangeReview } from '../changes.js';
import type { Order } from '../schemas.js';
import { getOrder, replaceOrder } from '../store.js';

const Input = z.object({
  orderId: z.string(),
  round: z.int(),
  outcome: z.enum(['APPROVED', 'RETURNED', 'REJECTED', 'EXPIRED']),
  executionId: z.string(),
  decision: z.looseObject({ comment: z.string().optional(), decidedBy: z.object({ userId: z.string(), name: z.string() }), decidedAt: z.string() }).optional(),
  changeRequestId: z.string().nullish(),
});

const NEXT_STATUS = { APPROVED: 'APPROVED', RETURNED: 'RETURNED', REJECTED: 'REJECTED', EXPIRED: 'RETURNED' } as const;

export const handler = stepHandler('FinishOrderReview', Input, async (input) => {
  if (input.changeRequestId) return finishChangeReview({ ...input, changeRequestId: input.changeRequestId });
  const order = await getOrder(input.orderId, true);
  const creditAttempt = order.credit?.attempt ?? 0;
  // A retried step, or a newer round: nothing to do (a retry after approval still goes on to credit).
  if (order.review.round !== input.round || order.status !== 'IN_REVIEW') {
    const approvedByThisRound = order.review.round === input.round && order.status === 'APPROVED' && input.outcome === 'APPROVED';
    return { status: order.status, next: approvedByThisRound ? 'CREDIT' : 'DONE', creditAttempt };
  }
  const status = NEXT_STATUS[input.outcome];
  const reason = input.outcome === 'EXPIRED' ? 'not decided in time by the last authority; resubmit or cancel' : input.decision?.comment;
  const by = input.decision?.decidedBy ?? SYSTEM_ACTOR;
  const { pendingTask, ...review } = order.review;
  const after: Order = {
    ...order,
    status,
    review: { ...review, outcome: status, ...(reason ? { reason } : {}), decidedBy: by, decidedAt: input.decision?.decidedAt ?? nowIso() },
    version: order.version + 1,
    updatedAt: nowIso(),
    updatedBy: by,
  };
  const words = { APPROVED: 'approved', RETURNED: 'returned to you', REJECTED: 'rejected', CANCELLED: 'cancelled' } as Record<string, string>;
  const written = await replaceOrder(order, after, by, `review round ${input.round}: ${status}${reason ? ` (${reason})` : ''}`, reason, [
    notificationPut({
      dedupeKey: `${order.orderId}#round-${input.round}#${status}`,
      recipient: toUser(order.ownerRepId),
      topic: 'order-review',
      subject: `Order ${order.orderId} ${words[status] ?? status.toLowerCase()}`,
      body: `${order.orderId} for ${order.customerName}: ${status}${reason ? ` — ${reason}` : ''}.`,
      link: `/orders/${order.orderId}`,
    }),
  ]);
  if (!written) throw new Error(`order ${order.orderId} changed while its review was finishing`);
  if (input.outcome === 'EXPIRED' && pendingTask) await closeTask(pendingTask.taskId, 'EXPIRED');
  return { status, next: status === 'APPROVED' ? 'CREDIT' : 'DONE', creditAttempt };
});
