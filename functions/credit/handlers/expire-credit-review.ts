/**
 * Workflow step: nobody decided in time; the review expires visibly and the open task closes.
 * With `failure` (the workflow's Catch: a step failed for good) the round ends the same way, EXPIRED
 * so that finance can start a new one, with the error as the reason on the credit profile.
 */
import * as z from 'zod';
import { getCustomer, replaceCustomer } from '../../customers/store.js';
import { notificationPut, toRole, toUser } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { StepFailure, failureReason } from '../../shared/step-failure.js';
import { closeTask, taskIdFor } from '../../tasks/store.js';

const Input = z.object({ customerId: z.string(), round: z.int(), executionId: z.string().optional(), failure: StepFailure.optional() });

export const handler = stepHandler('ExpireCreditReview', Input, async (input) => {
  if (input.failure) return endAfterFailure({ ...input, failure: input.failure });
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

/** A step failed for good: the round (requested or in review) ends EXPIRED with the reason; its open tasks leave the queues. */
async function endAfterFailure(input: { customerId: string; round: number; executionId?: string | undefined; failure: StepFailure }) {
  const customer = await getCustomer(input.customerId, true);
  const waiting = customer.credit.status === 'REQUESTED' || customer.credit.status === 'IN_REVIEW';
  if (customer.credit.round === input.round && waiting) {
    const reason = `credit review round ${input.round} stopped: ${failureReason(input.failure)}`;
    const after = { ...customer, credit: { ...customer.credit, status: 'EXPIRED' as const, comment: reason }, version: customer.version + 1, updatedAt: nowIso(), updatedBy: SYSTEM_ACTOR };
    const note = (recipient: string) =>
      notificationPut({
        dedupeKey: `${customer.customerId}#credit-round-${input.round}#stopped`,
        recipient,
        topic: 'credit-review',
        subject: `Credit review stopped: ${customer.name}`,
        body: `The credit review of ${customer.customerId} ${customer.name} could not go on (${failureReason(input.failure)}). Start a new review from the customer page.`,
        link: `/customers/${customer.customerId}`,
      });
    const written = await replaceCustomer(customer, after, SYSTEM_ACTOR, reason, undefined, [note(toRole('finance')), note(toUser(customer.ownerRepId))]);
    if (!written) throw new Error(`customer ${customer.customerId} changed while its review was being stopped`);
  }
  if (input.executionId) {
    for (const step of ['WaitForFinanceDecision', 'EscalateToFinanceManager']) await closeTask(taskIdFor(input.executionId, step), 'CANCELLED');
  }
  const latest = customer.credit.round === input.round && waiting ? 'EXPIRED' : customer.credit.status;
  return { creditStatus: latest };
}
