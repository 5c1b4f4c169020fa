/**
 * Goods reservations for customers (留货, R-FULFIL-8) through the real approval ASL on the local
 * Step Functions service, over HTTP as the rep, finance, the sales manager and the general manager.
 * After every scenario the stock invariants (holds included) hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, openTaskAbout, receiveStock, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const OTHER_REP = 'li.na';
const FINANCE = 'wu.fang';
const MANAGER = 'liu.yang';
const GM = 'zhou.wei';

let stack: LocalStack;
let customerId: string;
let otherCustomerId: string;
const rep = () => apiAs(stack, REP);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack, { stock: false });
  customerId = await approvedCustomer(stack, REP, 'Held Goods Co');
  otherCustomerId = await approvedCustomer(stack, OTHER_REP, 'Other Buyer Co');
});
afterAll(async () => stack?.stop());
afterEach(async () => {
  setClock(undefined);
  await expectInvariantsHold(stack);
});

const valves = (quantity: string) => [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity }];
const valveBalance = async () => (await apiAs(stack, 'feng.lei').get('/stock/VALVE-DN50')).body.balances[0];
const reservationOf = async (id: string) => (await rep().get(`/goods-reservations/${id}`)).body;

async function requestWithDeposit(quantity: string) {
  const res = await rep().post('/goods-reservations', { customerId, lines: valves(quantity), deposit: { amount: yuan(2000), reference: 'RC-2026-0042' }, reason: 'contract signing next week' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.reservationId as string;
}

describe('goods reservations for customers (R-FULFIL-8)', () => {
  it('R-FULFIL-8: with a deposit, finance confirms it and the goods are held for 3 days; available stock goes down by the held quantity', async () => {
    await receiveStock(stack, 'VALVE-DN50', '100');
    setClock(new Date('2026-11-10T02:00:00Z'));
    const id = await requestWithDeposit('30');
    expect((await reservationOf(id)).status).toBe('PENDING_APPROVAL');
    expect((await valveBalance()).available).toBe('100');

    const { task, res } = await decideTaskAbout(stack, FINANCE, id, { outcome: 'APPROVED', comment: 'deposit received on the bank statement' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(task.type).toBe('GOODS_RESERVATION_APPROVAL');
    expect(task.details.deposit).toEqual({ amount: yuan(2000), reference: 'RC-2026-0042' });
    const held = await reservationOf(id);
    expect(held).toMatchObject({ status: 'HELD', approvers: ['finance'], lines: [{ quantity: '30', held: '30', taken: '0' }] });
    expect(held.decisions).toEqual([expect.objectContaining({ outcome: 'APPROVED', decidedBy: expect.objectContaining({ userId: FINANCE }) })]);
    // Three days from the moment they were held.
    expect(new Date(held.expiresAt).getTime() - new Date(held.heldAt).getTime()).toBe(3 * 24 * 3600 * 1000);
    expect(await valveBalance()).toMatchObject({ onHand: '100', reserved: '30', available: '70' });

    const released = await rep().post(`/goods-reservations/${id}/release`, { reason: 'customer bought elsewhere' });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ status: 'RELEASED', endReason: 'customer bought elsewhere' });
    expect(await valveBalance()).toMatchObject({ reserved: '0', available: '100' });
  });

  it('R-FULFIL-8: a reservation held near month end expires at the end of the month, not 3 days later', async () => {
    // 29 November 10:00 in Shanghai: 3 days would be 2 December.
    setClock(new Date('2026-11-29T02:00:00Z'));
    const id = await requestWithDeposit('5');
    await decideTaskAbout(stack, FINANCE, id, { outcome: 'APPROVED' });
    const held = await reservationOf(id);
    expect(held.status).toBe('HELD');
    expect(held.expiresAt).toBe('2026-11-30T16:00:00.000Z');
    expect(held.expiresOn).toBe('2026-11-30');
    await rep().post(`/goods-reservations/${id}/release`, { reason: 'test done' });
  });

  it('R-FULFIL-8: without a deposit the rep’s guarantee needs the sales manager and then the general manager; a refusal by either holds nothing', async () => {
    const ask = (guarantee: string) => rep().post('/goods-reservations', { customerId, lines: valves('10'), guarantee });
    const approvedRes = await ask('long-standing customer, order confirmed by phone');
    expect(approvedRes.status, JSON.stringify(approvedRes.body)).toBe(202);
    const id = approvedRes.body.reservationId as string;
    expect(approvedRes.body).toMatchObject({ approvers: ['sales_manager', 'general_manager'], guarantee: { by: { userId: REP }, statement: 'long-standing customer, order confirmed by phone' } });
    // The GM sees nothing before the sales manager decided.
    expect(await openTaskAbout(stack, GM, id)).toBeUndefined();
    expect((await decideTaskAbout(stack, MANAGER, id, { outcome: 'APPROVED', comment: 'fine by me' })).res.status).toBe(200);
    expect((await reservationOf(id)).status).toBe('PENDING_APPROVAL');
    const gmTask = await openTaskAbout(stack, GM, id);
    expect(gmTask.details.earlierDecision).toContain('fine by me');
    expect((await decideTaskAbout(stack, GM, id, { outcome: 'APPROVED' })).res.status).toBe(200);
    expect(await reservationOf(id)).toMatchObject({ status: 'HELD', decisions: [{ outcome: 'APPROVED' }, { outcome: 'APPROVED' }] });

    const refusedRes = await ask('trust me');
    const refusedId = refusedRes.body.reservationId as string;
    const before = await valveBalance();
    expect((await decideTaskAbout(stack, MANAGER, refusedId, { outcome: 'REJECTED', comment: 'no deposit, no hold this close to month end' })).res.status).toBe(200);
    expect(await openTaskAbout(stack, GM, refusedId)).toBeUndefined();
    const refused = await reservationOf(refusedId);
    expect(refused).toMatchObject({ status: 'REFUSED' });
    expect(refused.endReason).toContain('no deposit, no hold this close to month end');
    expect(await valveBalance()).toEqual(before);
    const told = await apiAs(stack, REP).get('/notifications?limit=50');
    expect(told.body.items.map((n: { subject: string }) => n.subject)).toContain(`Goods reservation refused: ${refusedId}`);
    await rep().post(`/goods-reservations/${id}/release`, { reason: 'test done' });
  });

  it('R-FULFIL-8: only the customer’s own rep can guarantee; a clerk must bring a deposit; another rep cannot ask for the customer', async () => {
    const body = { customerId, lines: valves('1'), guarantee: 'I vouch' };
    const snapshot = await snapshotTables(stack);
    expect((await apiAs(stack, 'zhao.min').post('/goods-reservations', body)).status).toBe(403);
    expect((await apiAs(stack, OTHER_REP).post('/goods-reservations', body)).status).toBe(403);
    expect((await apiAs(stack, 'feng.lei').post('/goods-reservations', body)).status).toBe(403);
    expect(await snapshotTables(stack)).toEqual(snapshot);
    const byClerk = await apiAs(stack, 'zhao.min').post('/goods-reservations', { customerId, lines: valves('1'), deposit: { amount: yuan(100), reference: 'RC-1' } });
    expect(byClerk.status, JSON.stringify(byClerk.body)).toBe(202);
    await apiAs(stack, 'zhao.min').post(`/goods-reservations/${byClerk.body.reservationId}/release`, { reason: 'withdrawn' });
  });

  it('R-FULFIL-8: bad input is a 400 naming every bad field, and nothing is written', async () => {
    const snapshot = await snapshotTables(stack);
    const none = await rep().post('/goods-reservations', { customerId, lines: valves('1') });
    expect(none.status).toBe(400);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.body.errors.map((e: { field: string }) => e.field)).toContain('body.deposit');
    const bad = await rep().post('/goods-reservations', {
      customerId,
      lines: [
        { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1.5' },
        { productCode: 'PLATE-Q235', specification: '99mm', quantity: '1' },
        { productCode: 'NOPE-1', quantity: '1' },
      ],
      deposit: { amount: { amountMinor: 100, currency: 'USD' }, reference: 'RC-9' },
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.deposit.amount.currency', 'body.lines.0.quantity', 'body.lines.1.specification', 'body.lines.2.productCode']);
    expect(await snapshotTables(stack)).toEqual(snapshot);
  });

  it('R-FULFIL-8: the customer’s order takes the held goods first; another customer’s order cannot have them', async () => {
    const start = await valveBalance();
    // Everything available gets held for the customer.
    const id = await requestWithDeposit(start.available);
    await decideTaskAbout(stack, FINANCE, id, { outcome: 'APPROVED' });
    expect((await valveBalance()).available).toBe('0');

    const other = await apiAs(stack, OTHER_REP).post('/orders', completeOrder(otherCustomerId, { lines: valves('4') }));
    await apiAs(stack, OTHER_REP).post(`/orders/${other.body.orderId}/submission`);
    await decideTaskAbout(stack, 'chen.jie', other.body.orderId, { outcome: 'APPROVED' });
    expect((await apiAs(stack, OTHER_REP).get(`/orders/${other.body.orderId}`)).body.status).toBe('AWAITING_STOCK');

    const mine = await rep().post('/orders', completeOrder(customerId, { lines: valves('6') }));
    await rep().post(`/orders/${mine.body.orderId}/submission`);
    await decideTaskAbout(stack, 'chen.jie', mine.body.orderId, { outcome: 'APPROVED' });
    const order = (await rep().get(`/orders/${mine.body.orderId}`)).body;
    expect(order.status).toBe('GOODS_RESERVED');
    expect(order.fulfilment.lines[0]).toMatchObject({ ordered: '6', reserved: '6' });
    const reservation = await reservationOf(id);
    expect(reservation.lines[0]).toMatchObject({ held: String(Number(start.available) - 6), taken: '6' });
    // The balance did not move: the goods stayed reserved, now for the order.
    expect(await valveBalance()).toMatchObject({ reserved: start.available, available: '0' });
    const history = await rep().get(`/goods-reservations/${id}/history?limit=50`);
    expect(history.body.items.map((e: { action: string }) => e.action)).toContain(`6 pcs VALVE-DN50 taken by order ${mine.body.orderId}`);

    // The rest is released at expiry by the schedule; the other customer's order then can have it.
    setClock(new Date(new Date(reservation.expiresAt).getTime() + 60_000));
    const run = await stack.runJob('goods-reservations-due', {});
    expect(run).toMatchObject({ released: 1, failed: 0 });
    const expired = await reservationOf(id);
    expect(expired).toMatchObject({ status: 'EXPIRED' });
    expect(await valveBalance()).toMatchObject({ reserved: '6', available: String(Number(start.available) - 6) });
    const told = await rep().get('/notifications?limit=50');
    expect(told.body.items.filter((n: { subject: string }) => n.subject === `Goods reservation expired: ${id}`)).toHaveLength(1);
    // A second run the same day changes nothing and tells nobody twice.
    expect(await stack.runJob('goods-reservations-due', {})).toMatchObject({ released: 0 });
    expect((await rep().get('/notifications?limit=50')).body.items.filter((n: { subject: string }) => n.subject === `Goods reservation expired: ${id}`)).toHaveLength(1);
    await apiAs(stack, OTHER_REP).post(`/orders/${other.body.orderId}/cancellation`, { reason: 'test done' });
    await rep().post(`/orders/${mine.body.orderId}/cancellation`, { reason: 'test done' });
  });

  it('R-FULFIL-8: approved when the goods are gone is refused with what is available; a request withdrawn while waiting leaves the approver’s queue', async () => {
    const available = Number((await valveBalance()).available);
    const id = await requestWithDeposit(String(available + 5));
    expect((await decideTaskAbout(stack, FINANCE, id, { outcome: 'APPROVED' })).res.status).toBe(200);
    const refused = await reservationOf(id);
    expect(refused.status).toBe('REFUSED');
    expect(refused.endReason).toContain(`${available} of ${available + 5} pcs available`);

    const waiting = await requestWithDeposit('1');
    expect(await openTaskAbout(stack, FINANCE, waiting)).toBeDefined();
    const withdrawn = await rep().post(`/goods-reservations/${waiting}/release`, { reason: 'customer changed their mind' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.status).toBe('CANCELLED');
    expect(await openTaskAbout(stack, FINANCE, waiting)).toBeUndefined();
    expect((await rep().post(`/goods-reservations/${waiting}/release`, { reason: 'again' })).status).toBe(409);
    const list = await rep().get(`/goods-reservations?customerId=${customerId}&limit=50`);
    expect(list.body.items.map((r: { reservationId: string; status: string }) => `${r.reservationId} ${r.status}`)).toContain(`${waiting} CANCELLED`);
    expect((await apiAs(stack, OTHER_REP).get(`/goods-reservations?customerId=${customerId}`)).status).toBe(403);
  });
});
