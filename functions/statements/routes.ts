/** Customer statements (对账单, R-BILL-6): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { BILLING_READERS } from '../billing/routes.js';
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { STATEMENT_FONT } from './font.js';
import { ListStatementsQuery, RecordStatementAnswer, Statement, StatementIdParams, StatementSummary } from './schemas.js';

/** Who reads statements: as receivables (finance, the sales side's managers, the customer's own rep, audit). */
export const STATEMENT_READERS: readonly Role[] = BILLING_READERS;
/** Finance sends statements and records what customers answer. */
export const STATEMENT_SENDERS: readonly Role[] = ['finance', 'finance_manager'];

/** The reads share one function (same access); it carries the font the PDF is printed in. */
const statementReads: FunctionDefinition = {
  id: 'StatementReads',
  entry: 'functions/statements/handlers/statement-reads.ts',
  description: 'Read customer statements: list, JSON, printable PDF, history',
  access: { tables: { statements: 'read', customers: 'read', audit: 'readwrite' } },
  assets: [STATEMENT_FONT],
};

/** Sending and recording the answer change a statement, its history and the outbox. */
const statementChanges: FunctionDefinition = {
  id: 'StatementChanges',
  entry: 'functions/statements/handlers/statement-changes.ts',
  description: "Send a statement to the customer; record the customer's confirmation or dispute",
  access: { tables: { statements: 'readwrite', customers: 'read', audit: 'write', notifications: 'write' } },
};

export const statementRoutes = {
  listStatements: defineRoute({
    operationId: 'listStatements',
    method: 'GET',
    path: '/statements',
    tag: 'Statements',
    summary: "A customer's statements, newest month first (customerId), or a month's statements by customer (month, back office); status narrows",
    roles: STATEMENT_READERS,
    query: ListStatementsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(StatementSummary, 'StatementPage') } },
    function: statementReads,
  }),
  getStatement: defineRoute({
    operationId: 'getStatement',
    method: 'GET',
    path: '/statements/{statementId}',
    tag: 'Statements',
    summary: 'A statement: opening balance, the lines with their running balance, totals, closing balance, open invoices at the month end with aging, status and answer (R-BILL-6)',
    roles: STATEMENT_READERS,
    params: StatementIdParams,
    responses: { 200: { description: 'OK', schema: Statement } },
    function: statementReads,
  }),
  getStatementPdf: defineRoute({
    operationId: 'getStatementPdf',
    method: 'GET',
    path: '/statements/{statementId}/pdf',
    tag: 'Statements',
    summary: 'The printable statement (A4 PDF, Chinese and English labels) as it is sent to the customer',
    roles: STATEMENT_READERS,
    params: StatementIdParams,
    responses: { 200: { description: 'The statement as a PDF', contentType: 'application/pdf' } },
    function: statementReads,
  }),
  getStatementHistory: defineRoute({
    operationId: 'getStatementHistory',
    method: 'GET',
    path: '/statements/{statementId}/history',
    tag: 'Statements',
    summary: 'Every change of a statement: generated, sent, confirmed or disputed (who, when, what)',
    roles: STATEMENT_READERS,
    params: StatementIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'StatementChangePage') } },
    function: statementReads,
  }),
  sendStatement: defineRoute({
    operationId: 'sendStatement',
    method: 'POST',
    path: '/statements/{statementId}/sending',
    tag: 'Statements',
    summary: "Send a generated statement: SENT, and a notification with the PDF's link to the customer (customer:<customerId>, listing its contacts) and a copy to the rep, through the outbox",
    roles: STATEMENT_SENDERS,
    params: StatementIdParams,
    responses: { 200: { description: 'Sent', schema: Statement } },
    function: statementChanges,
  }),
  recordStatementAnswer: defineRoute({
    operationId: 'recordStatementAnswer',
    method: 'POST',
    path: '/statements/{statementId}/confirmation',
    tag: 'Statements',
    summary: "Record what the customer answered to a sent statement: CONFIRMED, or DISPUTED naming the statement's items disputed (the finance manager and the rep are told); a disputed statement can be confirmed later",
    roles: STATEMENT_SENDERS,
    params: StatementIdParams,
    body: RecordStatementAnswer,
    responses: { 200: { description: 'Recorded', schema: Statement } },
    function: statementChanges,
  }),
};
