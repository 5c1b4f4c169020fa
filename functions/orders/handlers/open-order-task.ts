/** Workflow step (waitForTaskToken): put an order review or special approval in a role's queue. */
import * as z from 'zod';
import { notifyOnce, toRole } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { formatMajor } from '../../shared/money.js';
import { ROLES } from '../../shared/roles.js';
import { stepHandler } from '../../shared/step.js';
import { closeTask, openTask, taskIdFor } from '../../tasks/store.js';
import { ReviewSuperseded, getOrder, updateOrder } from '../store.js';

const Input = z.object({
  orderId: z.string(),
  round: z.int(),
  taskType: z.enum(['ORDER_REVIEW', 'SPECIAL_APPROVAL']),
  assigneeRole: z.enum(ROLES),
  step: z.string().min(1),
  escalatedFrom: z.enum(ROLES).optional(),
  replacesStep: z.string().optional(),
  taskToken: z.string().min(1),
  executionId: z.string().min(1),
});

export const handler = stepHandler('OpenOrderTask', Input, async (input) => {
  const order = await getOrder(input.orderId, true);
  if (order.review.round !== input.round || order.status !== 'IN_REVIEW') throw new ReviewSuperseded(input.orderId, input.round);
  // An escalation takes the task away from the queue that let it wait.
  if (input.replacesStep) await closeTask(taskIdFor(input.executionId, input.replacesStep), 'ESCALATED');
  const taskId = taskIdFor(input.executionId, input.step);
  const kind = input.taskType === 'ORDER_REVIEW' ? 'Order review' : 'Special approval';
  const relevant = input.taskType === 'ORDER_REVIEW' ? order.findings : order.findings.filter((f) => f.approvers.includes(input.assigneeRole));
  const createdAt = nowIso();
  await openTask({
    taskId,
    type: input.taskType,
    status: 'OPEN',
    assigneeRole: input.assigneeRole,
    title: `${kind}: ${order.orderId} ${order.customerName}${input.escalatedFrom ? ` (escalated from ${input.escalatedFrom})` : ''}`,
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
    },
    createdAt,
    ...(input.escalatedFrom ? { escalatedFrom: input.escalatedFrom } : {}),
    taskToken: input.taskToken,
    executionId: input.executionId,
    round: input.round,
  });
  const pendingTask = { taskId, type: input.taskType, assigneeRole: input.assigneeRole, since: createdAt };
  if (order.review.pendingTask?.taskId !== taskId) {
    await updateOrder(
      order.orderId,
      (latest) => ({ ...latest, review: { ...latest.review, pendingTask } }),
      SYSTEM_ACTOR,
      `waiting for ${input.assigneeRole}: ${kind.toLowerCase()}${input.escalatedFrom ? ` (escalated from ${input.escalatedFrom})` : ''}`,
    );
  }
  await notifyOnce({
    dedupeKey: `${taskId}#opened`,
    recipient: toRole(input.assigneeRole),
    topic: 'order-review',
    subject: `${kind} waiting: ${order.orderId} ${order.customerName}`,
    body: `${order.orderId} for ${order.customerName}, ${formatMajor(order.totals.gross)} ${order.totals.gross.currency}${relevant.length ? `; findings: ${relevant.map((f) => f.code).join(', ')}` : ''}.`,
    link: `/tasks/${taskId}`,
  });
  return { taskId };
});
