/** Order routes (R-INTAKE-1..6, R-REVIEW-3): drafts, submission, reading, cancellation, change requests. */
import { CUSTOMER_READERS } from '../customers/routes.js';
import { defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { CancelOrder, ChangeRequestInput, CreateOrder, ListOrdersQuery, Order, OrderIdParams, OrderSummary, UpdateOrder } from './schemas.js';

export const ORDER_ENTRY: readonly Role[] = ['sales_rep', 'sales_clerk'];
/** Orders carry customer data: whoever may read customers may read orders (a rep: own only). */
export const ORDER_READERS: readonly Role[] = CUSTOMER_READERS;

/** Reading the catalogue, the customer and the price lists to build and price lines. */
const PRICING_READS = { customers: 'read', products: 'read', priceLists: 'read' } as const;

export const orderRoutes = {
  createOrder: defineRoute({
    operationId: 'createOrder',
    method: 'POST',
    path: '/orders',
    tag: 'Orders',
    summary: 'Create an order draft from any channel; it gets its number now (R-INTAKE-1, R-INTAKE-3)',
    roles: ORDER_ENTRY,
    body: CreateOrder,
    idempotent: true,
    responses: { 201: { description: 'Draft created', schema: Order } },
    function: {
      id: 'CreateOrder',
      entry: 'functions/orders/handlers/create-order.ts',
      description: 'Create an order draft',
      access: { tables: { ...PRICING_READS, orders: 'readwrite', counters: 'readwrite', audit: 'write', idempotency: 'readwrite' } },
    },
  }),
  listOrders: defineRoute({
    operationId: 'listOrders',
    method: 'GET',
    path: '/orders',
    tag: 'Orders',
    summary: 'List orders, newest first, by status, customer, rep and date; a sales rep sees own orders only',
    roles: ORDER_READERS,
    query: ListOrdersQuery,
    responses: { 200: { description: 'OK', schema: pageOf(OrderSummary, 'OrderPage') } },
    function: { id: 'ListOrders', entry: 'functions/orders/handlers/list-orders.ts', description: 'List orders', access: { tables: { orders: 'read', customers: 'read', audit: 'write' } } },
  }),
  getOrder: defineRoute({
    operationId: 'getOrder',
    method: 'GET',
    path: '/orders/{orderId}',
    tag: 'Orders',
    summary: 'An order with its lines, totals, findings, status, the task it waits for, and its pending and last decided change request',
    roles: ORDER_READERS,
    params: OrderIdParams,
    responses: { 200: { description: 'OK', schema: Order } },
    function: { id: 'GetOrder', entry: 'functions/orders/handlers/get-order.ts', description: 'Read an order', access: { tables: { orders: 'read', audit: 'write' } } },
  }),
  getOrderHistory: defineRoute({
    operationId: 'getOrderHistory',
    method: 'GET',
    path: '/orders/{orderId}/history',
    tag: 'Orders',
    summary: 'Every status change, decision and amendment of an order: who, when, what (R-INFO-3, R-REVIEW-3)',
    roles: ORDER_READERS,
    params: OrderIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'OrderChangePage') } },
    function: {
      id: 'GetOrderHistory',
      entry: 'functions/orders/handlers/get-order-history.ts',
      description: "Read an order's history",
      access: { tables: { orders: 'read', audit: 'readwrite' } },
    },
  }),
  updateOrder: defineRoute({
    operationId: 'updateOrder',
    method: 'PATCH',
    path: '/orders/{orderId}',
    tag: 'Orders',
    summary: 'Amend a draft or a returned order; send If-Match with the version read',
    roles: ORDER_ENTRY,
    params: OrderIdParams,
    body: UpdateOrder,
    responses: { 200: { description: 'OK', schema: Order } },
    function: {
      id: 'UpdateOrder',
      entry: 'functions/orders/handlers/update-order.ts',
      description: 'Amend an order draft',
      access: { tables: { ...PRICING_READS, orders: 'readwrite', audit: 'write' } },
    },
  }),
  submitOrder: defineRoute({
    operationId: 'submitOrder',
    method: 'POST',
    path: '/orders/{orderId}/submission',
    tag: 'Orders',
    summary: 'Submit an order for review; an incomplete order is refused with every gap named (R-INTAKE-2)',
    roles: ORDER_ENTRY,
    params: OrderIdParams,
    responses: { 202: { description: 'Submitted; review started', schema: Order } },
    function: {
      id: 'SubmitOrder',
      entry: 'functions/orders/handlers/submit-order.ts',
      description: 'Submit an order and start its review',
      access: { tables: { workflowStarts: 'write', ...PRICING_READS, orders: 'readwrite', audit: 'write' } },
    },
  }),
  cancelOrder: defineRoute({
    operationId: 'cancelOrder',
    method: 'POST',
    path: '/orders/{orderId}/cancellation',
    tag: 'Orders',
    summary:
      'Cancel a draft, a returned order, or one waiting for credit (CREDIT_HOLD, CREDIT_REVIEW, AWAITING_PREPAYMENT) or for stock (AWAITING_STOCK), with a reason; an approved order is cancelled by a change request',
    roles: [...ORDER_ENTRY, 'sales_manager'],
    params: OrderIdParams,
    body: CancelOrder,
    responses: { 200: { description: 'Cancelled', schema: Order } },
    function: {
      id: 'CancelOrder',
      entry: 'functions/orders/handlers/cancel-order.ts',
      description: 'Cancel an order; one waiting in the credit stage releases what it held and ends its wait',
      access: { tables: { orders: 'readwrite', audit: 'write', credit: 'readwrite', stock: 'readwrite', products: 'read', requests: 'readwrite', notifications: 'write', tasks: 'readwrite' }, sendTaskResult: ['orderReview'] },
    },
  }),
  requestOrderChange: defineRoute({
    operationId: 'requestOrderChange',
    method: 'POST',
    path: '/orders/{orderId}/change-requests',
    tag: 'Orders',
    summary:
      'Ask for a change (amend or cancel) of an approved order; it is reviewed like the order and, once approved, applied and told to every department (R-INTAKE-6)',
    roles: ORDER_ENTRY,
    params: OrderIdParams,
    body: ChangeRequestInput,
    idempotent: true,
    responses: { 202: { description: 'Change request recorded (pendingChange); review started', schema: Order } },
    function: {
      id: 'RequestOrderChange',
      entry: 'functions/orders/handlers/request-change.ts',
      description: 'Record an order change request and start its review',
      access: { tables: { workflowStarts: 'write', ...PRICING_READS, orders: 'readwrite', audit: 'write', idempotency: 'readwrite' } },
    },
  }),
};
