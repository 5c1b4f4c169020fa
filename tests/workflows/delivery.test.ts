/**
 * From goods reserved to goods signed for (R-FULFIL-2..7): delivery notes, finance sign-off, goods
 * issue, transport and proof of delivery, over HTTP as the people who do each step, with the order's
 * state machine (the real ASL) waiting for its delivery. After every scenario the stock and credit
 * invariants hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/shared/clock.js';
import { later } from '../support/time.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, receiveStock, seedCatalogueAndPrices } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const CLERK = 'zhao.min';
const FINANCE = 'wu.fang';
const WAREHOUSE = 'feng.lei';
const LOGISTICS = 'he.jun';
const PRODUCTION = 'xu.gang';
const DAY = 24 * 60 * 60 * 1000;

let stack: LocalStack;
let customerId: string;
let carrierId: string;
let unqualifiedCarrierId: string;
const as = (userId: string) => apiAs(stack, userId);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack, { stock: false });
  customerId = await approvedCustomer(stack, REP, 'Delivery Co');
  const carrier = (qualified: boolean) => ({
    name: qualified ? 'Donghai Freight' : 'Unvetted Trucking',
    contact: { name: 'Dispatcher', phone: '+86 21 5555 0100' },
    vehicleTypes: ['flatbed 13 m'],
    ...(qualified ? { qualification: { qualified: true, qualifiedUntil: '2099-12-31', reason: 'licence, insurance and safety audit checked' } } : {}),
  });
  const created = await as(LOGISTICS).post('/carriers', carrier(true));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  carrierId = created.body.carrierId;
  unqualifiedCarrierId = (await as(LOGISTICS).post('/carriers', carrier(false))).body.carrierId;
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});
afterEach(async () => {
  setClock(undefined);
  await expectInvariantsHold(stack);
});

const orderOf = async (orderId: string) => (await as(REP).get(`/orders/${orderId}`)).body;
const lineState = (order: { fulfilment: { lines: { ordered: string; reserved: string; shipped: string; delivered: string; remaining: string }[] } }) =>
  order.fulfilment.lines.map((l) => `${l.ordered} ordered, ${l.reserved} reserved, ${l.shipped} shipped, ${l.delivered} delivered, ${l.remaining} remaining`);

/** Drafted, submitted and approved by the order desk; credit and stock have run when this returns. */
async function approvedOrder(overrides: Record<string, unknown>): Promise<string> {
  const created = await as(REP).post('/orders', completeOrder(customerId, overrides));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const orderId = created.body.orderId as string;
  expect((await as(REP).post(`/orders/${orderId}/submission`)).status).toBe(202);
  expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
  return orderId;
}

async function step(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  await stack.stepFunctions.idle();
  return r.body;
}

describe('delivery', () => {
  it('R-FULFIL-2, R-FULFIL-3, R-FULFIL-4, R-FULFIL-5, R-FULFIL-6, R-FULFIL-7: an order short of stock waits for production, ships in two partial deliveries, both signed for, and ends DELIVERED', async () => {
    await receiveStock(stack, 'PLATE-Q235', '3');
    await receiveStock(stack, 'VALVE-DN50', '10');
    const orderId = await approvedOrder({
      lines: [
        { productCode: 'PLATE-Q235', specification: '10mm', quantity: '5' },
        { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' },
      ],
    });
    expect((await orderOf(orderId)).status).toBe('AWAITING_STOCK');
    await step(as(PRODUCTION).post(`/supply-requests/PR-${orderId}-L1-1/completion`, { quantity: '2', batch: 'B-2611-11' }));
    let order = await orderOf(orderId);
    expect(order.status).toBe('GOODS_RESERVED');

    // First delivery: what the customer needs now.
    const first = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, { lines: [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '4' }] }), 201);
    expect(first).toMatchObject({ status: 'ISSUED', orderId, customerName: 'Delivery Co', mode: 'delivery', lines: [{ lineNo: 1, quantity: '3', unit: 't' }, { lineNo: 2, quantity: '4' }] });
    // The warehouse cannot issue before finance signs it off (R-FULFIL-4).
    expect((await as(WAREHOUSE).post(`/delivery-notes/${first.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: 'B1', weightKg: '3000' }, { lineNo: 2, batch: 'V1', weightKg: '50' }] })).status).toBe(409);
    await step(as(FINANCE).post(`/delivery-notes/${first.deliveryNoteId}/sign-off`, { basis: 'CREDIT' }));
    const issued = await step(
      as(WAREHOUSE).post(`/delivery-notes/${first.deliveryNoteId}/goods-issue`, {
        lines: [
          { lineNo: 1, batch: 'B-2611-01', weightKg: '3012.5' },
          { lineNo: 2, batch: 'V-0031', weightKg: '50' },
        ],
        vehicle: '沪A·12345',
      }),
    );
    expect(issued.lines.map((l: { batch: string; weightKg: string }) => `${l.batch} ${l.weightKg}`)).toEqual(['B-2611-01 3012.5', 'V-0031 50']);
    order = await orderOf(orderId);
    expect(order.status).toBe('PARTIALLY_SHIPPED');
    expect(lineState(order)).toEqual(['5 ordered, 2 reserved, 3 shipped, 0 delivered, 2 remaining', '4 ordered, 0 reserved, 4 shipped, 0 delivered, 0 remaining']);
    // Only a qualified carrier (R-FULFIL-6).
    const refused = await as(LOGISTICS).post(`/delivery-notes/${first.deliveryNoteId}/dispatch`, { carrierId: unqualifiedCarrierId, trackingNumber: 'T-1' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.carrierId', code: 'carrier_not_qualified' })]);
    await step(as(LOGISTICS).post(`/delivery-notes/${first.deliveryNoteId}/dispatch`, { carrierId, trackingNumber: 'DH-778201' }));
    await step(as(LOGISTICS).post(`/delivery-notes/${first.deliveryNoteId}/proof-of-delivery`, { signer: '张伟 Zhang Wei', signedAt: '2026-11-22T08:00:00Z', lines: [{ lineNo: 1, received: '3' }, { lineNo: 2, received: '4' }] }));
    expect((await orderOf(orderId)).status).toBe('PARTIALLY_SHIPPED');

    // Second delivery: the rest (the default), delayed on the way, one tenth of a tonne short on arrival.
    const second = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 201);
    expect(second.lines).toEqual([expect.objectContaining({ lineNo: 1, quantity: '2' })]);
    await step(as(FINANCE).post(`/delivery-notes/${second.deliveryNoteId}/sign-off`, { basis: 'CREDIT' }));
    await step(as(WAREHOUSE).post(`/delivery-notes/${second.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: 'B-2611-11', weightKg: '2004' }] }));
    expect((await orderOf(orderId)).status).toBe('SHIPPED');
    await step(as(LOGISTICS).post(`/delivery-notes/${second.deliveryNoteId}/dispatch`, { carrierId, trackingNumber: 'DH-778350' }));
    const delayed = await step(as(LOGISTICS).post(`/delivery-notes/${second.deliveryNoteId}/events`, { kind: 'DELAYED', note: 'road closed near Kunshan; arrives tomorrow' }));
    expect(delayed.events).toEqual([expect.objectContaining({ kind: 'DELAYED', by: expect.objectContaining({ userId: LOGISTICS }) })]);
    const short = await as(LOGISTICS).post(`/delivery-notes/${second.deliveryNoteId}/proof-of-delivery`, { signer: '张伟', signedAt: '2026-11-23T09:00:00Z', lines: [{ lineNo: 1, received: '1.9' }] });
    expect(short.status).toBe(400);
    expect(short.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.problems']);
    const signed = await step(
      as(LOGISTICS).post(`/delivery-notes/${second.deliveryNoteId}/proof-of-delivery`, {
        signer: '张伟 Zhang Wei',
        signedAt: '2026-11-23T09:00:00Z',
        lines: [{ lineNo: 1, received: '1.9' }],
        problems: 'one plate bent in transit, refused by the customer',
      }),
    );
    expect(signed).toMatchObject({ status: 'DELIVERED', lines: [expect.objectContaining({ received: '1.9' })], proofOfDelivery: { problems: expect.stringContaining('bent') } });

    order = await orderOf(orderId);
    expect(order.status).toBe('DELIVERED');
    expect(lineState(order)).toEqual(['5 ordered, 0 reserved, 5 shipped, 4.9 delivered, 0 remaining', '4 ordered, 0 reserved, 4 shipped, 4 delivered, 0 remaining']);
    const [execution] = stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId: string }).orderId === orderId);
    expect(execution!.status).toBe('SUCCEEDED');
    expect(execution!.visitedStates.slice(-3)).toEqual(['AfterDelivery', 'InvoiceOrder', 'Delivered']);
    const plate = (await as(WAREHOUSE).get('/stock/PLATE-Q235')).body.balances.find((b: { specification: string }) => b.specification === '10mm');
    expect(plate).toMatchObject({ onHand: '0', reserved: '0', issued: '5', received: '5' });
    const history = (await as(REP).get(`/orders/${orderId}/history?limit=100`)).body.items.map((e: { action: string }) => e.action);
    expect(history).toEqual(expect.arrayContaining([`goods issued on ${first.deliveryNoteId}: partly shipped`, `goods issued on ${second.deliveryNoteId}: everything shipped`, `${second.deliveryNoteId} signed for by 张伟 Zhang Wei: order delivered`]));
  });

  it('R-FULFIL-3, R-FULFIL-4, R-FULFIL-7: a pickup order is paid at the gate, issued, and signed for there; no carrier', async () => {
    await receiveStock(stack, 'VALVE-DN50', '2');
    const orderId = await approvedOrder({ lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '2' }], delivery: { mode: 'pickup' }, paymentMethod: 'cash_on_pickup' });
    expect((await orderOf(orderId)).status).toBe('GOODS_RESERVED');
    const note = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 201);
    expect(note.mode).toBe('pickup');
    // Cash on pickup is no credit sale: finance signs off what was paid, naming the receipt of the recorded payment.
    expect((await as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'CREDIT' })).status).toBe(409);
    const unpaid = await as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'PAID', reference: 'RC-2026-999999' });
    expect(unpaid.status).toBe(400);
    expect(unpaid.body.errors).toEqual([expect.objectContaining({ field: 'body.reference', code: 'not_paid' })]);
    // 2 × 250.00 + 13% VAT = 565.00; 500.00 does not cover it.
    // Paid ahead for this order: kept for its invoice, not allocated to the customer's older invoices.
    const short = await step(as(FINANCE).post('/payments', { customerId, orderId, method: 'CASH', amount: { amountMinor: 50_000, currency: 'CNY' }, receivedOn: note.issuedOn }), 201);
    expect((await as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'PAID', reference: short.receiptNumber })).body.errors[0].message).toContain('do not cover');
    await step(as(FINANCE).post('/payments', { customerId, orderId, method: 'CASH', amount: { amountMinor: 6_500, currency: 'CNY' }, receivedOn: note.issuedOn }), 201);
    await step(as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'PAID', reference: short.receiptNumber }));
    await step(as(WAREHOUSE).post(`/delivery-notes/${note.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: 'V-0032', weightKg: '25' }], vehicle: '苏E·88888' }));
    expect((await as(LOGISTICS).post(`/delivery-notes/${note.deliveryNoteId}/dispatch`, { carrierId, trackingNumber: 'X' })).status).toBe(409);
    expect((await as(LOGISTICS).post(`/delivery-notes/${note.deliveryNoteId}/proof-of-delivery`, { signer: 'x', signedAt: '2026-11-22T08:00:00Z', lines: [{ lineNo: 1, received: '2' }] })).status).toBe(403);
    await step(as(WAREHOUSE).post(`/delivery-notes/${note.deliveryNoteId}/proof-of-delivery`, { signer: '李建国 Li Jianguo', signedAt: '2026-11-22T08:30:00Z', lines: [{ lineNo: 1, received: '2' }] }));
    expect((await orderOf(orderId)).status).toBe('DELIVERED');
    // Invoiced at once and paid by the cash received: nothing is owed for it.
    const invoice = (await as(FINANCE).get(`/delivery-notes/${note.deliveryNoteId}`)).body.invoiceId;
    expect((await as(FINANCE).get(`/invoices/${invoice}`)).body).toMatchObject({ status: 'PAID', gross: { amountMinor: 56_500 } });
  });

  it('R-FULFIL-3: the gate pass shows goods, quantities, weights and batches, never the customer, a price or an amount', async () => {
    await receiveStock(stack, 'VALVE-DN50', '1');
    const orderId = await approvedOrder({ lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }] });
    const note = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 201);
    const pass = await as(WAREHOUSE).get(`/delivery-notes/${note.deliveryNoteId}/gate-pass`);
    expect(pass.status).toBe(200);
    expect(pass.body).toMatchObject({ deliveryNoteId: note.deliveryNoteId, validOn: note.issuedOn, lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1', unit: 'pcs' }] });
    const text = JSON.stringify(pass.body);
    for (const hidden of ['Delivery Co', customerId, 'customer', 'price', 'Price', 'amount', 'gross', 'net', 'orderId']) expect(text, hidden).not.toContain(hidden);
    expect((await as(REP).get(`/delivery-notes/${note.deliveryNoteId}/gate-pass`)).status).toBe(403);
    // The full note is the rep's to read, not another rep's.
    expect((await as(REP).get(`/delivery-notes/${note.deliveryNoteId}`)).status).toBe(200);
    expect((await as('li.na').get(`/delivery-notes/${note.deliveryNoteId}`)).status).toBe(403);
  });

  it('R-FULFIL-3: a note is valid on the day issued only: the next day sign-off is refused and the note is reissued, the old one voided', async () => {
    await receiveStock(stack, 'VALVE-DN50', '3');
    const orderId = await approvedOrder({ lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '3' }] });
    const note = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 201);
    expect((await as(CLERK).post(`/delivery-notes/${note.deliveryNoteId}/reissue`)).status).toBe(409);
    later(DAY);
    const late = await as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'CREDIT' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain(`valid on ${note.issuedOn} only`);
    const fresh = await step(as(CLERK).post(`/delivery-notes/${note.deliveryNoteId}/reissue`), 201);
    expect(fresh).toMatchObject({ status: 'ISSUED', replaces: note.deliveryNoteId, lines: note.lines });
    expect(fresh.issuedOn > note.issuedOn).toBe(true);
    expect((await as(CLERK).get(`/delivery-notes/${note.deliveryNoteId}`)).body).toMatchObject({ status: 'VOIDED', replacedBy: fresh.deliveryNoteId });
    await step(as(FINANCE).post(`/delivery-notes/${fresh.deliveryNoteId}/sign-off`, { basis: 'CREDIT' }));
    const notes = (await as(CLERK).get(`/orders/${orderId}/delivery-notes`)).body.items.map((n: { deliveryNoteId: string; status: string }) => `${n.deliveryNoteId} ${n.status}`);
    expect(notes).toEqual([`${note.deliveryNoteId} VOIDED`, `${fresh.deliveryNoteId} SIGNED_OFF`]);
  });

  it('R-FULFIL-4, R-CREDIT-5: a customer on credit hold gets no sign-off and no goods issued', async () => {
    const held = await approvedCustomer(stack, REP, 'Held Delivery Co');
    await receiveStock(stack, 'VALVE-DN50', '2');
    const created = await as(REP).post('/orders', completeOrder(held, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '2' }] }));
    const orderId = created.body.orderId as string;
    await as(REP).post(`/orders/${orderId}/submission`);
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' });
    const note = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 201);
    await step(as(FINANCE).post(`/customers/${held}/credit-hold`, { reason: 'invoice 40 days overdue' }));
    const noSignOff = await as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'CREDIT' });
    expect(noSignOff.status).toBe(409);
    expect(noSignOff.body.detail).toContain('credit hold');
    await step(as('zhou.wei').post(`/customers/${held}/credit-hold/lift`, { reason: 'promise to pay on Friday' }));
    await step(as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'CREDIT' }));
    // Put on hold again between sign-off and issue: the warehouse releases nothing either.
    await step(as(FINANCE).post(`/customers/${held}/credit-hold`, { reason: 'Friday passed without payment' }));
    const blocked = await as(WAREHOUSE).post(`/delivery-notes/${note.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: 'V', weightKg: '25' }] });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toContain('credit hold');
    const second = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 409);
    expect(second.detail).toContain('nothing reserved');
    await step(as('zhou.wei').post(`/customers/${held}/credit-hold/lift`, { reason: 'paid' }));
    await step(as(WAREHOUSE).post(`/delivery-notes/${note.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: 'V', weightKg: '25' }] }));
  });

  it('bad input on every delivery step is refused with every field named, a wrong role with 403, and writes nothing', async () => {
    await receiveStock(stack, 'VALVE-DN50', '5');
    const orderId = await approvedOrder({ lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '5' }] });
    const before = await snapshotTables(stack);
    const tooMuch = await as(CLERK).post(`/orders/${orderId}/delivery-notes`, { lines: [{ lineNo: 1, quantity: '6' }, { lineNo: 9, quantity: '1' }] });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.lines.0.quantity', 'body.lines.1.lineNo']);
    const fraction = await as(CLERK).post(`/orders/${orderId}/delivery-notes`, { lines: [{ lineNo: 1, quantity: '1.5' }] });
    expect(fraction.body.errors).toEqual([expect.objectContaining({ field: 'body.lines.0.quantity', code: 'quantity_precision' })]);
    expect((await as(REP).post(`/orders/${orderId}/delivery-notes`, {})).status).toBe(403);
    expect((await as(CLERK).post(`/orders/${orderId}/delivery-notes`, { lines: [] })).status).toBe(400);
    expect(await snapshotTables(stack)).toEqual(before);

    const note = await step(as(CLERK).post(`/orders/${orderId}/delivery-notes`, {}), 201);
    const snapshot = await snapshotTables(stack);
    expect((await as(FINANCE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'PAID' })).body.errors.map((e: { field: string }) => e.field)).toEqual(['body.reference']);
    expect((await as(WAREHOUSE).post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'CREDIT' })).status).toBe(403);
    const badEvent = await as(LOGISTICS).post(`/delivery-notes/${note.deliveryNoteId}/events`, { kind: 'DAMAGED', note: 'crate crushed' });
    expect(badEvent.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.responsibleParty']);
    expect((await as(CLERK).get('/delivery-notes/DN-1')).status).toBe(400);
    expect((await as(CLERK).get('/delivery-notes/DN-2026-999999')).status).toBe(404);
    expect(await snapshotTables(stack)).toEqual(snapshot);
  });
});
