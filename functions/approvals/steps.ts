/**
 * The two steps of an approval machine, made for one kind of request: each kind says how its
 * request reads as a task and what an outcome does to it; the token handling, the deadline and the
 * notification of the approver are the same for all.
 */
import { notifyOnce, toRole } from '../notifications/outbox.js';
import { now, nowIso } from '../shared/clock.js';
import { logger } from '../shared/logger.js';
import { stepHandler } from '../shared/step.js';
import type { Task, TaskType } from '../tasks/schemas.js';
import { closeTask, openTask, taskIdFor } from '../tasks/store.js';
import { ApplyOutcomeInput, ApprovalTaskInput, type ApprovalOutcome, DECIDE_WITHIN_MS, approvalOutcome, roleName } from './workflow.js';

/** How a request reads to its approver. */
export interface ApprovalSubject {
  /** False once the request left its approval (cancelled, decided): the step then opens nothing. */
  waiting: boolean;
  taskType: TaskType;
  /** "Goods reservation GR-000001 for 华东建材: 20 t …" */
  title: string;
  subject: Task['subject'];
  details: Record<string, unknown>;
  /** Link for the notification. */
  link: string;
}

export function openApprovalTaskHandler(name: string, load: (subjectId: string) => Promise<ApprovalSubject>) {
  return stepHandler(name, ApprovalTaskInput, async (input) => {
    const request = await load(input.subjectId);
    const taskId = taskIdFor(input.executionId, input.step);
    if (!request.waiting) {
      // Its requester withdrew it meanwhile: nobody is asked; the withdrawal ended the execution.
      logger.info('request no longer waits for a decision', { subjectId: input.subjectId });
      return { taskId, opened: false };
    }
    const earlier = input.earlier ? `${input.earlier.decidedBy.name} approved${input.earlier.comment ? `: ${input.earlier.comment}` : ''}` : undefined;
    await openTask({
      taskId,
      type: request.taskType,
      status: 'OPEN',
      assigneeRole: input.assigneeRole,
      title: `${input.level === 2 ? 'Second approval' : 'Approve'}: ${request.title}`,
      subject: request.subject,
      details: { ...request.details, ...(earlier ? { earlierDecision: earlier } : {}) },
      createdAt: nowIso(),
      dueAt: new Date(now().getTime() + DECIDE_WITHIN_MS).toISOString(),
      taskToken: input.taskToken,
      executionId: input.executionId,
    });
    await notifyOnce({
      dedupeKey: `${taskId}#opened`,
      recipient: toRole(input.assigneeRole),
      topic: 'approval',
      subject: `Waiting for your decision: ${request.title}`,
      body: `${request.title}${earlier ? ` (${earlier})` : ''}. Approve it, or refuse it with a reason, within 3 days (${roleName(input.assigneeRole)}).`,
      link: `/tasks/${taskId}`,
    });
    return { taskId, opened: true };
  });
}

/** The last step: the kind applies the outcome (conditionally on its request still waiting, so a retry is harmless). */
export function applyApprovalOutcomeHandler(name: string, apply: (subjectId: string, outcome: ApprovalOutcome) => Promise<void>) {
  return stepHandler(name, ApplyOutcomeInput, async (input) => {
    const outcome = approvalOutcome(input.state);
    await apply(input.subjectId, outcome);
    // Not decided in time: the waiting task leaves its approver's queue (a late decision would find it expired).
    if (outcome.outcome === 'EXPIRED') {
      for (const step of ['FirstDecision', 'SecondDecision']) await closeTask(taskIdFor(input.executionId, step), 'EXPIRED');
    }
    return { outcome: outcome.outcome };
  });
}
