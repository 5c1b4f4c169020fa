import { assertPaidAhead } from '../../billing/payments.js';
import { getOrder } from '../../orders/store.js';
import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { deliverDecision } from '../deliver.js';
import { taskRoutes } from '../routes.js';
import { assertMayDecide, isRedelivery, parseDecision } from '../rules.js';
import { getStoredTask, publicTask } from '../store.js';

export const handler = httpHandler(taskRoutes.decideTask, async ({ params, body, user }) => {
  const task = await getStoredTask(params.taskId);
  // Who may decide: the task's role only, and only once.
  assertMayDecide(user, task);
  const decision = parseDecision(task, body);
  // R-CREDIT-6 with R-BILL-2: a prepayment is confirmed by the receipt of the payment recorded for the order.
  if (task.type === 'PREPAYMENT_CONFIRMATION' && decision.outcome === 'APPROVED' && 'reference' in decision) {
    const order = await getOrder(task.subject.id, true);
    await assertPaidAhead(order.customerId, order.orderId, decision.reference, order.totals.gross.amountMinor, order.totals.gross.currency);
  }
  // Then the waiting workflow goes on with the decision.
  const ended = await deliverDecision(task, decision, actorOf(user), isRedelivery(task, decision, user));
  return { status: 200, body: publicTask({ ...ended }) };
});
