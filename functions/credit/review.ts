/**
 * Starting a credit review round (R-CREDIT-1, R-CREDIT-2). The customer records the round
 * as REQUESTED first, then the execution starts under a name derived from the round; if the
 * start fails, the nightly job finds the REQUESTED customer and starts it again.
 */
import type { CreditProfile, Customer } from '../customers/schemas.js';
import { updateCustomerChecked } from '../customers/store.js';
import { conflict } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import type { Actor } from '../shared/schemas.js';
import { startExecution } from '../shared/workflows.js';

export type ReviewReason = CreditProfile['reason'];

export const executionName = (customerId: string, round: number) => `${customerId}-round-${round}`;

export interface CreditReviewInput {
  customerId: string;
  round: number;
  reason: ReviewReason;
}

/** A new round may start unless one is already requested or running. */
export function nextRound(credit: CreditProfile, reason: ReviewReason): CreditProfile {
  if (credit.status === 'REQUESTED' || credit.status === 'IN_REVIEW') {
    throw conflict(`a credit review (round ${credit.round}) is already ${credit.status === 'REQUESTED' ? 'requested' : 'in progress'}`);
  }
  const { rating, limit, paymentTermsDays, contract, guaranteeOnFile, prepaymentRequired, nextReviewOn } = credit;
  // The current rating and limit stay in force while the new round runs.
  return { status: 'REQUESTED', round: credit.round + 1, reason, rating, limit, paymentTermsDays, contract, guaranteeOnFile, prepaymentRequired, nextReviewOn };
}

/** Starts the workflow for the customer's current round; returns false (and logs) if it could not start now. */
export async function startReviewExecution(customer: Pick<Customer, 'customerId' | 'credit'>): Promise<boolean> {
  const input: CreditReviewInput = { customerId: customer.customerId, round: customer.credit.round, reason: customer.credit.reason };
  try {
    await startExecution('creditReview', executionName(customer.customerId, customer.credit.round), input);
    return true;
  } catch (err) {
    logger.error('credit review could not start now; the nightly job will start it', { customerId: customer.customerId, error: err as Error });
    return false;
  }
}

export async function requestNewRound(customerId: string, reason: ReviewReason, by: Actor, comment?: string): Promise<Customer> {
  const customer = await updateCustomerChecked(
    customerId,
    (c) => ({ ...c, credit: nextRound(c.credit, reason) }),
    by,
    comment ? `credit review requested: ${comment}` : 'credit review requested',
  );
  await startReviewExecution(customer);
  return customer;
}
