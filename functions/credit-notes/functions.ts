/** Functions of the credit note approval (state-machines/approval.asl.json as CreditNoteApproval, R-BILL-4). */
import type { FunctionDefinition } from '../shared/definitions.js';

/** What issuing a credit note touches: the note, the customer's ledger, its invoice and the credit exposure (R-BILL-5, R-CREDIT-4). */
export const CREDIT_NOTE_ISSUE_TABLES = {
  creditNotes: 'readwrite',
  ledger: 'readwrite',
  invoices: 'readwrite',
  credit: 'readwrite',
  audit: 'write',
  notifications: 'write',
} as const;

export const creditNoteFunctions = {
  openCreditNoteTask: {
    id: 'OpenCreditNoteTask',
    entry: 'functions/credit-notes/handlers/open-credit-note-task.ts',
    description: "Workflow step: put a credit note (allowance) in its approver's queue with the token",
    access: { tables: { creditNotes: 'read', invoices: 'read', tasks: 'readwrite', notifications: 'write' } },
  },
  applyCreditNoteOutcome: {
    id: 'ApplyCreditNoteOutcome',
    entry: 'functions/credit-notes/handlers/apply-credit-note-outcome.ts',
    description: 'Workflow step: issue an approved credit note through the ledger, or end a refused one',
    access: { tables: CREDIT_NOTE_ISSUE_TABLES },
  },
} satisfies Record<string, FunctionDefinition>;
