/** Credit rules (R-CREDIT-1, R-CREDIT-2, R-CREDIT-6, R-CREDIT-7): pure. */
import type { User } from '../shared/auth.js';
import type { CreditProfile, UpdateCreditProfile } from '../customers/schemas.js';
import { addMonths, businessDate } from '../shared/clock.js';
import { type FieldError, conflict, forbidden, validationFailed } from '../shared/errors.js';
import { formatMajor } from '../shared/money.js';
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
    prepaymentRequired: decision.prepaymentRequired,
    ...(decision.comment ? { comment: decision.comment } : {}),
    nextReviewOn: addMonths(businessDate(decidedOn), settings().creditReviewIntervalMonths),
  };
}

/** Whether this decision is already on the customer (a retried step). */
export const alreadyApplied = (current: CreditProfile, decision: RecordedDecision<CreditReviewDecision>) =>
  (current.status === 'APPROVED' || current.status === 'REJECTED') && current.reviewedAt === decision.decidedAt;

type Security = Pick<CreditProfile, 'rating' | 'guaranteeOnFile' | 'prepaymentRequired'>;

/** R-CREDIT-6: ratings C and D need a guarantee on file or prepayment; names both fields that could fix it. */
export function securityProblems(p: Security, prefix = 'body'): FieldError[] {
  if ((p.rating !== 'C' && p.rating !== 'D') || p.guaranteeOnFile === true || p.prepaymentRequired === true) return [];
  const message = `rating ${p.rating} needs a guarantee on file or prepayment (R-CREDIT-6): set guaranteeOnFile or prepaymentRequired to true`;
  return [
    { field: `${prefix}.guaranteeOnFile`, message, code: 'guarantee_or_prepayment' },
    { field: `${prefix}.prepaymentRequired`, message, code: 'guarantee_or_prepayment' },
  ];
}

export function assertSecured(p: Security, prefix = 'body'): void {
  const problems = securityProblems(p, prefix);
  if (problems.length > 0) throw validationFailed(problems);
}

const RISK = { A: 0, B: 1, C: 2, D: 3 } as const;
const limitMinor = (p: CreditProfile) => p.limit?.amountMinor ?? 0;
const termsDays = (p: CreditProfile) => p.paymentTermsDays ?? 0;

/**
 * The approved profile after finance's change between reviews (R-CREDIT-1, R-CREDIT-7):
 * only an approved profile changes this way (anything else is decided in the review);
 * finance may lower the limit and shorten terms, raising or lengthening needs the finance
 * manager; the result must satisfy R-CREDIT-6.
 */
export function changedProfile(user: Pick<User, 'roles'>, current: CreditProfile, change: UpdateCreditProfile): CreditProfile {
  if (current.status !== 'APPROVED') {
    throw conflict(`the credit status is ${current.status}, not APPROVED: decide rating, limit and terms in the credit review`);
  }
  const { reason: _reason, contract, ...fields } = change;
  const { contract: currentContract, ...rest } = current;
  const keptContract = contract === null ? undefined : (contract ?? currentContract);
  const next: CreditProfile = { ...rest, ...fields, ...(keptContract ? { contract: keptContract } : {}) };
  if (!user.roles.includes('finance_manager')) {
    const needsManager = [
      ...(limitMinor(next) > limitMinor(current) ? ['raise the credit limit'] : []),
      ...(termsDays(next) > termsDays(current) ? ['lengthen payment terms'] : []),
    ];
    if (needsManager.length > 0) {
      throw forbidden(`only the finance manager may ${needsManager.join(' or ')}; finance may lower the limit and shorten terms (R-CREDIT-7)`);
    }
  }
  assertSecured(next);
  return next;
}

/** What got riskier for the company's counterparties to know about: a lower limit or a worse rating. */
export function reductions(before: CreditProfile, after: CreditProfile): string[] {
  const out: string[] = [];
  if (after.limit && limitMinor(after) < limitMinor(before)) {
    out.push(`credit limit lowered from ${before.limit ? formatMajor(before.limit) : '0'} to ${formatMajor(after.limit)} ${after.limit.currency}`);
  }
  if (before.rating && after.rating && RISK[after.rating] > RISK[before.rating]) out.push(`rating lowered from ${before.rating} to ${after.rating}`);
  return out;
}

/** One line for the history: what changed, old → new. */
export function describeProfileChange(before: CreditProfile, after: CreditProfile): string {
  const money = (p: CreditProfile) => (p.limit ? `${formatMajor(p.limit)} ${p.limit.currency}` : 'none');
  const parts: string[] = [];
  const add = (what: string, b: unknown, a: unknown) => {
    if (String(b) !== String(a)) parts.push(`${what} ${String(b)} → ${String(a)}`);
  };
  add('rating', before.rating ?? 'none', after.rating ?? 'none');
  add('limit', money(before), money(after));
  add('terms', `${termsDays(before)} days`, `${termsDays(after)} days`);
  const contract = (p: CreditProfile) => (p.contract ? `${p.contract.number} (${p.contract.validFrom} to ${p.contract.validTo})` : 'none');
  add('contract', contract(before), contract(after));
  add('guarantee', before.guaranteeOnFile === true, after.guaranteeOnFile === true);
  add('prepayment', before.prepaymentRequired === true, after.prepaymentRequired === true);
  add('next review', before.nextReviewOn ?? 'none', after.nextReviewOn ?? 'none');
  return parts.length > 0 ? `credit profile changed: ${parts.join(', ')}` : 'credit profile confirmed unchanged';
}
