/**
 * Stock and its reservation for orders (R-FULFIL-2), through the real ASL on the local Step
 * Functions service and over HTTP as the warehouse, production and the order side. After every
 * scenario the stock and credit invariants hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, businessDate } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, receiveStock, seedCatalogueAndPrices } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const WAREHOUSE = 'feng.lei';
const PRODUCTION = 'xu.gang';

let stack: LocalStack;
let customerId: string;
const rep = () => apiAs(stack, REP);
const warehouse = () => apiAs(stack, WAREHOUSE);

beforeAll(async () => {
  stack = await startTestStack();
  // No opening stock: each test receives what it needs.
  await seedCatalogueAndPrices(stack, { stock: false });
  customerId = await approvedCustomer(stack, REP, 'Stock Co');
});
afterAll(async () => stack?.stop());
afterEach(async () => {
  await expectInvariantsHold(stack);
});

const stockOf = async (productCode: string) => (await warehouse().get(`/stock/${productCode}`)).body;
const balanceOf = async (productCode: string) => (await stockOf(productCode)).balances[0];
const orderOf = async (orderId: string) => (await rep().get(`/orders/${orderId}`)).body;

/** Drafted, submitted, approved by the order desk; credit and stock have run when this returns. */
async function approvedOrder(lines: { productCode: string; specification: string; quantity: string }[]): Promise<string> {
  const created = await rep().post('/orders', completeOrder(customerId, { lines }));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const orderId = created.body.orderId as string;
  expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(202);
  expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
  return orderId;
}

describe('stock', () => {
  it('R-FULFIL-2: the warehouse receives and adjusts stock with the document or reason, in the product’s precision; every movement is kept', async () => {
    await receiveStock(stack, 'CABLE-3X95', '1200.5', 'supplier note YJ-881');
    const adjusted = await warehouse().post('/stock/adjustments', { productCode: 'CABLE-3X95', specification: '0.6/1kV', quantity: '-0.5', reason: 'cut end damaged' });
    expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(201);
    expect(adjusted.body).toMatchObject({ kind: 'ADJUSTMENT', quantity: '-0.5', reason: 'cut end damaged', by: { userId: WAREHOUSE } });
    const stock = await stockOf('CABLE-3X95');
    expect(stock.balances).toEqual([
      expect.objectContaining({ specification: '0.6/1kV', warehouseId: 'MAIN', unit: 'm', onHand: '1200', reserved: '0', available: '1200', received: '1200.5', adjusted: '-0.5', issued: '0' }),
    ]);
    expect(stock.movements.map((m: { kind: string; quantity: string }) => `${m.kind} ${m.quantity}`)).toEqual(['ADJUSTMENT -0.5', 'RECEIPT 1200.5']);
    const list = await apiAs(stack, 'chen.jie').get('/stock?limit=10');
    expect(list.body.items.map((b: { productCode: string; specification: string; available: string }) => `${b.productCode} ${b.specification} ${b.available}`)).toContain('CABLE-3X95 0.6/1kV 1200');
  });

  it('R-FULFIL-2: a bad receipt or adjustment is refused with every field named, a wrong role with 403, an adjustment below what is free with 409; nothing is written', async () => {
    const before = await snapshotTables(stack);
    const bad = await warehouse().post('/stock/receipts', { productCode: 'bad code', quantity: '-1', source: 'GIFT', reference: '' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.productCode', 'body.quantity', 'body.reference', 'body.source']);
    // Valves count in whole pieces, and come in PN16 only.
    const precision = await warehouse().post('/stock/receipts', { productCode: 'VALVE-DN50', specification: 'PN99', quantity: '1.5', source: 'PURCHASE', reference: 'x' });
    expect(precision.status).toBe(400);
    expect(precision.body.errors).toEqual([
      expect.objectContaining({ field: 'body.quantity', code: 'quantity_precision' }),
      expect.objectContaining({ field: 'body.specification', message: 'one of PN16' }),
    ]);
    expect((await rep().post('/stock/receipts', { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1', source: 'PURCHASE', reference: 'x' })).status).toBe(403);
    expect((await warehouse().post('/stock/adjustments', { productCode: 'CABLE-3X95', specification: '0.6/1kV', quantity: '-99999', reason: 'typo' })).status).toBe(409);
    expect((await warehouse().post('/stock/adjustments', { productCode: 'CABLE-3X95', specification: '0.6/1kV', quantity: '0', reason: 'nothing' })).status).toBe(400);
    // Issue 14: quantities past what whole units of the product's precision can count exactly answered 500.
    const valve = { productCode: 'VALVE-DN50', specification: 'PN16' };
    for (const [path, body] of [
      ['/stock/receipts', { ...valve, quantity: '9007199254740993', source: 'PURCHASE', reference: 'x' }],
      ['/stock/receipts', { ...valve, quantity: '1000000000', source: 'PURCHASE', reference: 'x' }],
      ['/stock/adjustments', { ...valve, quantity: '-9007199254740993', reason: 'typo' }],
    ] as const) {
      const huge = await warehouse().post(path, body);
      const quantity = body.quantity;
      expect([huge.status, huge.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`)], quantity).toEqual([400, ['body.quantity invalid_format']]);
    }
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-FULFIL-2: an order in stock is reserved at approval: GOODS_RESERVED, per line ordered and reserved', async () => {
    await receiveStock(stack, 'PLATE-Q235', '10');
    const orderId = await approvedOrder([{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '2.5' }]);
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'GOODS_RESERVED', fulfilment: { outcome: 'RESERVED', warehouseId: 'MAIN', requests: [] } });
    expect(order.fulfilment.lines).toEqual([{ lineNo: 1, productCode: 'PLATE-Q235', unit: 't', ordered: '2.5', reserved: '2.5', shipped: '0', delivered: '0', remaining: '2.5' }]);
    expect(await balanceOf('PLATE-Q235')).toMatchObject({ onHand: '10', reserved: '2.5', available: '7.5' });
  });

  it('R-FULFIL-2: a shortfall reserves what exists and raises a production request (made) or a purchase request (bought); the order waits, and reserves the rest when they are done', async () => {
    const free = (await balanceOf('PLATE-Q235')).available as string;
    const orderId = await approvedOrder([
      { productCode: 'PLATE-Q235', specification: '10mm', quantity: String(Number(free) + 1.5) },
      { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' },
    ]);
    let order = await orderOf(orderId);
    expect(order.status).toBe('AWAITING_STOCK');
    expect(order.fulfilment.lines.map((l: { reserved: string; ordered: string }) => `${l.reserved}/${l.ordered}`)).toEqual([`${free}/${Number(free) + 1.5}`, '0/4']);
    const production = `PR-${orderId}-L1-1`;
    const purchase = `PR-${orderId}-L2-1`;
    expect(order.fulfilment.requests).toEqual([production, purchase]);

    // Production sees its request, the warehouse its purchase request; each completes only its own.
    const made = (await apiAs(stack, PRODUCTION).get('/supply-requests')).body.items;
    expect(made.map((r: { requestId: string }) => r.requestId)).toEqual([production]);
    expect(made[0]).toMatchObject({ kind: 'PRODUCTION', department: 'production', quantity: '1.5', unit: 't', orderId, lineNo: 1 });
    const bought = (await warehouse().get('/supply-requests')).body.items;
    expect(bought).toEqual([expect.objectContaining({ requestId: purchase, kind: 'PURCHASE', department: 'warehouse', quantity: '4' })]);
    expect((await apiAs(stack, PRODUCTION).post(`/supply-requests/${purchase}/completion`, { quantity: '4' })).status).toBe(403);
    const notes = (await apiAs(stack, PRODUCTION).get('/notifications')).body.items.map((n: { subject: string }) => n.subject);
    expect(notes).toContain(`Production request ${production}`);

    // Production reports 1.5 t made: received into stock, the order reserves it; still short of valves.
    const done = await apiAs(stack, PRODUCTION).post(`/supply-requests/${production}/completion`, { quantity: '1.5', batch: 'B-2611-07' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', received: '1.5', completedBy: { userId: PRODUCTION } });
    expect((await apiAs(stack, PRODUCTION).post(`/supply-requests/${production}/completion`, { quantity: '1.5' })).status).toBe(409);
    await stack.stepFunctions.idle();
    order = await orderOf(orderId);
    expect(order.status).toBe('AWAITING_STOCK');
    expect(order.fulfilment.lines.map((l: { reserved: string }) => l.reserved)).toEqual([String(Number(free) + 1.5), '0']);
    // The open purchase request carries on; no second one is raised.
    expect(order.fulfilment.requests).toEqual([purchase]);

    expect((await warehouse().post(`/supply-requests/${purchase}/completion`, { quantity: '4', reference: 'supplier note FV-12' })).status).toBe(200);
    await stack.stepFunctions.idle();
    order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'GOODS_RESERVED', fulfilment: { outcome: 'RESERVED', requests: [] } });
    expect((await stockOf('VALVE-DN50')).movements[0]).toMatchObject({ kind: 'RESERVATION', quantity: '4' });
    expect((await stockOf('PLATE-Q235')).movements.map((m: { kind: string }) => m.kind).slice(0, 2)).toEqual(['RESERVATION', 'RECEIPT']);
  });

  it('R-FULFIL-2: cancelling an order that waits for stock gives back what it reserved and withdraws its requests', async () => {
    const before = await balanceOf('PLATE-Q235');
    await receiveStock(stack, 'PLATE-Q235', '1');
    const orderId = await approvedOrder([{ productCode: 'PLATE-Q235', specification: '10mm', quantity: String(Number(before.available) + 3) }]);
    expect((await orderOf(orderId)).status).toBe('AWAITING_STOCK');
    expect((await balanceOf('PLATE-Q235')).available).toBe('0');
    expect((await rep().post(`/orders/${orderId}/cancellation`, { reason: 'customer found it elsewhere' })).status).toBe(200);
    await stack.stepFunctions.idle();
    expect((await orderOf(orderId)).status).toBe('CANCELLED');
    expect(await balanceOf('PLATE-Q235')).toMatchObject({ available: String(Number(before.available) + 1), reserved: before.reserved });
    expect((await apiAs(stack, PRODUCTION).get('/supply-requests')).body.items.map((r: { orderId: string }) => r.orderId)).not.toContain(orderId);
    const executions = stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId: string }).orderId === orderId);
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('R-FULFIL-2, R-INTAKE-6: an approved cancellation of an order with goods reserved gives them back', async () => {
    await receiveStock(stack, 'VALVE-DN50', '10');
    const before = await balanceOf('VALVE-DN50');
    const orderId = await approvedOrder([{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '6' }]);
    expect((await orderOf(orderId)).status).toBe('GOODS_RESERVED');
    expect((await rep().post(`/orders/${orderId}/change-requests`, { kind: 'cancel', reason: 'project postponed' })).status).toBe(202);
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' });
    expect((await orderOf(orderId)).status).toBe('CANCELLED');
    expect(await balanceOf('VALVE-DN50')).toMatchObject({ available: before.available, reserved: before.reserved });
  });

  it('R-FULFIL-1: at its first reservation the order is assigned per product type by the admin’s rules, with a due date; without a rule the order desk assigns it', async () => {
    const rule = await apiAs(stack, 'admin').put('/assignment-rules/EAST-MADE', { productType: 'manufactured', region: 'East', department: 'warehouse', assigneeUserId: WAREHOUSE, dueInDays: 3 });
    expect(rule.status, JSON.stringify(rule.body)).toBeLessThan(300);
    await receiveStock(stack, 'PLATE-Q235', '1');
    await receiveStock(stack, 'VALVE-DN50', '1');
    const orderId = await approvedOrder([
      { productCode: 'PLATE-Q235', specification: '10mm', quantity: '1' },
      { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' },
    ]);
    const order = await orderOf(orderId);
    const due = addDays(businessDate(), 3);
    expect(order.fulfilment.assignments).toEqual([
      { productType: 'manufactured', department: 'warehouse', assigneeUserId: WAREHOUSE, dueDate: due, ruleId: 'EAST-MADE' },
      { productType: 'traded' },
    ]);
    const subjects = async (userId: string) => ((await apiAs(stack, userId).get('/notifications?limit=100')).body.items as { subject: string }[]).map((n) => n.subject);
    expect(await subjects(WAREHOUSE)).toContain(`Assigned to you: ${orderId} (manufactured goods), due ${due}`);
    expect(await subjects('chen.jie')).toContain(`No assignment rule: ${orderId} (traded goods)`);
    expect((await rep().post(`/orders/${orderId}/change-requests`, { kind: 'cancel', reason: 'set-up order' })).status).toBe(202);
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' });
  });
});
