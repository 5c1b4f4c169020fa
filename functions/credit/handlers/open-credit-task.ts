/**
 * Workflow step (waitForTaskToken) of the credit stage: keeps the token of an order that waits —
 * for a credit decision over the limit (R-CREDIT-4, a task for the finance manager or the GM), for
 * finance to confirm a prepayment (R-CREDIT-6), or for its customer's credit hold to be lifted
 * (R-CREDIT-5, a wait in nobody's queue). A step of an older check ends its wait at once.
 */
import * as z from 'zod';
import { getCustomer } from '../../customers/store.js';
import { notifyOnce, toRole } from '../../notifications/outbox.js';
import type { Order, OrderStatus } from '../../orders/schemas.js';
import { getOrder, updateOrder } from '../../orders/store.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { formatMajor, money } from '../../shared/money.js';
import { stepHandler } from '../../shared/step.js';
import { sendTaskSuccess } from '../../shared/workflows.js';
import { OpenTaskStepInput } from '../../tasks/schemas.js';
import { closeTask, openTask, taskIdFor } from '../../tasks/store.js';
import { ensureAccount, getAccount } from '../account.js';

const Input = OpenTaskStepInput.extend({
  orderId: z.string(),
  attempt: z.int().min(0),
  taskType: z.enum(['CREDIT_APPROVAL', 'PREPAYMENT_CONFIRMATION', 'CREDIT_HOLD_WAIT']),
});

const WAITS_IN: Record<z.infer<typeof Input>['taskType'], OrderStatus> = {
  CREDIT_APPROVAL: 'CREDIT_REVIEW',
  PREPAYMENT_CONFIRMATION: 'AWAITING_PREPAYMENT',
  CREDIT_HOLD_WAIT: 'CREDIT_HOLD',
};

const KIND = { CREDIT_APPROVAL: 'Credit approval', PREPAYMENT_CONFIRMATION: 'Prepayment confirmation', CREDIT_HOLD_WAIT: 'Waiting for credit hold lift' } as const;

class StaleWait extends Error {}

const isCurrent = (order: Order, attempt: number, status: OrderStatus) => order.status === status && (order.credit?.attempt ?? 0) === attempt;

export const handler = stepHandler('OpenCreditTask', Input, async (input) => {
  const order = await getOrder(input.orderId, true);
  const waitsIn = WAITS_IN[input.taskType];
  if (!isCurrent(order, input.attempt, waitsIn)) {
    // Cancelled or moved on before the wait began: nobody would ever end this wait.
    await sendTaskSuccess(input.taskToken, { outcome: 'SUPERSEDED' });
    return { superseded: true };
  }
  if (input.replacesStep) await closeTask(taskIdFor(input.executionId, `${input.replacesStep}#${input.attempt}`), 'ESCALATED');
  const taskId = taskIdFor(input.executionId, `${input.step}#${input.attempt}`);
  const customer = await getCustomer(order.customerId);
  const account = await ensureAccount(customer);
  const gross = order.totals.gross;
  const fmt = (minor: number) => `${formatMajor(money(minor, gross.currency))} ${gross.currency}`;
  const credit = order.credit!;
  const about = `${order.orderId} ${order.customerName}`;
  const kind = KIND[input.taskType];
  const createdAt = nowIso();
  await openTask({
    taskId,
    type: input.taskType,
    status: 'OPEN',
    assigneeRole: input.assigneeRole,
    title: `${kind}: ${about}${credit.overBy ? ` (over the limit by ${fmt(credit.overBy.amountMinor)})` : ''}${input.escalatedFrom ? ` (escalated from ${input.escalatedFrom})` : ''}`,
    subject: { kind: 'order', id: order.orderId, name: about },
    details: {
      customerId: order.customerId,
      customerName: order.customerName,
      ownerRepId: order.ownerRepId,
      gross: fmt(gross.amountMinor),
      grossMinor: gross.amountMinor,
      currency: gross.currency,
      paymentMethod: order.paymentMethod ?? null,
      reason: credit.reason ?? null,
      rating: customer.credit.rating ?? null,
      limit: fmt(account.limitMinor),
      exposure: fmt(account.exposureMinor),
      available: fmt(account.availableMinor),
      ...(credit.overBy ? { overBy: fmt(credit.overBy.amountMinor) } : {}),
      ...(account.hold ? { hold: account.hold.reason } : {}),
    },
    createdAt,
    ...(input.escalatedFrom ? { escalatedFrom: input.escalatedFrom } : {}),
    taskToken: input.taskToken,
    executionId: input.executionId,
  });
  if (credit.pendingTask?.taskId !== taskId) {
    try {
      await updateOrder(
        order.orderId,
        (latest) => {
          if (!isCurrent(latest, input.attempt, waitsIn)) throw new StaleWait();
          return { ...latest, credit: { ...latest.credit!, pendingTask: { taskId, type: input.taskType, assigneeRole: input.assigneeRole, since: createdAt } } };
        },
        SYSTEM_ACTOR,
        `credit check ${input.attempt}: ${input.taskType === 'CREDIT_HOLD_WAIT' ? 'waiting for the credit hold to be lifted' : `waiting for ${input.assigneeRole}: ${kind.toLowerCase()}`}`,
      );
    } catch (err) {
      if (!(err instanceof StaleWait)) throw err;
      // Cancelled between the read and this write: end the wait that was just opened.
      await closeTask(taskId, 'CANCELLED');
      await sendTaskSuccess(input.taskToken, { outcome: 'SUPERSEDED' });
      return { superseded: true };
    }
  }
  if (input.taskType === 'CREDIT_HOLD_WAIT' && !(await getAccount(order.customerId))?.hold) {
    // Lifted between the check and this wait: the lift found no wait to end, so this step ends it.
    await closeTask(taskId, 'RESUMED');
    await sendTaskSuccess(input.taskToken, { outcome: 'LIFTED' });
    return { taskId };
  }
  if (input.taskType !== 'CREDIT_HOLD_WAIT') {
    await notifyOnce({
      dedupeKey: `${taskId}#opened`,
      recipient: toRole(input.assigneeRole),
      topic: 'order-credit',
      subject: `${kind} waiting: ${about}`,
      body: `${order.orderId} for ${order.customerName}, ${fmt(gross.amountMinor)}: ${credit.reason ?? ''}`,
      link: `/tasks/${taskId}`,
    });
  }
  return { taskId };
});
