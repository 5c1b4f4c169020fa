/** Workflow step (waitForTaskToken): put the credit review in a role's queue with the token. */
import * as z from 'zod';
import { getCustomer, updateCustomerChecked } from '../../customers/store.js';
import { notifyOnce, toRole } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { formatMajor } from '../../shared/money.js';
import { ROLES } from '../../shared/roles.js';
import { stepHandler } from '../../shared/step.js';
import { closeTask, openTask, taskIdFor } from '../../tasks/store.js';
import { ReviewSuperseded } from '../rules.js';

const Input = z.object({
  customerId: z.string(),
  round: z.int(),
  reason: z.enum(['NEW_CUSTOMER', 'PERIODIC', 'REQUESTED']),
  assigneeRole: z.enum(ROLES),
  step: z.enum(['WaitForFinanceDecision', 'EscalateToFinanceManager']),
  taskToken: z.string().min(1),
  executionId: z.string().min(1),
});

export const handler = stepHandler('OpenCreditReviewTask', Input, async (input) => {
  let customer = await getCustomer(input.customerId, true);
  if (customer.credit.round !== input.round) throw new ReviewSuperseded(input.customerId, input.round);
  if (customer.credit.status === 'REQUESTED') {
    customer = await updateCustomerChecked(customer.customerId, (c) => ({ ...c, credit: { ...c.credit, status: 'IN_REVIEW' } }), SYSTEM_ACTOR, `credit review round ${input.round} opened`);
  }
  const escalation = input.step === 'EscalateToFinanceManager';
  // An escalation takes the task away from the first queue.
  if (escalation) await closeTask(taskIdFor(input.executionId, 'WaitForFinanceDecision'), 'ESCALATED');
  const taskId = taskIdFor(input.executionId, input.step);
  const { credit } = customer;
  await openTask({
    taskId,
    type: 'CREDIT_REVIEW',
    status: 'OPEN',
    assigneeRole: input.assigneeRole,
    title: `Credit review: ${customer.name}${escalation ? ' (escalated: not decided in time)' : ''}`,
    subject: { kind: 'customer', id: customer.customerId, name: customer.name },
    details: {
      reason: input.reason,
      round: input.round,
      class: customer.class,
      region: customer.region,
      businessScope: customer.businessScope,
      fulfilmentMode: customer.fulfilmentMode,
      ownerRepId: customer.ownerRepId,
      currentRating: credit.rating ?? null,
      currentLimit: credit.limit ? `${formatMajor(credit.limit)} ${credit.limit.currency}` : null,
    },
    createdAt: nowIso(),
    ...(escalation ? { escalatedFrom: 'finance' } : {}),
    taskToken: input.taskToken,
    executionId: input.executionId,
    round: input.round,
  });
  await notifyOnce({
    dedupeKey: `${taskId}#opened`,
    recipient: toRole(input.assigneeRole),
    topic: 'credit-review',
    subject: escalation ? `Escalated credit review: ${customer.name}` : `Credit review waiting: ${customer.name}`,
    body: `${customer.customerId} ${customer.name} needs a credit decision (rating, limit, terms). Reason: ${input.reason}.`,
    link: `/tasks/${taskId}`,
  });
  return { taskId };
});
