/** Functions of the order review workflow (state-machines/order-review.asl.json). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const orderFunctions = {
  preCheckOrder: {
    id: 'PreCheckOrder',
    entry: 'functions/orders/handlers/pre-check-order.ts',
    description: 'Workflow step: record the findings of R-REVIEW-1 and route the order',
    access: { tables: { orders: 'readwrite', customers: 'read', products: 'read', priceLists: 'read', audit: 'write' } },
  },
  openOrderTask: {
    id: 'OpenOrderTask',
    entry: 'functions/orders/handlers/open-order-task.ts',
    description: 'Workflow step: put an order review or special approval in a role queue with its token',
    access: { tables: { orders: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  finishOrderReview: {
    id: 'FinishOrderReview',
    entry: 'functions/orders/handlers/finish-order-review.ts',
    description: 'Workflow step: write the outcome of the review on the order and tell its rep',
    access: { tables: { orders: 'readwrite', tasks: 'readwrite', credit: 'readwrite', stock: 'readwrite', products: 'read', requests: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  recordOrderException: {
    id: 'RecordOrderException',
    entry: 'functions/orders/handlers/record-order-exception.ts',
    description: 'Workflow step: a step failed for good; give back what the order held and leave it in EXCEPTION with the reason',
    access: {
      tables: { orders: 'readwrite', credit: 'readwrite', stock: 'readwrite', products: 'read', requests: 'readwrite', audit: 'write', notifications: 'write' },
    },
  },
} satisfies Record<string, FunctionDefinition>;
