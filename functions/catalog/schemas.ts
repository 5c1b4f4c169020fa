/** Catalogue: products with their specifications, unit, precision and tax rate (R-INTAKE-5). */
import * as z from 'zod';
import { Actor, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const ProductCode = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'capital letters, digits and dashes, 2 to 40 characters');

const productFields = {
  name: text(200),
  description: z.string().max(2000).optional(),
  specifications: z
    .array(text(100))
    .min(1)
    .max(200)
    .refine((s) => new Set(s).size === s.length, 'specifications must be unique')
    .meta({ description: 'the valid specifications (规格) an order line may name' }),
  unit: text(10).meta({ description: 'unit of measure, e.g. t, kg, pcs, m' }),
  quantityScale: z.int().min(0).max(6).meta({ description: 'decimal places allowed in quantities, e.g. 3 for tonnes' }),
  productType: z.enum(['manufactured', 'traded']).meta({ description: 'manufactured goods raise production requests, traded goods purchase requests' }),
  taxRateBasisPoints: z.int().min(0).max(10_000).meta({ description: 'VAT rate in basis points: 1300 = 13%' }),
  sellable: z.boolean(),
  leadTimeDays: z.int().min(0).max(365),
  weightKgPerUnit: z
    .string()
    .regex(/^\d+(\.\d{1,6})?$/, 'a decimal number of kilograms, up to 6 places')
    .optional()
    .meta({ description: 'for delivery note weights' }),
};

export const CreateProduct = z
  .object({
    productCode: ProductCode,
    ...productFields,
    taxRateBasisPoints: productFields.taxRateBasisPoints.default(1300),
    sellable: productFields.sellable.default(true),
    leadTimeDays: productFields.leadTimeDays.default(0),
  })
  .strict()
  .meta({ id: 'CreateProduct' });
export type CreateProduct = z.infer<typeof CreateProduct>;

export const UpdateProduct = z
  .object({
    name: productFields.name.optional(),
    description: productFields.description,
    specifications: productFields.specifications.optional(),
    unit: productFields.unit.optional(),
    quantityScale: productFields.quantityScale.optional(),
    productType: productFields.productType.optional(),
    taxRateBasisPoints: productFields.taxRateBasisPoints.optional(),
    sellable: productFields.sellable.optional(),
    leadTimeDays: productFields.leadTimeDays.optional(),
    weightKgPerUnit: productFields.weightKgPerUnit,
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' })
  .meta({ id: 'UpdateProduct' });
export type UpdateProduct = z.infer<typeof UpdateProduct>;

export const ProductStatus = z.enum(['ACTIVE', 'RETIRED']);

export const Product = z
  .object({
    productCode: ProductCode,
    ...productFields,
    status: ProductStatus,
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof Product>;

export const ProductCodeParams = z.object({ productCode: ProductCode });

export const ListProductsQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'name starts with (case-insensitive)' }),
  productType: z.enum(['manufactured', 'traded']).optional(),
  sellable: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  includeRetired: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

export const RetireProduct = z.object({ reason: text(500) }).strict().meta({ id: 'RetireProduct' });
