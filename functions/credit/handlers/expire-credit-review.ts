/** Workflow step: nobody decided in time; the review expires visibly and the open task closes. */
import * as z from 'zod';
import { getCustomer, replaceCustomer } from '../../customers/store.js';
import { notificationPut, toRole, toUser } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { closeTask, taskIdFor } from '../../tasks/store.js';

const Input = z.object({ customerId: z.string(), round: z.int(), executionId: z.string().optional() });

export const handler = stepHandler('ExpireCreditReview', Input, async (input) => {
  const customer = await getCustomer(input.customerId, true);
  if (customer.credit.round !== input.round || customer.credit.status !== 'IN_REVIEW') return { creditStatus: customer.credit.status };
  const after = { ...customer, credit: { ...customer.credit, status: 'EXPIRED' as const }, version: customer.version + 1, updatedAt: nowIso(), updatedBy: SYSTEM_ACTOR };
  const note = (recipient: string) =>
    notificationPut({
      dedupeKey: `${customer.customerId}#credit-round-${input.round}#expired`,
      recipient,
      topic: 'credit-review',
      subject: `Credit review expired: ${customer.name}`,
      body: `Nobody decided the credit review of ${customer.customerId} ${customer.name} in time. Start a new review from the customer page.`,
      link: `/customers/${customer.customerId}`,
    });
  const written = await replaceCustomer(customer, after, SYSTEM_ACTOR, `credit review round ${input.round} expired undecided`, undefined, [
    note(toRole('finance_manager')),
    note(toUser(customer.ownerRepId)),
  ]);
  if (!written) throw new Error(`customer ${customer.customerId} changed while the review was expiring`);
  if (input.executionId) await closeTask(taskIdFor(input.executionId, 'EscalateToFinanceManager'), 'EXPIRED');
  return { creditStatus: 'EXPIRED' };
});
