/**
 * The credit stage of an order (R-CREDIT-3..7), run by the order's state machine right after review
 * (state-machines/order-review.asl.json, states Credit*). Each check is numbered (`credit.attempt`
 * on the order): a step names the check it belongs to, so a retried step returns what it did the
 * first time and a step of an older check (another execution, a cancelled order) changes nothing.
 *
 * Every outcome is one transaction: the order's new status with its history entry, the account
 * and open item when exposure is reserved or released, and the note to the rep.
 */
import { getCustomer } from '../customers/store.js';
import { notificationPut, toUser } from '../notifications/outbox.js';
import type { Order, OrderCredit, OrderStatus } from '../orders/schemas.js';
import { getOrder, orderReplaceItems } from '../orders/store.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { businessDate, nowIso } from '../shared/clock.js';
import { transactConditional } from '../shared/dynamo.js';
import { money } from '../shared/money.js';
import type { Actor } from '../shared/schemas.js';
import type { TransactItem } from '../shared/versioned.js';
import { withdrawRequests } from '../stock/requests.js';
import { releaseOrderStock } from '../stock/reservation.js';
import { closeTask } from '../tasks/store.js';
import { approveReservedItem, ensureAccount, notOnHoldCheck, releaseItems, reserveItems } from './account.js';
import { type CreditCheck, creditCheck } from './rules.js';

/** The statuses in which an order waits in the credit stage; a rep may cancel it there. */
export const CREDIT_WAITING: readonly OrderStatus[] = ['CREDIT_HOLD', 'CREDIT_REVIEW', 'AWAITING_PREPAYMENT'];
const CHECKABLE: readonly OrderStatus[] = ['APPROVED', ...CREDIT_WAITING];

/** What the state machine routes on. */
export interface CreditStepResult {
  attempt: number;
  outcome: NonNullable<OrderCredit['outcome']>;
  /** Who decides an OVER_LIMIT outcome; null otherwise (the state machine reads it always). */
  approverRole: string | null;
  /** The stock reservation that comes next once credit passed (R-FULFIL-2). */
  stockAttempt: number;
}

export interface CheckInput {
  orderId: string;
  /** The check this step belongs to (the order's credit.attempt when the step was reached). */
  attempt: number;
  /** A credit decision approved the order over the limit (R-CREDIT-4). */
  approval?: { taskId: string; decidedBy: Actor; decidedAt: string; comment?: string };
  /** Finance confirmed the prepayment (R-CREDIT-6). */
  prepayment?: { taskId: string; decidedBy: Actor; decidedAt: string; amount: { amountMinor: number; currency: string }; reference: string; receivedOn: string };
}

const resultOf = (order: Pick<Order, 'fulfilment'>, credit: OrderCredit): CreditStepResult => ({
  attempt: credit.attempt,
  outcome: credit.outcome ?? 'SUPERSEDED',
  approverRole: credit.outcome === 'OVER_LIMIT' ? (credit.approverRole ?? null) : null,
  stockAttempt: order.fulfilment?.attempt ?? 0,
});

const STATUS_OF: Record<CreditCheck['outcome'], OrderStatus> = {
  HOLD: 'CREDIT_HOLD',
  REFUSED: 'RETURNED',
  PREPAYMENT: 'AWAITING_PREPAYMENT',
  CLEARED: 'CREDIT_APPROVED',
  RESERVE: 'CREDIT_APPROVED',
  OVER_LIMIT: 'CREDIT_REVIEW',
};

const WORDS: Record<CreditCheck['outcome'], string> = {
  HOLD: 'waits: customer on credit hold',
  REFUSED: 'returned by credit',
  PREPAYMENT: 'waits for prepayment',
  CLEARED: 'credit approved',
  RESERVE: 'credit approved',
  OVER_LIMIT: 'waits for a credit decision',
};

function repNote(order: Order, attempt: number, outcome: string, subject: string, body: string) {
  return notificationPut({
    dedupeKey: `${order.orderId}#credit-${attempt}#${outcome}`,
    recipient: toUser(order.ownerRepId),
    topic: 'order-credit',
    subject,
    body,
    link: `/orders/${order.orderId}`,
  });
}

/** Which transaction item failed, by the position the writer put it at. */
class CancelledAt extends Error {
  constructor(readonly reasons: string[]) {
    super(`transaction cancelled: ${reasons.join(', ')}`);
  }
}

async function transact(items: TransactItem[]): Promise<void> {
  const written = await transactConditional(items);
  if (!written.ok) throw new CancelledAt(written.reasons);
}

/**
 * Workflow step CheckOrderCredit: decides the order's credit outcome and writes it. A lost race
 * (the order or the account changed between read and write) reads again and decides again.
 */
export async function checkOrderCredit(input: CheckInput): Promise<CreditStepResult> {
  for (let tries = 1; ; tries++) {
    const order = await getOrder(input.orderId, true);
    const credit = order.credit ?? { attempt: 0 };
    // A retried step: this check was written already.
    if (credit.attempt === input.attempt + 1) return resultOf(order, credit);
    if (credit.attempt !== input.attempt || !CHECKABLE.includes(order.status)) return { attempt: credit.attempt, outcome: 'SUPERSEDED', approverRole: null, stockAttempt: order.fulfilment?.attempt ?? 0 };
    const customer = await getCustomer(order.customerId, true);
    const account = await ensureAccount(customer);
    const reservedAlready = order.credit?.reserved?.amountMinor;
    const decided = creditCheck({
      order: { paymentMethod: order.paymentMethod, grossMinor: order.totals.gross.amountMinor, currency: order.totals.gross.currency },
      profile: customer.credit,
      // An order re-checked after a lower limit keeps its reservation: it is judged without it (R-CREDIT-7).
      account: reservedAlready ? { ...account, exposureMinor: account.exposureMinor - reservedAlready, availableMinor: account.availableMinor + reservedAlready } : account,
      today: businessDate(),
      approved: input.approval !== undefined,
      prepaid: input.prepayment !== undefined,
    });
    try {
      return await writeOutcome(order, input, decided);
    } catch (err) {
      if (!(err instanceof CancelledAt) || tries >= 10) throw err;
      // The order or the account moved (another reservation took the room, a hold was set): decide again.
    }
  }
}

async function writeOutcome(order: Order, input: CheckInput, decided: CreditCheck): Promise<CreditStepResult> {
  const attempt = input.attempt + 1;
  const gross = order.totals.gross;
  const by = input.approval?.decidedBy ?? input.prepayment?.decidedBy ?? SYSTEM_ACTOR;
  const reservedAlready = order.credit?.reserved;
  const next: OrderCredit = {
    attempt,
    outcome: decided.outcome === 'RESERVE' ? 'RESERVED' : decided.outcome,
    reason: decided.reason,
    checkedAt: nowIso(),
    ...(decided.outcome === 'RESERVE' ? { basis: 'CREDIT', reserved: gross } : {}),
    ...(decided.outcome === 'CLEARED' ? { basis: decided.basis } : {}),
    ...(decided.outcome === 'OVER_LIMIT' ? { overBy: money(decided.overByMinor, gross.currency), approverRole: decided.approverRole } : {}),
    ...(decided.outcome === 'OVER_LIMIT' && reservedAlready ? { reserved: reservedAlready } : {}),
    ...(input.approval && decided.outcome === 'RESERVE'
      ? { approval: { taskId: input.approval.taskId, decidedBy: input.approval.decidedBy, decidedAt: input.approval.decidedAt, ...(input.approval.comment ? { comment: input.approval.comment } : {}) } }
      : {}),
    ...(input.prepayment && decided.outcome === 'CLEARED'
      ? {
          prepayment: {
            amount: input.prepayment.amount,
            reference: input.prepayment.reference,
            receivedOn: input.prepayment.receivedOn,
            confirmedBy: input.prepayment.decidedBy,
            confirmedAt: input.prepayment.decidedAt,
          },
        }
      : {}),
  };
  const status = STATUS_OF[decided.outcome];
  const after: Order = { ...order, status, credit: next, version: order.version + 1, updatedAt: nowIso(), updatedBy: by };
  const account: TransactItem[] = [];
  if (decided.outcome === 'RESERVE' && reservedAlready) {
    // Re-checked after a lower limit and approved: the reservation stands, now with its decision.
    if (input.approval) account.push(approveReservedItem(order, { taskId: input.approval.taskId, decidedBy: input.approval.decidedBy, decidedAt: input.approval.decidedAt }), notOnHoldCheck(order.customerId));
    else account.push(notOnHoldCheck(order.customerId));
  } else if (decided.outcome === 'RESERVE') {
    account.push(...reserveItems(order, decided.amountMinor, gross.currency, next.approval && { taskId: next.approval.taskId, decidedBy: next.approval.decidedBy, decidedAt: next.approval.decidedAt }));
  } else if (decided.outcome === 'CLEARED') {
    account.push(notOnHoldCheck(order.customerId));
  } else if ((decided.outcome === 'REFUSED' || decided.outcome === 'PREPAYMENT' || decided.outcome === 'HOLD') && reservedAlready) {
    // Re-checked and no longer on credit: what it held is given back.
    account.push(...releaseItems(order, reservedAlready.amountMinor));
    delete after.credit!.reserved;
  }
  const note = repNote(order, attempt, next.outcome!, `Order ${order.orderId}: ${WORDS[decided.outcome]}`, `${order.orderId} for ${order.customerName}: ${decided.reason}.`);
  await transact([...orderReplaceItems(order, after, by, `credit check ${attempt}: ${WORDS[decided.outcome]}`, decided.reason), ...account, note]);
  return resultOf(order, next);
}

export interface ExitInput {
  orderId: string;
  attempt: number;
  outcome: 'REJECTED' | 'EXPIRED';
  decision?: { comment?: string; decidedBy: Actor; decidedAt: string; taskId?: string };
}

/**
 * Workflow step ReturnOrderFromCredit: a credit decision refused the order, or nobody decided or
 * paid in time. The order goes back to its rep with the reason; any reservation is released.
 */
export async function returnOrderFromCredit(input: ExitInput): Promise<CreditStepResult> {
  const order = await getOrder(input.orderId, true);
  const credit = order.credit ?? { attempt: 0 };
  if (credit.attempt !== input.attempt || !CREDIT_WAITING.includes(order.status)) return resultOf(order, credit);
  const by = input.decision?.decidedBy ?? SYSTEM_ACTOR;
  const reason =
    input.outcome === 'EXPIRED'
      ? `${order.status === 'AWAITING_PREPAYMENT' ? 'no prepayment was confirmed' : order.status === 'CREDIT_HOLD' ? 'the credit hold was not lifted' : 'no credit decision was made'} in time; resubmit or cancel`
      : `credit refused${input.decision?.comment ? `: ${input.decision.comment}` : ''}`;
  const { reserved, pendingTask, ...rest } = credit;
  const after: Order = { ...order, status: 'RETURNED', credit: { ...rest, outcome: 'REFUSED', reason }, version: order.version + 1, updatedAt: nowIso(), updatedBy: by };
  await transact([
    ...orderReplaceItems(order, after, by, `credit check ${credit.attempt}: returned to the rep`, reason),
    ...(reserved ? releaseItems(order, reserved.amountMinor) : []),
    repNote(order, credit.attempt, `RETURNED-${input.outcome}`, `Order ${order.orderId} returned by credit`, `${order.orderId} for ${order.customerName}: ${reason}.`),
  ]);
  if (input.outcome === 'EXPIRED' && pendingTask) await closeTask(pendingTask.taskId, 'EXPIRED');
  // A re-checked order (R-CREDIT-7) may hold goods too: they go back to stock.
  if (order.fulfilment) {
    await releaseOrderStock(order, by, `order returned by credit: ${reason}`);
    await withdrawRequests(order, `order returned by credit: ${reason}`);
  }
  return { attempt: credit.attempt, outcome: 'REFUSED', approverRole: null, stockAttempt: order.fulfilment?.attempt ?? 0 };
}
