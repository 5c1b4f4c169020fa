/** People's decisions: tasks in role queues, completed through the workflow's task token. */
import * as z from 'zod';
import { Contract, CreditRating } from '../customers/schemas.js';
import { NonNegativeMoney } from '../shared/money.js';
import { Actor, IsoTimestamp } from '../shared/schemas.js';

export const TaskType = z.enum(['CREDIT_REVIEW']);
export const TaskStatus = z.enum(['OPEN', 'DECIDED', 'ESCALATED', 'EXPIRED']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const CreditReviewApproval = z
  .object({
    outcome: z.literal('APPROVED'),
    rating: CreditRating,
    creditLimit: NonNegativeMoney,
    paymentTermsDays: z.int().min(0).max(365).meta({ description: 'days from invoice to due date; 0 = cash/prepaid' }),
    contract: Contract.optional(),
    guaranteeOnFile: z.boolean().default(false),
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

/** The decision body of POST /tasks/{taskId}/decision; one variant per task type as they come. */
export const TaskDecision = CreditReviewDecision;
export type TaskDecision = z.infer<typeof TaskDecision>;

/** What the workflow receives through SendTaskSuccess. */
export type RecordedDecision = TaskDecision & { decidedBy: Actor; decidedAt: string; taskId: string };

export const Task = z
  .object({
    taskId: z.string(),
    type: TaskType,
    status: TaskStatus,
    assigneeRole: z.string(),
    title: z.string(),
    subject: z.object({ kind: z.literal('customer'), id: z.string(), name: z.string() }),
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

export const TaskIdParams = z.object({ taskId: z.string().regex(/^TK-[0-9A-Z]{26}$/, 'a task id such as TK-01J…') });
