/** Workflow step (waitForTaskToken): put a price list review or approval in a role's queue with the token. */
import * as z from 'zod';
import { notifyOnce, toRole } from '../../notifications/outbox.js';
import { now, nowIso } from '../../shared/clock.js';
import { formatMajor } from '../../shared/money.js';
import { stepHandler } from '../../shared/step.js';
import { openTask, taskIdFor } from '../../tasks/store.js';
import { REVIEWER_ROLE, RoundSuperseded, approverRole, listTitle, taskDetails } from '../rules.js';
import { getVersion } from '../store.js';
import { DECIDE_WITHIN_MS, StepInput } from '../workflow.js';

const Input = StepInput.extend({
  step: z.enum(['WaitForReview', 'WaitForApproval']),
  /** The same task again after its first deadline passed: it stays open, the approver is reminded. */
  reminder: z.boolean(),
  taskToken: z.string().min(1),
  executionId: z.string().min(1),
});

export const handler = stepHandler('OpenPriceListTask', Input, async (input) => {
  const v = await getVersion(input.priceListId, input.version, true);
  const review = input.step === 'WaitForReview';
  if (v.round !== input.round || v.status !== (review ? 'IN_REVIEW' : 'AWAITING_APPROVAL')) {
    throw new RoundSuperseded(input.priceListId, input.version, input.round);
  }
  // R-PRICE-1: the sales manager reviews the general list and the GM approves it; R-PRICE-2: the sales manager approves a customer list.
  const assigneeRole = review ? REVIEWER_ROLE : approverRole(v.kind);
  const escalated = !review && v.reviewEscalated === true;
  const taskId = taskIdFor(input.executionId, input.step);
  const name = listTitle(v);
  const format = (m: { amountMinor: number; currency: string }) => `${formatMajor(m)} ${m.currency}`;
  await openTask({
    taskId,
    type: review ? 'PRICE_LIST_REVIEW' : 'PRICE_LIST_APPROVAL',
    status: 'OPEN',
    assigneeRole,
    title: `${review ? 'Review' : 'Approve'} ${name}${escalated ? ' (escalated: not reviewed in time; your decision reviews and approves)' : ''}`,
    subject: { kind: 'priceList', id: v.priceListId, name },
    details: taskDetails(v, format),
    createdAt: nowIso(),
    dueAt: new Date(now().getTime() + DECIDE_WITHIN_MS).toISOString(),
    ...(escalated ? { escalatedFrom: REVIEWER_ROLE } : {}),
    taskToken: input.taskToken,
    executionId: input.executionId,
    round: input.round,
  });
  await notifyOnce({
    dedupeKey: `${taskId}#${input.reminder ? 'reminder' : 'opened'}`,
    recipient: toRole(assigneeRole),
    topic: 'price-list',
    subject: input.reminder
      ? `Reminder: ${name} still waits for your approval`
      : `${escalated ? 'Escalated price list' : review ? 'Price list review' : 'Price list approval'} waiting: ${name}`,
    body: `${name} (${v.items.length} items, effective from ${v.effectiveFrom}) needs your ${review ? 'review' : 'approval'}: approve it or return it with a reason.${
      input.reminder ? ' Undecided in 3 more days, it goes back to its drafter.' : ''
    }`,
    link: `/tasks/${taskId}`,
  });
  return { taskId };
});
