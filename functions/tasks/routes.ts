/** Task queue routes: what the caller's roles can decide, and the decision itself. */
import { defineRoute } from '../shared/definitions.js';
import { ROLES } from '../shared/roles.js';
import { PageQuery, pageOf } from '../shared/schemas.js';
import { Task, TaskDecisionBody, TaskIdParams } from './schemas.js';

export const taskRoutes = {
  listTasks: defineRoute({
    operationId: 'listTasks',
    method: 'GET',
    path: '/tasks',
    tag: 'Tasks',
    summary: "Open tasks the caller's roles can decide, oldest first",
    roles: ROLES.filter((r) => r !== 'auditor'),
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(Task, 'TaskPage') } },
    function: {
      id: 'ListTasks',
      entry: 'functions/tasks/handlers/list-tasks.ts',
      description: "List the caller's open tasks",
      access: { tables: { tasks: 'read' } },
    },
  }),
  decideTask: defineRoute({
    operationId: 'decideTask',
    method: 'POST',
    path: '/tasks/{taskId}/decision',
    tag: 'Tasks',
    summary: 'Decide a task; only its assignee role may, and only once (409 after)',
    roles: ROLES.filter((r) => r !== 'auditor'),
    params: TaskIdParams,
    body: TaskDecisionBody,
    responses: { 200: { description: 'Decided; the workflow goes on', schema: Task } },
    function: {
      id: 'DecideTask',
      entry: 'functions/tasks/handlers/decide-task.ts',
      description: 'Record a decision and resume the waiting workflow',
      access: { tables: { tasks: 'readwrite', audit: 'write', orders: 'read', payments: 'read', ledger: 'read' }, sendTaskResult: ['creditReview', 'orderReview', 'priceListApproval', 'goodsReservationApproval', 'safetyStockApproval', 'sampleRequestApproval', 'creditNoteApproval', 'returnApproval'] },
    },
  }),
};
