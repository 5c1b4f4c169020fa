/** The export worker (R-AR-3): the on-demand export's state machine task and the two schedules' job. */
import type { FunctionDefinition } from '../shared/definitions.js';

export const exportFunctions = {
  runFinanceExport: {
    id: 'RunFinanceExport',
    entry: 'functions/exports/handlers/run-export.ts',
    description: 'Write a finance export (ledger, invoices, payments, aging) as CSV and JSON Lines with its manifest to the exports bucket: on demand (workflow task) and daily / at month end (schedules)',
    access: {
      tables: { exports: 'readwrite', ledger: 'read', invoices: 'read', payments: 'read', credit: 'read', customers: 'read' },
      // The only writer of the bucket.
      exportsBucket: 'write',
    },
    // A year of a busy ledger takes minutes; the API never waits for it (POST /exports answers 202).
    timeoutSeconds: 900,
    // Lambda's CPU grows with memory: formatting is CPU-bound; memory itself stays bounded (about 100 MB).
    memoryMb: 1024,
  },
} satisfies Record<string, FunctionDefinition>;
