/** Samples, gifts and advertising goods (R-FULFIL-10): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { CreateSampleRequest, IssueSamples, ListSampleRequestsQuery, SampleRequest, SampleRequestIdParams, WithdrawSampleRequest } from './schemas.js';

/** Who follows sample requests: the sales side (a rep: own customers' and own requests), approvers, the warehouse, finance (deemed sales). */
export const SAMPLE_READERS: readonly Role[] = ['sales_rep', 'sales_clerk', 'sales_manager', 'sales_vp', 'general_manager', 'warehouse', 'finance', 'finance_manager', 'admin', 'auditor'];

const sampleReads: FunctionDefinition = {
  id: 'SampleRequestReads',
  entry: 'functions/samples/handlers/sample-reads.ts',
  description: 'List sample and gift requests by status, read one and its history',
  access: { tables: { sampleRequests: 'read', audit: 'readwrite' } },
};

export const sampleRoutes = {
  requestSamples: defineRoute({
    operationId: 'requestSamples',
    method: 'POST',
    path: '/sample-requests',
    tag: 'Samples and gifts',
    summary: 'Ask for samples, gifts or advertising goods (视同销售); the sales manager approves (the general manager, when the sales manager asks)',
    roles: ['sales_rep', 'sales_clerk', 'sales_manager'],
    body: CreateSampleRequest,
    idempotent: true,
    responses: { 202: { description: 'Waiting for approval', schema: SampleRequest } },
    function: {
      id: 'RequestSamples',
      entry: 'functions/samples/handlers/request-samples.ts',
      description: 'Record a sample or gift request and start its approval',
      access: { tables: { workflowStarts: 'write', sampleRequests: 'readwrite', customers: 'read', products: 'read', counters: 'readwrite', audit: 'write', idempotency: 'readwrite' } },
    },
  }),
  listSampleRequests: defineRoute({
    operationId: 'listSampleRequests',
    method: 'GET',
    path: '/sample-requests',
    tag: 'Samples and gifts',
    summary: 'Sample and gift requests in a status (default APPROVED: what the warehouse has to issue), oldest first',
    roles: SAMPLE_READERS,
    query: ListSampleRequestsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(SampleRequest, 'SampleRequestPage') } },
    function: sampleReads,
  }),
  getSampleRequest: defineRoute({
    operationId: 'getSampleRequest',
    method: 'GET',
    path: '/sample-requests/{requestId}',
    tag: 'Samples and gifts',
    summary: 'A sample or gift request with its decisions and issue',
    roles: SAMPLE_READERS,
    params: SampleRequestIdParams,
    responses: { 200: { description: 'OK', schema: SampleRequest } },
    function: sampleReads,
  }),
  getSampleRequestHistory: defineRoute({
    operationId: 'getSampleRequestHistory',
    method: 'GET',
    path: '/sample-requests/{requestId}/history',
    tag: 'Samples and gifts',
    summary: 'Every change of a sample or gift request: who, when, what',
    roles: SAMPLE_READERS,
    params: SampleRequestIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'SampleRequestChangePage') } },
    function: sampleReads,
  }),
  issueSamples: defineRoute({
    operationId: 'issueSamples',
    method: 'POST',
    path: '/sample-requests/{requestId}/goods-issue',
    tag: 'Samples and gifts',
    summary: 'The warehouse issues an approved request: the goods leave stock recorded as samples or gifts (SAMPLE_ISSUE), never as a sale',
    roles: ['warehouse'],
    params: SampleRequestIdParams,
    body: IssueSamples,
    responses: { 200: { description: 'Issued', schema: SampleRequest } },
    function: {
      id: 'IssueSamples',
      entry: 'functions/samples/handlers/issue-samples.ts',
      description: 'Issue approved samples or gifts from stock',
      access: { tables: { sampleRequests: 'readwrite', stock: 'readwrite', products: 'read', audit: 'write', notifications: 'write' } },
    },
  }),
  withdrawSampleRequest: defineRoute({
    operationId: 'withdrawSampleRequest',
    method: 'POST',
    path: '/sample-requests/{requestId}/withdrawal',
    tag: 'Samples and gifts',
    summary: 'Withdraw a request not issued yet, with a reason (its requester or a sales manager)',
    roles: ['sales_rep', 'sales_clerk', 'sales_manager'],
    params: SampleRequestIdParams,
    body: WithdrawSampleRequest,
    responses: { 200: { description: 'Withdrawn', schema: SampleRequest } },
    function: {
      id: 'WithdrawSampleRequest',
      entry: 'functions/samples/handlers/withdraw-sample-request.ts',
      description: 'Withdraw a sample or gift request before issue',
      access: { tables: { sampleRequests: 'readwrite', tasks: 'readwrite', audit: 'write' }, sendTaskResult: ['sampleRequestApproval'] },
    },
  }),
};
