/** Functions of the stock stage of the order workflow (R-FULFIL-2) and of the safety stock approval (R-FULFIL-9). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const stockFunctions = {
  reserveOrderStock: {
    id: 'ReserveOrderStock',
    entry: 'functions/stock/handlers/reserve-order-stock.ts',
    description: "Workflow step: assign the order (R-FULFIL-1) and reserve its goods; a shortfall raises production or purchase requests (R-FULFIL-2)",
    access: {
      tables: { orders: 'readwrite', products: 'read', customers: 'read', assignmentRules: 'read', stock: 'readwrite', requests: 'readwrite', goodsReservations: 'read', audit: 'write', notifications: 'write' },
    },
    timeoutSeconds: 120,
  },
  openStockWait: {
    id: 'OpenStockWait',
    entry: 'functions/stock/handlers/open-stock-wait.ts',
    description: 'Workflow step: an order short of stock waits for its requests; keeps its token',
    access: { tables: { orders: 'readwrite', requests: 'read', tasks: 'readwrite', audit: 'write' }, sendTaskResult: ['orderReview'] },
  },
  openSafetyStockTask: {
    id: 'OpenSafetyStockTask',
    entry: 'functions/stock/handlers/open-safety-stock-task.ts',
    description: "Workflow step: a safety stock proposal waits in the sales manager's queue with its token (R-FULFIL-9)",
    access: { tables: { stock: 'read', products: 'read', tasks: 'readwrite', notifications: 'write' } },
  },
  applySafetyStockOutcome: {
    id: 'ApplySafetyStockOutcome',
    entry: 'functions/stock/handlers/apply-safety-stock-outcome.ts',
    description: 'Workflow step: an approved safety stock takes effect (and is checked at once), a refused or undecided one ends; the proposer is told (R-FULFIL-9)',
    access: { tables: { stock: 'readwrite', products: 'read', audit: 'write', notifications: 'write' } },
  },
} satisfies Record<string, FunctionDefinition>;
