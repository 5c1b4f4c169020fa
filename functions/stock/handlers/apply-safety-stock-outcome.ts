/** Workflow step of safetyStockApproval: the decision applied to the proposal and the balance, the proposer told (R-FULFIL-9). */
import { applyApprovalOutcomeHandler } from '../../approvals/steps.js';
import { applySafetyStockOutcome } from '../safety-proposals.js';

export const handler = applyApprovalOutcomeHandler('ApplySafetyStockOutcome', applySafetyStockOutcome);
