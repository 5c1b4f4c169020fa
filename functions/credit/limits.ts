/**
 * A new credit limit (a credit review's decision, or finance's change between reviews) reaches the
 * credit account in the same transaction as the customer's profile. R-CREDIT-7: when the new limit
 * is below the exposure, every order that holds a reservation and has not shipped is re-checked:
 * it moves to CREDIT_REVIEW in that same transaction (keeping its reservation), with the start of the
 * credit decision through the order's state machine (the outbox of workflow starts).
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CreditProfile, Customer } from '../customers/schemas.js';
import type { Order } from '../orders/schemas.js';
import { getOrder, listOrders, orderReplaceItems } from '../orders/store.js';
import { nowIso } from '../shared/clock.js';
import { workflowStartItem } from '../outbox/store.js';
import { ddb } from '../shared/dynamo.js';
import { formatMajor, money } from '../shared/money.js';
import type { Actor } from '../shared/schemas.js';
import type { TransactItem } from '../shared/versioned.js';
import { getAccount, limitItem } from './account.js';
import { creditApprover } from './rules.js';

export interface Recheck {
  orderId: string;
  attempt: number;
  approverRole: string;
}

export interface LimitChange {
  /** For the transaction that changes the profile. */
  items: TransactItem[];
  /** Orders beyond what one transaction holds, each order with its history entry and decision's start, written right after. */
  later: TransactItem[][];
  rechecks: Recheck[];
}

/** How many re-checked orders ride in the profile's own transaction (100 items, 3 per order, a few for the profile). */
const ORDERS_IN_FIRST_TRANSACTION = 30;

export const approvedLimitMinor = (p: CreditProfile) => (p.status === 'APPROVED' ? (p.limit?.amountMinor ?? 0) : 0);

/** The writes a profile change needs on the credit side; none when the limit stays. */
export async function limitChange(customer: Customer, after: CreditProfile, by: Actor): Promise<LimitChange> {
  const limitMinor = approvedLimitMinor(after);
  const account = await getAccount(customer.customerId);
  if (account ? account.limitMinor === limitMinor : limitMinor === approvedLimitMinor(customer.credit)) return { items: [], later: [], rechecks: [] };
  const currency = after.limit?.currency ?? account?.currency ?? customer.credit.limit?.currency ?? 'CNY';
  const items: TransactItem[] = [limitItem(customer.customerId, limitMinor, currency)];
  if (!account || account.exposureMinor <= limitMinor) return { items, later: [], rechecks: [] };

  const overByMinor = account.exposureMinor - limitMinor;
  const approverRole = creditApprover(limitMinor, overByMinor);
  const m = (minor: number) => `${formatMajor(money(minor, currency))} ${currency}`;
  const reason = `credit limit lowered to ${m(limitMinor)}, below the exposure ${m(account.exposureMinor)}: the order waits for a credit decision (R-CREDIT-7)`;
  const perOrder: TransactItem[][] = [];
  const rechecks: Recheck[] = [];
  for (const order of await reservedOrders(customer.customerId)) {
    const credit = order.credit!;
    const { pendingTask: _task, approval: _approval, ...kept } = credit;
    const attempt = credit.attempt + 1;
    const next: Order = {
      ...order,
      status: 'CREDIT_REVIEW',
      credit: { ...kept, attempt, outcome: 'OVER_LIMIT', reason, overBy: money(overByMinor, currency), approverRole, checkedAt: nowIso() },
      version: order.version + 1,
      updatedAt: nowIso(),
      updatedBy: by,
    };
    const recheck: Recheck = { orderId: order.orderId, attempt, approverRole };
    perOrder.push([
      ...orderReplaceItems(order, next, by, `credit check ${attempt}: ${reason}`, reason),
      workflowStartItem('orderReview', recheckExecutionName(recheck), { orderId: order.orderId, recheck: { attempt, approverRole } }),
    ]);
    rechecks.push(recheck);
  }
  const first = perOrder.slice(0, ORDERS_IN_FIRST_TRANSACTION).flat();
  const later = perOrder.slice(ORDERS_IN_FIRST_TRANSACTION);
  return { items: [...items, ...first], later, rechecks };
}

/** Statuses of an order that passed credit with a reservation and has not shipped anything. */
export const NOT_YET_SHIPPED: readonly Order['status'][] = ['CREDIT_APPROVED', 'AWAITING_STOCK', 'GOODS_RESERVED'];

/** Orders of the customer that passed credit with a reservation and have not shipped. */
async function reservedOrders(customerId: string): Promise<Order[]> {
  const found: Order[] = [];
  for (const status of NOT_YET_SHIPPED) {
    let cursor: string | undefined;
    do {
      const page = await listOrders({ customerId, status, limit: 100, cursor });
      for (const summary of page.items) {
        const order = await getOrder(summary.orderId, true);
        if (NOT_YET_SHIPPED.includes(order.status) && order.credit?.reserved) found.push(order);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return found;
}

/** The orders beyond the first transaction: each moves on its own, on the version that was read. */
export async function writeLater(later: TransactItem[][]): Promise<void> {
  for (const items of later) await ddb.send(new TransactWriteCommand({ TransactItems: items }));
}

export const recheckExecutionName = (r: Pick<Recheck, 'orderId' | 'attempt'>) => `${r.orderId}-credit-${r.attempt}`;
