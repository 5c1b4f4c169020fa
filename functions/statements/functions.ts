/** Functions of statements outside the API: the month-end run (R-BILL-6). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const statementFunctions = {
  statementsDue: {
    id: 'StatementsDue',
    entry: 'functions/statements/handlers/statements-due.ts',
    description: "Schedule: the previous month's statement of every customer with ledger activity in it, once per customer and month",
    access: { tables: { ledger: 'read', credit: 'read', invoices: 'read', customers: 'read', statements: 'readwrite', audit: 'write', notifications: 'write' } },
    timeoutSeconds: 900,
  },
} satisfies Record<string, FunctionDefinition>;
