/** Samples, gifts and advertising goods (视同销售, R-FULFIL-10): issued on an approved request, recorded as such, never as a sale. */
import * as z from 'zod';
import { Quantity } from '../shared/quantity.js';
import { GoodsReservationLineInput } from '../reservations/schemas.js';
import { Actor, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const SamplePurpose = z.enum(['SAMPLE', 'GIFT', 'ADVERTISING']).meta({ description: 'samples for a trial, gifts, or advertising material: all deemed sales (视同销售), none a sale' });
export const SampleRequestStatus = z.enum(['PENDING_APPROVAL', 'APPROVED', 'REFUSED', 'CANCELLED', 'ISSUED']);
export type SampleRequestStatus = z.infer<typeof SampleRequestStatus>;

export const CreateSampleRequest = z
  .object({
    purpose: SamplePurpose,
    customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001').optional().meta({ description: 'the customer they go to, if one' }),
    recipient: text(200).meta({ description: 'who receives them: person and organisation, or the fair or campaign' }),
    warehouseId: z.string().regex(/^[A-Z0-9-]{2,20}$/, 'a warehouse code such as MAIN').optional(),
    lines: z.array(GoodsReservationLineInput).min(1, 'at least one line').max(20, 'at most 20 lines: make two requests'),
    reason: text(1000).meta({ description: 'why: the trial, the relationship, the campaign' }),
  })
  .strict()
  .meta({ id: 'CreateSampleRequest' });
export type CreateSampleRequest = z.infer<typeof CreateSampleRequest>;

export const SampleRequestLine = z
  .object({
    lineNo: z.int(),
    productCode: z.string(),
    productName: z.string(),
    specification: z.string().optional(),
    unit: z.string(),
    quantity: Quantity,
    batch: z.string().optional().meta({ description: 'recorded by the warehouse at issue' }),
  })
  .meta({ id: 'SampleRequestLine' });

export const SampleRequest = z
  .object({
    requestId: z.string().meta({ description: 'SR-NNNNNN' }),
    purpose: SamplePurpose,
    customerId: z.string().optional(),
    customerName: z.string().optional(),
    ownerRepId: z.string().optional(),
    recipient: z.string(),
    warehouseId: z.string(),
    status: SampleRequestStatus,
    lines: z.array(SampleRequestLine),
    reason: z.string(),
    approvers: z.array(z.string()),
    decisions: z.array(z.object({ outcome: z.string(), comment: z.string().optional(), decidedBy: Actor, decidedAt: z.string() })),
    issue: z.object({ by: Actor, at: IsoTimestamp, note: z.string().optional() }).optional().meta({ description: 'the warehouse issued the goods: stock movements of kind SAMPLE_ISSUE' }),
    endedAt: IsoTimestamp.optional(),
    endReason: z.string().optional(),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'SampleRequest' });
export type SampleRequest = z.infer<typeof SampleRequest>;

export const SampleRequestIdParams = z.object({ requestId: z.string().regex(/^SR-\d{6,}$/, 'a request number such as SR-000001') });

export const ListSampleRequestsQuery = PageQuery.extend({ status: SampleRequestStatus.default('APPROVED') });

export const IssueSamples = z
  .object({
    batches: z.array(z.object({ lineNo: z.int().min(1), batch: text(50) }).strict()).max(20).optional(),
    note: text(500).optional(),
  })
  .strict()
  .meta({ id: 'IssueSamples' });
export type IssueSamples = z.infer<typeof IssueSamples>;

export const WithdrawSampleRequest = z.object({ reason: text(500) }).strict().meta({ id: 'WithdrawSampleRequest' });
