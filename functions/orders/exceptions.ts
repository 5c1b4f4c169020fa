/**
 * A workflow step that failed for good (its retries spent, or an error nothing retries) leaves the
 * order visibly in EXCEPTION with the step and the reason, after giving back what the order held:
 * its goods (stock reservations, open supply requests) and its credit reservation. The order desk and
 * the rep are told; the rep amends and resubmits the order, or cancels it.
 */
import { releaseItems } from '../credit/account.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { nowIso } from '../shared/clock.js';
import { withdrawRequests } from '../stock/requests.js';
import { releaseOrderStock } from '../stock/reservation.js';
import { closeTask } from '../tasks/store.js';
import type { Order } from './schemas.js';
import { getOrder, replaceOrder } from './store.js';

/** Orders past these are out of the workflow's hands (closed or delivered): an exception changes nothing there. */
const SETTLED: readonly Order['status'][] = ['DRAFT', 'RETURNED', 'REJECTED', 'CANCELLED', 'DELIVERED', 'EXCEPTION'];

/** Goods that left cannot be given back by a step: an order that shipped something keeps its state and is only flagged. */
const SHIPPING: readonly Order['status'][] = ['PARTIALLY_SHIPPED', 'SHIPPED'];

export interface StepFailure {
  orderId: string;
  step: string;
  error: { Error?: string; Cause?: string };
}

/** One line of cause from Step Functions' error payload (a Lambda error is JSON with errorMessage). */
function causeOf(failure: StepFailure): string {
  const raw = failure.error.Cause ?? '';
  try {
    const parsed = JSON.parse(raw) as { errorMessage?: string };
    return (parsed.errorMessage ?? raw).slice(0, 500);
  } catch {
    return raw.slice(0, 500);
  }
}

export async function recordOrderException(failure: StepFailure): Promise<{ status: Order['status'] }> {
  const order = await getOrder(failure.orderId, true);
  if (SETTLED.includes(order.status)) return { status: order.status };
  const cause = causeOf(failure);
  const error = failure.error.Error ?? 'Error';
  const shipping = SHIPPING.includes(order.status);
  const released: string[] = [];
  // Stock first, line by line (each on its own condition), then the order with its credit in one write.
  if (!shipping && order.fulfilment) {
    if ((await releaseOrderStock(order, SYSTEM_ACTOR, `exception in ${failure.step}: ${cause}`)) > 0) released.push('stock');
    if ((await withdrawRequests(order, `exception in ${failure.step}`)) > 0) released.push('supply requests');
  }
  const latest = await getOrder(failure.orderId, true);
  const reserved = shipping ? undefined : latest.credit?.reserved;
  if (reserved) released.push('credit');
  const { reserved: _reserved, pendingTask: _task, ...credit } = latest.credit ?? { attempt: 0 };
  const after: Order = {
    ...latest,
    status: shipping ? latest.status : 'EXCEPTION',
    ...(latest.credit ? { credit } : {}),
    ...(latest.fulfilment && !shipping ? { fulfilment: { ...latest.fulfilment, lines: [], requests: [], notes: [] } } : {}),
    exception: { step: failure.step, error, cause, at: nowIso(), released },
    version: latest.version + 1,
    updatedAt: nowIso(),
    updatedBy: SYSTEM_ACTOR,
  };
  const what = `${failure.step} failed for good (${error}: ${cause})${released.length ? `; released ${released.join(', ')}` : ''}`;
  const notes = [toUser(latest.ownerRepId), toRole('order_desk')].map((recipient) =>
    notificationPut({
      dedupeKey: `${latest.orderId}#exception-${failure.step}-v${latest.version}`,
      recipient,
      topic: 'order-exception',
      subject: `Order ${latest.orderId} needs attention: ${failure.step} failed`,
      body: `${latest.orderId} for ${latest.customerName}: ${what}. ${shipping ? 'Goods have left; the order desk follows it up.' : 'Amend and resubmit it, or cancel it.'}`,
      link: `/orders/${latest.orderId}`,
    }),
  );
  const written = await replaceOrder(latest, after, SYSTEM_ACTOR, `exception: ${what}`, cause, [...(reserved ? releaseItems(latest, reserved.amountMinor) : []), ...notes]);
  if (!written) throw new Error(`order ${latest.orderId} changed while its exception was being recorded`);
  // Its workflow ends here: a task it left waiting (one whose step timed out and whose escalation failed) leaves the queue.
  for (const task of [latest.review?.pendingTask, latest.credit?.pendingTask, latest.fulfilment?.pendingTask]) if (task) await closeTask(task.taskId, 'CANCELLED');
  return { status: after.status };
}
