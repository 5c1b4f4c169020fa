/**
 * Workflow step (waitForTaskToken): an order with its goods reserved waits while delivery notes ship
 * it (R-FULFIL-3..7); the proof of delivery that completes it ends the wait. One wait per execution,
 * re-armed after each timeout; a wait of another execution (an order re-checked by credit and reserved
 * again) is ended, so exactly one execution waits for the order.
 */
import * as z from 'zod';
import type { Order } from '../../orders/schemas.js';
import { getOrder, updateOrder } from '../../orders/store.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { sendTaskSuccess } from '../../shared/workflows.js';
import { closeTask, openTask, taskIdFor } from '../../tasks/store.js';
import { endWait } from '../../tasks/waits.js';

const Input = z.object({ orderId: z.string(), taskToken: z.string().min(1), executionId: z.string().min(1) });

const DELIVERING: readonly Order['status'][] = ['GOODS_RESERVED', 'PARTIALLY_SHIPPED', 'SHIPPED'];

class StaleWait extends Error {}

export const handler = stepHandler('OpenDeliveryWait', Input, async (input) => {
  const order = await getOrder(input.orderId, true);
  if (order.status === 'DELIVERED' || !DELIVERING.includes(order.status)) {
    await sendTaskSuccess(input.taskToken, { outcome: order.status === 'DELIVERED' ? 'DELIVERED' : 'SUPERSEDED' });
    return { ended: order.status };
  }
  const taskId = taskIdFor(input.executionId, 'WaitForDelivery');
  const since = nowIso();
  await openTask({
    taskId,
    type: 'DELIVERY_WAIT',
    status: 'OPEN',
    assigneeRole: 'logistics',
    title: `Waiting for delivery: ${order.orderId} ${order.customerName}`,
    subject: { kind: 'order', id: order.orderId, name: `${order.orderId} ${order.customerName}` },
    details: {},
    createdAt: since,
    taskToken: input.taskToken,
    executionId: input.executionId,
  });
  const previous = order.fulfilment?.pendingTask;
  const ended = async () => {
    await closeTask(taskId, 'CANCELLED');
    const latest = await getOrder(order.orderId, true);
    await sendTaskSuccess(input.taskToken, { outcome: latest.status === 'DELIVERED' ? 'DELIVERED' : 'SUPERSEDED' });
    return { ended: latest.status };
  };
  if (previous?.taskId !== taskId) {
    try {
      await updateOrder(
        order.orderId,
        (latest) => {
          if (!DELIVERING.includes(latest.status)) throw new StaleWait();
          return { ...latest, fulfilment: { ...latest.fulfilment!, pendingTask: { taskId, type: 'DELIVERY_WAIT', assigneeRole: 'logistics', since } } };
        },
        SYSTEM_ACTOR,
        'waiting for delivery',
      );
    } catch (err) {
      if (!(err instanceof StaleWait)) throw err;
      return ended();
    }
  } else if (!DELIVERING.includes((await getOrder(order.orderId, true)).status)) {
    // A retried step (or the wait re-armed after its timeout) finds its wait on the order already: nothing is written
    // twice, but an order delivered meanwhile still ends the wait.
    return ended();
  }
  if (previous && previous.taskId !== taskId) await endWait(previous.taskId, { outcome: 'SUPERSEDED' }, 'CANCELLED');
  return { taskId };
});
