/** Goods reservations for customers (留货, R-FULFIL-8): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { CreateGoodsReservation, GoodsReservation, ListGoodsReservationsQuery, ReleaseGoodsReservation, ReservationIdParams } from './schemas.js';

/** Who follows reservations: the sales side (a rep: own customers only), approvers, finance (deposits), the warehouse. */
export const RESERVATION_READERS: readonly Role[] = ['sales_rep', 'sales_clerk', 'order_desk', 'sales_manager', 'sales_vp', 'general_manager', 'finance', 'finance_manager', 'warehouse', 'admin', 'auditor'];

/** Routes with exactly the same access share a function (functions/shared/route-group.ts). */
const reservationReads: FunctionDefinition = {
  id: 'GoodsReservationReads',
  entry: 'functions/reservations/handlers/reservation-reads.ts',
  description: "List a customer's goods reservations and read one with what is still held",
  access: { tables: { goodsReservations: 'read', customers: 'read', stock: 'read', products: 'read', audit: 'readwrite' } },
};

export const reservationRoutes = {
  requestGoodsReservation: defineRoute({
    operationId: 'requestGoodsReservation',
    method: 'POST',
    path: '/goods-reservations',
    tag: 'Goods reservations',
    summary:
      'Ask to hold goods for a customer (留货): with a deposit (finance confirms it, then the goods are held) or, without one, with the rep’s guarantee (sales manager, then general manager). Held 3 days, never past month end.',
    roles: ['sales_rep', 'sales_clerk'],
    body: CreateGoodsReservation,
    idempotent: true,
    responses: { 202: { description: 'Waiting for approval', schema: GoodsReservation } },
    function: {
      id: 'RequestGoodsReservation',
      entry: 'functions/reservations/handlers/request-goods-reservation.ts',
      description: 'Record a goods reservation request and start its approval',
      access: { tables: { workflowStarts: 'write', goodsReservations: 'readwrite', customers: 'read', products: 'read', counters: 'readwrite', audit: 'write', idempotency: 'readwrite' } },
    },
  }),
  listGoodsReservations: defineRoute({
    operationId: 'listGoodsReservations',
    method: 'GET',
    path: '/goods-reservations',
    tag: 'Goods reservations',
    summary: "A customer's goods reservations, newest first",
    roles: RESERVATION_READERS,
    query: ListGoodsReservationsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(GoodsReservation, 'GoodsReservationPage') } },
    function: reservationReads,
  }),
  getGoodsReservation: defineRoute({
    operationId: 'getGoodsReservation',
    method: 'GET',
    path: '/goods-reservations/{reservationId}',
    tag: 'Goods reservations',
    summary: 'A goods reservation: its lines with what is still held and what orders took, approvals, expiry',
    roles: RESERVATION_READERS,
    params: ReservationIdParams,
    responses: { 200: { description: 'OK', schema: GoodsReservation } },
    function: reservationReads,
  }),
  getGoodsReservationHistory: defineRoute({
    operationId: 'getGoodsReservationHistory',
    method: 'GET',
    path: '/goods-reservations/{reservationId}/history',
    tag: 'Goods reservations',
    summary: 'Every change of a goods reservation: request, decisions, hold, goods taken by orders, release or expiry',
    roles: RESERVATION_READERS,
    params: ReservationIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'GoodsReservationChangePage') } },
    function: reservationReads,
  }),
  releaseGoodsReservation: defineRoute({
    operationId: 'releaseGoodsReservation',
    method: 'POST',
    path: '/goods-reservations/{reservationId}/release',
    tag: 'Goods reservations',
    summary: 'Give held goods back to stock before they expire, or withdraw a request still waiting for approval, with a reason',
    roles: ['sales_rep', 'sales_clerk', 'sales_manager'],
    params: ReservationIdParams,
    body: ReleaseGoodsReservation,
    responses: { 200: { description: 'Released or withdrawn', schema: GoodsReservation } },
    function: {
      id: 'ReleaseGoodsReservation',
      entry: 'functions/reservations/handlers/release-goods-reservation.ts',
      description: 'Release held goods or withdraw a waiting request',
      access: { tables: { goodsReservations: 'readwrite', stock: 'readwrite', products: 'read', tasks: 'readwrite', audit: 'write', notifications: 'write' }, sendTaskResult: ['goodsReservationApproval'] },
    },
  }),
};
