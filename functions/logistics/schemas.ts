/** Carriers (R-FULFIL-6): the register of pre-qualified transport companies logistics may dispatch with. */
import * as z from 'zod';
import { businessDate } from '../shared/clock.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const CarrierId = z.string().regex(/^CR-\d{6,}$/, 'a carrier number such as CR-000001');

export const CarrierContact = z
  .object({
    name: text(100),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,30}$/, 'digits, spaces, +, -, ( ) only; 5 to 30 characters'),
  })
  .strict()
  .meta({ id: 'CarrierContact', description: "the carrier's dispatcher or account contact" });

const carrierFields = {
  name: text(200),
  contact: CarrierContact,
  vehicleTypes: z
    .array(text(50))
    .max(20)
    .refine((v) => new Set(v).size === v.length, 'vehicle types must be unique')
    .meta({ description: 'e.g. flatbed 13 m, box truck 7.6 m, crane truck' }),
  serviceNotes: z.string().trim().max(1000).optional().meta({ description: 'regions served, loads taken, anything dispatchers should know' }),
};

/**
 * A qualification decision (R-FULFIL-6): qualified until a date, or not qualified; either with the
 * reason, which the carrier keeps as its qualification remark and the history keeps for good.
 */
export const QualificationDecision = z
  .object({
    qualified: z.boolean(),
    qualifiedUntil: IsoDate.refine((d) => d >= businessDate(), { error: () => `must be today (${businessDate()}) or later` })
      .optional()
      .meta({ description: 'last business day the qualification holds; required when qualified, absent when not' }),
    reason: text(500).meta({ description: 'why: audit result, documents checked, incident; kept in the history (R-INFO-3)' }),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.qualified === true && d.qualifiedUntil === undefined) {
      ctx.addIssue({ code: 'custom', path: ['qualifiedUntil'], message: 'a qualification needs the date it runs until' });
    }
    if (d.qualified === false && d.qualifiedUntil !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['qualifiedUntil'], message: 'a carrier that is not qualified has no qualification date' });
    }
  })
  .meta({ id: 'QualificationDecision' });
export type QualificationDecision = z.infer<typeof QualificationDecision>;

export const CreateCarrier = z
  .object({
    ...carrierFields,
    vehicleTypes: carrierFields.vehicleTypes.default([]),
    qualification: QualificationDecision.optional().meta({ description: 'without it the carrier starts not qualified' }),
  })
  .strict()
  .meta({ id: 'CreateCarrier' });
export type CreateCarrier = z.infer<typeof CreateCarrier>;

export const UpdateCarrier = z
  .object({
    name: carrierFields.name.optional(),
    contact: carrierFields.contact.optional(),
    vehicleTypes: carrierFields.vehicleTypes.optional(),
    serviceNotes: carrierFields.serviceNotes,
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' })
  .meta({ id: 'UpdateCarrier', description: 'qualification changes go through PUT /carriers/{carrierId}/qualification, with a reason' });
export type UpdateCarrier = z.infer<typeof UpdateCarrier>;

export const Carrier = z
  .object({
    carrierId: CarrierId,
    ...carrierFields,
    qualified: z.boolean().meta({ description: 'the last decision; a qualification also ends after qualifiedUntil' }),
    qualifiedUntil: IsoDate.nullable(),
    qualificationRemark: z.string().meta({ description: 'the reason given with the last qualification decision' }),
    qualificationDecidedAt: IsoTimestamp,
    qualificationDecidedBy: Actor,
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'Carrier' });
export type Carrier = z.infer<typeof Carrier>;

export const CarrierIdParams = z.object({ carrierId: CarrierId });

export const ListCarriersQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'name starts with (case-insensitive)' }),
  qualified: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: qualified today (qualified and qualifiedUntil today or later); false: all others' }),
});
