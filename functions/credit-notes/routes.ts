/** Credit notes (R-BILL-4, R-BILL-5): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { CREDIT_NOTE_ISSUE_TABLES } from './functions.js';
import { CreditNote, CreditNoteIdParams, ListCreditNotesQuery, RequestCreditNote, ReverseCreditNote } from './schemas.js';

/** Who reads credit notes: finance, the sales side (a rep: own customers only), the approvers, audit. */
export const CREDIT_NOTE_READERS: readonly Role[] = ['finance', 'finance_manager', 'sales_rep', 'sales_clerk', 'sales_manager', 'sales_vp', 'general_manager', 'auditor', 'admin'];

/** Routes with exactly the same access share a function (functions/shared/route-group.ts). */
const creditNoteReads: FunctionDefinition = {
  id: 'CreditNoteReads',
  entry: 'functions/credit-notes/handlers/credit-note-reads.ts',
  description: "Read a customer's credit notes, one credit note and its history",
  access: { tables: { creditNotes: 'read', customers: 'read', audit: 'readwrite' } },
};

export const creditNoteRoutes = {
  requestCreditNote: defineRoute({
    operationId: 'requestCreditNote',
    method: 'POST',
    path: '/credit-notes',
    tag: 'Credit notes',
    summary:
      'Ask for a credit note for a sales allowance (销售折让) on an invoice: the sales manager approves up to the threshold (setting creditNoteGmAboveMinor), the general manager above it and when the sales manager asks (R-BILL-4)',
    roles: ['sales_rep', 'sales_clerk', 'sales_manager', 'finance', 'finance_manager'],
    body: RequestCreditNote,
    idempotent: true,
    responses: { 202: { description: 'Waiting for approval', schema: CreditNote } },
    function: {
      id: 'RequestCreditNote',
      entry: 'functions/credit-notes/handlers/request-credit-note.ts',
      description: 'Record a credit note request against an invoice and start its approval',
      access: { tables: { workflowStarts: 'write', creditNotes: 'readwrite', invoices: 'read', customers: 'read', counters: 'readwrite', audit: 'write', notifications: 'write', idempotency: 'readwrite' } },
    },
  }),
  listCreditNotes: defineRoute({
    operationId: 'listCreditNotes',
    method: 'GET',
    path: '/credit-notes',
    tag: 'Credit notes',
    summary: "A customer's credit notes, newest first (status to narrow)",
    roles: CREDIT_NOTE_READERS,
    query: ListCreditNotesQuery,
    responses: { 200: { description: 'OK', schema: pageOf(CreditNote, 'CreditNotePage') } },
    function: creditNoteReads,
  }),
  getCreditNote: defineRoute({
    operationId: 'getCreditNote',
    method: 'GET',
    path: '/credit-notes/{creditNoteId}',
    tag: 'Credit notes',
    summary: 'A credit note: invoice, amount, approvals, what it settled and what stays as customer credit',
    roles: CREDIT_NOTE_READERS,
    params: CreditNoteIdParams,
    responses: { 200: { description: 'OK', schema: CreditNote } },
    function: creditNoteReads,
  }),
  getCreditNoteHistory: defineRoute({
    operationId: 'getCreditNoteHistory',
    method: 'GET',
    path: '/credit-notes/{creditNoteId}/history',
    tag: 'Credit notes',
    summary: 'Every change of a credit note: request, decision, issue, reversal',
    roles: CREDIT_NOTE_READERS,
    params: CreditNoteIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'CreditNoteChangePage') } },
    function: creditNoteReads,
  }),
  reverseCreditNote: defineRoute({
    operationId: 'reverseCreditNote',
    method: 'POST',
    path: '/credit-notes/{creditNoteId}/reversal',
    tag: 'Credit notes',
    summary:
      'Reverse a mistaken allowance credit note with a REVERSAL entry (R-BILL-5: never edited), while its effect is unused: its customer credit untouched and nothing settled its invoice since; the invoice opens again by what it had settled',
    roles: ['finance', 'finance_manager'],
    params: CreditNoteIdParams,
    body: ReverseCreditNote,
    responses: { 200: { description: 'Reversed', schema: CreditNote } },
    function: {
      id: 'ReverseCreditNote',
      entry: 'functions/credit-notes/handlers/reverse-credit-note.ts',
      description: 'Reverse an issued credit note through the ledger',
      access: { tables: { ...CREDIT_NOTE_ISSUE_TABLES } },
    },
  }),
};
