/** Workflow step: write finance's decision on the customer, once, with history and a note to the owner rep. */
import * as z from 'zod';
import { getCustomer, replaceCustomer } from '../../customers/store.js';
import { notificationPut, toUser } from '../../notifications/outbox.js';
import { now, nowIso } from '../../shared/clock.js';
import { formatMajor } from '../../shared/money.js';
import { stepHandler } from '../../shared/step.js';
import type { CreditReviewDecision, RecordedDecision } from '../../tasks/schemas.js';
import { limitChange, writeLater } from '../limits.js';
import { alreadyApplied, decidedProfile } from '../rules.js';

const Input = z.object({
  customerId: z.string(),
  round: z.int(),
  decision: z.looseObject({ outcome: z.enum(['APPROVED', 'REJECTED']), decidedAt: z.string(), decidedBy: z.object({ userId: z.string(), name: z.string() }) }),
});

export const handler = stepHandler('ApplyCreditReviewDecision', Input, async (input) => {
  const decision = input.decision as unknown as RecordedDecision<CreditReviewDecision>;
  const customer = await getCustomer(input.customerId, true);
  if (customer.credit.round !== input.round) return { creditStatus: 'SUPERSEDED' };
  if (alreadyApplied(customer.credit, decision)) return { creditStatus: customer.credit.status };
  const credit = decidedProfile(customer.credit, decision, now());
  const after = { ...customer, credit, version: customer.version + 1, updatedAt: nowIso(), updatedBy: decision.decidedBy };
  const summary =
    credit.status === 'APPROVED'
      ? `approved: rating ${credit.rating}, limit ${formatMajor(credit.limit!)} ${credit.limit!.currency}, ${credit.paymentTermsDays} days`
      : `rejected: ${credit.comment}`;
  const limits = await limitChange(customer, credit, decision.decidedBy);
  const written = await replaceCustomer(customer, after, decision.decidedBy, `credit review round ${input.round} ${summary}`, undefined, [
    ...limits.items,
    notificationPut({
      dedupeKey: `${customer.customerId}#credit-round-${input.round}#decided`,
      recipient: toUser(customer.ownerRepId),
      topic: 'credit-review',
      subject: `Credit review ${credit.status === 'APPROVED' ? 'approved' : 'rejected'}: ${customer.name}`,
      body: `${customer.customerId} ${customer.name}: ${summary}.`,
      link: `/customers/${customer.customerId}`,
    }),
  ]);
  // Lost a race with another writer: fail so the workflow retries on the fresh version.
  if (!written) throw new Error(`customer ${customer.customerId} changed while the decision was being applied`);
  await writeLater(limits.later);
  return { creditStatus: credit.status };
});
