/** People's decisions: tasks in role queues, completed through the workflow's task token. */
import * as z from 'zod';
import { Contract, CreditRating } from '../customers/schemas.js';
import { NonNegativeMoney, moneyInput } from '../shared/money.js';
import { ROLES } from '../shared/roles.js';
import { Actor, IsoDate, IsoTimestamp } from '../shared/schemas.js';

/**
 * CREDIT_HOLD_WAIT, STOCK_WAIT and DELIVERY_WAIT are not a person's tasks: they keep the token of an
 * order waiting in CREDIT_HOLD (R-CREDIT-5; lifting the customer's hold resumes it), AWAITING_STOCK
 * (R-FULFIL-2; completing its production or purchase request resumes it) or for its delivery
 * (R-FULFIL-5/7; the last proof of delivery resumes it), and are in nobody's queue.
 */
export const TaskType = z.enum([
  'CREDIT_REVIEW',
  'ORDER_REVIEW',
  'SPECIAL_APPROVAL',
  'PRICE_LIST_REVIEW',
  'PRICE_LIST_APPROVAL',
  'CREDIT_APPROVAL',
  'PREPAYMENT_CONFIRMATION',
  'CREDIT_HOLD_WAIT',
  'STOCK_WAIT',
  'DELIVERY_WAIT',
  'GOODS_RESERVATION_APPROVAL',
  'SAFETY_STOCK_APPROVAL',
  'SAMPLE_REQUEST_APPROVAL',
  'CREDIT_NOTE_APPROVAL',
  'RETURN_APPROVAL',
]);
export type TaskType = z.infer<typeof TaskType>;

/** Waits keep a token for an event, not for a person: no queue, no decision. */
export const WAIT_TYPES: readonly TaskType[] = ['CREDIT_HOLD_WAIT', 'STOCK_WAIT', 'DELIVERY_WAIT'];
export const TaskStatus = z.enum(['OPEN', 'DECIDED', 'ESCALATED', 'EXPIRED', 'CANCELLED', 'RESUMED']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const CreditReviewApproval = z
  .object({
    outcome: z.literal('APPROVED'),
    rating: CreditRating,
    creditLimit: NonNegativeMoney,
    paymentTermsDays: z.int().min(0).max(365).meta({ description: 'days from invoice to due date; 0 = cash/prepaid' }),
    contract: Contract.optional(),
    guaranteeOnFile: z.boolean().default(false),
    prepaymentRequired: z.boolean().default(false).meta({ description: 'R-CREDIT-6: a C or D rating without a guarantee must require prepayment' }),
    comment: z.string().trim().max(1000).optional(),
  })
  .strict();

export const CreditReviewRejection = z
  .object({
    outcome: z.literal('REJECTED'),
    comment: z.string().trim().min(1, 'say why the customer is refused credit').max(1000),
  })
  .strict();

export const CreditReviewDecision = z
  .discriminatedUnion('outcome', [CreditReviewApproval, CreditReviewRejection])
  .meta({ id: 'CreditReviewDecision', description: 'finance decides a credit review (R-CREDIT-1, R-CREDIT-2)' });
export type CreditReviewDecision = z.infer<typeof CreditReviewDecision>;

const reason = (what: string) => z.string().trim().min(1, `say why you ${what}`).max(1000);

/** Order review, special approval: approve, return to the rep for changes, or reject (R-REVIEW-3). */
export const ReviewDecision = z
  .discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('APPROVED'), comment: z.string().trim().max(1000).optional() }).strict(),
    z.object({ outcome: z.literal('RETURNED'), comment: reason('return it') }).strict(),
    z.object({ outcome: z.literal('REJECTED'), comment: reason('reject it') }).strict(),
  ])
  .meta({ id: 'ReviewDecision' });

/** Price list review and approval: approve, or return to the drafter for changes (R-PRICE-1). */
export const ApproveOrReturnDecision = z
  .discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('APPROVED'), comment: z.string().trim().max(1000).optional() }).strict(),
    z.object({ outcome: z.literal('RETURNED'), comment: reason('return it') }).strict(),
  ])
  .meta({ id: 'ApproveOrReturnDecision' });

/**
 * Approve, or refuse with a reason: an order over its credit limit (R-CREDIT-4: let through with its
 * exposure reserved above the limit, or refused back to its rep), a goods reservation or its deposit
 * (R-FULFIL-8), a safety stock (R-FULFIL-9), a sample or gift request (R-FULFIL-10), a credit
 * note (R-BILL-4), a return (R-RETURN-1).
 */
export const ApproveOrRejectDecision = z
  .discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('APPROVED'), comment: z.string().trim().max(1000).optional() }).strict(),
    z.object({ outcome: z.literal('REJECTED'), comment: reason('refuse it') }).strict(),
  ])
  .meta({ id: 'ApproveOrRejectDecision' });

/** R-CREDIT-6: finance confirms that a prepaid order's payment arrived (or that it did not: the order goes back to its rep). */
export const PrepaymentDecision = z
  .discriminatedUnion('outcome', [
    z
      .object({
        outcome: z.literal('APPROVED'),
        amount: moneyInput({ min: 1, minMessage: 'a prepayment is more than zero' }).meta({ description: "received, at least the order's gross amount" }),
        reference: z.string().trim().min(1).max(100).meta({ description: 'bank reference or receipt number' }),
        receivedOn: IsoDate,
        comment: z.string().trim().max(1000).optional(),
      })
      .strict(),
    z.object({ outcome: z.literal('REJECTED'), comment: reason('refuse it') }).strict(),
  ])
  .meta({ id: 'PrepaymentDecision' });

/** What a decision on each type of task must contain. */
export const DECISIONS_BY_TYPE = {
  CREDIT_REVIEW: CreditReviewDecision,
  ORDER_REVIEW: ReviewDecision,
  SPECIAL_APPROVAL: ReviewDecision,
  PRICE_LIST_REVIEW: ApproveOrReturnDecision,
  PRICE_LIST_APPROVAL: ApproveOrReturnDecision,
  CREDIT_APPROVAL: ApproveOrRejectDecision,
  PREPAYMENT_CONFIRMATION: PrepaymentDecision,
  CREDIT_HOLD_WAIT: z.never(),
  STOCK_WAIT: z.never(),
  DELIVERY_WAIT: z.never(),
  GOODS_RESERVATION_APPROVAL: ApproveOrRejectDecision,
  SAFETY_STOCK_APPROVAL: ApproveOrRejectDecision,
  SAMPLE_REQUEST_APPROVAL: ApproveOrRejectDecision,
  CREDIT_NOTE_APPROVAL: ApproveOrRejectDecision,
  RETURN_APPROVAL: ApproveOrRejectDecision,
} satisfies Record<TaskType, z.ZodType>;

export type TaskDecision = z.infer<(typeof DECISIONS_BY_TYPE)[TaskType]>;

/**
 * The body of POST /tasks/{taskId}/decision. Its exact shape depends on the task's type
 * (DECISIONS_BY_TYPE), which the handler checks once it has read the task.
 */
export const TaskDecisionBody = z
  .looseObject({
    outcome: z.enum(['APPROVED', 'RETURNED', 'REJECTED']),
    comment: z.string().max(1000).optional(),
  })
  .meta({
    id: 'TaskDecision',
    description:
      'APPROVED, RETURNED (with a comment) or REJECTED (with a comment). A credit review approval also carries rating, creditLimit, paymentTermsDays and optionally contract, guaranteeOnFile and prepaymentRequired (R-CREDIT-6: a C or D rating needs one of the two); price list tasks take APPROVED or RETURNED; a credit approval, a goods reservation, a safety stock, a sample request, a credit note or a return approval takes APPROVED or REJECTED (with a comment); a prepayment confirmation takes APPROVED with amount, reference and receivedOn, or REJECTED with a comment.',
  });

/** What the workflow receives through SendTaskSuccess. */
export type RecordedDecision<D = TaskDecision> = D & { decidedBy: Actor; decidedAt: string; taskId: string };

export const Task = z
  .object({
    taskId: z.string(),
    type: TaskType,
    status: TaskStatus,
    assigneeRole: z.string(),
    title: z.string(),
    subject: z.object({ kind: z.enum(['customer', 'order', 'priceList', 'goodsReservation', 'product', 'sampleRequest', 'creditNote', 'return']), id: z.string(), name: z.string() }),
    details: z.record(z.string(), z.unknown()).meta({ description: 'what the decider needs to see' }),
    createdAt: IsoTimestamp,
    dueAt: IsoTimestamp.optional(),
    escalatedFrom: z.string().optional(),
    decision: z.record(z.string(), z.unknown()).optional(),
    decidedBy: Actor.optional(),
    decidedAt: IsoTimestamp.optional(),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

/** What every workflow step that opens a task with its token receives (waitForTaskToken), besides its subject. */
export const OpenTaskStepInput = z.object({
  assigneeRole: z.enum(ROLES),
  /** The state's name; with the execution it makes the task id, so a retried step reopens the same task. */
  step: z.string().min(1),
  escalatedFrom: z.enum(ROLES).optional(),
  /** The state whose task this one takes over (an escalation closes it). */
  replacesStep: z.string().optional(),
  taskToken: z.string().min(1),
  executionId: z.string().min(1),
});

export const TaskIdParams = z.object({ taskId: z.string().regex(/^TK-[0-9A-Z]{26}$/, 'a task id such as TK-01J…') });
