/**
 * Starting a credit review round (R-CREDIT-1, R-CREDIT-2). The customer records the round as
 * REQUESTED and, in the same write, asks for the execution under a name derived from the round (the
 * outbox of workflow starts): the round cannot be requested without its review starting.
 */
import type { CreditProfile, Customer } from '../customers/schemas.js';
import { updateCustomerChecked } from '../customers/store.js';
import { workflowStartItem } from '../outbox/store.js';
import type { TransactItem } from '../shared/dynamo.js';
import { conflict } from '../shared/errors.js';
import type { Actor } from '../shared/schemas.js';

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

/** The start of the workflow for the customer's current round, for the write that requests it. */
export function reviewStartItem(customer: Pick<Customer, 'customerId' | 'credit'>): TransactItem {
  const input: CreditReviewInput = { customerId: customer.customerId, round: customer.credit.round, reason: customer.credit.reason };
  return workflowStartItem('creditReview', executionName(customer.customerId, customer.credit.round), input);
}

export async function requestNewRound(customerId: string, reason: ReviewReason, by: Actor, comment?: string): Promise<Customer> {
  return updateCustomerChecked(
    customerId,
    (c) => ({ ...c, credit: nextRound(c.credit, reason) }),
    by,
    comment ? `credit review requested: ${comment}` : 'credit review requested',
    undefined,
    (next) => [reviewStartItem(next)],
  );
}
