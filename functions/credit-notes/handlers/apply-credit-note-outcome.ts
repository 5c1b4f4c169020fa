/** Workflow step: an approved credit note is issued through the ledger; a refused or undecided one ends (R-BILL-4). */
import { applyApprovalOutcomeHandler } from '../../approvals/steps.js';
import { applyCreditNoteOutcome } from '../issue.js';

export const handler = applyApprovalOutcomeHandler('ApplyCreditNoteOutcome', applyCreditNoteOutcome);
