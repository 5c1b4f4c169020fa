/** Sales summaries and month-end reconciliations (R-AR-4): one definition for handlers, CDK, the local gateway and OpenAPI. */
import * as z from 'zod';
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { PageQuery, pageOf } from '../shared/schemas.js';

/** Who reads them: the sales side's managers, finance, the warehouse (reconciliation), audit. */
export const REPORT_READERS: readonly Role[] = ['sales_manager', 'sales_vp', 'general_manager', 'finance', 'finance_manager', 'warehouse', 'auditor'];

export const Report = z
  .looseObject({
    reportId: z.string().meta({ description: 'SALES-YYYY-MM-DD (a summary day) or RECON-YYYY-MM (a month)' }),
    kind: z.enum(['SALES_SUMMARY', 'RECONCILIATION']),
    generatedAt: z.string(),
  })
  .meta({
    id: 'Report',
    description:
      'A sales summary (period, invoiced by rep, region and product, payments received, receivables by bucket with customer credit and net) or a month-end reconciliation (delivery note lines shipped against the warehouse issues and the invoices, with every difference)',
  });

const reportReads: FunctionDefinition = {
  id: 'ReportReads',
  entry: 'functions/reports/handlers/report-reads.ts',
  description: 'List and read sales summaries and reconciliations',
  access: { tables: { reports: 'read' } },
};

export const reportRoutes = {
  listReports: defineRoute({
    operationId: 'listReports',
    method: 'GET',
    path: '/reports',
    tag: 'Reports',
    summary: 'Sales summaries (5th, 15th, 25th) or month-end reconciliations, newest first (R-AR-4)',
    roles: REPORT_READERS,
    query: PageQuery.extend({ kind: z.enum(['SALES_SUMMARY', 'RECONCILIATION']) }),
    responses: { 200: { description: 'OK', schema: pageOf(Report, 'ReportPage') } },
    function: reportReads,
  }),
  getReport: defineRoute({
    operationId: 'getReport',
    method: 'GET',
    path: '/reports/{reportId}',
    tag: 'Reports',
    summary: 'A sales summary or a reconciliation',
    roles: REPORT_READERS,
    params: z.object({ reportId: z.string().regex(/^(SALES-\d{4}-\d{2}-\d{2}|RECON-\d{4}-\d{2})$/, 'SALES-YYYY-MM-DD or RECON-YYYY-MM') }),
    responses: { 200: { description: 'OK', schema: Report } },
    function: reportReads,
  }),
};
