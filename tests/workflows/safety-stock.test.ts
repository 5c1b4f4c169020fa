/**
 * Safety stock (R-FULFIL-9) over HTTP as the people who work with it, with the approval machine
 * (state-machines/approval.asl.json as safetyStockApproval) on the local Step Functions service:
 * the suggestion from goods issued against delivery notes, the clerk's proposal, the sales
 * manager's decision, and the replenishment alert when available stock falls under it. After every
 * scenario the stock and credit invariants hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/shared/clock.js';
import { later } from '../support/time.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, openTaskAbout, receiveStock, seedCatalogueAndPrices } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const CLERK = 'zhao.min';
const MANAGER = 'liu.yang';
const FINANCE = 'wu.fang';
const WAREHOUSE = 'feng.lei';
const PRODUCTION = 'xu.gang';
const DAY = 24 * 60 * 60 * 1000;

let stack: LocalStack;
let customerId: string;
const as = (userId: string) => apiAs(stack, userId);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack, { stock: false });
  customerId = await approvedCustomer(stack, REP, 'Safety Stock Co');
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});
afterEach(async () => {
  setClock(undefined);
  await expectInvariantsHold(stack);
});

async function ok<T = any>(res: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  await stack.stepFunctions.idle();
  return r.body;
}

/** Drafted, submitted and approved by the order desk; credit and stock have run when this returns. */
async function approvedOrder(overrides: Record<string, unknown>): Promise<string> {
  const created = await ok(as(REP).post('/orders', completeOrder(customerId, overrides)), 201);
  await ok(as(REP).post(`/orders/${created.orderId}/submission`), 202);
  expect((await decideTaskAbout(stack, 'chen.jie', created.orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
  return created.orderId;
}

const safetyOf = async (productCode: string) => ok(as(CLERK).get(`/stock/${productCode}/safety-stock`));
const placeOf = async (productCode: string, specification: string) => (await safetyOf(productCode)).places.find((p: { specification: string; warehouseId: string }) => p.specification === specification && p.warehouseId === 'MAIN');
const balanceOf = async (productCode: string, specification: string) =>
  (await ok(as(WAREHOUSE).get(`/stock/${productCode}`))).balances.find((b: { specification: string }) => b.specification === specification);
const propose = (body: Record<string, unknown>, productCode = 'PLATE-Q235', userId = CLERK, headers: Record<string, string> = {}) =>
  as(userId).post(`/stock/${productCode}/safety-stock`, body, headers);
/** The replenishment alerts `userId` sees (own and role addresses) about one balance. */
const alertsFor = async (userId: string, what: string) =>
  ((await ok(as(userId).get('/notifications?limit=100'))).items as { topic: string; subject: string }[]).filter((n) => n.topic === 'safety-stock' && n.subject === `Below safety stock: ${what}`);

describe('safety stock', () => {
  it('R-FULFIL-9: the suggestion comes from goods issued against delivery notes in the last 90 days: the average per day × 14 days, rounded up to the product’s precision', async () => {
    await receiveStock(stack, 'PLATE-Q235', '20', 'opening stock', '10mm');
    // 10 t picked up and signed for: an ISSUE movement against the delivery note.
    const orderId = await approvedOrder({ lines: [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '10' }], delivery: { mode: 'pickup' }, paymentMethod: 'cash_on_pickup' });
    const note = await ok(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 201);
    // Paid at the gate: 10 t × 4,000.00 + 13% VAT.
    const paid = await ok(as(FINANCE).post('/payments', { customerId: (await ok(as(REP).get(`/orders/${orderId}`))).customerId, orderId, method: 'CASH', amount: { amountMinor: 4_520_000, currency: 'CNY' }, receivedOn: note.issuedOn }), 201);
    await ok(as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'PAID', reference: paid.receiptNumber }));
    await ok(as(WAREHOUSE).post(`/delivery-notes/${note.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: 'B-2611-21', weightKg: '10000' }] }));
    await ok(as(WAREHOUSE).post(`/delivery-notes/${note.deliveryNoteId}/proof-of-delivery`, { signer: '李建国 Li Jianguo', signedAt: '2026-11-22T08:30:00Z', lines: [{ lineNo: 1, received: '10' }] }));
    expect((await ok(as(REP).get(`/orders/${orderId}`))).status).toBe('DELIVERED');

    const safety = await safetyOf('PLATE-Q235');
    expect(safety).toMatchObject({ productCode: 'PLATE-Q235', unit: 't' });
    // Every specification in the company warehouse, stocked (10mm) or not yet (12mm).
    expect(safety.places.map((p: { warehouseId: string; specification: string }) => `${p.warehouseId} ${p.specification}`)).toEqual(['MAIN 10mm', 'MAIN 12mm']);
    const [tenMm, twelveMm] = safety.places;
    // 10 t in 90 days is 0.111111 t a day; 14 days of it is 1.5555… t, rounded up to 1.556 t.
    expect(tenMm).toMatchObject({ available: '10', belowSafetyStock: false, history: [], suggestion: { issued: '10', days: 90, averagePerDay: '0.111111', coverDays: 14, quantity: '1.556' } });
    expect(tenMm.safetyStock).toBeUndefined();
    expect(tenMm.pending).toBeUndefined();
    expect(Date.parse(tenMm.suggestion.to) - Date.parse(tenMm.suggestion.from)).toBe(90 * DAY);
    expect(twelveMm).toMatchObject({ available: '0', suggestion: { issued: '0', quantity: '0' } });
    // The reservation and the receipt are no sales; the issue is.
    const kinds = (await ok(as(WAREHOUSE).get('/stock/PLATE-Q235'))).movements.map((m: { kind: string }) => m.kind);
    expect(kinds).toEqual(['ISSUE', 'RESERVATION', 'RECEIPT']);

    // Every stock reader may look; others may not.
    expect((await as(REP).get('/stock/PLATE-Q235/safety-stock')).status).toBe(200);
    expect((await as('liu.yang').get('/stock/PLATE-Q235/safety-stock')).status).toBe(200);
    expect((await as('ma.lin').get('/stock/PLATE-Q235/safety-stock')).status).not.toBe(200);

    // 91 days later the issue is out of the window: nothing sold, nothing suggested.
    later(91 * DAY);
    expect((await placeOf('PLATE-Q235', '10mm')).suggestion).toMatchObject({ issued: '0', averagePerDay: '0', quantity: '0' });
  });

  it('R-FULFIL-9: the clerk proposes, the sales manager approves in the task queue: the balance shows the safety stock, the clerk is told, the product’s history keeps it', async () => {
    const key = { 'idempotency-key': 'safety-stock-plate-10mm-1' };
    const body = { specification: '10mm', quantity: '5', basis: 'two weeks of sales, and a big project coming' };
    const proposed = await ok(propose(body, 'PLATE-Q235', CLERK, key), 202);
    expect(proposed).toMatchObject({
      proposalId: expect.stringMatching(/^SS-\d{6}$/),
      productCode: 'PLATE-Q235',
      warehouseId: 'MAIN',
      specification: '10mm',
      quantity: '5',
      unit: 't',
      basis: body.basis,
      status: 'PENDING_APPROVAL',
      proposedBy: { userId: CLERK },
      suggestion: { issued: '10', quantity: '1.556' },
    });
    // A retry with the same key answers the same proposal; a second proposal for the balance waits its turn.
    const replay = await propose(body, 'PLATE-Q235', CLERK, key);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.proposalId).toBe(proposed.proposalId);
    const second = await propose({ specification: '10mm', quantity: '6' });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body.detail).toContain(proposed.proposalId);
    expect((await placeOf('PLATE-Q235', '10mm')).pending).toMatchObject({ proposalId: proposed.proposalId, quantity: '5' });

    // Only the sales manager is asked.
    const task = await openTaskAbout(stack, MANAGER, 'PLATE-Q235');
    expect(task).toMatchObject({ type: 'SAFETY_STOCK_APPROVAL', assigneeRole: 'sales_manager', subject: { kind: 'product', id: 'PLATE-Q235' } });
    expect(task.details).toMatchObject({ proposalId: proposed.proposalId, proposed: '5 t', current: null, available: '10 t', suggestion: { quantity: '1.556' } });
    expect(await openTaskAbout(stack, 'zhou.wei', 'PLATE-Q235')).toBeUndefined();
    expect((await decideTaskAbout(stack, MANAGER, 'PLATE-Q235', { outcome: 'APPROVED', comment: 'agreed for the project' })).res.status).toBe(200);

    expect(await balanceOf('PLATE-Q235', '10mm')).toMatchObject({ available: '10', safetyStock: '5', belowSafetyStock: false });
    const list = (await ok(as(WAREHOUSE).get('/stock?limit=100'))).items.find((b: { productCode: string; specification: string }) => b.productCode === 'PLATE-Q235' && b.specification === '10mm');
    expect(list).toMatchObject({ safetyStock: '5', belowSafetyStock: false });
    const place = await placeOf('PLATE-Q235', '10mm');
    expect(place).toMatchObject({ safetyStock: '5', approvedBy: { userId: MANAGER }, belowSafetyStock: false });
    expect(place.pending).toBeUndefined();
    expect(place.history).toEqual([expect.objectContaining({ proposalId: proposed.proposalId, status: 'APPROVED', decidedBy: expect.objectContaining({ userId: MANAGER }) })]);
    const told = (await ok(as(CLERK).get('/notifications?limit=100'))).items.map((n: { subject: string }) => n.subject);
    expect(told).toContain('Safety stock approved: PLATE-Q235 10mm in MAIN');
    const history = (await ok(as(MANAGER).get('/products/PLATE-Q235/history?limit=100'))).items.map((e: { action: string }) => e.action);
    expect(history).toEqual(
      expect.arrayContaining([
        `safety stock 5 t proposed for PLATE-Q235 10mm in MAIN (${proposed.proposalId}), for the sales manager's approval`,
        expect.stringMatching(new RegExp(`^safety stock for PLATE-Q235 10mm in MAIN set to 5 t \\(${proposed.proposalId}\\): approved by `)),
      ]),
    );
    // 10 t available is above 5 t: no alert.
    expect(await alertsFor(WAREHOUSE, 'PLATE-Q235 10mm in MAIN')).toEqual([]);
  });

  it('R-FULFIL-9: stock falling under the safety stock raises exactly one alert (warehouse, sales clerks, production for made goods); a second fall while under raises none; receipts back above clear it, and the next fall alerts again', async () => {
    const what = 'PLATE-Q235 10mm in MAIN';
    // An order reserves 6 t of the 10 t: 4 t available, under 5 t.
    const orderId = await approvedOrder({ lines: [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '6' }] });
    expect((await ok(as(REP).get(`/orders/${orderId}`))).status).toBe('GOODS_RESERVED');
    const flagged = await balanceOf('PLATE-Q235', '10mm');
    expect(flagged).toMatchObject({ available: '4', safetyStock: '5', belowSafetyStock: true });
    expect(Date.parse(flagged.belowSafetySince)).not.toBeNaN();
    for (const userId of [WAREHOUSE, CLERK, PRODUCTION]) expect(await alertsFor(userId, what), userId).toHaveLength(1);
    const [alert] = await alertsFor(WAREHOUSE, what);
    expect(alert).toMatchObject({ recipient: 'role:warehouse', link: '/stock/PLATE-Q235/safety-stock' });
    expect((alert as unknown as { body: string }).body).toContain('4 t available, under its safety stock of 5 t');
    // Traded goods' buyers are the warehouse: production hears of made goods only, the rep of none.
    expect(await alertsFor(REP, what)).toEqual([]);

    // A counted loss while still under: no second alert.
    await ok(as(WAREHOUSE).post('/stock/adjustments', { productCode: 'PLATE-Q235', specification: '10mm', quantity: '-1', reason: 'one plate scrapped' }), 201);
    expect(await balanceOf('PLATE-Q235', '10mm')).toMatchObject({ available: '3', belowSafetyStock: true, belowSafetySince: flagged.belowSafetySince });
    for (const userId of [WAREHOUSE, CLERK, PRODUCTION]) expect(await alertsFor(userId, what), userId).toHaveLength(1);

    // A receipt lifts it to 5 t, at the safety stock: the flag goes, nobody is alerted.
    await receiveStock(stack, 'PLATE-Q235', '2', 'production batch 2611-30', '10mm');
    const back = await balanceOf('PLATE-Q235', '10mm');
    expect(back).toMatchObject({ available: '5', belowSafetyStock: false });
    expect(back.belowSafetySince).toBeUndefined();
    expect(await alertsFor(WAREHOUSE, what)).toHaveLength(1);

    // Under again later: a new crossing, a new alert.
    await ok(as(WAREHOUSE).post('/stock/adjustments', { productCode: 'PLATE-Q235', specification: '10mm', quantity: '-0.5', reason: 'counted short' }), 201);
    expect(await balanceOf('PLATE-Q235', '10mm')).toMatchObject({ available: '4.5', belowSafetyStock: true });
    for (const userId of [WAREHOUSE, CLERK, PRODUCTION]) expect(await alertsFor(userId, what), userId).toHaveLength(2);
    // The order's cancellation gives 6 t back: above again, flag cleared.
    await ok(as(REP).post(`/orders/${orderId}/change-requests`, { kind: 'cancel', reason: 'customer postponed the project' }), 202);
    expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
    expect((await ok(as(REP).get(`/orders/${orderId}`))).status).toBe('CANCELLED');
    expect(await balanceOf('PLATE-Q235', '10mm')).toMatchObject({ available: '10.5', belowSafetyStock: false });
  });

  it('R-FULFIL-9: a refusal leaves the safety stock as it was and tells the clerk why; a proposal nobody decides in 3 days expires', async () => {
    const refused = await ok(propose({ specification: '10mm', quantity: '8' }), 202);
    expect(refused.previousSafetyStock).toBe('5');
    expect((await decideTaskAbout(stack, MANAGER, 'PLATE-Q235', { outcome: 'REJECTED', comment: 'too high for the winter months' })).res.status).toBe(200);
    const place = await placeOf('PLATE-Q235', '10mm');
    expect(place).toMatchObject({ safetyStock: '5', belowSafetyStock: false });
    expect(place.pending).toBeUndefined();
    expect(place.history[0]).toMatchObject({ proposalId: refused.proposalId, status: 'REJECTED', quantity: '8', reason: expect.stringContaining('too high for the winter months') });
    expect(await balanceOf('PLATE-Q235', '10mm')).toMatchObject({ safetyStock: '5' });
    const told = (await ok(as(CLERK).get('/notifications?limit=100'))).items as { subject: string; body: string }[];
    expect(told.find((n) => n.subject === 'Safety stock refused: PLATE-Q235 10mm in MAIN')?.body).toContain('too high for the winter months');

    // Undecided: after 3 days the proposal ends, the safety stock stays, the balance takes a new proposal.
    const undecided = await ok(propose({ specification: '10mm', quantity: '7' }), 202);
    expect(await openTaskAbout(stack, MANAGER, 'PLATE-Q235')).toBeDefined();
    await stack.stepFunctions.expireDue(new Date(Date.now() + 3 * DAY + 60_000));
    await stack.stepFunctions.idle();
    const later = await placeOf('PLATE-Q235', '10mm');
    expect(later.history[0]).toMatchObject({ proposalId: undecided.proposalId, status: 'EXPIRED', reason: expect.stringContaining('not decided in time') });
    expect(later).toMatchObject({ safetyStock: '5' });
    expect(later.pending).toBeUndefined();
    expect((await ok(as(CLERK).get('/notifications?limit=100'))).items.map((n: { subject: string }) => n.subject)).toContain('Safety stock not decided: PLATE-Q235 10mm in MAIN');
  });

  it('R-FULFIL-9: an approved safety stock over what is available alerts at once; for traded goods the warehouse (their buyer) and the clerks hear of it, not production', async () => {
    const what = 'VALVE-DN50 PN16 in MAIN';
    // Never stocked: the proposal is for an empty balance.
    await ok(propose({ specification: 'PN16', quantity: '3', basis: 'spares for key customers' }, 'VALVE-DN50'), 202);
    expect((await decideTaskAbout(stack, MANAGER, 'VALVE-DN50', { outcome: 'APPROVED' })).res.status).toBe(200);
    expect(await balanceOf('VALVE-DN50', 'PN16')).toMatchObject({ onHand: '0', available: '0', safetyStock: '3', belowSafetyStock: true });
    expect(await alertsFor(WAREHOUSE, what)).toHaveLength(1);
    expect(await alertsFor(CLERK, what)).toHaveLength(1);
    expect(await alertsFor(PRODUCTION, what)).toEqual([]);
    await receiveStock(stack, 'VALVE-DN50', '3', 'supplier note FV-31', 'PN16');
    expect(await balanceOf('VALVE-DN50', 'PN16')).toMatchObject({ available: '3', belowSafetyStock: false });
    // A safety stock of 0, approved, removes it.
    await ok(propose({ specification: 'PN16', quantity: '0', basis: 'the key customers buy elsewhere now' }, 'VALVE-DN50'), 202);
    expect((await decideTaskAbout(stack, MANAGER, 'VALVE-DN50', { outcome: 'APPROVED' })).res.status).toBe(200);
    const removed = await balanceOf('VALVE-DN50', 'PN16');
    expect(removed).toMatchObject({ available: '3', belowSafetyStock: false });
    expect(removed.safetyStock).toBeUndefined();
    expect((await placeOf('VALVE-DN50', 'PN16')).history.map((p: { quantity: string; status: string }) => `${p.quantity} ${p.status}`)).toEqual(['0 APPROVED', '3 APPROVED']);
  });

  it('R-FULFIL-9: only the sales clerk proposes (403 for a rep or the manager); bad input is a 400 problem naming every field; neither writes anything', async () => {
    const before = await snapshotTables(stack);
    expect((await propose({ specification: '10mm', quantity: '1' }, 'PLATE-Q235', REP)).status).toBe(403);
    expect((await propose({ specification: '10mm', quantity: '1' }, 'PLATE-Q235', MANAGER)).status).toBe(403);

    const bad = await propose({ warehouseId: 'main store', quantity: '-1', basis: '', surprise: true });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body).toMatchObject({ type: '/problems/validation', status: 400 });
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.basis', 'body.quantity', 'body.surprise', 'body.warehouseId']);
    // Against the catalogue: plates in 3 decimal places, in 10mm or 12mm only; valves in whole pieces.
    const catalogue = await propose({ specification: '16mm', quantity: '1.2345' });
    expect(catalogue.status).toBe(400);
    expect(catalogue.body.errors).toEqual([
      expect.objectContaining({ field: 'body.quantity', code: 'quantity_precision' }),
      expect.objectContaining({ field: 'body.specification', message: 'one of 10mm, 12mm' }),
    ]);
    expect((await propose({ quantity: '1' })).body.errors).toEqual([expect.objectContaining({ field: 'body.specification', code: 'specification' })]);
    expect((await propose({ specification: 'PN16', quantity: '0.5' }, 'VALVE-DN50')).body.errors).toEqual([expect.objectContaining({ field: 'body.quantity', code: 'quantity_precision' })]);
    expect((await propose({ specification: '10mm', quantity: '1' }, 'plate-q235')).body.errors).toEqual([expect.objectContaining({ field: 'params.productCode' })]);
    expect((await propose({ specification: '10mm', quantity: '1' }, 'NO-SUCH-PRODUCT')).status).toBe(404);
    expect((await as(CLERK).get('/stock/NO-SUCH-PRODUCT/safety-stock')).status).toBe(404);
    await stack.stepFunctions.idle();
    expect(await snapshotTables(stack)).toEqual(before);
  });
});
