/** Returns (退货, R-RETURN-1..4): request, inspection for quality returns, approval, goods back, credit note. */
import * as z from 'zod';
import { InvoiceNumber } from '../billing/schemas.js';
import { QUANTITY_PATTERN, Quantity } from '../shared/quantity.js';
import { Money } from '../shared/money.js';
import { Actor, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const ReturnNumber = z.string().regex(/^RT-\d{4}-\d{6,}$/, 'a return number such as RT-2026-000001');

export const ReturnKind = z.enum(['QUALITY', 'OTHER']).meta({
  description:
    'QUALITY: the customer says the goods are defective; an inspection report must confirm the defect before the sales manager decides (R-RETURN-2). OTHER: any other reason (wrong goods or quantity delivered, goods no longer needed)',
});
export type ReturnKind = z.infer<typeof ReturnKind>;

export const ResponsibleParty = z.enum(['PRODUCTION', 'SUPPLIER', 'WAREHOUSE', 'LOGISTICS', 'CARRIER', 'SALES', 'CUSTOMER', 'OTHER']).meta({
  description: 'who caused it (R-RETURN-4): the plant, the supplier of traded goods, the warehouse (wrong goods picked), logistics or the carrier, sales (wrong order), the customer (changed their mind), other',
});

export const ReturnStatus = z.enum(['AWAITING_INSPECTION', 'PENDING_APPROVAL', 'APPROVED', 'COMPLETED', 'REFUSED', 'EXPIRED', 'CANCELLED']).meta({
  description:
    'AWAITING_INSPECTION: a quality return waits for its inspection report; PENDING_APPROVAL: waits for the sales manager; APPROVED: waits for the goods to come back; COMPLETED: goods received and credited; REFUSED (by the inspection or the approver), EXPIRED (not decided in 3 days), CANCELLED (withdrawn): ended',
});
export type ReturnStatus = z.infer<typeof ReturnStatus>;

export const Disposition = z.enum(['STOCK', 'REPAIR']).meta({ description: 'back into stock (a RECEIPT with source RETURN), or into repair (recorded on the return, not in stock)' });

export const ReturnLineInput = z
  .object({
    lineNo: z.int().min(1).meta({ description: "the invoice line (the order's line number)" }),
    quantity: Quantity.meta({ description: "to return, in the product's unit and precision; at most what was invoiced less what earlier returns took" }),
  })
  .strict();

export const RequestReturn = z
  .object({
    invoiceId: InvoiceNumber.meta({ description: 'the invoice of the delivered goods: customer, products, specifications and prices come from it (R-RETURN-1)' }),
    kind: ReturnKind,
    lines: z.array(ReturnLineInput).min(1, 'at least one line').max(30, 'at most 30 lines: make two returns'),
    reason: text(1000).meta({ description: "the customer's reason, as they gave it" }),
    rootCause: text(1000).optional().meta({ description: 'R-RETURN-4; required for OTHER; a quality return gets it from its inspection' }),
    responsibleParty: ResponsibleParty.optional().meta({ description: 'R-RETURN-4; required for OTHER; a quality return gets it from its inspection' }),
    customerReference: text(100).optional().meta({ description: "the customer's own return or complaint number" }),
  })
  .strict()
  .refine((r) => r.kind === 'QUALITY' || r.rootCause !== undefined, { message: 'R-RETURN-4: a return not for quality names its root cause', path: ['rootCause'] })
  .refine((r) => r.kind === 'QUALITY' || r.responsibleParty !== undefined, { message: 'R-RETURN-4: a return not for quality names the responsible party', path: ['responsibleParty'] })
  .meta({ id: 'RequestReturn' });
export type RequestReturn = z.infer<typeof RequestReturn>;

const ZeroOrQuantity = z.string().regex(QUANTITY_PATTERN, 'a decimal number such as 12.5 (0 for none), as a string: at most 9 digits before the point and 6 after');

export const RecordInspection = z
  .object({
    defectConfirmed: z.boolean().meta({ description: 'R-RETURN-2: does the inspection confirm the defect? false ends the return (REFUSED)' }),
    findings: text(2000).meta({ description: 'what the inspection found, how it was tested' }),
    rootCause: text(1000).meta({ description: 'R-RETURN-4' }),
    responsibleParty: ResponsibleParty,
    lines: z
      .array(z.object({ lineNo: z.int().min(1), confirmedQuantity: ZeroOrQuantity }).strict())
      .max(30)
      .optional()
      .meta({ description: 'the defective quantity confirmed per line, at most what was asked; a line not named: all of it (when the defect is confirmed)' }),
  })
  .strict()
  .meta({ id: 'RecordInspection' });
export type RecordInspection = z.infer<typeof RecordInspection>;

export const ReceiveReturn = z
  .object({
    lines: z
      .array(
        z
          .object({
            lineNo: z.int().min(1),
            quantity: ZeroOrQuantity.meta({ description: 'received back, at most what was approved; 0 if none of it came' }),
            disposition: Disposition,
            batch: text(50).optional(),
          })
          .strict(),
      )
      .min(1, 'at least one line')
      .max(30),
    warehouseId: z.string().regex(/^[A-Z0-9-]{2,20}$/, 'a warehouse code such as MAIN').optional(),
    note: text(500).optional(),
  })
  .strict()
  .meta({ id: 'ReceiveReturn' });
export type ReceiveReturn = z.infer<typeof ReceiveReturn>;

export const WithdrawReturn = z.object({ reason: text(500) }).strict().meta({ id: 'WithdrawReturn' });

export const ReturnLine = z
  .object({
    lineNo: z.int(),
    productCode: z.string(),
    productName: z.string(),
    specification: z.string().optional(),
    unit: z.string(),
    quantity: z.string().meta({ description: 'asked to return' }),
    unitPrice: Money.meta({ description: "the invoice's price" }),
    taxRateBasisPoints: z.int(),
    net: Money.meta({ description: 'of the quantity asked' }),
    tax: Money,
    gross: Money,
    confirmedQuantity: z.string().optional().meta({ description: 'a quality return: the defect confirmed by the inspection' }),
    receivedQuantity: z.string().optional(),
    disposition: Disposition.optional(),
    batch: z.string().optional(),
  })
  .meta({ id: 'ReturnLine' });
export type ReturnLine = z.infer<typeof ReturnLine>;

export const Inspection = z
  .object({
    defectConfirmed: z.boolean(),
    findings: z.string(),
    rootCause: z.string(),
    responsibleParty: ResponsibleParty,
    by: Actor,
    at: IsoTimestamp,
  })
  .meta({ id: 'ReturnInspection' });

export const Return = z
  .object({
    returnId: z.string().meta({ description: 'RT-YYYY-NNNNNN' }),
    kind: ReturnKind,
    status: ReturnStatus,
    customerId: z.string(),
    customerName: z.string(),
    ownerRepId: z.string(),
    invoiceId: z.string(),
    orderId: z.string(),
    deliveryNoteId: z.string(),
    customerReference: z.string().optional(),
    lines: z.array(ReturnLine),
    value: Money.meta({ description: "the quantities asked at the invoice's prices, with VAT" }),
    reason: z.string(),
    rootCause: z.string().optional().meta({ description: "R-RETURN-4: from the request, or the inspection's for a quality return" }),
    responsibleParty: ResponsibleParty.optional(),
    inspection: Inspection.optional().meta({ description: 'R-RETURN-2: the inspection report of a quality return' }),
    approvers: z.array(z.string()),
    decisions: z.array(z.object({ outcome: z.string(), comment: z.string().optional(), decidedBy: Actor, decidedAt: z.string() })),
    receipt: z.object({ by: Actor, at: IsoTimestamp, warehouseId: z.string(), note: z.string().optional() }).optional().meta({ description: 'the goods came back (R-RETURN-3)' }),
    creditNoteId: z.string().optional().meta({ description: 'the credit note for the accepted quantity (R-RETURN-3)' }),
    credited: Money.optional(),
    endedAt: IsoTimestamp.optional(),
    endReason: z.string().optional(),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'Return' });
export type Return = z.infer<typeof Return>;

export const ReturnIdParams = z.object({ returnId: ReturnNumber });
export const ListReturnsQuery = PageQuery.extend({
  customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001').optional().meta({ description: "a customer's returns, newest first" }),
  status: ReturnStatus.optional().meta({ description: 'without a customer: the returns in this status, oldest first (default APPROVED: what the warehouse waits for)' }),
});
