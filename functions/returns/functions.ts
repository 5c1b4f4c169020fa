/** Functions of the return approval (state-machines/approval.asl.json as ReturnApproval, R-RETURN-1). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const returnFunctions = {
  openReturnTask: {
    id: 'OpenReturnTask',
    entry: 'functions/returns/handlers/open-return-task.ts',
    description: "Workflow step: put a return in the sales manager's queue with the token",
    access: { tables: { returns: 'read', tasks: 'readwrite', notifications: 'write' } },
  },
  applyReturnOutcome: {
    id: 'ApplyReturnOutcome',
    entry: 'functions/returns/handlers/apply-return-outcome.ts',
    description: 'Workflow step: an approved return waits for the goods; a refused one ends and gives its quantities back to the invoice',
    access: { tables: { returns: 'readwrite', audit: 'write', notifications: 'write' } },
  },
} satisfies Record<string, FunctionDefinition>;
