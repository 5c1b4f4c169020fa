/** Workflow step: an approved request goes to the warehouse to issue; a refused or undecided one ends (R-FULFIL-10). */
import { applyApprovalOutcomeHandler } from '../../approvals/steps.js';
import { applySampleOutcome } from '../issue.js';

export const handler = applyApprovalOutcomeHandler('ApplySampleRequestOutcome', applySampleOutcome);
