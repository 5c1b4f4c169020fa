/**
 * Requests decided by one or two people in turn (state-machines/approval.asl.json): goods
 * reservations (R-FULFIL-8), safety stock (R-FULFIL-9), samples and gifts (R-FULFIL-10). Each kind
 * has its own machine from the one file, with its own two steps: open the approver's task, apply
 * the outcome. The pure part is here: what the steps receive and what the decisions add up to.
 */
import * as z from 'zod';
import type { StateMachineId } from '../shared/definitions.js';
import { ROLES, type Role } from '../shared/roles.js';
import { Actor } from '../shared/schemas.js';
import { workflowStartItem } from '../outbox/store.js';
import type { TransactItem } from '../shared/dynamo.js';
import { StepFailure, failureReason } from '../shared/step-failure.js';
import { executionArnOf } from '../shared/workflows.js';

/** A decision as the decision endpoint sends it through SendTaskSuccess (ApproveOrRejectDecision, recorded). */
export const RecordedApproveOrReject = z.looseObject({
  outcome: z.enum(['APPROVED', 'REJECTED']),
  comment: z.string().optional(),
  decidedBy: Actor,
  decidedAt: z.string(),
  taskId: z.string(),
});
export type RecordedApproveOrReject = z.infer<typeof RecordedApproveOrReject>;

/** The step FirstDecision / SecondDecision (waitForTaskToken). */
export const ApprovalTaskInput = z.object({
  subjectId: z.string().min(1),
  assigneeRole: z.enum(ROLES),
  level: z.union([z.literal(1), z.literal(2)]),
  step: z.enum(['FirstDecision', 'SecondDecision']),
  /** The first approver's decision, shown to the second. */
  earlier: RecordedApproveOrReject.optional(),
  taskToken: z.string().min(1),
  executionId: z.string().min(1),
});
export type ApprovalTaskInput = z.infer<typeof ApprovalTaskInput>;

/** The step ApplyOutcome: the execution's whole state. */
export const ApplyOutcomeInput = z.object({
  subjectId: z.string().min(1),
  executionId: z.string().min(1),
  state: z.looseObject({
    firstApprover: z.enum(ROLES),
    secondApprover: z.enum(ROLES).optional(),
    first: RecordedApproveOrReject.optional(),
    second: RecordedApproveOrReject.optional(),
    timedOut: z.unknown().optional(),
    /** A step failed for good (the workflow's Catch): the request ends undecided with the error as the reason. */
    failure: StepFailure.optional(),
  }),
});
export type ApplyOutcomeInput = z.infer<typeof ApplyOutcomeInput>;

export interface ApprovalOutcome {
  outcome: 'APPROVED' | 'REJECTED' | 'EXPIRED';
  /** Every decision taken, in order. */
  decisions: RecordedApproveOrReject[];
  /** In words, for the request's history and its requester. */
  reason: string;
}

/** How long an approver has; the ASL's TimeoutSeconds say the same (259200). */
export const DECIDE_WITHIN_MS = 3 * 24 * 60 * 60 * 1000;

const ROLE_NAMES: Partial<Record<Role, string>> = { sales_manager: 'the sales manager', general_manager: 'the general manager', finance: 'finance' };
export const roleName = (role: Role) => ROLE_NAMES[role] ?? role.replace('_', ' ');

/** What the decisions add up to: approved only when every approver named approved. */
export function approvalOutcome(state: ApplyOutcomeInput['state']): ApprovalOutcome {
  const decisions = [state.first, state.second].filter((d): d is RecordedApproveOrReject => d !== undefined);
  const refused = decisions.find((d) => d.outcome === 'REJECTED');
  if (refused) return { outcome: 'REJECTED', decisions, reason: `refused by ${refused.decidedBy.name}: ${refused.comment ?? ''}`.trim() };
  // A step failed for good: nothing is applied, even what was approved; the requester asks again.
  if (state.failure) return { outcome: 'EXPIRED', decisions, reason: `not decided: a step failed (${failureReason(state.failure)})` };
  const approvers = [state.firstApprover, ...(state.secondApprover ? [state.secondApprover] : [])];
  if (decisions.length < approvers.length) {
    const waitingFor = approvers[decisions.length]!;
    return { outcome: 'EXPIRED', decisions, reason: `not decided in time by ${roleName(waitingFor)} (3 days)` };
  }
  return { outcome: 'APPROVED', decisions, reason: `approved by ${decisions.map((d) => d.decidedBy.name).join(' and ')}` };
}

/** Execution names: letters, digits, - and _, at most 80 characters. */
const executionName = (subjectId: string) => subjectId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);

/** The execution deciding a request (its tasks' ids derive from it). */
export const approvalExecutionArn = (machine: StateMachineId, subjectId: string) => executionArnOf(machine, executionName(subjectId));

/**
 * The start of the request's approval, for the transaction that writes the request (the outbox of
 * workflow starts): the request cannot exist without its approval starting. The execution is named
 * after the request, so a repeated start is the same execution.
 */
export function approvalStartItem(machine: StateMachineId, subjectId: string, approvers: readonly [Role] | readonly [Role, Role]): TransactItem {
  return workflowStartItem(machine, executionName(subjectId), {
    subjectId,
    firstApprover: approvers[0],
    ...(approvers[1] ? { secondApprover: approvers[1] } : {}),
  });
}
