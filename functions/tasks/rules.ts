/** Who decides a task and how often (pure). */
import { securityProblems } from '../credit/rules.js';
import type { User } from '../shared/auth.js';
import { conflict, fieldErrors, forbidden, validationFailed } from '../shared/errors.js';
import type { Role } from '../shared/roles.js';
import { canonicalJson } from '../shared/json.js';
import { settings } from '../shared/settings.js';
import { DECISIONS_BY_TYPE, type Task, type TaskDecision } from './schemas.js';

export function assertMayDecide(user: User, task: Pick<Task, 'assigneeRole' | 'taskId'>): void {
  if (!user.roles.includes(task.assigneeRole as Role)) {
    throw forbidden(`task ${task.taskId} is for ${task.assigneeRole}`);
  }
}

/**
 * A second decision is a conflict, with one exception: the same person repeating the same
 * decision on a task whose decision never reached the workflow (the first call failed after
 * recording it) — then the repeat delivers it.
 */
export function isRedelivery(task: Task & { delivered?: boolean }, decision: TaskDecision, user: User): boolean {
  if (task.status === 'OPEN') return false;
  const same =
    task.status === 'DECIDED' &&
    task.delivered !== true &&
    task.decidedBy?.userId === user.userId &&
    canonicalJson(task.decision) === canonicalJson(decision);
  if (!same) throw conflict(`task ${task.taskId} is ${task.status.toLowerCase()} already${task.decidedBy ? ` by ${task.decidedBy.name}` : ''}`);
  return true;
}

/** The decision as the task's type requires it (every bad field named), plus checks that need the task. */
export function parseDecision(task: Pick<Task, 'type' | 'taskId'> & { details?: Task['details'] }, body: unknown): TaskDecision {
  const waitsFor = { CREDIT_HOLD_WAIT: "its customer's credit hold to be lifted: lift the hold instead", STOCK_WAIT: 'stock: complete its production or purchase request instead', DELIVERY_WAIT: 'its delivery: record the proofs of delivery instead' } as Partial<Record<Task['type'], string>>;
  if (waitsFor[task.type]) throw conflict(`task ${task.taskId} is an order waiting for ${waitsFor[task.type]}`);
  const parsed = DECISIONS_BY_TYPE[task.type].safeParse(body, { reportInput: true });
  if (!parsed.success) throw validationFailed(fieldErrors('body', parsed.error));
  const decision = parsed.data as TaskDecision;
  if (task.type === 'CREDIT_REVIEW' && decision.outcome === 'APPROVED' && 'creditLimit' in decision) {
    const errors = [
      ...(decision.creditLimit.currency !== settings().currency
        ? [{ field: 'body.creditLimit.currency', message: `credit limits are in the company currency ${settings().currency}`, code: 'currency' }]
        : []),
      // R-CREDIT-6: a C or D rating needs a guarantee on file or prepayment.
      ...securityProblems(decision),
    ];
    if (errors.length > 0) throw validationFailed(errors);
  }
  if (task.type === 'PREPAYMENT_CONFIRMATION' && decision.outcome === 'APPROVED' && 'amount' in decision) {
    const gross = Number(task.details?.grossMinor ?? 0);
    const currency = String(task.details?.currency ?? settings().currency);
    const errors = [
      ...(decision.amount.currency !== currency ? [{ field: 'body.amount.currency', message: `the order is in ${currency}`, code: 'currency' }] : []),
      ...(decision.amount.amountMinor < gross
        ? [{ field: 'body.amount.amountMinor', message: `less than the order's gross amount ${gross}; confirm once the whole prepayment arrived`, code: 'too_small' }]
        : []),
    ];
    if (errors.length > 0) throw validationFailed(errors);
  }
  return decision;
}
