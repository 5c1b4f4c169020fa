/** Delivery notes (发货单), their gate-pass copy (出门证), goods issue, transport and proof of delivery (R-FULFIL-3..7). */
import * as z from 'zod';
import { Address } from '../customers/schemas.js';
import { OrderNumber } from '../orders/schemas.js';
import { Quantity } from '../shared/quantity.js';
import { Actor, IsoDate, IsoTimestamp } from '../shared/schemas.js';

export const DeliveryNoteStatus = z.enum(['ISSUED', 'SIGNED_OFF', 'GOODS_ISSUED', 'DISPATCHED', 'DELIVERED', 'VOIDED']);
export type DeliveryNoteStatus = z.infer<typeof DeliveryNoteStatus>;

const text = (max: number) => z.string().trim().min(1).max(max);
const Weight = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'kilograms, a decimal such as 2500.5');

export const DeliveryNoteLine = z
  .object({
    lineNo: z.int(),
    productCode: z.string(),
    productName: z.string(),
    specification: z.string().optional(),
    quantity: z.string(),
    unit: z.string(),
    weightKg: z.string().optional().meta({ description: 'estimated from the catalogue at issue of the note; weighed at goods issue' }),
    batch: z.string().optional().meta({ description: 'recorded by the warehouse at goods issue' }),
    received: z.string().optional().meta({ description: 'what the customer signed for' }),
  })
  .meta({ id: 'DeliveryNoteLine' });

export const TransportEvent = z
  .object({
    kind: z.enum(['DELAYED', 'DAMAGED', 'LOST']),
    note: z.string(),
    responsibleParty: z.enum(['CARRIER', 'COMPANY', 'CUSTOMER']).optional().meta({ description: 'who bears a loss or damage before handover (R-FULFIL-7)' }),
    at: IsoTimestamp,
    by: Actor,
  })
  .meta({ id: 'TransportEvent' });

export const DeliveryNote = z
  .object({
    deliveryNoteId: z.string().meta({ description: 'DN-YYYY-NNNNNN' }),
    orderId: z.string(),
    customerId: z.string(),
    customerName: z.string(),
    ownerRepId: z.string(),
    issuedOn: IsoDate.meta({ description: 'valid on this business day only (R-FULFIL-3)' }),
    status: DeliveryNoteStatus,
    mode: z.enum(['delivery', 'pickup']),
    address: Address.optional(),
    warehouseId: z.string(),
    lines: z.array(DeliveryNoteLine),
    signOff: z
      .object({ basis: z.enum(['CREDIT', 'PAID']), reference: z.string().optional(), by: Actor, at: IsoTimestamp })
      .optional()
      .meta({ description: "finance's release: paid, or receivable within credit (R-FULFIL-4)" }),
    goodsIssue: z.object({ by: Actor, at: IsoTimestamp, vehicle: z.string().optional() }).optional(),
    dispatch: z.object({ carrierId: z.string(), trackingNumber: z.string(), by: Actor, at: IsoTimestamp }).optional(),
    events: z.array(TransportEvent),
    proofOfDelivery: z
      .object({ signer: z.string(), signedAt: IsoTimestamp, problems: z.string().optional(), recordedBy: Actor })
      .optional()
      .meta({ description: 'the customer signed (签收) for the quantities received (R-FULFIL-7)' }),
    invoiceId: z.string().optional().meta({ description: 'the invoice issued from this note: one, never two (R-BILL-1)' }),
    replaces: z.string().optional().meta({ description: 'the expired note this one reissues' }),
    replacedBy: z.string().optional(),
    voidReason: z.string().optional(),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'DeliveryNote' });
export type DeliveryNote = z.infer<typeof DeliveryNote>;

/** The gate-pass copy (出门证): what leaves and when, never who buys it or for how much (R-FULFIL-3). */
export const GatePass = z
  .object({
    deliveryNoteId: z.string(),
    validOn: IsoDate,
    status: DeliveryNoteStatus,
    warehouseId: z.string(),
    mode: z.enum(['delivery', 'pickup']),
    lines: z.array(DeliveryNoteLine.pick({ lineNo: true, productCode: true, productName: true, specification: true, quantity: true, unit: true, weightKg: true, batch: true })),
    vehicle: z.string().optional(),
    signedOffBy: Actor.optional(),
  })
  .strict()
  .meta({ id: 'GatePass' });

export const NewDeliveryNote = z
  .object({
    lines: z
      .array(z.object({ lineNo: z.int().min(1), quantity: Quantity }).strict())
      .min(1)
      .max(30)
      .optional()
      .meta({ description: 'what to ship now, per order line; default: everything reserved and not yet on a note (at most 30 lines: one truck)' }),
  })
  .strict()
  .meta({ id: 'NewDeliveryNote' });

export const SignOff = z
  .discriminatedUnion('basis', [
    z.object({ basis: z.literal('CREDIT') }).strict(),
    z.object({ basis: z.literal('PAID'), reference: text(100).meta({ description: 'the receipt number (RC-YYYY-NNNNNN) of the payment recorded for the customer' }) }).strict(),
  ])
  .meta({ id: 'SignOff', description: 'CREDIT: the receivable is within the customer’s credit; PAID: with the receipt of a recorded payment whose unallocated amount covers the note' });

export const GoodsIssue = z
  .object({
    lines: z.array(z.object({ lineNo: z.int().min(1), batch: text(50), weightKg: Weight }).strict()).min(1).max(30),
    vehicle: text(30).optional().meta({ description: 'plate number of the truck or the customer’s vehicle' }),
  })
  .strict()
  .meta({ id: 'GoodsIssue' });

export const Dispatch = z
  .object({ carrierId: text(30), trackingNumber: text(60) })
  .strict()
  .meta({ id: 'Dispatch' });

export const NewTransportEvent = z
  .object({ kind: z.enum(['DELAYED', 'DAMAGED', 'LOST']), note: text(1000), responsibleParty: z.enum(['CARRIER', 'COMPANY', 'CUSTOMER']).optional() })
  .strict()
  .refine((e) => e.kind === 'DELAYED' || e.responsibleParty !== undefined, { message: 'a loss or damage names who is responsible (R-FULFIL-7)', path: ['responsibleParty'] })
  .meta({ id: 'NewTransportEvent' });

export const ProofOfDelivery = z
  .object({
    signer: text(100).meta({ description: 'who signed for the customer' }),
    signedAt: IsoTimestamp,
    lines: z.array(z.object({ lineNo: z.int().min(1), received: Quantity }).strict()).min(1).max(30),
    problems: text(2000).optional().meta({ description: 'acceptance problems: short, damaged, wrong goods (R-FULFIL-7)' }),
  })
  .strict()
  .meta({ id: 'ProofOfDelivery' });

export const DeliveryNoteIdParams = z.object({ deliveryNoteId: z.string().regex(/^DN-\d{4}-\d{6,}$/, 'a delivery note number such as DN-2026-000001') });
export const OrderDeliveryParams = z.object({ orderId: OrderNumber });
