/** Goods reservations for customers (留货, R-FULFIL-8): goods held for a customer who has not ordered them yet. */
import * as z from 'zod';
import { ProductCode } from '../catalog/schemas.js';
import { Quantity } from '../shared/quantity.js';
import { Money, moneyInput } from '../shared/money.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const WarehouseId = z.string().regex(/^[A-Z0-9-]{2,20}$/, 'a warehouse code such as MAIN');

export const GoodsReservationStatus = z.enum(['PENDING_APPROVAL', 'HELD', 'REFUSED', 'CANCELLED', 'RELEASED', 'EXPIRED']);
export type GoodsReservationStatus = z.infer<typeof GoodsReservationStatus>;

export const GoodsReservationLineInput = z
  .object({
    productCode: ProductCode,
    specification: text(100).optional().meta({ description: "one of the product's specifications; required when it has any" }),
    quantity: Quantity.meta({ description: "in the product's unit and precision" }),
  })
  .strict();

/**
 * A deposit the customer paid (finance confirms it arrived before the goods are held), or, without
 * one, the rep's guarantee (the sales manager and then the general manager approve).
 */
export const CreateGoodsReservation = z
  .object({
    customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001'),
    warehouseId: WarehouseId.optional().meta({ description: 'default: the company warehouse' }),
    lines: z.array(GoodsReservationLineInput).min(1, 'at least one line').max(20, 'at most 20 lines: make two reservations'),
    deposit: z
      .object({ amount: moneyInput({ min: 1, minMessage: 'a deposit is more than zero' }), reference: text(100).meta({ description: 'receipt number or bank reference' }) })
      .strict()
      .optional(),
    guarantee: text(1000).optional().meta({ description: "the customer's rep guarantees the customer will take the goods: why (only the customer's own rep gives it)" }),
    reason: text(1000).optional().meta({ description: 'what the customer is waiting for (a contract, a project start)' }),
  })
  .strict()
  .refine((b) => (b.deposit === undefined) !== (b.guarantee === undefined), {
    message: 'a reservation has a deposit, or (without a deposit) the rep’s guarantee: one of the two',
    path: ['deposit'],
  })
  .meta({ id: 'CreateGoodsReservation' });
export type CreateGoodsReservation = z.infer<typeof CreateGoodsReservation>;

export const GoodsReservationLine = z
  .object({
    lineNo: z.int(),
    productCode: z.string(),
    productName: z.string(),
    specification: z.string().optional(),
    unit: z.string(),
    quantity: z.string().meta({ description: 'asked to hold' }),
    held: z.string().optional().meta({ description: 'still held for the customer (what orders have not taken yet)' }),
    taken: z.string().optional().meta({ description: "taken by the customer's orders" }),
  })
  .meta({ id: 'GoodsReservationLine' });

export const GoodsReservation = z
  .object({
    reservationId: z.string().meta({ description: 'GR-NNNNNN' }),
    customerId: z.string(),
    customerName: z.string(),
    ownerRepId: z.string(),
    warehouseId: z.string(),
    status: GoodsReservationStatus,
    lines: z.array(GoodsReservationLine),
    deposit: z.object({ amount: Money, reference: z.string() }).optional(),
    guarantee: z.object({ by: Actor, statement: z.string() }).optional(),
    reason: z.string().optional(),
    approvers: z.array(z.string()).meta({ description: 'finance (deposit) or the sales manager then the general manager (guarantee)' }),
    decisions: z.array(z.object({ outcome: z.string(), comment: z.string().optional(), decidedBy: Actor, decidedAt: z.string() })),
    heldAt: IsoTimestamp.optional(),
    expiresAt: IsoTimestamp.optional().meta({ description: '3 days (setting) after it was held, never past the end of that month' }),
    expiresOn: IsoDate.optional().meta({ description: 'the business day it expires at the end of' }),
    endedAt: IsoTimestamp.optional(),
    endReason: z.string().optional(),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'GoodsReservation' });
export type GoodsReservation = z.infer<typeof GoodsReservation>;

export const ReservationIdParams = z.object({ reservationId: z.string().regex(/^GR-\d{6,}$/, 'a reservation number such as GR-000001') });

export const ListGoodsReservationsQuery = PageQuery.extend({
  customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001'),
});

export const ReleaseGoodsReservation = z
  .object({ reason: text(500).meta({ description: 'why the goods are given back (or the request withdrawn)' }) })
  .strict()
  .meta({ id: 'ReleaseGoodsReservation' });
