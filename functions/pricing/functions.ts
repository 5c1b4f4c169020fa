/** Functions of the price list approval workflow (R-PRICE-1, R-PRICE-2). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const pricingFunctions = {
  openPriceListTask: {
    id: 'OpenPriceListTask',
    entry: 'functions/pricing/handlers/open-price-list-task.ts',
    description: 'Workflow step: put a price list review or approval task in a role queue with its token',
    access: { tables: { priceLists: 'read', tasks: 'readwrite', notifications: 'write' } },
  },
  movePriceListToApproval: {
    id: 'MovePriceListToApproval',
    entry: 'functions/pricing/handlers/move-to-approval.ts',
    description: "Workflow step: the review is done (or escalated); the version awaits approval",
    access: { tables: { priceLists: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  approvePriceListVersion: {
    id: 'ApprovePriceListVersion',
    entry: 'functions/pricing/handlers/approve-version.ts',
    description: 'Workflow step: mark the version approved and tell the drafter and the order desk',
    access: { tables: { priceLists: 'readwrite', audit: 'write', notifications: 'write' } },
  },
  returnPriceListVersion: {
    id: 'ReturnPriceListVersion',
    entry: 'functions/pricing/handlers/return-version.ts',
    description: 'Workflow step: return the version to its drafter with the reason (or because nobody decided in time)',
    access: { tables: { priceLists: 'readwrite', tasks: 'readwrite', audit: 'write', notifications: 'write' } },
  },
} satisfies Record<string, FunctionDefinition>;
