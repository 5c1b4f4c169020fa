/**
 * Workflow step: the version goes back to its drafter (RETURNED, editable, resubmittable) with
 * the reviewer's or approver's reason, or with "not decided in time" when nobody decided, or with
 * the error when a step failed for good (`failure`, from the workflow's Catch).
 */
import * as z from 'zod';
import { notificationPut, toRole, toUser } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { TransientError } from '../../shared/errors.js';
import { stepHandler } from '../../shared/step.js';
import { StepFailure, failureReason } from '../../shared/step-failure.js';
import { closeTask, taskIdFor } from '../../tasks/store.js';
import { approverRole, drafters, listTitle, versionPath } from '../rules.js';
import type { PriceListVersion } from '../schemas.js';
import { getVersion, replaceVersion } from '../store.js';
import { RecordedApproveOrReturn, StepInput } from '../workflow.js';

export const NOT_DECIDED_IN_TIME = 'not decided in time';

const Input = StepInput.extend({
  executionId: z.string().min(1),
  decision: RecordedApproveOrReturn.optional(),
  expired: z.boolean().default(false),
  failure: StepFailure.optional(),
}).refine((i) => i.expired || !!i.failure || (i.decision?.outcome === 'RETURNED' && !!i.decision.comment), 'a return with its reason, an expiry or a failure');

export const handler = stepHandler('ReturnPriceListVersion', Input, async (input) => {
  const v = await getVersion(input.priceListId, input.version, true);
  if (v.round !== input.round) return { status: 'SUPERSEDED' };
  if (v.status === 'RETURNED') return { status: v.status }; // a retried step
  if (v.status !== 'IN_REVIEW' && v.status !== 'AWAITING_APPROVAL') return { status: 'SUPERSEDED' };

  const at = nowIso();
  const decision = input.expired || input.failure ? undefined : input.decision;
  const by = decision?.decidedBy ?? SYSTEM_ACTOR;
  const failed = input.failure ? `not decided: a step failed (${failureReason(input.failure)})` : undefined;
  const reason = decision?.comment ?? failed ?? NOT_DECIDED_IN_TIME;
  const stage = v.status === 'IN_REVIEW' ? 'review' : 'approval';
  const after: PriceListVersion = {
    ...v,
    status: 'RETURNED',
    returnReason: reason,
    returnedBy: by,
    returnedAt: decision?.decidedAt ?? at,
    revision: v.revision + 1,
    updatedAt: at,
    updatedBy: by,
  };
  const name = listTitle(v);
  const note = (recipient: string) =>
    notificationPut({
      dedupeKey: `${v.priceListId}#v${v.version}#r${v.round}#returned`,
      recipient,
      topic: 'price-list',
      subject: `Price list returned: ${name}`,
      body: decision
        ? `${by.name} returned ${name} at ${stage}: ${reason}. Edit it and submit it again.`
        : failed
          ? `${name} could not be decided (${failureReason(input.failure!)}); it is back with its drafter. Submit it again when ready.`
          : `Nobody decided ${name} in time; it is back with its drafter. Submit it again when ready.`,
      link: versionPath(v.priceListId, v.version),
    });
  const recipients = [...drafters(v).map(toUser), ...(decision ? [] : [toRole(approverRole(v.kind))])];
  const written = await replaceVersion({
    before: v,
    after,
    by,
    action: decision ? `version ${v.version} returned at ${stage}` : `version ${v.version} returned: ${failed ? 'a step failed' : NOT_DECIDED_IN_TIME}`,
    reason,
    history: { before: { status: v.status }, after: { status: 'RETURNED', returnReason: reason } },
    alsoWrite: recipients.map(note),
  });
  if (!written) throw new TransientError(`price list ${v.priceListId} v${v.version} changed while it was being returned`);
  // Nobody decided: the approval task leaves the queue; after a failure, whichever task was open.
  if (failed) for (const step of ['WaitForReview', 'WaitForApproval']) await closeTask(taskIdFor(input.executionId, step), 'CANCELLED');
  else if (!decision) await closeTask(taskIdFor(input.executionId, 'WaitForApproval'), 'EXPIRED');
  return { status: 'RETURNED' };
});
