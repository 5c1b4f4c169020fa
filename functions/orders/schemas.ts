/** Sales orders (R-INTAKE-1..5, R-REVIEW-1..4): what comes in, what is stored, what goes out. */
import * as z from 'zod';
import { Address } from '../customers/schemas.js';
import { ProductCode } from '../catalog/schemas.js';
import { Money, NonNegativeMoney } from '../shared/money.js';
import { Quantity } from '../shared/quantity.js';
import { ROLES } from '../shared/roles.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

/** R-INTAKE-1: how the order reached us. */
export const Channel = z.enum(['phone', 'email', 'fax', 'web', 'mobile', 'visit', 'verbal']);
/** R-INTAKE-2: prepaid, cash on pickup, or credit (赊销). */
export const PaymentMethod = z.enum(['prepaid', 'cash_on_pickup', 'credit']);
/**
 * APPROVED is the review's outcome; the credit stage (R-CREDIT-3..6) then moves the order to
 * CREDIT_APPROVED (exposure reserved, or prepaid, or cash on pickup: on to fulfilment), or makes
 * it wait in CREDIT_HOLD, CREDIT_REVIEW (over the limit) or AWAITING_PREPAYMENT, or RETURNED.
 * Fulfilment (R-FULFIL-2) then reserves stock: GOODS_RESERVED, or AWAITING_STOCK while production
 * or purchasing makes up a shortfall; delivery notes ship it (R-FULFIL-3..5): PARTIALLY_SHIPPED until
 * every line is shipped, SHIPPED, and DELIVERED once the customer signed for everything.
 * EXCEPTION: a workflow step failed for good; what the order held was given back, and its rep
 * amends and resubmits it, or cancels it, as for a returned order.
 */
export const OrderStatus = z.enum([
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'RETURNED',
  'APPROVED',
  'CREDIT_HOLD',
  'CREDIT_REVIEW',
  'AWAITING_PREPAYMENT',
  'CREDIT_APPROVED',
  'AWAITING_STOCK',
  'GOODS_RESERVED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'DELIVERED',
  'EXCEPTION',
  'REJECTED',
  'CANCELLED',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const OrderNumber = z.string().regex(/^SO-\d{4}-\d{6,}$/, 'an order number such as SO-2026-000123');

export const Delivery = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('delivery'), address: Address }).strict(),
    z.object({ mode: z.literal('pickup') }).strict(),
  ])
  .meta({ id: 'Delivery', description: 'deliver to an address, or the customer picks up (自提)' });


export const OrderLineInput = z
  .object({
    productCode: ProductCode,
    specification: z.string().trim().min(1).max(100).optional(),
    quantity: Quantity.optional(),
    unitPrice: NonNegativeMoney.optional().meta({ description: 'leave out to take the price list price' }),
    remarks: z.string().max(500).optional(),
  })
  .strict()
  .meta({ id: 'OrderLineInput' });
export type OrderLineInput = z.infer<typeof OrderLineInput>;

const draftFields = {
  lines: z.array(OrderLineInput).max(200),
  requestedDeliveryDate: IsoDate,
  delivery: Delivery,
  paymentMethod: PaymentMethod,
  customerReference: z.string().trim().max(100).meta({ description: "the customer's own purchase order number" }),
  remarks: z.string().max(2000),
};

/** A draft may be incomplete (R-INTAKE-2); it needs a customer and a channel to exist. */
export const CreateOrder = z
  .object({
    customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001'),
    channel: Channel,
    ...Object.fromEntries(Object.entries(draftFields).map(([k, v]) => [k, v.optional()])),
  } as { customerId: z.ZodString; channel: typeof Channel } & { [K in keyof typeof draftFields]: z.ZodOptional<(typeof draftFields)[K]> })
  .strict()
  .meta({ id: 'CreateOrder' });
export type CreateOrder = z.infer<typeof CreateOrder>;

export const UpdateOrder = z
  .object({
    channel: Channel.optional(),
    ...Object.fromEntries(Object.entries(draftFields).map(([k, v]) => [k, v.optional()])),
  } as { channel: z.ZodOptional<typeof Channel> } & { [K in keyof typeof draftFields]: z.ZodOptional<(typeof draftFields)[K]> })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' })
  .meta({ id: 'UpdateOrder' });
export type UpdateOrder = z.infer<typeof UpdateOrder>;

export const PriceSource = z
  .object({ priceListId: z.string(), version: z.int(), kind: z.enum(['general', 'customer']) })
  .meta({ id: 'PriceSource', description: 'the approved price list version a price came from' });

export const OrderLine = z
  .object({
    lineNo: z.int().min(1),
    productCode: ProductCode,
    productName: z.string(),
    specification: z.string().optional(),
    quantity: z.string().optional(),
    unit: z.string(),
    unitPrice: Money.optional(),
    /** 'list': taken from the price list and re-quoted at submission; 'entered': typed in by a person. */
    priceOrigin: z.enum(['list', 'entered']).optional(),
    listPrice: Money.optional(),
    minimumPrice: Money.optional(),
    priceSource: PriceSource.optional(),
    taxRateBasisPoints: z.int(),
    net: Money.optional(),
    tax: Money.optional(),
    gross: Money.optional(),
    remarks: z.string().optional(),
  })
  .meta({ id: 'OrderLine' });
export type OrderLine = z.infer<typeof OrderLine>;

export const FindingCode = z.enum([
  'CUSTOMER_INCOMPLETE',
  'PRODUCT_NOT_SELLABLE',
  'PRICE_BELOW_LIST',
  'PRICE_BELOW_MINIMUM',
  'PRODUCT_NOT_ON_PRICE_LIST',
  'CUSTOMER_NOT_ON_PRICE_LIST',
  'LEAD_TIME_TOO_SHORT',
  'PAYMENT_METHOD_NOT_ALLOWED',
  'VERBAL_ORDER_FOR_DELIVERY',
  'DELIVERY_NOT_ALLOWED',
]);
export type FindingCode = z.infer<typeof FindingCode>;

export const Finding = z
  .object({
    code: FindingCode,
    message: z.string(),
    lineNo: z.int().optional(),
    /** Who must give special approval (特批), in order (R-REVIEW-4, R-PRICE-3). */
    approvers: z.array(z.enum(ROLES)),
  })
  .meta({ id: 'Finding', description: 'a point of R-REVIEW-1 the pre-check found not conforming' });
export type Finding = z.infer<typeof Finding>;

export const Totals = z.object({ net: Money, tax: Money, gross: Money }).meta({ id: 'OrderTotals' });
export type Totals = z.infer<typeof Totals>;

const PendingTask = z.object({ taskId: z.string(), type: z.string(), assigneeRole: z.string(), since: IsoTimestamp });

/** Why the order waits in the credit stage, or passed it (R-CREDIT-3..7). */
export const CreditOutcome = z.enum(['RESERVED', 'CLEARED', 'HOLD', 'OVER_LIMIT', 'PREPAYMENT', 'REFUSED', 'SUPERSEDED']);
export type CreditOutcome = z.infer<typeof CreditOutcome>;

export const OrderCredit = z
  .object({
    attempt: z.int().min(0).meta({ description: 'credit checks so far; each wait and decision belongs to one' }),
    outcome: CreditOutcome.optional(),
    basis: z.enum(['CREDIT', 'PREPAID', 'CASH_ON_PICKUP']).optional().meta({ description: 'how the order is secured once it passed' }),
    reason: z.string().optional().meta({ description: 'why it waits or was returned' }),
    reserved: Money.optional().meta({ description: 'exposure reserved for the order (R-CREDIT-4), until it is invoiced, released or cancelled' }),
    overBy: Money.optional().meta({ description: 'by how much it takes exposure over the limit' }),
    approverRole: z.string().optional(),
    approval: z
      .object({ taskId: z.string(), decidedBy: Actor, decidedAt: IsoTimestamp, comment: z.string().optional() })
      .optional()
      .meta({ description: 'the credit decision that let it over the limit' }),
    prepayment: z
      .object({ amount: Money, reference: z.string(), receivedOn: IsoDate, confirmedBy: Actor, confirmedAt: IsoTimestamp })
      .optional()
      .meta({ description: "finance's confirmation that the prepayment arrived" }),
    pendingTask: PendingTask.optional(),
    checkedAt: IsoTimestamp.optional(),
  })
  .meta({ id: 'OrderCredit' });
export type OrderCredit = z.infer<typeof OrderCredit>;

export const FulfilmentLine = z
  .object({
    lineNo: z.int(),
    productCode: z.string(),
    unit: z.string(),
    ordered: z.string(),
    reserved: z.string(),
    shipped: z.string(),
    delivered: z.string(),
    remaining: z.string().meta({ description: 'ordered − shipped' }),
  })
  .meta({ id: 'FulfilmentLine' });
export type FulfilmentLine = z.infer<typeof FulfilmentLine>;

/** Where the order's goods are (R-FULFIL-2, R-FULFIL-5). */
export const OrderFulfilment = z
  .object({
    attempt: z.int().min(0).meta({ description: 'stock reservations so far; each wait for production belongs to one' }),
    outcome: z.enum(['RESERVED', 'SHORTFALL', 'SUPERSEDED']).optional(),
    warehouseId: z.string().optional(),
    lines: z.array(FulfilmentLine),
    requests: z.array(z.string()).meta({ description: 'open production and purchase requests for the shortfall' }),
    notes: z
      .array(z.object({ deliveryNoteId: z.string(), status: z.string(), lines: z.array(z.object({ lineNo: z.int(), quantity: z.string() })) }))
      .optional()
      .meta({ description: 'delivery notes not voided, with what each ships (R-FULFIL-3)' }),
    reason: z.string().optional(),
    pendingTask: PendingTask.optional(),
    reservedAt: IsoTimestamp.optional(),
    assignments: z
      .array(
        z.object({
          productType: z.enum(['manufactured', 'traded']),
          department: z.string().optional(),
          assigneeUserId: z.string().optional(),
          dueDate: IsoDate.optional(),
          ruleId: z.string().optional().meta({ description: 'the assignment rule that decided; absent when none matched and a person must assign it' }),
        }),
      )
      .optional()
      .meta({ description: 'who is responsible for each product type of the order, and by when (R-FULFIL-1)' }),
  })
  .meta({ id: 'OrderFulfilment' });
export type OrderFulfilment = z.infer<typeof OrderFulfilment>;

export const ReviewState = z
  .object({
    round: z.int().min(0).meta({ description: 'submissions so far; every round is kept in the history' }),
    submittedAt: IsoTimestamp.optional(),
    submittedBy: Actor.optional(),
    pendingTask: PendingTask.optional(),
    outcome: z.enum(['APPROVED', 'RETURNED', 'REJECTED']).optional(),
    reason: z.string().optional(),
    decidedBy: Actor.optional(),
    decidedAt: IsoTimestamp.optional(),
  })
  .meta({ id: 'ReviewState' });
export type ReviewState = z.infer<typeof ReviewState>;

/** R-INTAKE-6: what a change request may change on an approved order (the fields of UpdateOrder but the channel). */
export const OrderChanges = CreateOrder.pick({ lines: true, requestedDeliveryDate: true, delivery: true, paymentMethod: true, customerReference: true, remarks: true })
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'nothing to change' })
  .meta({ id: 'OrderChanges', description: 'new lines replace all lines and are priced again; other fields change as given' });
export type OrderChanges = z.infer<typeof OrderChanges>;

const changeReason = z.string().trim().min(1, 'say why the change is asked for').max(500);

/** The body of POST /orders/{orderId}/change-requests: amend the order, or cancel it. */
export const ChangeRequestInput = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('amend'), changes: OrderChanges, reason: changeReason }).strict(),
    z.object({ kind: z.literal('cancel'), reason: changeReason }).strict(),
  ])
  .meta({ id: 'ChangeRequestInput', description: 'an order change (订单变更) after approval; a cancellation is a change too (R-INTAKE-6)' });
export type ChangeRequestInput = z.infer<typeof ChangeRequestInput>;

/** What the order would read after an amendment, priced with the price book in force when it was asked for. */
export const ProposedOrder = z
  .object({
    lines: z.array(OrderLine),
    totals: Totals,
    requestedDeliveryDate: IsoDate.optional(),
    delivery: Delivery.optional(),
    paymentMethod: PaymentMethod.optional(),
    customerReference: z.string().optional(),
    remarks: z.string().optional(),
  })
  .meta({ id: 'ProposedOrder' });
export type ProposedOrder = z.infer<typeof ProposedOrder>;

export const ChangeRequestStatus = z.enum(['PENDING', 'APPROVED', 'REJECTED', 'RETURNED', 'EXPIRED']);
export type ChangeRequestStatus = z.infer<typeof ChangeRequestStatus>;

export const ChangeRequest = z
  .object({
    changeRequestId: z.string().meta({ description: "CR-<orderId>-<n>, n counting the order's change requests" }),
    kind: z.enum(['amend', 'cancel']),
    status: ChangeRequestStatus,
    reason: z.string(),
    changedFields: z.array(z.string()).meta({ description: 'the order fields the proposal changes' }),
    proposed: ProposedOrder.optional().meta({ description: 'amendments only' }),
    findings: z.array(Finding).meta({ description: "the pre-check's findings on the proposed order (R-REVIEW-1/2)" }),
    requestedAt: IsoTimestamp,
    requestedBy: Actor,
    review: z.object({
      checkedAt: IsoTimestamp.optional(),
      pendingTask: PendingTask.optional(),
      outcome: ChangeRequestStatus.exclude(['PENDING']).optional(),
      reason: z.string().optional(),
      decidedBy: Actor.optional(),
      decidedAt: IsoTimestamp.optional(),
    }),
  })
  .meta({ id: 'ChangeRequest', description: 'a change of an approved order, reviewed like the order (R-INTAKE-6)' });
export type ChangeRequest = z.infer<typeof ChangeRequest>;

export const Order = z
  .object({
    orderId: OrderNumber,
    status: OrderStatus,
    channel: Channel,
    customerId: z.string(),
    customerName: z.string(),
    ownerRepId: z.string(),
    lines: z.array(OrderLine),
    requestedDeliveryDate: IsoDate.optional(),
    delivery: Delivery.optional(),
    paymentMethod: PaymentMethod.optional(),
    customerReference: z.string().optional(),
    remarks: z.string().optional(),
    currency: z.string(),
    totals: Totals,
    findings: z.array(Finding),
    review: ReviewState,
    cancelReason: z.string().optional(),
    exception: z
      .object({ step: z.string(), error: z.string(), cause: z.string(), at: IsoTimestamp, released: z.array(z.string()) })
      .optional()
      .meta({ description: 'the workflow step that failed for good, why, and what was given back (EXCEPTION)' }),
    credit: OrderCredit.optional().meta({ description: 'the credit stage after review (R-CREDIT-3..7)' }),
    fulfilment: OrderFulfilment.optional().meta({ description: 'stock reserved and shipped per line (R-FULFIL-2, R-FULFIL-5)' }),
    billing: z
      .object({ invoices: z.array(z.string()), invoicedGross: Money, creditReleased: Money, at: IsoTimestamp })
      .optional()
      .meta({ description: "invoiced to the end (R-BILL-1): the invoices, their gross, the credit the order no longer needed" }),
    pendingChange: ChangeRequest.optional().meta({ description: 'the change request under review; the order stays as it is meanwhile (R-INTAKE-6)' }),
    lastChange: ChangeRequest.optional().meta({ description: 'the last decided change request' }),
    changeCount: z.int().min(0).optional().meta({ description: 'change requests asked for so far' }),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

export const OrderSummary = Order.pick({
  orderId: true,
  status: true,
  channel: true,
  customerId: true,
  customerName: true,
  ownerRepId: true,
  requestedDeliveryDate: true,
  totals: true,
  createdAt: true,
})
  .extend({ findingCount: z.int() })
  .meta({ id: 'OrderSummary' });
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderIdParams = z.object({ orderId: OrderNumber });

export const ListOrdersQuery = PageQuery.extend({
  status: OrderStatus.optional(),
  customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001').optional(),
  ownerRepId: z.string().max(100).optional(),
  from: IsoDate.optional().meta({ description: 'created on or after this business date' }),
  to: IsoDate.optional().meta({ description: 'created on or before this business date' }),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`to` must not be before `from`', path: ['to'] });

export const CancelOrder = z.object({ reason: z.string().trim().min(1).max(500) }).strict().meta({ id: 'CancelOrder' });
