/** Functions of the sample and gift request approval (state-machines/approval.asl.json, R-FULFIL-10). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const sampleFunctions = {
  openSampleRequestTask: {
    id: 'OpenSampleRequestTask',
    entry: 'functions/samples/handlers/open-sample-request-task.ts',
    description: "Workflow step: put a sample or gift request in its approver's queue with the token",
    access: { tables: { sampleRequests: 'read', tasks: 'readwrite', notifications: 'write' } },
  },
  applySampleRequestOutcome: {
    id: 'ApplySampleRequestOutcome',
    entry: 'functions/samples/handlers/apply-sample-request-outcome.ts',
    description: 'Workflow step: an approved request goes to the warehouse; a refused one ends',
    access: { tables: { sampleRequests: 'readwrite', audit: 'write', notifications: 'write' } },
  },
} satisfies Record<string, FunctionDefinition>;
