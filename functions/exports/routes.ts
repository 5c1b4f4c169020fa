/** Finance exports (R-AR-3): start one, list them, read one with fresh download URLs. One definition for handlers, CDK, the local gateway and OpenAPI. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { pageOf } from '../shared/schemas.js';
import { ExportIdParams, ExportRecord, ExportView, ListExportsQuery, StartExport } from './schemas.js';

/** Finance starts exports; the auditor reads them too. */
export const EXPORT_STARTERS: readonly Role[] = ['finance_manager', 'finance'];
export const EXPORT_READERS: readonly Role[] = ['finance_manager', 'finance', 'auditor'];

/** The list and the read share a function (same access: the records, and presigning downloads). */
const exportReads: FunctionDefinition = {
  id: 'FinanceExportReads',
  entry: 'functions/exports/handlers/export-reads.ts',
  description: 'List finance exports; read one with fresh download URLs',
  access: { tables: { exports: 'read' }, exportsBucket: 'read' },
};

export const exportRoutes = {
  startExport: defineRoute({
    operationId: 'startExport',
    method: 'POST',
    path: '/exports',
    tag: 'Exports',
    summary:
      'Export the ledger, invoices and payments of a period and the aging snapshot as CSV (UTF-8 with BOM) and JSON Lines, with a manifest of row counts and SHA-256 checksums (R-AR-3). Runs in the background: answers 202 with the export id; GET /exports/{exportId} gives its status, then the manifest and download URLs',
    roles: EXPORT_STARTERS,
    body: StartExport,
    idempotent: true,
    responses: { 202: { description: 'Started (status RUNNING); Location names the export to poll', schema: ExportRecord } },
    function: {
      id: 'StartFinanceExport',
      entry: 'functions/exports/handlers/start-export.ts',
      description: 'Record a finance export and start its workflow',
      access: { tables: { workflowStarts: 'write', exports: 'readwrite', idempotency: 'readwrite' } },
    },
  }),
  listExports: defineRoute({
    operationId: 'listExports',
    method: 'GET',
    path: '/exports',
    tag: 'Exports',
    summary: 'Finance exports, newest first: on demand, daily and month end, with their status and manifest',
    roles: EXPORT_READERS,
    query: ListExportsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ExportRecord, 'ExportPage') } },
    function: exportReads,
  }),
  getExport: defineRoute({
    operationId: 'getExport',
    method: 'GET',
    path: '/exports/{exportId}',
    tag: 'Exports',
    summary: 'An export: its status, and once it SUCCEEDED its manifest (rows, bytes, SHA-256 per file) with a download URL per file valid 15 minutes (presigned S3 URL in the cloud, a signed local URL locally)',
    roles: EXPORT_READERS,
    params: ExportIdParams,
    responses: { 200: { description: 'OK', schema: ExportView } },
    function: exportReads,
  }),
};
