/**
 * Contention on the two shared resources an order takes, with 200 orders submitted at the same
 * moment; review passes them without a person (the auto-approval setting), so 200 executions reach
 * the same step together:
 * - R-CREDIT-4: "two orders at the same moment must never together pass a limit that each alone fits";
 * - R-FULFIL-2: "two orders must never reserve the same unit".
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // Every order here is under the auto-approval threshold: the review does not wait for a person.
  process.env.SETTINGS_JSON = JSON.stringify({ autoApprovalThresholdMinor: 100_000_000 });
});

import type { LocalStack } from '../../infra/local/stack.js';
import { creditInvariantViolations } from '../support/credit-invariants.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, receiveStock, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';
import { stockInvariantViolations } from '../support/stock-invariants.js';

const ORDERS = 200;
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack, { stock: false });
  await receiveStock(stack, 'VALVE-DN50', '10000');
  await receiveStock(stack, 'PLATE-Q235', '50');
});
afterAll(async () => stack?.stop());
// After each run every invariant holds, the receivables' and the tasks' too (issue 8).
afterEach(async () => expectInvariantsHold(stack));

/** Runs `task` over `items`, `width` at a time. */
async function inBatches<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(task))));
  return out;
}

/** ORDERS orders of the customer with these lines, drafted 20 at a time, then all submitted at the same moment; the workflows have run when this returns. */
async function submitAtOnce(customerId: string, lines: unknown[]): Promise<string[]> {
  const rep = apiAs(stack, 'wang.qiang');
  const orderIds = await inBatches(Array.from({ length: ORDERS }, (_, i) => i), 20, async () => {
    const res = await rep.post('/orders', completeOrder(customerId, { lines }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.orderId as string;
  });
  const submitted = await Promise.all(orderIds.map((id) => rep.post(`/orders/${id}/submission`)));
  expect(submitted.map((r) => r.status)).toEqual(orderIds.map(() => 202));
  await stack.stepFunctions.idle();
  return orderIds;
}

describe('contention', () => {
  it(`R-CREDIT-4: ${ORDERS} orders submitted at once against one limit: the exposure never passes it, every order is reserved or waits for a credit decision, and the totals check out twice`, async () => {
    const rep = apiAs(stack, 'wang.qiang');
    // One valve: 250.00 + 13% VAT = 282.50; a limit of 10,000.00 fits 35 of them.
    const customerId = await approvedCustomer(stack, 'wang.qiang', 'Contended Co', {}, { creditLimit: yuan(10_000) });
    const orderIds = await submitAtOnce(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }]);
    const gross = 28_250;

    const orders = await inBatches(orderIds, 25, async (id) => (await rep.get(`/orders/${id}`)).body as { status: string; totals: { gross: { amountMinor: number } }; credit?: { outcome: string; approverRole?: string } });
    expect(new Set(orders.map((o) => o.totals.gross.amountMinor))).toEqual(new Set([gross]));
    const byStatus = (status: string) => orders.filter((o) => o.status === status);
    const reserved = byStatus('GOODS_RESERVED');
    const waiting = byStatus('CREDIT_REVIEW');
    // Exactly as many as fit: none more (the limit holds), none fewer (no order was refused room that was there).
    expect(reserved).toHaveLength(Math.floor(1_000_000 / gross));
    expect(reserved.length + waiting.length).toBe(ORDERS);
    expect(waiting.every((o) => o.credit?.outcome === 'OVER_LIMIT' && o.credit.approverRole)).toBe(true);

    const credit = (await apiAs(stack, 'wu.fang').get(`/customers/${customerId}/credit`)).body;
    expect(credit.exposure.amountMinor).toBe(reserved.length * gross);
    expect(credit.exposure.amountMinor).toBeLessThanOrEqual(credit.limit.amountMinor);
    expect(credit.openItems).toHaveLength(reserved.length);

    // The invariant check, run twice, finds nothing wrong and the same totals.
    const first = await creditInvariantViolations(stack);
    const second = await creditInvariantViolations(stack);
    expect(first.violations).toEqual([]);
    expect(second).toEqual(first);
    expect(first.totals.find((t) => t.customerId === customerId)).toEqual({
      customerId,
      limitMinor: 1_000_000,
      exposureMinor: reserved.length * gross,
      openItemsMinor: reserved.length * gross,
      reservedOrders: reserved.length,
    });
    // Every waiting order has its credit decision in a queue, once.
    const queued: string[] = [];
    for (const userId of ['zheng.hao', 'zhou.wei']) {
      let cursor: string | null = null;
      do {
        const page: { items: { type: string; subject: { id: string } }[]; nextCursor: string | null } = (
          await apiAs(stack, userId).get(`/tasks?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
        ).body;
        queued.push(...page.items.filter((t) => t.type === 'CREDIT_APPROVAL').map((t) => t.subject.id));
        cursor = page.nextCursor;
      } while (cursor);
    }
    expect(queued.sort()).toEqual(orderIds.filter((_, i) => orders[i]!.status === 'CREDIT_REVIEW').sort());
  }, 600_000);
  it(`R-FULFIL-2: ${ORDERS} orders submitted at once for 1 t each against 50 t in stock: exactly 50 t reserved, nothing negative, the rest waits for production`, async () => {
    const customerId = await approvedCustomer(stack, 'wang.qiang', 'Steel Rush Co', {}, { creditLimit: yuan(10_000_000) });
    const orderIds = await submitAtOnce(customerId, [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '1' }]);
    const rep = apiAs(stack, 'wang.qiang');
    const orders = await inBatches(orderIds, 25, async (id) => (await rep.get(`/orders/${id}`)).body as { orderId: string; status: string; fulfilment?: { requests: string[] } });
    const reserved = orders.filter((o) => o.status === 'GOODS_RESERVED');
    const waiting = orders.filter((o) => o.status === 'AWAITING_STOCK');
    expect(reserved).toHaveLength(50);
    expect(waiting).toHaveLength(ORDERS - 50);
    expect(waiting.every((o) => o.fulfilment?.requests.length === 1)).toBe(true);
    const balance = (await apiAs(stack, 'feng.lei').get('/stock/PLATE-Q235')).body.balances[0];
    expect(balance).toMatchObject({ onHand: '50', reserved: '50', available: '0' });
    expect(await stockInvariantViolations(stack)).toEqual([]);
    expect((await creditInvariantViolations(stack)).violations).toEqual([]);
    // One production request per waiting order, in production's queue.
    const requests: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { requestId: string; orderId: string }[]; nextCursor: string | null } = (await apiAs(stack, 'xu.gang').get(`/supply-requests?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).body;
      requests.push(...page.items.filter((r) => orderIds.includes(r.orderId)).map((r) => r.orderId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(requests.sort()).toEqual(waiting.map((o) => o.orderId).sort());
  }, 600_000);
});
