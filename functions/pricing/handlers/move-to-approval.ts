/**
 * Workflow step: the sales manager passed the general list's review, or did not review it in
 * time (then the GM's approval task covers the review too); the version awaits approval.
 */
import * as z from 'zod';
import { notificationPut, toRole } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { TransientError } from '../../shared/errors.js';
import { stepHandler } from '../../shared/step.js';
import { closeTask, taskIdFor } from '../../tasks/store.js';
import { REVIEWER_ROLE, approverRole, listTitle, versionPath } from '../rules.js';
import type { PriceListVersion } from '../schemas.js';
import { getVersion, replaceVersion } from '../store.js';
import { RecordedApproveOrReturn, StepInput } from '../workflow.js';

const Input = StepInput.extend({
  executionId: z.string().min(1),
  decision: RecordedApproveOrReturn.optional(),
  escalated: z.boolean().default(false),
}).refine((i) => i.escalated || i.decision?.outcome === 'APPROVED', 'a passed review or an escalation');

export const handler = stepHandler('MovePriceListToApproval', Input, async (input) => {
  const v = await getVersion(input.priceListId, input.version, true);
  if (v.round !== input.round) return { status: 'SUPERSEDED' };
  if (v.status === 'AWAITING_APPROVAL') return { status: v.status }; // a retried step
  if (v.status !== 'IN_REVIEW') return { status: 'SUPERSEDED' };

  const at = nowIso();
  const decision = input.decision;
  const by = input.escalated || !decision ? SYSTEM_ACTOR : decision.decidedBy;
  const after: PriceListVersion = {
    ...v,
    status: 'AWAITING_APPROVAL',
    ...(input.escalated || !decision
      ? { reviewEscalated: true }
      : { reviewedBy: decision.decidedBy, reviewedAt: decision.decidedAt, ...(decision.comment ? { reviewComment: decision.comment } : {}) }),
    revision: v.revision + 1,
    updatedAt: at,
    updatedBy: by,
  };
  const name = listTitle(v);
  const written = await replaceVersion({
    before: v,
    after,
    by,
    action: input.escalated
      ? `version ${v.version} not reviewed in time: escalated to the general manager, who reviews and approves`
      : `version ${v.version} reviewed: passed to the ${approverRole(v.kind).replace('_', ' ')} for approval`,
    ...(decision?.comment ? { reason: decision.comment } : {}),
    history: { before: { status: v.status }, after: { status: after.status, ...(input.escalated ? { reviewEscalated: true } : { reviewedBy: after.reviewedBy }) } },
    alsoWrite: input.escalated
      ? [
          notificationPut({
            dedupeKey: `${v.priceListId}#v${v.version}#r${v.round}#review-escalated`,
            recipient: toRole(REVIEWER_ROLE),
            topic: 'price-list',
            subject: `Price list review escalated: ${name}`,
            body: `${name} was not reviewed within 3 days; the general manager now reviews and approves it.`,
            link: versionPath(v.priceListId, v.version),
          }),
        ]
      : [],
  });
  // Lost a race with another writer: retry on the fresh version.
  if (!written) throw new TransientError(`price list ${v.priceListId} v${v.version} changed while its review was recorded`);
  // The escalation takes the review task off the sales manager's queue.
  if (input.escalated) await closeTask(taskIdFor(input.executionId, 'WaitForReview'), 'ESCALATED');
  return { status: after.status };
});
