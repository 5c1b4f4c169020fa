/** Functions of the delivery stage of the order workflow (R-FULFIL-3..7). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const deliveryFunctions = {
  openDeliveryWait: {
    id: 'OpenDeliveryWait',
    entry: 'functions/delivery/handlers/open-delivery-wait.ts',
    description: 'Workflow step: an order with its goods reserved waits for its delivery; keeps its token',
    access: { tables: { orders: 'readwrite', tasks: 'readwrite', audit: 'write' }, sendTaskResult: ['orderReview'] },
  },
} satisfies Record<string, FunctionDefinition>;
