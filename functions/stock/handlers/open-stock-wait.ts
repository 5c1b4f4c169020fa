/**
 * Workflow step (waitForTaskToken): an order short of stock waits in AWAITING_STOCK for its
 * production or purchase requests (R-FULFIL-2). The token is kept as a wait in nobody's queue;
 * completing a request ends it. A request completed before the wait was stored ends it here.
 */
import * as z from 'zod';
import type { Order } from '../../orders/schemas.js';
import { getOrder, updateOrder } from '../../orders/store.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { sendTaskSuccess } from '../../shared/workflows.js';
import { closeTask, openTask, taskIdFor } from '../../tasks/store.js';
import { getRequest } from '../requests.js';

const Input = z.object({ orderId: z.string(), attempt: z.int().min(0), taskToken: z.string().min(1), executionId: z.string().min(1) });

const isCurrent = (order: Order, attempt: number) => order.status === 'AWAITING_STOCK' && order.fulfilment?.attempt === attempt;

class StaleWait extends Error {}

export const handler = stepHandler('OpenStockWait', Input, async (input) => {
  const order = await getOrder(input.orderId, true);
  if (!isCurrent(order, input.attempt)) {
    await sendTaskSuccess(input.taskToken, { outcome: 'SUPERSEDED' });
    return { superseded: true };
  }
  const taskId = taskIdFor(input.executionId, `WaitForStock#${input.attempt}`);
  const since = nowIso();
  await openTask({
    taskId,
    type: 'STOCK_WAIT',
    status: 'OPEN',
    assigneeRole: 'production',
    title: `Waiting for stock: ${order.orderId} ${order.customerName}`,
    subject: { kind: 'order', id: order.orderId, name: `${order.orderId} ${order.customerName}` },
    details: { requests: order.fulfilment!.requests, reason: order.fulfilment!.reason ?? null },
    createdAt: since,
    taskToken: input.taskToken,
    executionId: input.executionId,
  });
  const superseded = async () => {
    await closeTask(taskId, 'CANCELLED');
    await sendTaskSuccess(input.taskToken, { outcome: 'SUPERSEDED' });
    return { superseded: true };
  };
  if (order.fulfilment?.pendingTask?.taskId !== taskId) {
    try {
      await updateOrder(
        order.orderId,
        (latest) => {
          if (!isCurrent(latest, input.attempt)) throw new StaleWait();
          return { ...latest, fulfilment: { ...latest.fulfilment!, pendingTask: { taskId, type: 'STOCK_WAIT', assigneeRole: 'production', since } } };
        },
        SYSTEM_ACTOR,
        `stock reservation ${input.attempt}: waiting for ${order.fulfilment!.requests.join(', ')}`,
      );
    } catch (err) {
      if (!(err instanceof StaleWait)) throw err;
      return superseded();
    }
  } else if (!isCurrent(await getOrder(order.orderId, true), input.attempt)) {
    // A retried step finds its wait on the order already: nothing is written twice, but an order that moved on meanwhile still ends the wait.
    return superseded();
  }
  // A request completed before this wait was stored found nothing to resume: resume now.
  const requests = await Promise.all(order.fulfilment!.requests.map(getRequest));
  if (requests.some((r) => r?.status === 'COMPLETED')) {
    await closeTask(taskId, 'RESUMED');
    await sendTaskSuccess(input.taskToken, { outcome: 'STOCK_RECEIVED' });
  }
  return { taskId };
});
