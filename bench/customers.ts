/**
 * Customers the order and credit benches place orders for: created by the rep, credit approved by
 * finance through the credit review task (tests/support/order-fixtures.ts approvedCustomer: rating
 * A, 30 days, a contract in force), with a limit that fits every order the bench will place for
 * the customer, so each passes the credit check without a person (R-CREDIT-4: within the limit
 * the exposure is reserved).
 */
import type { OrderStatus } from '../functions/orders/schemas.js';
import type { LocalStack } from '../infra/local/stack.js';
import { approvedCustomer } from '../tests/support/order-fixtures.js';
import { ORDER_REP } from './order-users.js';

/**
 * Credit given per order the bench plans: 100,000.00 CNY, about 8 × the gross of the fixtures'
 * complete order (2.5 t plate at 4,000.00 + 4 valves at 250.00, 13% VAT: 12,430.00). Each order's
 * real gross is checked against the limit (creditFits), so a dearer fixture fails loudly instead
 * of sending orders to a credit decision.
 */
export const CREDIT_PER_ORDER_MINOR = 10_000_000;

export interface BenchCustomer {
  customerId: string;
  /** The approved limit: CREDIT_PER_ORDER_MINOR × the orders planned for this customer. */
  limitMinor: number;
  plannedOrders: number;
}

export async function creditApprovedCustomer(stack: LocalStack, name: string, plannedOrders: number): Promise<BenchCustomer> {
  const limitMinor = CREDIT_PER_ORDER_MINOR * Math.max(1, plannedOrders);
  const customerId = await approvedCustomer(stack, ORDER_REP, name, {}, { creditLimit: { amountMinor: limitMinor, currency: 'CNY' } });
  return { customerId, limitMinor, plannedOrders };
}

/** Throws unless `plannedOrders` orders of `grossMinor` each fit the customer's limit. */
export function creditFits(customer: BenchCustomer, grossMinor: number): void {
  if (grossMinor * customer.plannedOrders > customer.limitMinor) {
    throw new Error(
      `${customer.plannedOrders} orders of ${grossMinor} minor units exceed the bench's limit ${customer.limitMinor} for ${customer.customerId}: raise CREDIT_PER_ORDER_MINOR (bench/customers.ts)`,
    );
  }
}

/**
 * The statuses in which an order holds its credit reservation: passed credit and not yet shipped
 * (functions/credit/limits.ts NOT_YET_SHIPPED; the stock stage follows credit, so a bench order
 * passes through CREDIT_APPROVED to GOODS_RESERVED, or AWAITING_STOCK if its goods are short, and
 * waits there for its delivery). The credit bench's exposure check sums the reservations of its
 * orders in these statuses; it delivers none, so every order it placed is in one of them.
 */
export const CREDIT_HOLDING = ['CREDIT_APPROVED', 'AWAITING_STOCK', 'GOODS_RESERVED'] as const satisfies readonly OrderStatus[];
