/** Functions of the goods reservation approval (state-machines/approval.asl.json) and its release schedule (R-FULFIL-8). */
import type { FunctionDefinition } from '../shared/definitions.js';

export const reservationFunctions = {
  openGoodsReservationTask: {
    id: 'OpenGoodsReservationTask',
    entry: 'functions/reservations/handlers/open-goods-reservation-task.ts',
    description: "Workflow step: put a goods reservation in its approver's queue with the token",
    access: { tables: { goodsReservations: 'read', tasks: 'readwrite', notifications: 'write' } },
  },
  applyGoodsReservationOutcome: {
    id: 'ApplyGoodsReservationOutcome',
    entry: 'functions/reservations/handlers/apply-goods-reservation-outcome.ts',
    description: 'Workflow step: hold the goods of an approved reservation, or end a refused one',
    access: { tables: { goodsReservations: 'readwrite', stock: 'readwrite', products: 'read', audit: 'write', notifications: 'write' } },
  },
  goodsReservationsDue: {
    id: 'GoodsReservationsDue',
    entry: 'functions/reservations/handlers/goods-reservations-due.ts',
    description: 'Schedule: release goods reservations whose time is up, and tell the rep',
    access: { tables: { goodsReservations: 'readwrite', stock: 'readwrite', products: 'read', audit: 'write', notifications: 'write' } },
    timeoutSeconds: 300,
  },
} satisfies Record<string, FunctionDefinition>;
