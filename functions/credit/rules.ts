/** Credit review rules (R-CREDIT-1, R-CREDIT-2): pure. */
import type { CreditProfile } from '../customers/schemas.js';
import { addMonths, businessDate } from '../shared/clock.js';
import { settings } from '../shared/settings.js';
import type { CreditReviewDecision, RecordedDecision } from '../tasks/schemas.js';

/** The workflow belongs to an older round than the customer's: a newer review replaced it. */
export class ReviewSuperseded extends Error {
  constructor(customerId: string, round: number) {
    super(`credit review round ${round} of ${customerId} was superseded by a newer round`);
    this.name = 'ReviewSuperseded';
  }
}

/** The credit profile after finance's decision; approval sets the next periodic review date. */
export function decidedProfile(current: CreditProfile, decision: RecordedDecision<CreditReviewDecision>, decidedOn: Date): CreditProfile {
  const reviewed = { round: current.round, reason: current.reason, reviewedBy: decision.decidedBy, reviewedAt: decision.decidedAt };
  if (decision.outcome === 'REJECTED') {
    // R-CREDIT-3: without approved credit the customer buys prepaid or cash on pickup only.
    return { ...reviewed, status: 'REJECTED', comment: decision.comment };
  }
  return {
    ...reviewed,
    status: 'APPROVED',
    rating: decision.rating,
    limit: decision.creditLimit,
    paymentTermsDays: decision.paymentTermsDays,
    ...(decision.contract ? { contract: decision.contract } : {}),
    guaranteeOnFile: decision.guaranteeOnFile,
    ...(decision.comment ? { comment: decision.comment } : {}),
    nextReviewOn: addMonths(businessDate(decidedOn), settings().creditReviewIntervalMonths),
  };
}

/** Whether this decision is already on the customer (a retried step). */
export const alreadyApplied = (current: CreditProfile, decision: RecordedDecision<CreditReviewDecision>) =>
  (current.status === 'APPROVED' || current.status === 'REJECTED') && current.reviewedAt === decision.decidedAt;
