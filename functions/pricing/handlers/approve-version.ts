/**
 * Workflow step: the approver approved (R-PRICE-1: the GM, for the general list; R-PRICE-2: the
 * sales manager, for a customer list). The version becomes APPROVED, conditional on its status
 * and revision, and joins the head's approved versions; the drafter and the order desk hear of it.
 */
import { notificationPut, toRole, toUser } from '../../notifications/outbox.js';
import { TransientError } from '../../shared/errors.js';
import { stepHandler } from '../../shared/step.js';
import { drafters, listTitle, versionPath } from '../rules.js';
import type { PriceListVersion } from '../schemas.js';
import { getVersion, replaceVersion } from '../store.js';
import { RecordedApproveOrReturn, StepInput } from '../workflow.js';

const Input = StepInput.extend({ decision: RecordedApproveOrReturn.refine((d) => d.outcome === 'APPROVED', 'an approval') });

export const handler = stepHandler('ApprovePriceListVersion', Input, async ({ priceListId, version, round, decision }) => {
  const v = await getVersion(priceListId, version, true);
  if (v.round !== round) return { status: 'SUPERSEDED' };
  if (v.status === 'APPROVED') return { status: v.status }; // a retried step
  if (v.status !== 'AWAITING_APPROVAL') return { status: 'SUPERSEDED' };

  const after: PriceListVersion = {
    ...v,
    status: 'APPROVED',
    approvedBy: decision.decidedBy,
    approvedAt: decision.decidedAt,
    ...(decision.comment ? { approvalComment: decision.comment } : {}),
    // Escalated: the GM's approval is the review too.
    ...(v.reviewEscalated ? { reviewedBy: decision.decidedBy, reviewedAt: decision.decidedAt } : {}),
    revision: v.revision + 1,
    updatedAt: decision.decidedAt,
    updatedBy: decision.decidedBy,
  };
  const name = listTitle(v);
  const note = (recipient: string) =>
    notificationPut({
      dedupeKey: `${priceListId}#v${version}#approved`,
      recipient,
      topic: 'price-list',
      subject: `Price list approved: ${name}`,
      body: `${name} (${v.items.length} items) was approved by ${decision.decidedBy.name}; it is in force from ${v.effectiveFrom}.`,
      link: versionPath(priceListId, version),
    });
  const written = await replaceVersion({
    before: v,
    after,
    by: decision.decidedBy,
    action: `version ${version} approved: in force from ${v.effectiveFrom}`,
    ...(decision.comment ? { reason: decision.comment } : {}),
    history: { before: { status: v.status }, after: { status: 'APPROVED', approvedBy: decision.decidedBy, effectiveFrom: v.effectiveFrom } },
    approvedEntry: { version, effectiveFrom: v.effectiveFrom, approvedAt: decision.decidedAt },
    alsoWrite: [...drafters(v).map((userId) => note(toUser(userId))), note(toRole('order_desk'))],
  });
  if (!written) throw new TransientError(`price list ${priceListId} v${version} changed while its approval was recorded`);
  return { status: 'APPROVED' };
});
