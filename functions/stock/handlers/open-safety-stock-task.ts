/** Workflow step (waitForTaskToken) of safetyStockApproval: the sales manager's task for a safety stock proposal (R-FULFIL-9). */
import { openApprovalTaskHandler } from '../../approvals/steps.js';
import { safetyStockApprovalSubject } from '../safety-proposals.js';

export const handler = openApprovalTaskHandler('OpenSafetyStockTask', safetyStockApprovalSubject);
