/** The scheduled reports (R-AR-4). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const reportFunctions = {
  salesSummaries: {
    id: 'SalesSummaries',
    entry: 'functions/reports/handlers/sales-summaries.ts',
    description: 'Schedule (5th, 15th, 25th): the sales summary since the previous summary day, to the managers',
    access: { tables: { reports: 'readwrite', invoices: 'read', payments: 'read', credit: 'read', ledger: 'read', customers: 'read', notifications: 'write' } },
    timeoutSeconds: 300,
  },
  monthEndReconciliation: {
    id: 'MonthEndReconciliation',
    entry: 'functions/reports/handlers/month-end-reconciliation.ts',
    description: "Schedule (the 1st): last month's delivery notes shipped against warehouse issues and invoices, every difference listed",
    access: { tables: { reports: 'readwrite', deliveryNotes: 'read', invoices: 'read', stock: 'read', products: 'read', notifications: 'write' } },
    timeoutSeconds: 600,
  },
} satisfies Record<string, FunctionDefinition>;
