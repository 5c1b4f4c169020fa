/** The outbox's functions: the stream consumer that makes workflow starts, and its sweeper. */
import type { FunctionDefinition, StateMachineId } from '../shared/definitions.js';

/** Every state machine a start may be asked for. */
const STARTABLE: StateMachineId[] = [
  'creditReview',
  'orderReview',
  'priceListApproval',
  'goodsReservationApproval',
  'safetyStockApproval',
  'sampleRequestApproval',
  'creditNoteApproval',
  'returnApproval',
  'financeExport',
];

export const outboxFunctions = {
  startWorkflows: {
    id: 'StartWorkflows',
    entry: 'functions/outbox/handlers/start-workflows.ts',
    description: 'Start the workflow executions the outbox asks for (workflow-starts stream consumer)',
    access: { tables: { workflowStarts: 'readwrite' }, startExecution: STARTABLE },
  },
  workflowStartsDue: {
    id: 'WorkflowStartsDue',
    entry: 'functions/outbox/handlers/workflow-starts-due.ts',
    description: 'Every 5 minutes: start workflow executions still pending after 2 minutes (the outbox safety net)',
    access: { tables: { workflowStarts: 'readwrite' }, startExecution: STARTABLE },
    timeoutSeconds: 300,
  },
} satisfies Record<string, FunctionDefinition>;
