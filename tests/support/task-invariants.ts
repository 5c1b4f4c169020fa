/**
 * The task invariants (a person's decision, DESIGN.md "Workflow"), read straight from the tables of a local stack:
 * - a task is decided at most once: at most one "task decided" history entry per task;
 * - a DECIDED task has exactly that one entry, and it names the decision the task holds;
 * - a decision the workflow received (delivered) leaves the task DECIDED: it never expired after it.
 * Tests call it after every scenario; it returns the violations, so a failure names them all.
 */
import { TABLES } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { scanAll } from './scan.js';

export async function taskInvariantViolations(stack: Pick<LocalStack, 'dynamoEndpoint'>): Promise<string[]> {
  const [tasks, audit] = await Promise.all([scanAll(stack, TABLES.tasks.localName), scanAll(stack, TABLES.audit.localName)]);
  const decidedEntries = new Map<string, Record<string, any>[]>();
  for (const e of audit) {
    if (!String(e.subject).startsWith('task#') || !String(e.action).startsWith('task decided')) continue;
    const taskId = String(e.subject).slice('task#'.length);
    decidedEntries.set(taskId, [...(decidedEntries.get(taskId) ?? []), e]);
  }
  const violations: string[] = [];
  for (const t of tasks) {
    const entries = decidedEntries.get(t.taskId) ?? [];
    if (entries.length > 1) violations.push(`${t.taskId} (${t.type}): decided ${entries.length} times (${entries.map((e) => e.action).join('; ')})`);
    if (t.status === 'DECIDED' && entries.length !== 1) violations.push(`${t.taskId} (${t.type}): DECIDED with ${entries.length} decision entries`);
    if (t.status === 'DECIDED' && entries.length === 1 && entries[0]!.action !== `task decided: ${t.decision?.outcome}`) violations.push(`${t.taskId} (${t.type}): holds ${t.decision?.outcome} but its history says "${entries[0]!.action}"`);
    if (t.delivered === true && t.status !== 'DECIDED') violations.push(`${t.taskId} (${t.type}): its decision reached the workflow, yet the task is ${t.status}`);
  }
  return violations;
}
