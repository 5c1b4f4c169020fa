/** Workflow step (waitForTaskToken): put an order review or special approval — of the order or of its change request (R-INTAKE-6) — in a role's queue. */
import * as z from 'zod';
import { notifyOnce, toRole } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { formatMajor } from '../../shared/money.js';
import { stepHandler } from '../../shared/step.js';
import { OpenTaskStepInput } from '../../tasks/schemas.js';
import { closeTask, openTask, taskIdFor } from '../../tasks/store.js';
import { pendingChangeOf } from '../changes.js';
import type { ChangeRequest, Order } from '../schemas.js';
import { ReviewSuperseded, getOrder, updateOrder } from '../store.js';

const Input = OpenTaskStepInput.extend({
  orderId: z.string(),
  round: z.int(),
  taskType: z.enum(['ORDER_REVIEW', 'SPECIAL_APPROVAL']),
  changeRequestId: z.string().nullish(),
});

/** What the decider of a change request sees besides the order: the request and the proposal. */
function changeDetails(order: Order, change: ChangeRequest) {
  const p = change.proposed;
  return {
    changeRequestId: change.changeRequestId,
    changeKind: change.kind,
    changeReason: change.reason,
    changedFields: change.changedFields,
    requestedBy: change.requestedBy,
    ...(p
      ? {
          proposed: {
            gross: `${formatMajor(p.totals.gross)} ${p.totals.gross.currency}`,
            requestedDeliveryDate: p.requestedDeliveryDate ?? null,
            paymentMethod: p.paymentMethod ?? null,
            delivery: p.delivery?.mode ?? null,
            lines: p.lines.map((l) => ({ lineNo: l.lineNo, productCode: l.productCode, specification: l.specification ?? null, quantity: l.quantity ?? null, unitPrice: l.unitPrice ?? null })),
          },
        }
      : {}),
    current: { gross: `${formatMajor(order.totals.gross)} ${order.totals.gross.currency}`, status: order.status },
  };
}

export const handler = stepHandler('OpenOrderTask', Input, async (input) => {
  const order = await getOrder(input.orderId, true);
  const change = input.changeRequestId ? pendingChangeOf(order, input.changeRequestId) : undefined;
  if (!change && (order.review.round !== input.round || order.status !== 'IN_REVIEW')) throw new ReviewSuperseded(input.orderId, input.round);
  // An escalation takes the task away from the queue that let it wait.
  if (input.replacesStep) await closeTask(taskIdFor(input.executionId, input.replacesStep), 'ESCALATED');
  const taskId = taskIdFor(input.executionId, input.step);
  const kind = change
    ? `Change request ${input.taskType === 'ORDER_REVIEW' ? 'review' : 'special approval'}`
    : input.taskType === 'ORDER_REVIEW'
      ? 'Order review'
      : 'Special approval';
  const findings = change ? change.findings : order.findings;
  const relevant = input.taskType === 'ORDER_REVIEW' ? findings : findings.filter((f) => f.approvers.includes(input.assigneeRole));
  const about = `${order.orderId} ${order.customerName}${change ? ` (${change.changeRequestId}, ${change.kind})` : ''}`;
  const createdAt = nowIso();
  await openTask({
    taskId,
    type: input.taskType,
    status: 'OPEN',
    assigneeRole: input.assigneeRole,
    title: `${kind}: ${about}${input.escalatedFrom ? ` (escalated from ${input.escalatedFrom})` : ''}`,
    subject: { kind: 'order', id: order.orderId, name: `${order.orderId} ${order.customerName}` },
    details: {
      round: order.review.round,
      customerId: order.customerId,
      customerName: order.customerName,
      ownerRepId: order.ownerRepId,
      gross: `${formatMajor(order.totals.gross)} ${order.totals.gross.currency}`,
      requestedDeliveryDate: order.requestedDeliveryDate ?? null,
      paymentMethod: order.paymentMethod ?? null,
      delivery: order.delivery?.mode ?? null,
      lines: order.lines.length,
      findings: relevant,
      ...(change ? changeDetails(order, change) : {}),
    },
    createdAt,
    ...(input.escalatedFrom ? { escalatedFrom: input.escalatedFrom } : {}),
    taskToken: input.taskToken,
    executionId: input.executionId,
    round: input.round,
  });
  const pendingTask = { taskId, type: input.taskType, assigneeRole: input.assigneeRole, since: createdAt };
  const waiting = `waiting for ${input.assigneeRole}: ${kind.toLowerCase()}${input.escalatedFrom ? ` (escalated from ${input.escalatedFrom})` : ''}`;
  if (change && change.review.pendingTask?.taskId !== taskId) {
    await updateOrder(
      order.orderId,
      (latest) => {
        const pending = pendingChangeOf(latest, change.changeRequestId);
        return { ...latest, pendingChange: { ...pending, review: { ...pending.review, pendingTask } } };
      },
      SYSTEM_ACTOR,
      `${change.changeRequestId} ${waiting}`,
    );
  } else if (!change && order.review.pendingTask?.taskId !== taskId) {
    await updateOrder(order.orderId, (latest) => ({ ...latest, review: { ...latest.review, pendingTask } }), SYSTEM_ACTOR, waiting);
  }
  await notifyOnce({
    dedupeKey: `${taskId}#opened`,
    recipient: toRole(input.assigneeRole),
    topic: 'order-review',
    subject: `${kind} waiting: ${about}`,
    body: `${order.orderId} for ${order.customerName}, ${formatMajor((change?.proposed ?? order).totals.gross)} ${order.totals.gross.currency}${change ? ` (${change.kind}: ${change.reason})` : ''}${relevant.length ? `; findings: ${relevant.map((f) => f.code).join(', ')}` : ''}.`,
    link: `/tasks/${taskId}`,
  });
  return { taskId };
});
