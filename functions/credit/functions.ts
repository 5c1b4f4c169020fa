/** Functions of the credit review workflow, its nightly job, and the credit stage of the order workflow (R-CREDIT-1..7). */
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
    description: "Workflow step: write finance's decision on the customer and its credit account",
    access: {
      tables: { workflowStarts: 'write', customers: 'readwrite', credit: 'readwrite', orders: 'readwrite', audit: 'write', notifications: 'write' },
    },
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
    description: 'Nightly job: start the credit reviews that are due (R-CREDIT-1)',
    access: { tables: { workflowStarts: 'write', customers: 'readwrite', audit: 'write', notifications: 'write' } },
    timeoutSeconds: 300,
  },
  creditHoldsDue: {
    id: 'CreditHoldsDue',
    entry: 'functions/credit/handlers/credit-holds-due.ts',
    description: 'Daily job: credit hold for customers with an invoice more than the setting past due, and the overdue holds lifted whose invoices are paid (R-CREDIT-5)',
    access: { tables: { credit: 'readwrite', customers: 'read', audit: 'write', notifications: 'write', orders: 'read', tasks: 'readwrite' }, sendTaskResult: ['orderReview'] },
    timeoutSeconds: 300,
  },
  checkOrderCredit: {
    id: 'CheckOrderCredit',
    entry: 'functions/credit/handlers/check-order-credit.ts',
    description: 'Workflow step: credit check of a reviewed order; reserves its exposure within the limit (R-CREDIT-3..6)',
    access: { tables: { orders: 'readwrite', customers: 'read', credit: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  openCreditTask: {
    id: 'OpenCreditTask',
    entry: 'functions/credit/handlers/open-credit-task.ts',
    description: 'Workflow step: an order waits for a credit decision, a prepayment or a hold lift; keeps its token',
    access: {
      tables: { orders: 'readwrite', customers: 'read', credit: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' },
      sendTaskResult: ['orderReview'],
    },
  },
  returnOrderFromCredit: {
    id: 'ReturnOrderFromCredit',
    entry: 'functions/credit/handlers/return-order-from-credit.ts',
    description: 'Workflow step: credit refused or not decided in time; the order goes back to its rep and its reservations are released',
    access: { tables: { orders: 'readwrite', credit: 'readwrite', stock: 'readwrite', products: 'read', requests: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' } },
  },
} satisfies Record<string, FunctionDefinition>;
