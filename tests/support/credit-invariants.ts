/**
 * The credit invariants (R-CREDIT-4), read straight from the tables of a local stack:
 * - every account: exposure = Σ open items, reserved = Σ order items, receivables = Σ invoice items,
 *   available = limit − exposure;
 * - every order open item belongs to an order that holds exactly that reservation, and every order
 *   holding a reservation has its open item;
 * - exposure is over the limit only through an approved credit decision, or while a lower limit's
 *   re-check (R-CREDIT-7) waits for one.
 * Tests call it after every scenario; it returns the violations, so a failure names them all.
 */
import { TABLES } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { scanAll } from './scan.js';

export interface CreditTotals {
  customerId: string;
  limitMinor: number;
  exposureMinor: number;
  openItemsMinor: number;
  reservedOrders: number;
}

export async function creditInvariantViolations(stack: Pick<LocalStack, 'dynamoEndpoint'>): Promise<{ violations: string[]; totals: CreditTotals[] }> {
  const [creditItems, orders, invoices] = await Promise.all([scanAll(stack, TABLES.credit.localName), scanAll(stack, TABLES.orders.localName), scanAll(stack, TABLES.invoices.localName)]);
  // R-BILL-1: each invoice turns its gross of the order's reservation into a receivable; once billed to the end, nothing stays reserved.
  const invoicedOf = (orderId: string) => invoices.filter((i) => i.orderId === orderId).reduce((s, i) => s + Number(i.gross.amountMinor), 0);
  const stillReserved = (order: Record<string, any>) => (order.billing ? 0 : Math.max(0, (order.credit?.reserved?.amountMinor ?? 0) - invoicedOf(order.orderId)));
  const violations: string[] = [];
  const totals: CreditTotals[] = [];
  const ordersById = new Map(orders.map((o) => [o.orderId as string, o]));
  const accounts = creditItems.filter((i) => i.itemKey === 'ACCOUNT');
  const open = creditItems.filter((i) => i.itemKey !== 'ACCOUNT');
  for (const a of accounts) {
    const mine = open.filter((i) => i.customerId === a.customerId);
    const sum = (kind?: string) => mine.filter((i) => !kind || i.kind === kind).reduce((s, i) => s + Number(i.amountMinor), 0);
    const name = a.customerId;
    if (a.exposureMinor !== sum()) violations.push(`${name}: exposure ${a.exposureMinor} ≠ Σ open items ${sum()}`);
    if (a.reservedMinor !== sum('ORDER')) violations.push(`${name}: reserved ${a.reservedMinor} ≠ Σ order items ${sum('ORDER')}`);
    if (a.receivableMinor !== sum('INVOICE')) violations.push(`${name}: receivables ${a.receivableMinor} ≠ Σ invoice items ${sum('INVOICE')}`);
    if (a.availableMinor !== a.limitMinor - a.exposureMinor) violations.push(`${name}: available ${a.availableMinor} ≠ limit ${a.limitMinor} − exposure ${a.exposureMinor}`);
    if (a.exposureMinor > a.limitMinor) {
      const approved = mine.some((i) => i.approval);
      const rechecking = orders.some((o) => o.customerId === a.customerId && o.status === 'CREDIT_REVIEW' && o.credit?.reserved);
      if (!approved && !rechecking) violations.push(`${name}: exposure ${a.exposureMinor} over the limit ${a.limitMinor} without an approved credit decision`);
    }
    totals.push({ customerId: name, limitMinor: a.limitMinor, exposureMinor: a.exposureMinor, openItemsMinor: sum(), reservedOrders: mine.filter((i) => i.kind === 'ORDER').length });
  }
  for (const item of open) {
    if (!accounts.some((a) => a.customerId === item.customerId)) violations.push(`${item.itemKey}: open item without an account`);
    if (item.kind !== 'ORDER') continue;
    const order = ordersById.get(item.reference);
    if (!order) violations.push(`${item.reference}: open item of an order that does not exist`);
    else if (stillReserved(order) !== item.amountMinor) violations.push(`${item.reference} (${order.status}): open item ${item.amountMinor} but the order holds ${stillReserved(order)} (reserved ${order.credit?.reserved?.amountMinor ?? 'nothing'}, invoiced ${invoicedOf(order.orderId)})`);
    // Approved and not yet invoiced (R-CREDIT-4): from credit approval through delivery, until billing invoices it.
    else if (!['CREDIT_APPROVED', 'CREDIT_REVIEW', 'AWAITING_STOCK', 'GOODS_RESERVED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED'].includes(order.status)) violations.push(`${item.reference}: reserved while ${order.status}`);
  }
  for (const order of orders) {
    if (stillReserved(order) > 0 && !open.some((i) => i.kind === 'ORDER' && i.reference === order.orderId)) violations.push(`${order.orderId}: holds a reservation with no open item`);
  }
  return { violations, totals: totals.sort((x, y) => x.customerId.localeCompare(y.customerId)) };
}
