/** Returns (R-RETURN-1..4): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { ListReturnsQuery, ReceiveReturn, RecordInspection, RequestReturn, Return, ReturnIdParams, WithdrawReturn } from './schemas.js';

/** Who follows returns: the sales side (a rep: own customers only), customer service, quality (production) and the warehouse, finance, audit. */
export const RETURN_READERS: readonly Role[] = [
  'sales_rep',
  'sales_clerk',
  'customer_service',
  'sales_manager',
  'sales_vp',
  'general_manager',
  'production',
  'warehouse',
  'finance',
  'finance_manager',
  'auditor',
  'admin',
];

const returnReads: FunctionDefinition = {
  id: 'ReturnReads',
  entry: 'functions/returns/handlers/return-reads.ts',
  description: "List returns by customer or status, read one and its history",
  access: { tables: { returns: 'read', customers: 'read', audit: 'readwrite' } },
};

export const returnRoutes = {
  requestReturn: defineRoute({
    operationId: 'requestReturn',
    method: 'POST',
    path: '/returns',
    tag: 'Returns',
    summary:
      'Ask for a return of delivered goods against their invoice (R-RETURN-1): lines and quantities (at most invoiced less earlier returns), quality or other, the reason; a quality return is inspected first (R-RETURN-2), then the sales manager decides',
    roles: ['sales_rep', 'sales_clerk', 'customer_service'],
    body: RequestReturn,
    idempotent: true,
    responses: { 202: { description: 'Waiting for inspection or approval', schema: Return } },
    function: {
      id: 'RequestReturn',
      entry: 'functions/returns/handlers/request-return.ts',
      description: 'Record a return request against an invoice and start its inspection or approval',
      access: {
        tables: { workflowStarts: 'write', returns: 'readwrite', invoices: 'read', deliveryNotes: 'read', customers: 'read', products: 'read', counters: 'readwrite', audit: 'write', notifications: 'write', idempotency: 'readwrite' },
      },
    },
  }),
  listReturns: defineRoute({
    operationId: 'listReturns',
    method: 'GET',
    path: '/returns',
    tag: 'Returns',
    summary: "A customer's returns, newest first; or the returns in a status, oldest first (default APPROVED: the goods the warehouse waits for; AWAITING_INSPECTION: quality's)",
    roles: RETURN_READERS,
    query: ListReturnsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(Return, 'ReturnPage') } },
    function: returnReads,
  }),
  getReturn: defineRoute({
    operationId: 'getReturn',
    method: 'GET',
    path: '/returns/{returnId}',
    tag: 'Returns',
    summary: 'A return with its inspection, decisions, receipt, root cause, responsible party and credit note',
    roles: RETURN_READERS,
    params: ReturnIdParams,
    responses: { 200: { description: 'OK', schema: Return } },
    function: returnReads,
  }),
  getReturnHistory: defineRoute({
    operationId: 'getReturnHistory',
    method: 'GET',
    path: '/returns/{returnId}/history',
    tag: 'Returns',
    summary: 'Every change of a return: who, when, what',
    roles: RETURN_READERS,
    params: ReturnIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'ReturnChangePage') } },
    function: returnReads,
  }),
  recordReturnInspection: defineRoute({
    operationId: 'recordReturnInspection',
    method: 'POST',
    path: '/returns/{returnId}/inspection',
    tag: 'Returns',
    summary:
      'The inspection report of a quality return (R-RETURN-2, R-RETURN-4): findings, the defect confirmed per line or not, root cause and responsible party; confirmed, it goes to the sales manager; not confirmed, the return ends',
    roles: ['production', 'warehouse'],
    params: ReturnIdParams,
    body: RecordInspection,
    responses: { 200: { description: 'Recorded', schema: Return } },
    function: {
      id: 'RecordReturnInspection',
      entry: 'functions/returns/handlers/record-return-inspection.ts',
      description: 'Record the inspection report of a quality return and start its approval',
      access: { tables: { workflowStarts: 'write', returns: 'readwrite', products: 'read', audit: 'write', notifications: 'write' } },
    },
  }),
  receiveReturn: defineRoute({
    operationId: 'receiveReturn',
    method: 'POST',
    path: '/returns/{returnId}/receipt',
    tag: 'Returns',
    summary:
      'The warehouse receives the goods of an approved return, per line into stock (a RECEIPT with source RETURN) or into repair; the credit note for what came back is issued in the same write, at the invoice’s prices with VAT (R-RETURN-3)',
    roles: ['warehouse'],
    params: ReturnIdParams,
    body: ReceiveReturn,
    responses: { 200: { description: 'Received and credited', schema: Return } },
    function: {
      id: 'ReceiveReturn',
      entry: 'functions/returns/handlers/receive-return.ts',
      description: 'Receive returned goods and issue their credit note through the ledger',
      access: {
        tables: { returns: 'readwrite', creditNotes: 'readwrite', ledger: 'readwrite', invoices: 'readwrite', credit: 'readwrite', stock: 'readwrite', products: 'read', counters: 'readwrite', audit: 'write', notifications: 'write' },
      },
    },
  }),
  withdrawReturn: defineRoute({
    operationId: 'withdrawReturn',
    method: 'POST',
    path: '/returns/{returnId}/withdrawal',
    tag: 'Returns',
    summary: 'Withdraw a return whose goods have not come back, with a reason (its requester or a sales manager)',
    roles: ['sales_rep', 'sales_clerk', 'customer_service', 'sales_manager'],
    params: ReturnIdParams,
    body: WithdrawReturn,
    responses: { 200: { description: 'Withdrawn', schema: Return } },
    function: {
      id: 'WithdrawReturn',
      entry: 'functions/returns/handlers/withdraw-return.ts',
      description: 'Withdraw a return before its goods come back',
      access: { tables: { returns: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' }, sendTaskResult: ['returnApproval'] },
    },
  }),
};
