/** Functions of billing outside the API: the order workflow's last step and the daily receivables alerts (R-BILL-1, R-AR-2). */
import type { FunctionDefinition } from '../shared/definitions.js';

/** What issuing an invoice touches (R-BILL-1), for every function that invoices. */
export const INVOICING_TABLES = {
  invoices: 'readwrite',
  ledger: 'readwrite',
  credit: 'readwrite',
  deliveryNotes: 'readwrite',
  orders: 'read',
  customers: 'read',
  counters: 'readwrite',
  audit: 'write',
  notifications: 'write',
} as const;

export const billingFunctions = {
  invoiceOrder: {
    id: 'InvoiceOrder',
    entry: 'functions/billing/handlers/invoice-order.ts',
    description: "Workflow step: invoice every delivery note of the delivered order not invoiced yet, give back the credit it no longer needs",
    access: { tables: INVOICING_TABLES },
    timeoutSeconds: 120,
  },
  receivablesDue: {
    id: 'ReceivablesDue',
    entry: 'functions/billing/handlers/receivables-due.ts',
    description: 'Schedule: alerts for open invoices at their milestones (due in 3 days, due today, 7/30/60/90 days overdue), once each',
    access: { tables: { credit: 'read', notifications: 'write' } },
    timeoutSeconds: 300,
  },
} satisfies Record<string, FunctionDefinition>;
