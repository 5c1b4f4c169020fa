/** Stock per product and warehouse, its movements, and the production and purchase requests a shortfall raises (R-FULFIL-2). */
import * as z from 'zod';
import { ProductCode } from '../catalog/schemas.js';
import { Quantity, SignedQuantity } from '../shared/quantity.js';
import { Actor, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const WarehouseId = z.string().regex(/^[A-Z0-9-]{2,20}$/, 'a warehouse code such as MAIN');

export const StockBalance = z
  .object({
    productCode: z.string(),
    specification: z.string().optional().meta({ description: 'each specification is stocked on its own' }),
    warehouseId: z.string(),
    unit: z.string(),
    onHand: z.string(),
    reserved: z.string().meta({ description: 'held for orders, not yet issued' }),
    available: z.string().meta({ description: 'on hand − reserved' }),
    received: z.string(),
    adjusted: z.string(),
    issued: z.string(),
    safetyStock: z.string().optional().meta({ description: 'the approved safety stock (R-FULFIL-9); absent when none was approved' }),
    belowSafetyStock: z.boolean().meta({ description: 'true while available is under the safety stock: the replenishment alert was raised (R-FULFIL-9)' }),
    belowSafetySince: IsoTimestamp.optional().meta({ description: 'when available fell under the safety stock' }),
    updatedAt: IsoTimestamp.optional(),
  })
  .meta({ id: 'StockBalance' });
export type StockBalance = z.infer<typeof StockBalance>;

/** SAMPLE_ISSUE: goods given as samples, gifts or advertising (视同销售, R-FULFIL-10), not sold. */
export const MovementKind = z.enum(['RECEIPT', 'ADJUSTMENT', 'RESERVATION', 'RELEASE', 'ISSUE', 'SAMPLE_ISSUE']);

export const StockMovement = z
  .object({
    kind: MovementKind,
    warehouseId: z.string(),
    specification: z.string().optional(),
    quantity: z.string().meta({ description: 'signed: a negative adjustment or a release is below zero' }),
    reference: z.string().meta({ description: 'order, request, receipt or delivery note it belongs to' }),
    reason: z.string().optional(),
    source: z.enum(['PRODUCTION', 'PURCHASE', 'RETURN']).optional(),
    batch: z.string().optional(),
    at: IsoTimestamp,
    by: Actor,
  })
  .meta({ id: 'StockMovement' });
export type StockMovement = z.infer<typeof StockMovement>;

export const ProductStock = z
  .object({ productCode: z.string(), balances: z.array(StockBalance), movements: z.array(StockMovement).meta({ description: 'newest first' }) })
  .meta({ id: 'ProductStock' });

export const StockReceipt = z
  .object({
    productCode: ProductCode,
    specification: z.string().trim().min(1).max(100).optional().meta({ description: "one of the product's specifications; required when it has any" }),
    warehouseId: WarehouseId.optional().meta({ description: 'default: the company warehouse' }),
    quantity: Quantity,
    source: z.enum(['PRODUCTION', 'PURCHASE', 'RETURN']),
    reference: z.string().trim().min(1).max(100).meta({ description: 'production batch report, supplier delivery note, return number' }),
    batch: z.string().trim().min(1).max(50).optional(),
  })
  .strict()
  .meta({ id: 'StockReceipt' });
export type StockReceipt = z.infer<typeof StockReceipt>;

export const StockAdjustment = z
  .object({
    productCode: ProductCode,
    specification: z.string().trim().min(1).max(100).optional().meta({ description: "one of the product's specifications; required when it has any" }),
    warehouseId: WarehouseId.optional(),
    quantity: SignedQuantity.refine((q) => Number(q) !== 0, 'an adjustment is not zero').meta({ description: 'positive: found; negative: lost, damaged, counted short' }),
    reason: z.string().trim().min(1, 'say why').max(500),
  })
  .strict()
  .meta({ id: 'StockAdjustment' });
export type StockAdjustment = z.infer<typeof StockAdjustment>;

export const ListStockQuery = PageQuery.extend({ warehouseId: WarehouseId.optional() });
export const ProductCodeParams = z.object({ productCode: ProductCode });

export const RequestKind = z.enum(['PRODUCTION', 'PURCHASE']);
export const RequestStatus = z.enum(['OPEN', 'COMPLETED', 'CANCELLED']);

export const SupplyRequest = z
  .object({
    requestId: z.string().meta({ description: 'PR-<orderId>-L<lineNo>-<n>: the order line it is for and the reservation attempt that raised it' }),
    kind: RequestKind.meta({ description: 'PRODUCTION for manufactured goods, PURCHASE for traded goods (R-FULFIL-2)' }),
    status: RequestStatus,
    department: z.string().meta({ description: 'the role that works on it' }),
    productCode: z.string(),
    specification: z.string().optional(),
    quantity: z.string().meta({ description: 'what the order line still lacks' }),
    unit: z.string(),
    warehouseId: z.string(),
    orderId: z.string(),
    lineNo: z.int(),
    neededBy: z.string().optional().meta({ description: "the order's requested delivery date" }),
    createdAt: IsoTimestamp,
    completedAt: IsoTimestamp.optional(),
    completedBy: Actor.optional(),
    received: z.string().optional(),
    batch: z.string().optional(),
  })
  .meta({ id: 'SupplyRequest' });
export type SupplyRequest = z.infer<typeof SupplyRequest>;

export const RequestIdParams = z.object({ requestId: z.string().regex(/^PR-SO-\d{4}-\d{6}-L\d+-\d+$/, 'a request id such as PR-SO-2026-000001-L1-1') });

export const CompleteRequest = z
  .object({
    quantity: Quantity.meta({ description: 'produced or delivered by the supplier, received into stock' }),
    batch: z.string().trim().min(1).max(50).optional(),
    reference: z.string().trim().min(1).max(100).optional().meta({ description: 'production report or supplier delivery note' }),
  })
  .strict()
  .meta({ id: 'CompleteRequest' });

/** R-FULFIL-9: what recent sales suggest as safety stock, with the figures behind it. */
export const SafetyStockSuggestion = z
  .object({
    quantity: z.string().meta({ description: 'average per day × cover days, rounded up to the product’s precision' }),
    issued: z.string().meta({ description: 'issued against delivery notes in the window' }),
    days: z.int().meta({ description: 'length of the window (setting safetyStockSalesDays)' }),
    averagePerDay: z.string().meta({ description: 'issued ÷ days, to the product’s precision plus three places' }),
    coverDays: z.int().meta({ description: 'days of sales the safety stock covers (setting safetyStockCoverDays)' }),
    from: IsoTimestamp,
    to: IsoTimestamp,
  })
  .meta({ id: 'SafetyStockSuggestion' });
export type SafetyStockSuggestion = z.infer<typeof SafetyStockSuggestion>;

export const SafetyStockProposalStatus = z.enum(['PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN']);

export const SafetyStockProposal = z
  .object({
    proposalId: z.string().meta({ description: 'SS-NNNNNN' }),
    productCode: z.string(),
    warehouseId: z.string(),
    specification: z.string().optional(),
    quantity: z.string().meta({ description: 'the proposed safety stock; 0 removes it' }),
    unit: z.string(),
    basis: z.string().optional().meta({ description: 'why this quantity, in the clerk’s words' }),
    previousSafetyStock: z.string().optional().meta({ description: 'the safety stock in force when it was proposed' }),
    suggestion: SafetyStockSuggestion.meta({ description: 'what recent sales suggested when it was proposed' }),
    status: SafetyStockProposalStatus,
    proposedBy: Actor,
    proposedAt: IsoTimestamp,
    decidedBy: Actor.optional(),
    decidedAt: IsoTimestamp.optional(),
    reason: z.string().optional().meta({ description: 'how it ended: approved by, refused with the reason, not decided in time' }),
  })
  .meta({ id: 'SafetyStockProposal' });
export type SafetyStockProposal = z.infer<typeof SafetyStockProposal>;

export const SafetyStockPlace = z
  .object({
    warehouseId: z.string(),
    specification: z.string().optional(),
    available: z.string().meta({ description: 'on hand − reserved' }),
    safetyStock: z.string().optional().meta({ description: 'the approved safety stock' }),
    approvedBy: Actor.optional(),
    approvedAt: IsoTimestamp.optional(),
    belowSafetyStock: z.boolean(),
    belowSafetySince: IsoTimestamp.optional(),
    pending: SafetyStockProposal.optional().meta({ description: 'the proposal waiting for the sales manager' }),
    suggestion: SafetyStockSuggestion,
    history: z.array(SafetyStockProposal).meta({ description: 'decided proposals, newest first (at most 10)' }),
  })
  .meta({ id: 'SafetyStockPlace' });

export const ProductSafetyStock = z
  .object({ productCode: z.string(), unit: z.string(), places: z.array(SafetyStockPlace).meta({ description: 'one per warehouse and specification' }) })
  .meta({ id: 'ProductSafetyStock' });
export type ProductSafetyStock = z.infer<typeof ProductSafetyStock>;

/** R-FULFIL-9: the sales clerk proposes a safety stock for one balance. */
export const SafetyStockProposalBody = z
  .object({
    warehouseId: WarehouseId.optional().meta({ description: 'default: the company warehouse' }),
    specification: z.string().trim().min(1).max(100).optional().meta({ description: "one of the product's specifications; required when it has any" }),
    quantity: Quantity.meta({ description: "in the product's unit and precision; 0 removes the safety stock" }),
    basis: z.string().trim().min(1).max(500).optional().meta({ description: 'why this quantity (the suggestion, a season, a customer’s project)' }),
  })
  .strict()
  .meta({ id: 'SafetyStockProposalBody' });
export type SafetyStockProposalBody = z.infer<typeof SafetyStockProposalBody>;
