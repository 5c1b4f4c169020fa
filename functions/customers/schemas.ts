/** Customer archive (R-INFO-1): what comes in and what goes out. */
import * as z from 'zod';
import { businessDate } from '../shared/clock.js';
import { CurrencyCode, Money, NonNegativeMoney } from '../shared/money.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const Contact = z
  .object({
    name: text(100),
    title: text(100).optional(),
    phone: z.string().regex(/^\+?[0-9 ()-]{5,30}$/, 'digits, spaces, +, -, ( ) only; 5 to 30 characters').optional(),
    email: z.email().optional(),
  })
  .refine((c) => c.phone !== undefined || c.email !== undefined, { message: 'a contact needs a phone or an email', path: ['phone'] })
  .meta({ id: 'Contact' });

export const Address = z
  .object({
    label: text(50).meta({ description: 'e.g. head office, warehouse' }),
    line1: text(200),
    city: text(100),
    region: text(100).meta({ description: 'province or state' }),
    postalCode: z.string().max(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 two-letter code').default('CN'),
  })
  .meta({ id: 'Address' });

export const CustomerClass = z.enum(['key', 'regular', 'potential']).meta({ description: 'R-INFO-1 classification' });
/** R-INTAKE-4: pickup customers (自提货) collect goods; delivery customers (发送货) are shipped to. */
export const FulfilmentMode = z.enum(['pickup', 'delivery']);
export const CreditRating = z.enum(['A', 'B', 'C', 'D']);
export const CreditStatus = z.enum(['REQUESTED', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'EXPIRED']);
export type CreditStatus = z.infer<typeof CreditStatus>;

const customerFields = {
  name: text(200),
  taxId: z.string().regex(/^[0-9A-Z]{15,20}$/, 'unified social credit code: 15 to 20 digits or capital letters').optional(),
  contacts: z.array(Contact).min(1).max(20),
  addresses: z.array(Address).max(20),
  region: text(100).meta({ description: 'sales region, used for assignment and statistics' }),
  businessScope: text(500),
  class: CustomerClass,
  industry: text(100).optional(),
  size: z.enum(['small', 'medium', 'large']).optional(),
  purchaseFrequency: z.enum(['weekly', 'monthly', 'quarterly', 'occasional']).optional(),
  fulfilmentMode: FulfilmentMode,
  remarks: z.string().max(2000).optional(),
};

const deliveryNeedsAddress = <T extends { fulfilmentMode?: string; addresses?: unknown[] }>(c: T) =>
  c.fulfilmentMode !== 'delivery' || (c.addresses?.length ?? 0) > 0;
const deliveryNeedsAddressIssue = { message: 'a delivery customer needs at least one address', path: ['addresses'] };

export const CreateCustomer = z
  .object({
    ...customerFields,
    ownerRepId: text(100).optional().meta({ description: 'owner sales rep; a sales rep creating a customer owns it' }),
  })
  .strict()
  .refine(deliveryNeedsAddress, deliveryNeedsAddressIssue)
  .meta({ id: 'CreateCustomer' });
export type CreateCustomer = z.infer<typeof CreateCustomer>;

/** Archive fields only; credit data changes through a credit review, never here. */
export const UpdateCustomer = z
  .object({
    ...Object.fromEntries(Object.entries(customerFields).map(([k, v]) => [k, v.optional()])),
    ownerRepId: text(100).optional().meta({ description: 'reassignment: sales manager only' }),
  } as { [K in keyof typeof customerFields]: z.ZodOptional<(typeof customerFields)[K]> } & { ownerRepId: z.ZodOptional<z.ZodString> })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' })
  .meta({ id: 'UpdateCustomer' });
export type UpdateCustomer = z.infer<typeof UpdateCustomer>;

export const Contract = z
  .object({ number: text(50), validFrom: IsoDate, validTo: IsoDate })
  .refine((c) => c.validFrom <= c.validTo, { message: 'validTo must not be before validFrom', path: ['validTo'] })
  .meta({ id: 'Contract', description: 'signed sales contract with payment terms (R-CREDIT-3)' });

export const CreditProfile = z
  .object({
    status: CreditStatus,
    round: z.int().min(1),
    reason: z.enum(['NEW_CUSTOMER', 'PERIODIC', 'REQUESTED']),
    rating: CreditRating.optional(),
    limit: Money.optional(),
    paymentTermsDays: z.int().optional(),
    contract: Contract.optional(),
    guaranteeOnFile: z.boolean().optional(),
    prepaymentRequired: z.boolean().optional().meta({ description: 'the customer pays before delivery (R-CREDIT-6: rating C or D without a guarantee)' }),
    reviewedBy: Actor.optional(),
    reviewedAt: IsoTimestamp.optional(),
    comment: z.string().optional(),
    nextReviewOn: IsoDate.optional(),
  })
  .meta({ id: 'CreditProfile' });
export type CreditProfile = z.infer<typeof CreditProfile>;

/** R-BILL-2: the sales manager allows a rep to collect this customer's cash, until a day. */
export const CashCollection = z
  .object({ repId: z.string(), until: IsoDate, reason: z.string(), allowedBy: Actor, allowedAt: IsoTimestamp })
  .meta({ id: 'CashCollection' });

export const AllowCashCollection = z
  .object({
    repId: z.string().trim().min(1).max(100).meta({ description: 'the sales rep allowed to collect cash from this customer' }),
    until: IsoDate.meta({ description: 'the last day the permission holds' }),
    reason: z.string().trim().min(1, 'say why').max(500),
  })
  .strict()
  .meta({ id: 'AllowCashCollection' });

export const Customer = z
  .object({
    customerId: z.string(),
    ...customerFields,
    ownerRepId: z.string(),
    credit: CreditProfile,
    cashCollection: CashCollection.optional().meta({ description: 'R-BILL-2: the rep the sales manager allowed to collect cash, until when' }),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

/** What a list shows: no contacts, addresses or credit amounts. */
export const CustomerSummary = Customer.pick({
  customerId: true,
  name: true,
  region: true,
  class: true,
  fulfilmentMode: true,
  ownerRepId: true,
})
  .extend({ creditStatus: CreditStatus })
  .meta({ id: 'CustomerSummary' });
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const CustomerIdParams = z.object({ customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001') });

export const ListCustomersQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'name starts with (case-insensitive)' }),
  ownerRepId: z.string().max(100).optional(),
  class: CustomerClass.optional(),
  creditStatus: CreditStatus.optional(),
});

/**
 * Finance maintains an approved credit profile between review rounds (R-CREDIT-1, R-CREDIT-6, R-CREDIT-7).
 * The limit is in the company currency and the next review is today or later, checked here so that
 * every bad field is named at once; who may raise what is decided in functions/credit/rules.ts.
 */
export const UpdateCreditProfile = z
  .object({
    rating: CreditRating.optional(),
    limit: NonNegativeMoney.extend({
      currency: CurrencyCode.refine((c) => c === settings().currency, { error: () => `credit limits are in the company currency ${settings().currency}` }),
    }).optional(),
    paymentTermsDays: z.int().min(0).max(365).optional().meta({ description: 'days from invoice to due date; 0 = cash/prepaid' }),
    contract: Contract.nullable().optional().meta({ description: 'null records that no signed contract is on file (R-CREDIT-3)' }),
    guaranteeOnFile: z.boolean().optional(),
    prepaymentRequired: z.boolean().optional(),
    nextReviewOn: IsoDate.refine((d) => d >= businessDate(), { error: () => `must be today (${businessDate()}) or later` })
      .optional()
      .meta({ description: 'next periodic review, a business date today or later' }),
    reason: text(1000).meta({ description: 'why the profile changes; kept in the history (R-INFO-3)' }),
  })
  .strict()
  .refine((p) => Object.keys(p).some((k) => k !== 'reason'), { message: 'nothing to change: name at least one credit field besides the reason' })
  .meta({ id: 'UpdateCreditProfile' });
export type UpdateCreditProfile = z.infer<typeof UpdateCreditProfile>;

export const RequestCreditReview = z.object({ comment: text(500).optional() }).strict().meta({ id: 'RequestCreditReview' });
