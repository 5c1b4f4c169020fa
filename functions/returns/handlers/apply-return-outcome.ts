/** Workflow step: an approved return waits for the goods; a refused or undecided one ends (R-RETURN-1). */
import { applyApprovalOutcomeHandler } from '../../approvals/steps.js';
import { applyReturnOutcome } from '../process.js';

export const handler = applyApprovalOutcomeHandler('ApplyReturnOutcome', applyReturnOutcome);
