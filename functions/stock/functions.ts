/** Functions of the stock stage of the order workflow (R-FULFIL-2). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const stockFunctions = {
  reserveOrderStock: {
    id: 'ReserveOrderStock',
    entry: 'functions/stock/handlers/reserve-order-stock.ts',
    description: "Workflow step: assign the order (R-FULFIL-1) and reserve its goods; a shortfall raises production or purchase requests (R-FULFIL-2)",
    access: {
      tables: { orders: 'readwrite', products: 'read', customers: 'read', assignmentRules: 'read', stock: 'readwrite', requests: 'readwrite', audit: 'write', notifications: 'write' },
    },
    timeoutSeconds: 120,
  },
  openStockWait: {
    id: 'OpenStockWait',
    entry: 'functions/stock/handlers/open-stock-wait.ts',
    description: 'Workflow step: an order short of stock waits for its requests; keeps its token',
    access: { tables: { orders: 'readwrite', requests: 'read', tasks: 'readwrite', audit: 'write' }, sendTaskResult: ['orderReview'] },
  },
} satisfies Record<string, FunctionDefinition>;
