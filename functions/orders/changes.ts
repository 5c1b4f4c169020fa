/**
 * Order changes after approval (R-INTAKE-6, 订单变更): a change request, reviewed like the order.
 *
 * - Who: the order's sales rep (own customers only) or a sales clerk, on an APPROVED order only.
 *   A draft or a returned order is amended or cancelled directly (PATCH, /cancellation); an order
 *   under review must first be returned by its reviewer; rejected and cancelled orders are closed.
 *   Later statuses (goods reserved, shipped, …) are not APPROVED, so they are refused too: in
 *   particular nothing is cancelled once goods have left. One change request is pending at a time.
 * - What is stored: the request lives on the order item (`pendingChange`, then `lastChange` once
 *   decided), numbered CR-<orderId>-<n>. An amendment carries the whole proposed order, priced with
 *   the price book in force when it was asked for (R-PRICE-1) and complete (R-INTAKE-2); a
 *   cancellation carries only its reason. The order keeps its status and content meanwhile.
 * - Review: the same state machine as the order (state-machines/order-review.asl.json), started
 *   with `{ orderId, round, changeRequestId }`. The pre-check records the findings of the proposal
 *   (R-REVIEW-1/2), special approvals follow them (R-REVIEW-4, R-PRICE-3: GM before VP), the order
 *   desk decides, every waiting task escalates on its timeout. Tasks keep their types
 *   (SPECIAL_APPROVAL, ORDER_REVIEW) with "Change request" in the title and the proposal in details.
 * - Outcome: APPROVED applies the proposal (or CANCELLED) in one conditional write with its history
 *   entry (who asked, who approved, before and after) and the notifications to the rep, the order
 *   desk, finance, the warehouse and logistics. REJECTED, RETURNED (the rep asks again with a new
 *   request) and EXPIRED leave the order as it was and tell the rep why.
 */
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { nowIso } from '../shared/clock.js';
import { conflict } from '../shared/errors.js';
import { canonicalJson } from '../shared/json.js';
import { formatMajor } from '../shared/money.js';
import type { Role } from '../shared/roles.js';
import type { Actor } from '../shared/schemas.js';
import { closeTask } from '../tasks/store.js';
import { endWait } from '../tasks/waits.js';
import { releaseItems } from '../credit/account.js';
import { withdrawRequests } from '../stock/requests.js';
import { releaseItemsFor, releaseOrderStock } from '../stock/reservation.js';
import { checkSafetyStockOfLines } from '../stock/safety.js';
import type { ChangeRequest, Order, ProposedOrder } from './schemas.js';
import { getOrder, replaceOrder } from './store.js';

export const changeRequestIdFor = (orderId: string, n: number) => `CR-${orderId}-${n}`;

/** The order fields an amendment may change, in the order people read them. */
export const CHANGEABLE_FIELDS = ['lines', 'totals', 'requestedDeliveryDate', 'delivery', 'paymentMethod', 'customerReference', 'remarks'] as const;

/** The statuses in which an approved order takes a change request: approved, past credit, goods reserved (nothing shipped). */
export const CHANGEABLE_STATUSES: readonly Order['status'][] = ['APPROVED', 'CREDIT_APPROVED', 'GOODS_RESERVED'];

/** R-INTAKE-6: only an approved order is changed through a change request, one at a time. */
export function assertChangeable(order: Pick<Order, 'orderId' | 'status' | 'pendingChange'>): void {
  switch (order.status) {
    case 'APPROVED':
    case 'CREDIT_APPROVED':
    case 'GOODS_RESERVED':
      if (order.pendingChange) throw conflict(`${order.orderId} has change request ${order.pendingChange.changeRequestId} under review; wait for its decision`);
      return;
    case 'DRAFT':
    case 'RETURNED':
    case 'EXCEPTION':
      throw conflict(`${order.orderId} is ${order.status}: amend it directly (PATCH /orders/${order.orderId}) or cancel it (POST /orders/${order.orderId}/cancellation)`);
    case 'SUBMITTED':
    case 'IN_REVIEW':
      throw conflict(`${order.orderId} is ${order.status}: ask the reviewer to return it to you, then amend it`);
    case 'CREDIT_HOLD':
    case 'CREDIT_REVIEW':
    case 'AWAITING_PREPAYMENT':
    case 'AWAITING_STOCK':
      throw conflict(`${order.orderId} is ${order.status}, waiting for ${order.status === 'AWAITING_STOCK' ? 'stock' : 'credit'}: wait for it, or cancel it (POST /orders/${order.orderId}/cancellation)`);
    default:
      throw conflict(`${order.orderId} is ${order.status}: it can no longer be changed`);
  }
}

/** The pending change request with this id; a decided or replaced one means the step is stale. */
export function pendingChangeOf(order: Order, changeRequestId: string): ChangeRequest {
  if (order.status === 'CANCELLED' || order.pendingChange?.changeRequestId !== changeRequestId) throw new ChangeRequestClosed(order.orderId, changeRequestId);
  return order.pendingChange;
}

/** The workflow works on a change request that is no longer pending. */
export class ChangeRequestClosed extends Error {
  constructor(orderId: string, changeRequestId: string) {
    super(`${changeRequestId} of ${orderId} is no longer pending`);
    this.name = 'ChangeRequestClosed';
  }
}


export function changedFieldsOf(order: Order, proposed: ProposedOrder): string[] {
  return CHANGEABLE_FIELDS.filter((f) => canonicalJson(order[f] ?? null) !== canonicalJson(proposed[f] ?? null));
}

/** The order as the proposal would make it (for the pre-check and for applying it). */
export function withProposal(order: Order, proposed: ProposedOrder): Order {
  const base = Object.fromEntries(Object.entries(order).filter(([k]) => !(CHANGEABLE_FIELDS as readonly string[]).includes(k))) as Order;
  return { ...base, ...proposed };
}

const DEPARTMENTS: { role: Role; amend: string; cancel: string }[] = [
  { role: 'order_desk', amend: 'Follow up the changed order.', cancel: 'Close it in your follow-up.' },
  { role: 'finance', amend: 'Credit exposure and invoicing follow the new amount and payment method.', cancel: 'Release its credit exposure; invoice nothing more for it.' },
  { role: 'warehouse', amend: 'Reservations and picking follow the new lines.', cancel: 'Release whatever stock is reserved for it; issue nothing.' },
  { role: 'logistics', amend: 'Transport follows the new delivery date and address.', cancel: 'Release whatever transport is planned for it.' },
];

/** Who hears of the decision: the rep who owns the order (and whoever asked), and on approval every department concerned. */
function decisionNotifications(before: Order, change: ChangeRequest, after: Order, reason: string | undefined) {
  const link = `/orders/${before.orderId}`;
  const dedupe = `${change.changeRequestId}#${change.status}`;
  const people = [...new Set([before.ownerRepId, change.requestedBy.userId])].map(toUser);
  if (change.status !== 'APPROVED') {
    const words = { REJECTED: 'rejected', RETURNED: 'returned to you', EXPIRED: 'expired' } as Record<string, string>;
    return people.map((recipient) =>
      notificationPut({
        dedupeKey: dedupe,
        recipient,
        topic: 'order-change',
        subject: `Change request ${change.changeRequestId} ${words[change.status] ?? change.status.toLowerCase()}`,
        body: `${change.kind === 'cancel' ? 'Cancellation' : 'Change'} of ${before.orderId} for ${before.customerName}: ${change.status}${reason ? ` — ${reason}` : ''}. The order stays as it was.`,
        link,
      }),
    );
  }
  const what =
    change.kind === 'cancel'
      ? `${before.orderId} for ${before.customerName} is CANCELLED (${change.changeRequestId}: ${change.reason}).`
      : `${before.orderId} for ${before.customerName} was changed (${change.changeRequestId}: ${change.changedFields.join(', ')}): now ${formatMajor(after.totals.gross)} ${after.totals.gross.currency}${after.requestedDeliveryDate ? `, delivery ${after.requestedDeliveryDate}` : ''}.`;
  const subject = change.kind === 'cancel' ? `Order ${before.orderId} cancelled` : `Order ${before.orderId} changed`;
  return [
    ...people.map((recipient) => notificationPut({ dedupeKey: dedupe, recipient, topic: 'order-change', subject, body: `${what} Your change request was approved.`, link })),
    ...DEPARTMENTS.map((d) => notificationPut({ dedupeKey: dedupe, recipient: toRole(d.role), topic: 'order-change', subject, body: `${what} ${d[change.kind]}`, link })),
  ];
}

const creditAgain = (changeRequestId: string) => `changed by ${changeRequestId}: credit is checked again`;

export interface ChangeOutcome {
  orderId: string;
  changeRequestId: string;
  outcome: 'APPROVED' | 'RETURNED' | 'REJECTED' | 'EXPIRED';
  decision?: { comment?: string; decidedBy: Actor; decidedAt: string };
}

/**
 * Workflow step (FinishOrderReview for a change request): the decision on the change request,
 * once. Approved: the order takes the proposal, or is cancelled. Otherwise it stays as it was.
 */
export async function finishChangeReview(input: ChangeOutcome): Promise<{ status: Order['status']; next: 'CREDIT' | 'DONE'; creditAttempt: number }> {
  const order = await getOrder(input.orderId, true);
  const creditAttempt = order.credit?.attempt ?? 0;
  // A retried step finds its change request decided already; an applied amendment of an order that had passed credit goes through credit again.
  if (order.pendingChange?.changeRequestId !== input.changeRequestId) {
    const reapplied = order.status === 'APPROVED' && order.credit?.outcome === undefined && order.credit?.reason === creditAgain(input.changeRequestId);
    return { status: order.status, next: reapplied ? 'CREDIT' : 'DONE', creditAttempt };
  }
  const change = order.pendingChange;
  const by = input.decision?.decidedBy ?? SYSTEM_ACTOR;
  // Only an order still approved (past credit, goods reserved) takes a change; one that moved into a wait meanwhile does not.
  const applicable = CHANGEABLE_STATUSES.includes(order.status);
  if (input.outcome === 'APPROVED' && !applicable) {
    input = { ...input, outcome: 'REJECTED', decision: { ...input.decision!, comment: `the order is ${order.status} now; ask again once that is over` } };
  }
  const reason = input.outcome === 'EXPIRED' ? 'not decided in time by the last authority; ask again if the change is still needed' : input.decision?.comment;
  const { pendingTask, ...review } = change.review;
  const decided: ChangeRequest = {
    ...change,
    status: input.outcome,
    review: { ...review, outcome: input.outcome, ...(reason ? { reason } : {}), decidedBy: by, decidedAt: input.decision?.decidedAt ?? nowIso() },
  };
  const { pendingChange: _pending, ...rest } = order;
  const approved = input.outcome === 'APPROVED';
  // R-CREDIT-4: an approved change gives back the exposure the order reserved; an amended order is checked again with its new amount.
  const reserved = approved ? order.credit?.reserved : undefined;
  const recheck = approved && change.kind === 'amend' && order.status !== 'APPROVED';
  const { reserved: _reserved, ...unreserved } = order.credit ?? { attempt: 0 };
  const credit = recheck ? { attempt: unreserved.attempt, reason: creditAgain(change.changeRequestId) } : order.credit && (reserved ? unreserved : order.credit);
  const changed: Order = !approved
    ? rest
    : change.kind === 'cancel'
      ? { ...rest, status: 'CANCELLED', cancelReason: change.reason }
      : { ...withProposal(rest, change.proposed!), status: 'APPROVED', findings: change.findings };
  // R-FULFIL-2: goods reserved for it go back to stock with the change; an amended order reserves again.
  const goods = approved && order.fulfilment ? await releaseItemsFor(order, by, `${change.changeRequestId} ${change.kind === 'cancel' ? 'cancelled the order' : 'changed the order'}`, 60) : undefined;
  // Its assignment (R-FULFIL-1) stays: the same people carry on with the changed order.
  const fulfilment =
    approved && order.fulfilment
      ? { attempt: order.fulfilment.attempt, lines: [], requests: [], ...(order.fulfilment.assignments ? { assignments: order.fulfilment.assignments } : {}) }
      : order.fulfilment;
  const after: Order = {
    ...changed,
    ...(credit ? { credit } : {}),
    ...(fulfilment ? { fulfilment } : {}),
    lastChange: decided,
    version: order.version + 1,
    updatedAt: nowIso(),
    updatedBy: by,
  };
  const asked = `${change.changeRequestId} (${change.kind}, asked by ${change.requestedBy.name})`;
  const action = approved
    ? `change request ${asked} approved by ${by.name}: ${change.kind === 'cancel' ? 'order cancelled' : `applied (${change.changedFields.join(', ')})`}`
    : `change request ${asked}: ${input.outcome}${reason ? ` (${reason})` : ''}; the order stays as it was`;
  const written = await replaceOrder(order, after, by, action, reason, [
    ...(reserved ? releaseItems(order, reserved.amountMinor) : []),
    ...(goods ?? []),
    ...decisionNotifications(order, decided, after, reason),
  ]);
  if (!written) throw new Error(`order ${order.orderId} changed while its change request was being decided`);
  // More reserved lines than one transaction holds: released right after, each line on its own condition.
  if (approved && order.fulfilment && !goods) await releaseOrderStock(order, by, `${change.changeRequestId} changed the order`);
  // R-FULFIL-9: goods given back in the change's own write may lift a balance over its safety stock.
  if (goods && goods.length > 0) await checkSafetyStockOfLines(order.lines, order.fulfilment?.warehouseId);
  if (approved) await withdrawRequests(order, `${change.changeRequestId} ${change.kind === 'cancel' ? 'cancelled' : 'changed'} the order`);
  // The order's own execution waits for its delivery: it ends (an amended order goes through credit and stock in this one).
  const waiting = approved ? order.fulfilment?.pendingTask : undefined;
  if (waiting) await endWait(waiting.taskId, { outcome: 'SUPERSEDED' }, 'CANCELLED');
  if (input.outcome === 'EXPIRED' && pendingTask) await closeTask(pendingTask.taskId, 'EXPIRED');
  // An order still APPROVED has its first credit check ahead of it, in the order's own execution.
  return { status: after.status, next: recheck ? 'CREDIT' : 'DONE', creditAttempt };
}
