/** The credit position of a customer as people read it (R-CREDIT-4, R-CREDIT-5), and the hold requests. */
import * as z from 'zod';
import { Contract, CreditRating, CreditStatus } from '../customers/schemas.js';
import { Money } from '../shared/money.js';
import { Actor, IsoDate, IsoTimestamp } from '../shared/schemas.js';

export const CreditHoldState = z
  .object({
    kind: z.enum(['MANUAL', 'OVERDUE']).meta({ description: 'set by finance by hand, or for an invoice over the overdue setting (R-CREDIT-5)' }),
    reason: z.string(),
    since: IsoTimestamp,
    setBy: Actor,
  })
  .meta({ id: 'CreditHold' });

export const OpenCreditItem = z
  .object({
    kind: z.enum(['ORDER', 'INVOICE']).meta({ description: 'ORDER: approved, not yet invoiced; INVOICE: outstanding' }),
    reference: z.string().meta({ description: 'order or invoice number' }),
    amount: Money,
    openedAt: IsoTimestamp,
    dueDate: IsoDate.optional(),
    daysOverdue: z.int().optional(),
    approval: z.object({ taskId: z.string(), decidedBy: Actor, decidedAt: IsoTimestamp }).optional().meta({ description: 'the credit decision that let it over the limit' }),
  })
  .meta({ id: 'OpenCreditItem' });

export const CustomerCredit = z
  .object({
    customerId: z.string(),
    customerName: z.string(),
    creditStatus: CreditStatus,
    rating: CreditRating.optional(),
    paymentTermsDays: z.int().optional(),
    contract: Contract.optional(),
    guaranteeOnFile: z.boolean(),
    prepaymentRequired: z.boolean(),
    limit: Money,
    exposure: Money.meta({ description: 'receivables outstanding + orders approved but not yet invoiced (R-CREDIT-4)' }),
    reservedForOrders: Money,
    receivables: Money,
    available: Money.meta({ description: 'limit − exposure; negative when a credit decision let an order over the limit' }),
    overdue: Money.meta({ description: 'open invoices past their due date' }),
    hold: CreditHoldState.nullable(),
    openItems: z.array(OpenCreditItem).meta({ description: 'what the exposure is made of, oldest first; their amounts add up to the exposure' }),
  })
  .meta({ id: 'CustomerCredit' });
export type CustomerCredit = z.infer<typeof CustomerCredit>;

const reason = z.string().trim().min(1, 'say why').max(1000);

export const SetCreditHold = z.object({ reason }).strict().meta({ id: 'SetCreditHold' });
export const LiftCreditHold = z.object({ reason }).strict().meta({ id: 'LiftCreditHold' });

export const CreditHoldLifted = CustomerCredit.extend({
  resumedOrders: z.array(z.string()).meta({ description: 'orders that waited in CREDIT_HOLD and are checked again now' }),
}).meta({ id: 'CreditHoldLifted' });
