/** Order intake over HTTP (R-INTAKE-1..5, R-INFO-2): drafts, numbers, prices, totals, refusals, idempotency, listing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';

let stack: LocalStack;
let customerId: string;
let otherRepsCustomer: string;
const rep = () => apiAs(stack, 'wang.qiang');

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
  customerId = await approvedCustomer(stack, 'wang.qiang', 'Intake Co');
  otherRepsCustomer = await approvedCustomer(stack, 'li.na', 'Other Rep Co');
});
afterAll(async () => stack?.stop());

describe('order drafts', () => {
  it('R-INTAKE-1, R-INTAKE-3: a draft records its channel and gets a number SO-YYYY-NNNNNN at once', async () => {
    const res = await rep().post('/orders', { customerId, channel: 'fax' });
    expect(res.status).toBe(201);
    expect(res.body.orderId).toMatch(new RegExp(`^SO-${businessDate().slice(0, 4)}-\\d{6}$`));
    expect(res.body).toMatchObject({ status: 'DRAFT', channel: 'fax', customerId, customerName: 'Intake Co', ownerRepId: 'wang.qiang', lines: [] });
    expect(res.headers.get('location')).toBe(`/orders/${res.body.orderId}`);
  });

  it('R-PRICE-4, R-PRICE-2: lines take the approved list price; totals are sums of lines rounded half-up with tax per line', async () => {
    const res = await rep().post('/orders', completeOrder(customerId, { lines: [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '2.345' }, { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '3' }] }));
    expect(res.status).toBe(201);
    const [plate, valve] = res.body.lines;
    // 2.345 t × 4,000.00 = 9,380.00; tax 13% = 1,219.40
    expect(plate).toMatchObject({ lineNo: 1, unitPrice: yuan(4000), priceOrigin: 'list', listPrice: yuan(4000), minimumPrice: yuan(3800), net: yuan(9380), tax: yuan(1219.4), gross: yuan(10599.4) });
    expect(plate.priceSource).toMatchObject({ kind: 'general', version: 1 });
    expect(valve).toMatchObject({ net: yuan(750), tax: yuan(97.5), gross: yuan(847.5) });
    expect(res.body.totals).toEqual({ net: yuan(10130), tax: yuan(1316.9), gross: yuan(11446.9) });
  });

  it('R-INTAKE-2: a draft may be incomplete; submitting it names every gap (422) and changes nothing', async () => {
    const draft = (await rep().post('/orders', { customerId, channel: 'email', lines: [{ productCode: 'PLATE-Q235' }] })).body;
    const before = await snapshotTables(stack);
    const res = await rep().post(`/orders/${draft.orderId}/submission`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['delivery', 'lines.0.quantity', 'lines.0.specification', 'lines.0.unitPrice', 'paymentMethod', 'requestedDeliveryDate'].sort(),
    );
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-INTAKE-2, R-INTAKE-5: bad lines are refused with every bad field named at once, of the shape and against the catalogue, and nothing is written', async () => {
    const before = await snapshotTables(stack);
    const res = await rep().post('/orders', {
      customerId,
      channel: 'web',
      lines: [
        { productCode: 'PLATE-Q235', specification: '99mm', quantity: '1.2345' },
        { productCode: 'NO-SUCH-PRODUCT', quantity: '1' },
        { productCode: 'VALVE-DN50', quantity: '-2' },
        { productCode: 'VALVE-DN50', quantity: '1.5', unitPrice: { amountMinor: 100, currency: 'USD' } },
      ],
      paymentMethod: 'barter',
    });
    expect(res.status).toBe(400);
    // The shape's faults (a negative quantity, an unknown payment method) and the catalogue's in one answer.
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['body.lines.0.quantity', 'body.lines.0.specification', 'body.lines.1.productCode', 'body.lines.2.quantity', 'body.lines.3.quantity', 'body.lines.3.unitPrice.currency', 'body.paymentMethod'].sort(),
    );
    const res2 = await rep().post('/orders', {
      customerId,
      channel: 'web',
      lines: [
        { productCode: 'PLATE-Q235', specification: '99mm', quantity: '1.2345' },
        { productCode: 'NO-SUCH-PRODUCT', quantity: '1' },
        { productCode: 'VALVE-DN50', quantity: '1.5', unitPrice: { amountMinor: 100, currency: 'USD' } },
      ],
    });
    expect(res2.status).toBe(400);
    expect(res2.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['body.lines.0.quantity', 'body.lines.0.specification', 'body.lines.1.productCode', 'body.lines.2.quantity', 'body.lines.2.unitPrice.currency'].sort(),
    );
    const noCustomer = await rep().post('/orders', { customerId: 'CU-999999', channel: 'web' });
    expect(noCustomer.status).toBe(400);
    expect(noCustomer.body.errors[0].field).toBe('body.customerId');
    const missing = await rep().post('/orders', {});
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.channel', 'body.customerId']);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-INTAKE-2, R-INTAKE-5: a quantity finer than the product\'s precision and a price in fractions of a fen are named together, on a new draft, an amended one and a change request', async () => {
    const before = await snapshotTables(stack);
    const line = { productCode: 'PLATE-Q235', specification: '10mm', quantity: '1.0005', unitPrice: { amountMinor: 1234.5, currency: 'CNY' } };
    const fields = (res: { body: { errors: { field: string; code: string }[] } }) => res.body.errors.map((e) => `${e.field} ${e.code}`).sort();
    const created = await rep().post('/orders', { customerId, channel: 'web', lines: [line] });
    expect(created.status).toBe(400);
    expect(created.headers.get('content-type')).toBe('application/problem+json');
    expect(fields(created)).toEqual(['body.lines.0.quantity invalid_quantity', 'body.lines.0.unitPrice.amountMinor invalid_type']);
    expect(created.body.errors.find((e: { field: string }) => e.field === 'body.lines.0.quantity').message).toBe('a positive quantity in t with at most 3 decimal places');
    // Every line: the second line's product is unknown, the third's shape is wrong as well as its specification.
    const many = await rep().post('/orders', {
      customerId,
      channel: 'web',
      requestedDeliveryDate: '2099-02-30',
      lines: [line, { productCode: 'NO-SUCH-PRODUCT', quantity: '1' }, { productCode: 'VALVE-DN50', specification: 'PN99', quantity: '2', remarks: 7 }],
    });
    expect(fields(many)).toEqual(
      ['body.lines.0.quantity invalid_quantity', 'body.lines.0.unitPrice.amountMinor invalid_type', 'body.lines.1.productCode unknown_product', 'body.lines.2.remarks invalid_type', 'body.lines.2.specification invalid_specification', 'body.requestedDeliveryDate invalid_format'].sort(),
    );
    // Well-formed, but for a customer who does not exist and a quantity the product does not take: both named.
    const nobody = await rep().post('/orders', { customerId: 'CU-999999', channel: 'web', lines: [{ ...line, unitPrice: undefined }] });
    expect(fields(nobody)).toEqual(['body.customerId unknown_customer', 'body.lines.0.quantity invalid_quantity']);
    const draft = (await rep().post('/orders', { customerId, channel: 'web' })).body;
    const before2 = await snapshotTables(stack);
    const amended = await rep().patch(`/orders/${draft.orderId}`, { lines: [line] });
    expect(fields(amended)).toEqual(['body.lines.0.quantity invalid_quantity', 'body.lines.0.unitPrice.amountMinor invalid_type']);
    const change = await rep().post(`/orders/${draft.orderId}/change-requests`, { kind: 'amend', reason: 'more plate', changes: { lines: [line] } });
    expect(fields(change)).toEqual(['body.changes.lines.0.quantity invalid_quantity', 'body.changes.lines.0.unitPrice.amountMinor invalid_type']);
    expect(await snapshotTables(stack)).toEqual(before2);
    expect(before).not.toEqual(before2); // only the draft was written
  });

  it('R-INTAKE-5: prices, quantities and amounts have bounds: past what the arithmetic holds, or past the most one order may carry (setting maxAmountMinor, 10^12 CNY), a 400 names the field and nothing is written', async () => {
    const before = await snapshotTables(stack);
    const order = (lines: unknown[]) => rep().post('/orders', { customerId, channel: 'web', lines });
    const named = (res: { status: number; body: { errors?: { field: string; code: string }[] } }) => [res.status, ...(res.body.errors ?? []).map((e) => `${e.field} ${e.code}`)];
    // Issue 14: these answered 500.
    expect(named(await order([{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1', unitPrice: { amountMinor: 9_007_199_254_740_991, currency: 'CNY' } }]))).toEqual([400, 'body.lines.0.unitPrice.amountMinor too_big']);
    expect(named(await order([{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '9007199254740993' }]))).toEqual([400, 'body.lines.0.quantity invalid_format']);
    // 10^12 CNY is the most: a price of exactly that is accepted, one fen more is not.
    const cap = 100_000_000_000_000;
    const over = await order([{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1', unitPrice: { amountMinor: cap + 1, currency: 'CNY' } }]);
    expect(named(over)).toEqual([400, 'body.lines.0.unitPrice.amountMinor too_big']);
    expect(over.body.errors[0].message).toBe('at most 1000000000000.00 CNY per document');
    // Each part fits, the line does not: quantity × price (with tax) is named on the quantity.
    const line = await order([{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '999999999', unitPrice: { amountMinor: cap, currency: 'CNY' } }]);
    expect(named(line)).toEqual([400, 'body.lines.0.quantity too_big']);
    expect(line.body.errors[0].message).toContain('quantity × unit price with tax comes to more than the most one order may hold: at most 1000000000000.00 CNY per document');
    // Each line fits, the order does not: 200 lines of 904,000,000,000 CNY with tax (their sum in fen is past 2^53 too).
    const lines = Array.from({ length: 200 }, () => ({ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '8', unitPrice: { amountMinor: 10_000_000_000_000, currency: 'CNY' } }));
    const total = await order(lines);
    expect(named(total)).toEqual([400, 'body.lines too_big']);
    expect(total.body.errors[0].message).toContain('the lines come to 180800000000000.00 CNY with tax');
    expect(await snapshotTables(stack)).toEqual(before);
    // Within the bounds, the largest order is taken, its amounts exact.
    const largest = await order([{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '88495575', unitPrice: { amountMinor: 1_000_000, currency: 'CNY' } }]);
    expect(largest.status, JSON.stringify(largest.body)).toBe(201);
    expect(largest.body.totals.gross).toEqual({ amountMinor: 99_999_999_750_000, currency: 'CNY' });
  });

  it("R-INFO-2: a sales rep cannot take orders for, read or list another rep's customer's orders", async () => {
    expect((await rep().post('/orders', { customerId: otherRepsCustomer, channel: 'phone' })).status).toBe(403);
    const theirs = (await apiAs(stack, 'li.na').post('/orders', { customerId: otherRepsCustomer, channel: 'phone' })).body.orderId;
    expect((await rep().get(`/orders/${theirs}`)).status).toBe(403);
    expect((await rep().get(`/orders/${theirs}/history`)).status).toBe(403);
    expect((await rep().get('/orders?ownerRepId=li.na')).status).toBe(403);
    const mine = await rep().get('/orders?limit=100');
    expect(mine.body.items.every((o: { ownerRepId: string }) => o.ownerRepId === 'wang.qiang')).toBe(true);
    // A sales clerk enters orders for any rep.
    expect((await apiAs(stack, 'zhao.min').post('/orders', { customerId: otherRepsCustomer, channel: 'phone' })).status).toBe(201);
  });

  it('amends a draft (If-Match guards concurrent edits); a cancelled draft stays readable with its reason', async () => {
    const draft = (await rep().post('/orders', { customerId, channel: 'phone' })).body;
    expect((await rep().patch(`/orders/${draft.orderId}`, { remarks: 'late' }, { 'if-match': '"99"' })).status).toBe(412);
    const amended = await rep().patch(`/orders/${draft.orderId}`, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '2' }] }, { 'if-match': `"${draft.version}"` });
    expect(amended.status).toBe(200);
    expect(amended.body.totals.gross).toEqual(yuan(565));
    const cancelled = await rep().post(`/orders/${draft.orderId}/cancellation`, { reason: 'entered twice' });
    expect(cancelled.body.status).toBe('CANCELLED');
    expect((await rep().patch(`/orders/${draft.orderId}`, { remarks: 'x' })).status).toBe(409);
  });
});

describe('Idempotency-Key on POST /orders', () => {
  it('100 concurrent creations with distinct keys give 100 orders with 100 distinct numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => rep().post('/orders', completeOrder(customerId, { customerReference: `PO-${i}` }), { 'idempotency-key': `bulk-create-${i}-xyz` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    expect(new Set(results.map((r) => r.body.orderId)).size).toBe(100);
  });

  it('the same request 20 times with one key gives one order; the same key with another body is refused (422)', async () => {
    const key = { 'idempotency-key': 'one-order-twenty-tries' };
    const body = completeOrder(customerId, { customerReference: 'PO-ONCE' });
    const results = await Promise.all(Array.from({ length: 20 }, () => rep().post('/orders', body, key)));
    const created = new Set(results.filter((r) => r.status === 201).map((r) => r.body.orderId));
    expect(created.size).toBe(1);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const again = await rep().post('/orders', body, key);
    expect(again.status).toBe(201);
    expect(again.body.orderId).toBe([...created][0]);
    const other = await rep().post('/orders', completeOrder(customerId, { customerReference: 'PO-OTHER' }), key);
    expect(other.status).toBe(422);
    const listed = await rep().get('/orders?limit=100&customerId=' + customerId);
    expect(listed.body.items.filter((o: { orderId: string }) => created.has(o.orderId))).toHaveLength(1);
  });
});

describe('listing orders', () => {
  it('filters by status, customer and date, newest first, page by page; an unknown status is a 400', async () => {
    const today = businessDate();
    const drafts = await apiAs(stack, 'zhao.min').get(`/orders?status=CANCELLED&from=${today}&to=${today}&limit=100`);
    expect(drafts.status).toBe(200);
    expect(drafts.body.items.length).toBeGreaterThan(0);
    expect(drafts.body.items.every((o: { status: string }) => o.status === 'CANCELLED')).toBe(true);
    const page1 = await apiAs(stack, 'chen.jie').get(`/orders?customerId=${customerId}&limit=5`);
    const page2 = await apiAs(stack, 'chen.jie').get(`/orders?customerId=${customerId}&limit=5&cursor=${page1.body.nextCursor}`);
    const both = [...page1.body.items, ...page2.body.items];
    expect(both).toHaveLength(10);
    expect(both.map((o: { createdAt: string }) => o.createdAt)).toEqual([...both.map((o: { createdAt: string }) => o.createdAt)].sort().reverse());
    expect((await apiAs(stack, 'chen.jie').get('/orders?from=2020-01-01&to=2020-01-31')).body.items).toEqual([]);
    const bad = await apiAs(stack, 'chen.jie').get('/orders?status=SHIPPED_TO_MARS&from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.from', 'query.status']);
  });
});
