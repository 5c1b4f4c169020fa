/** Credit rules (R-CREDIT-1, R-CREDIT-2, R-CREDIT-6, R-CREDIT-7): pure. */
import type { User } from '../shared/auth.js';
import type { CreditProfile, UpdateCreditProfile } from '../customers/schemas.js';
import { addDays, addMonths, businessDate } from '../shared/clock.js';
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

/** What the credit stage decides for an order (R-CREDIT-3..6); pure, from what was read. */
export type CreditCheck =
  | { outcome: 'HOLD'; reason: string }
  | { outcome: 'REFUSED'; reason: string }
  | { outcome: 'PREPAYMENT'; reason: string }
  | { outcome: 'CLEARED'; basis: 'PREPAID' | 'CASH_ON_PICKUP'; reason: string }
  | { outcome: 'RESERVE'; amountMinor: number; approved: boolean; reason: string }
  | { outcome: 'OVER_LIMIT'; amountMinor: number; overByMinor: number; approverRole: 'finance_manager' | 'general_manager'; reason: string };

export interface CreditCheckInput {
  order: { paymentMethod?: 'prepaid' | 'cash_on_pickup' | 'credit' | undefined; grossMinor: number; currency: string };
  profile: CreditProfile;
  account: { limitMinor: number; exposureMinor: number; availableMinor: number; hold?: { reason: string } | undefined };
  today: string;
  /** A credit decision let this order over the limit. */
  approved?: boolean;
  /** Finance confirmed the prepayment. */
  prepaid?: boolean;
}

/**
 * R-CREDIT-4: who approves an order over the limit: the finance manager, and the GM when it takes
 * exposure over the limit by more than the setting (percent of the limit; any excess over a zero limit).
 */
export function creditApprover(limitMinor: number, overByMinor: number, gmAbovePercent = settings().creditApprovalGmAbovePercent): 'finance_manager' | 'general_manager' {
  return overByMinor * 100 > limitMinor * gmAbovePercent ? 'general_manager' : 'finance_manager';
}

const contractInForce = (p: CreditProfile, today: string) => p.contract !== undefined && p.contract.validFrom <= today && today <= p.contract.validTo;

/**
 * The credit stage's decision, in the order people apply it:
 * 1. R-CREDIT-5: a customer on hold gets nothing released, whatever the payment method;
 * 2. cash on pickup carries no credit; prepaid orders (and R-CREDIT-6: credit orders of a C or D
 *    customer without a guarantee, or of one finance requires to prepay) wait for the prepayment;
 * 3. R-CREDIT-3: a credit sale needs approved credit and a signed contract in force;
 * 4. R-CREDIT-4: within the limit the exposure is reserved; over it, a credit decision is needed.
 */
export function creditCheck(input: CreditCheckInput): CreditCheck {
  const { order, profile, account, today } = input;
  if (account.hold) return { outcome: 'HOLD', reason: `the customer is on credit hold: ${account.hold.reason} (R-CREDIT-5)` };
  if (order.paymentMethod === 'cash_on_pickup') return { outcome: 'CLEARED', basis: 'CASH_ON_PICKUP', reason: 'cash on pickup: paid at the gate' };
  const mustPrepay =
    profile.status === 'APPROVED' &&
    (profile.prepaymentRequired === true || ((profile.rating === 'C' || profile.rating === 'D') && profile.guaranteeOnFile !== true));
  if (order.paymentMethod === 'prepaid' || (order.paymentMethod === 'credit' && mustPrepay && contractInForce(profile, today))) {
    if (input.prepaid) return { outcome: 'CLEARED', basis: 'PREPAID', reason: 'prepayment received' };
    const why =
      order.paymentMethod === 'prepaid'
        ? 'a prepaid order'
        : profile.prepaymentRequired
          ? 'finance requires this customer to prepay (R-CREDIT-6)'
          : `rating ${profile.rating} without a guarantee needs prepayment (R-CREDIT-6)`;
    return { outcome: 'PREPAYMENT', reason: `${why}: waiting for finance to confirm the payment` };
  }
  if (profile.status !== 'APPROVED') return { outcome: 'REFUSED', reason: `credit sale refused: the customer has no approved credit (status ${profile.status}); sell prepaid or cash on pickup (R-CREDIT-3)` };
  if (!contractInForce(profile, today)) {
    const c = profile.contract;
    const why = c ? `contract ${c.number} is not in force on ${today} (${c.validFrom} to ${c.validTo})` : 'no signed sales contract is on file';
    return { outcome: 'REFUSED', reason: `credit sale refused: ${why}; sell prepaid or cash on pickup, or have finance record the contract (R-CREDIT-3)` };
  }
  const amountMinor = order.grossMinor;
  const money = (m: number) => `${formatMajor({ amountMinor: m, currency: order.currency })} ${order.currency}`;
  if (input.approved) return { outcome: 'RESERVE', amountMinor, approved: true, reason: 'over the limit by an approved credit decision (R-CREDIT-4)' };
  if (amountMinor <= account.availableMinor) return { outcome: 'RESERVE', amountMinor, approved: false, reason: `within the limit: ${money(account.availableMinor)} was available` };
  const overByMinor = account.exposureMinor + amountMinor - account.limitMinor;
  const approverRole = creditApprover(account.limitMinor, overByMinor);
  return {
    outcome: 'OVER_LIMIT',
    amountMinor,
    overByMinor,
    approverRole,
    reason: `${money(amountMinor)} would take exposure ${money(account.exposureMinor)} over the limit ${money(account.limitMinor)} by ${money(overByMinor)}: ${approverRole === 'general_manager' ? 'the GM' : 'the finance manager'} decides (R-CREDIT-4)`,
  };
}

/** R-CREDIT-5: the invoices that put a customer on hold: more than the setting's days past due on `today`. */
export function overdueForHold<T extends { dueDate: string }>(openInvoices: readonly T[], today: string, days = settings().creditHoldOverdueDays): T[] {
  return openInvoices.filter((i) => addDays(i.dueDate, days) < today);
}
