/** Functions of the credit review workflow and its nightly job (R-CREDIT-1, R-CREDIT-2). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const creditFunctions = {
  openCreditReviewTask: {
    id: 'OpenCreditReviewTask',
    entry: 'functions/credit/handlers/open-credit-review-task.ts',
    description: 'Workflow step: put a credit review task in a role queue with its token',
    access: { tables: { customers: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  applyCreditReviewDecision: {
    id: 'ApplyCreditReviewDecision',
    entry: 'functions/credit/handlers/apply-credit-review-decision.ts',
    description: "Workflow step: write finance's decision on the customer",
    access: { tables: { customers: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  expireCreditReview: {
    id: 'ExpireCreditReview',
    entry: 'functions/credit/handlers/expire-credit-review.ts',
    description: 'Workflow step: close a review nobody decided',
    access: { tables: { customers: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  creditReviewsDue: {
    id: 'CreditReviewsDue',
    entry: 'functions/credit/handlers/credit-reviews-due.ts',
    description: 'Nightly job: start the credit reviews that are due (R-CREDIT-1) and any new-customer review not yet started',
    access: { tables: { customers: 'readwrite', audit: 'write', notifications: 'write' }, startExecution: ['creditReview'] },
    timeoutSeconds: 300,
  },
} satisfies Record<string, FunctionDefinition>;
