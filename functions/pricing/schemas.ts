/**
 * Price lists (R-PRICE-1, R-PRICE-2): the general list (常用规格价格表) and a regular customer's
 * own list (老客户价格表), each in numbered versions that go through review and approval.
 */
import * as z from 'zod';
import { ProductCode } from '../catalog/schemas.js';
import { CurrencyCode, Money } from '../shared/money.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

/** The stored id of the general list; a customer's list is stored as CUSTOMER#<customerId>. */
export const GENERAL = 'GENERAL';
export const CUSTOMER_PREFIX = 'CUSTOMER#';

export const PriceListKind = z.enum(['general', 'customer']);
export type PriceListKind = z.infer<typeof PriceListKind>;

/**
 * DRAFT → IN_REVIEW (general list: the sales manager reviews) → AWAITING_APPROVAL (the GM, or for a
 * customer list the sales manager, approves) → APPROVED. RETURNED: back to the drafter with the
 * reason, editable and resubmittable like a draft.
 */
export const PriceListStatus = z.enum(['DRAFT', 'IN_REVIEW', 'AWAITING_APPROVAL', 'APPROVED', 'RETURNED']);
export type PriceListStatus = z.infer<typeof PriceListStatus>;

/** How a price list is named in paths: GENERAL, or the customer's number. */
export const PriceListRef = z
  .string()
  .regex(/^(GENERAL|CU-\d{6,})$/, 'GENERAL, or a customer number such as CU-000001')
  .meta({ description: 'GENERAL for the general list, or the customer number (CU-000001) for that customer’s own list' });

export const PriceListParams = z.object({ priceListId: PriceListRef });
export const PriceListVersionParams = PriceListParams.extend({
  version: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'a version number: 1, 2, …')
    .transform(Number)
    .meta({ description: 'version number, from 1' }),
});

/**
 * A price as the drafter sends it. `amountMinor` is checked to be a whole number of minor units
 * together with every other problem of the list (catalogue, minimum vs list price, duplicates),
 * so that one answer names every bad field; it is documented as the integer it must be.
 */
const PriceInput = z
  .object({
    amountMinor: z.number().meta({ type: 'integer', description: 'whole minor units (fen, cents), more than zero' }),
    currency: CurrencyCode,
  })
  .strict();

export const PriceListItemInput = z
  .object({
    productCode: ProductCode,
    specification: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "one of the product's specifications; absent: the price holds for every specification of the product" }),
    listPrice: PriceInput.meta({ description: 'the list price per unit of the product' }),
    minimumPrice: PriceInput.meta({ description: 'the lowest price allowed without the GM (R-PRICE-3); not above the list price' }),
  })
  .strict()
  .meta({ id: 'PriceListItemInput' });
export type PriceListItemInput = z.infer<typeof PriceListItemInput>;

/** Enough for a company's standard-specification list, and well inside one DynamoDB item. */
export const MAX_ITEMS = 500;

export const CreatePriceListVersion = z
  .object({
    effectiveFrom: IsoDate.meta({ description: 'the business date from which the version is in force once approved; today or later' }),
    items: z.array(PriceListItemInput).max(MAX_ITEMS).optional(),
    copyLatest: z.boolean().default(false).meta({ description: "start from the latest version's items" }),
  })
  .strict()
  .refine((b) => !(b.copyLatest && b.items !== undefined), { message: 'either copy the latest version or send items, not both', path: ['items'] })
  .meta({ id: 'CreatePriceListVersion' });
export type CreatePriceListVersion = z.infer<typeof CreatePriceListVersion>;

export const UpdatePriceListVersion = z
  .object({
    effectiveFrom: IsoDate.optional(),
    items: z.array(PriceListItemInput).max(MAX_ITEMS).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' })
  .meta({ id: 'UpdatePriceListVersion' });
export type UpdatePriceListVersion = z.infer<typeof UpdatePriceListVersion>;

export const PriceListItem = z
  .object({
    productCode: ProductCode,
    specification: z.string().optional().meta({ description: 'absent: every specification of the product' }),
    listPrice: Money,
    minimumPrice: Money,
  })
  .meta({ id: 'PriceListItem' });
export type PriceListItem = z.infer<typeof PriceListItem>;

const versionFields = {
  priceListId: z.string().meta({ description: 'GENERAL or CUSTOMER#<customerId>' }),
  kind: PriceListKind,
  customerId: z.string().optional(),
  customerName: z.string().optional(),
  version: z.int().min(1),
  status: PriceListStatus,
  effectiveFrom: IsoDate,
  currency: CurrencyCode,
  round: z.int().min(0).meta({ description: 'how many times this version was submitted' }),
  basedOn: z.int().optional().meta({ description: 'the version whose items it started from' }),
  submittedAt: IsoTimestamp.optional(),
  submittedBy: Actor.optional(),
  reviewedAt: IsoTimestamp.optional(),
  reviewedBy: Actor.optional(),
  reviewComment: z.string().optional(),
  reviewEscalated: z.boolean().optional().meta({ description: 'the review was not done in time and went to the general manager' }),
  approvedAt: IsoTimestamp.optional(),
  approvedBy: Actor.optional(),
  approvalComment: z.string().optional(),
  returnedAt: IsoTimestamp.optional(),
  returnedBy: Actor.optional(),
  returnReason: z.string().optional(),
  revision: z.int().min(1).meta({ description: 'changes with every write; the ETag' }),
  createdAt: IsoTimestamp,
  createdBy: Actor,
  updatedAt: IsoTimestamp,
  updatedBy: Actor,
};

export const PriceListVersion = z
  .object({ ...versionFields, items: z.array(PriceListItem) })
  .meta({ id: 'PriceListVersion' });
export type PriceListVersion = z.infer<typeof PriceListVersion>;

export const PriceListVersionSummary = z
  .object({ ...versionFields, itemCount: z.int() })
  .meta({ id: 'PriceListVersionSummary', description: 'a version without its items' });
export type PriceListVersionSummary = z.infer<typeof PriceListVersionSummary>;

export const ApprovedVersion = z
  .object({ version: z.int(), effectiveFrom: IsoDate, approvedAt: IsoTimestamp })
  .meta({ id: 'ApprovedPriceListVersion' });
export type ApprovedVersion = z.infer<typeof ApprovedVersion>;

export const PriceListSummary = z
  .object({
    priceListId: z.string(),
    kind: PriceListKind,
    customerId: z.string().optional(),
    customerName: z.string().optional(),
    currency: CurrencyCode,
    latestVersion: z.int(),
    latestStatus: PriceListStatus,
    inForce: z
      .object({ version: z.int(), effectiveFrom: IsoDate })
      .nullable()
      .meta({ description: 'the approved version in force today (company time zone); null if none yet' }),
    approvedVersions: z.array(ApprovedVersion),
    updatedAt: IsoTimestamp,
  })
  .meta({ id: 'PriceListSummary' });
export type PriceListSummary = z.infer<typeof PriceListSummary>;

export const ListPriceListsQuery = PageQuery.extend({ kind: PriceListKind.optional() });
