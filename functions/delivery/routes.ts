/** Delivery notes (R-FULFIL-3..7): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { INVOICING_TABLES } from '../billing/functions.js';
import * as z from 'zod';
import { defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { PageQuery, pageOf } from '../shared/schemas.js';
import { DeliveryNote, DeliveryNoteIdParams, DeliveryNoteStatus, Dispatch, GatePass, GoodsIssue, NewDeliveryNote, NewTransportEvent, OrderDeliveryParams, ProofOfDelivery, SignOff } from './schemas.js';

/** Who reads delivery notes: the order side, finance, operations, audit; a sales rep only those of own orders. */
export const DELIVERY_READERS: readonly Role[] = ['sales_rep', 'sales_clerk', 'order_desk', 'sales_manager', 'finance', 'finance_manager', 'warehouse', 'logistics', 'customer_service', 'auditor'];

const note = (description: string) => ({ description, schema: DeliveryNote });
const access = { tables: { deliveryNotes: 'readwrite', orders: 'readwrite', audit: 'write', notifications: 'write' } } as const;

export const deliveryRoutes = {
  issueDeliveryNote: defineRoute({
    operationId: 'issueDeliveryNote',
    method: 'POST',
    path: '/orders/{orderId}/delivery-notes',
    tag: 'Delivery',
    summary: 'Issue a delivery note (发货单) for all or part of what is reserved and not yet on a note; valid on the day issued (R-FULFIL-3, R-FULFIL-5)',
    roles: ['sales_clerk'],
    params: OrderDeliveryParams,
    body: NewDeliveryNote,
    idempotent: true,
    responses: { 201: note('Issued; waits for finance sign-off') },
    function: {
      id: 'IssueDeliveryNote',
      entry: 'functions/delivery/handlers/issue-delivery-note.ts',
      description: 'Issue a delivery note for reserved goods',
      access: { tables: { ...access.tables, products: 'read', counters: 'readwrite', idempotency: 'readwrite' } },
    },
  }),
  listOrderDeliveryNotes: defineRoute({
    operationId: 'listOrderDeliveryNotes',
    method: 'GET',
    path: '/orders/{orderId}/delivery-notes',
    tag: 'Delivery',
    summary: "An order's delivery notes, oldest first",
    roles: DELIVERY_READERS,
    params: OrderDeliveryParams,
    responses: { 200: { description: 'OK', schema: z.object({ items: z.array(DeliveryNote) }).meta({ id: 'DeliveryNoteList' }) } },
    function: { id: 'ListOrderDeliveryNotes', entry: 'functions/delivery/handlers/list-order-delivery-notes.ts', description: "List an order's delivery notes", access: { tables: { deliveryNotes: 'read', orders: 'read', audit: 'write' } } },
  }),
  listDeliveryNotes: defineRoute({
    operationId: 'listDeliveryNotes',
    method: 'GET',
    path: '/delivery-notes',
    tag: 'Delivery',
    summary: 'Delivery notes in a status, oldest first: ISSUED for finance, SIGNED_OFF for the warehouse, GOODS_ISSUED and DISPATCHED for logistics',
    roles: DELIVERY_READERS.filter((r) => r !== 'sales_rep'),
    query: PageQuery.extend({ status: DeliveryNoteStatus }),
    responses: { 200: { description: 'OK', schema: pageOf(DeliveryNote, 'DeliveryNotePage') } },
    function: { id: 'ListDeliveryNotes', entry: 'functions/delivery/handlers/list-delivery-notes.ts', description: 'List delivery notes in a status', access: { tables: { deliveryNotes: 'read' } } },
  }),
  getDeliveryNote: defineRoute({
    operationId: 'getDeliveryNote',
    method: 'GET',
    path: '/delivery-notes/{deliveryNoteId}',
    tag: 'Delivery',
    summary: 'A delivery note: order, customer, lines with specification, quantity, weight and batch (R-FULFIL-3)',
    roles: DELIVERY_READERS,
    params: DeliveryNoteIdParams,
    responses: { 200: note('OK') },
    function: { id: 'GetDeliveryNote', entry: 'functions/delivery/handlers/get-delivery-note.ts', description: 'Read a delivery note', access: { tables: { deliveryNotes: 'read', audit: 'write' } } },
  }),
  getGatePass: defineRoute({
    operationId: 'getGatePass',
    method: 'GET',
    path: '/delivery-notes/{deliveryNoteId}/gate-pass',
    tag: 'Delivery',
    summary: 'The gate-pass copy (出门证): goods, quantities, weights, batches and the day it is valid — no customer name, price or amount (R-FULFIL-3)',
    roles: ['warehouse', 'logistics', 'sales_clerk', 'auditor'],
    params: DeliveryNoteIdParams,
    responses: { 200: { description: 'OK', schema: GatePass } },
    function: { id: 'GetGatePass', entry: 'functions/delivery/handlers/get-gate-pass.ts', description: 'Read the gate-pass copy of a delivery note', access: { tables: { deliveryNotes: 'read' } } },
  }),
  signOffDeliveryNote: defineRoute({
    operationId: 'signOffDeliveryNote',
    method: 'POST',
    path: '/delivery-notes/{deliveryNoteId}/sign-off',
    tag: 'Delivery',
    summary: 'Finance releases the note: paid (with the receipt) or receivable within credit; never for a customer on credit hold (R-FULFIL-4, R-CREDIT-5)',
    roles: ['finance', 'finance_manager'],
    params: DeliveryNoteIdParams,
    body: SignOff,
    responses: { 200: note('Signed off') },
    function: {
      id: 'SignOffDeliveryNote',
      entry: 'functions/delivery/handlers/sign-off-delivery-note.ts',
      description: 'Finance sign-off of a delivery note',
      access: { tables: { ...access.tables, credit: 'read', payments: 'read', ledger: 'read' } },
    },
  }),
  reissueDeliveryNote: defineRoute({
    operationId: 'reissueDeliveryNote',
    method: 'POST',
    path: '/delivery-notes/{deliveryNoteId}/reissue',
    tag: 'Delivery',
    summary: 'Reissue an expired delivery note for today; the old one is voided (R-FULFIL-3)',
    roles: ['sales_clerk'],
    params: DeliveryNoteIdParams,
    responses: { 201: note('Reissued') },
    function: {
      id: 'ReissueDeliveryNote',
      entry: 'functions/delivery/handlers/reissue-delivery-note.ts',
      description: 'Void an expired delivery note and issue it again',
      access: { tables: { ...access.tables, counters: 'readwrite' } },
    },
  }),
  issueGoods: defineRoute({
    operationId: 'issueGoods',
    method: 'POST',
    path: '/delivery-notes/{deliveryNoteId}/goods-issue',
    tag: 'Delivery',
    summary: 'The warehouse issues the goods against a signed-off note on its day, with batch and weight per line; stock leaves (R-FULFIL-4, R-FULFIL-5)',
    roles: ['warehouse'],
    params: DeliveryNoteIdParams,
    body: GoodsIssue,
    responses: { 200: note('Goods issued') },
    function: {
      id: 'IssueGoods',
      entry: 'functions/delivery/handlers/issue-goods.ts',
      description: 'Issue goods against a delivery note',
      // With the setting invoiceOn GOODS_ISSUED the note is invoiced right after (R-BILL-1).
      access: { tables: { ...INVOICING_TABLES, ...access.tables, stock: 'readwrite', products: 'read', credit: 'readwrite' } },
    },
  }),
  dispatchDeliveryNote: defineRoute({
    operationId: 'dispatchDeliveryNote',
    method: 'POST',
    path: '/delivery-notes/{deliveryNoteId}/dispatch',
    tag: 'Delivery',
    summary: 'Logistics hands the goods to a qualified carrier with its tracking number (R-FULFIL-6)',
    roles: ['logistics'],
    params: DeliveryNoteIdParams,
    body: Dispatch,
    responses: { 200: note('Dispatched') },
    function: {
      id: 'DispatchDeliveryNote',
      entry: 'functions/delivery/handlers/dispatch-delivery-note.ts',
      description: 'Dispatch a delivery note with a qualified carrier',
      access: { tables: { deliveryNotes: 'readwrite', carriers: 'read', audit: 'write' } },
    },
  }),
  recordTransportEvent: defineRoute({
    operationId: 'recordTransportEvent',
    method: 'POST',
    path: '/delivery-notes/{deliveryNoteId}/events',
    tag: 'Delivery',
    summary: 'Record a delay, damage or loss on the way; a loss or damage names who bears it (R-FULFIL-6, R-FULFIL-7)',
    roles: ['logistics'],
    params: DeliveryNoteIdParams,
    body: NewTransportEvent,
    responses: { 200: note('Recorded') },
    function: {
      id: 'RecordTransportEvent',
      entry: 'functions/delivery/handlers/record-transport-event.ts',
      description: 'Record a transport event on a delivery note',
      access: { tables: { deliveryNotes: 'readwrite', audit: 'write', notifications: 'write' } },
    },
  }),
  recordProofOfDelivery: defineRoute({
    operationId: 'recordProofOfDelivery',
    method: 'POST',
    path: '/delivery-notes/{deliveryNoteId}/proof-of-delivery',
    tag: 'Delivery',
    summary: 'The customer signed (签收) for the quantities received, with any acceptance problem: logistics for deliveries, the warehouse at the gate for pickups (R-FULFIL-7)',
    roles: ['logistics', 'warehouse'],
    params: DeliveryNoteIdParams,
    body: ProofOfDelivery,
    responses: { 200: note('Signed for') },
    function: {
      id: 'RecordProofOfDelivery',
      entry: 'functions/delivery/handlers/record-proof-of-delivery.ts',
      description: 'Record a proof of delivery; the last one completes the order',
      // With the setting invoiceOn DELIVERED (the default) the note is invoiced right after (R-BILL-1).
      access: { tables: { ...INVOICING_TABLES, ...access.tables, tasks: 'readwrite' }, sendTaskResult: ['orderReview'] },
    },
  }),
};
