/** Workflow step: approved, the goods are held until their expiry; refused or undecided, the request ends (R-FULFIL-8). */
import { applyApprovalOutcomeHandler } from '../../approvals/steps.js';
import { applyReservationOutcome } from '../holding.js';

export const handler = applyApprovalOutcomeHandler('ApplyGoodsReservationOutcome', applyReservationOutcome);
