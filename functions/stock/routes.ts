/** Stock and supply requests (R-FULFIL-2): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { PageQuery, pageOf } from '../shared/schemas.js';
import { CompleteRequest, ListStockQuery, ProductCodeParams, ProductStock, RequestIdParams, StockAdjustment, StockBalance, StockMovement, StockReceipt, SupplyRequest } from './schemas.js';

/** Who sees stock: operations, the order side, managers, audit (not customer data, so no confidentiality rule). */
export const STOCK_READERS: readonly Role[] = ['warehouse', 'production', 'logistics', 'sales_clerk', 'order_desk', 'sales_rep', 'sales_manager', 'sales_vp', 'general_manager', 'admin', 'auditor'];
/** Who works on production and purchase requests, and who follows them. */
const REQUEST_READERS: readonly Role[] = ['production', 'warehouse', 'sales_clerk', 'order_desk', 'sales_manager', 'admin', 'auditor'];

export const stockRoutes = {
  listStock: defineRoute({
    operationId: 'listStock',
    method: 'GET',
    path: '/stock',
    tag: 'Stock',
    summary: "A warehouse's stock by product: on hand, reserved, available",
    roles: STOCK_READERS,
    query: ListStockQuery,
    responses: { 200: { description: 'OK', schema: pageOf(StockBalance, 'StockBalancePage') } },
    function: { id: 'ListStock', entry: 'functions/stock/handlers/list-stock.ts', description: "List a warehouse's stock", access: { tables: { stock: 'read' } } },
  }),
  getProductStock: defineRoute({
    operationId: 'getProductStock',
    method: 'GET',
    path: '/stock/{productCode}',
    tag: 'Stock',
    summary: "A product's stock in every warehouse and its latest movements",
    roles: STOCK_READERS,
    params: ProductCodeParams,
    responses: { 200: { description: 'OK', schema: ProductStock } },
    function: { id: 'GetProductStock', entry: 'functions/stock/handlers/get-product-stock.ts', description: "Read a product's stock and movements", access: { tables: { stock: 'read' } } },
  }),
  recordStockReceipt: defineRoute({
    operationId: 'recordStockReceipt',
    method: 'POST',
    path: '/stock/receipts',
    tag: 'Stock',
    summary: 'Receive goods into stock (from production, a supplier, or a return), with the document it came with',
    roles: ['warehouse'],
    body: StockReceipt,
    idempotent: true,
    responses: { 201: { description: 'Received', schema: StockMovement } },
    function: {
      id: 'RecordStockReceipt',
      entry: 'functions/stock/handlers/record-stock-receipt.ts',
      description: 'Receive goods into stock with a movement',
      access: { tables: { stock: 'readwrite', products: 'read', idempotency: 'readwrite' } },
    },
  }),
  recordStockAdjustment: defineRoute({
    operationId: 'recordStockAdjustment',
    method: 'POST',
    path: '/stock/adjustments',
    tag: 'Stock',
    summary: 'Correct stock to what was counted (found, lost, damaged), with a reason; reserved stock cannot be adjusted away',
    roles: ['warehouse'],
    body: StockAdjustment,
    idempotent: true,
    responses: { 201: { description: 'Adjusted', schema: StockMovement } },
    function: {
      id: 'RecordStockAdjustment',
      entry: 'functions/stock/handlers/record-stock-adjustment.ts',
      description: 'Adjust stock with a reason and a movement',
      access: { tables: { stock: 'readwrite', products: 'read', idempotency: 'readwrite' } },
    },
  }),
  listSupplyRequests: defineRoute({
    operationId: 'listSupplyRequests',
    method: 'GET',
    path: '/supply-requests',
    tag: 'Stock',
    summary: 'Open production requests (production) and purchase requests (warehouse), oldest first; others see both',
    roles: REQUEST_READERS,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(SupplyRequest, 'SupplyRequestPage') } },
    function: { id: 'ListSupplyRequests', entry: 'functions/stock/handlers/list-supply-requests.ts', description: 'List open production and purchase requests', access: { tables: { requests: 'read' } } },
  }),
  completeSupplyRequest: defineRoute({
    operationId: 'completeSupplyRequest',
    method: 'POST',
    path: '/supply-requests/{requestId}/completion',
    tag: 'Stock',
    summary: 'Report a production or purchase request done: the goods are received into stock and the waiting order reserves them',
    roles: ['production', 'warehouse'],
    params: RequestIdParams,
    body: CompleteRequest,
    responses: { 200: { description: 'Completed', schema: SupplyRequest } },
    function: {
      id: 'CompleteSupplyRequest',
      entry: 'functions/stock/handlers/complete-supply-request.ts',
      description: 'Complete a supply request, receive its goods and resume the order',
      access: { tables: { requests: 'readwrite', stock: 'readwrite', products: 'read', orders: 'read', tasks: 'readwrite' }, sendTaskResult: ['orderReview'] },
    },
  }),
};
