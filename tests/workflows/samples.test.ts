/**
 * Samples, gifts and advertising goods (视同销售, R-FULFIL-10) through the real approval ASL, over
 * HTTP as the rep, the sales manager, the general manager and the warehouse. After every scenario
 * the stock invariants hold (issued = Σ issues and sample issues).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, openTaskAbout, receiveStock, seedCatalogueAndPrices } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const MANAGER = 'liu.yang';
const GM = 'zhou.wei';
const WAREHOUSE = 'feng.lei';

let stack: LocalStack;
let customerId: string;
const rep = () => apiAs(stack, REP);
const warehouse = () => apiAs(stack, WAREHOUSE);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack, { stock: false });
  customerId = await approvedCustomer(stack, REP, 'Trial Buyer Co');
  await receiveStock(stack, 'VALVE-DN50', '10');
});
afterAll(async () => stack?.stop());
afterEach(async () => expectInvariantsHold(stack));

const ask = (quantity: string, by = REP, extra: Record<string, unknown> = {}) =>
  apiAs(stack, by).post('/sample-requests', {
    purpose: 'SAMPLE',
    customerId,
    recipient: 'Trial Buyer Co, quality lab',
    lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity }],
    reason: 'trial before a framework contract',
    ...extra,
  });
const balance = async () => (await warehouse().get('/stock/VALVE-DN50')).body;

describe('samples and gifts (R-FULFIL-10)', () => {
  it('R-FULFIL-10: approved by the sales manager, the warehouse issues them; stock leaves as a sample issue, not a sale', async () => {
    const asked = await ask('2');
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const id = asked.body.requestId as string;
    // Not approved yet: the warehouse cannot issue.
    expect((await warehouse().post(`/sample-requests/${id}/goods-issue`, {})).status).toBe(409);
    const { task, res } = await decideTaskAbout(stack, MANAGER, id, { outcome: 'APPROVED', comment: 'good prospect' });
    expect(res.status).toBe(200);
    expect(task).toMatchObject({ type: 'SAMPLE_REQUEST_APPROVAL', details: { purpose: 'SAMPLE', recipient: 'Trial Buyer Co, quality lab' } });
    const toIssue = await warehouse().get('/sample-requests?status=APPROVED');
    expect(toIssue.body.items.map((r: { requestId: string }) => r.requestId)).toContain(id);

    const issued = await warehouse().post(`/sample-requests/${id}/goods-issue`, { batches: [{ lineNo: 1, batch: 'B-2611-08' }] });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body).toMatchObject({ status: 'ISSUED', lines: [{ batch: 'B-2611-08' }], issue: { by: { userId: WAREHOUSE } } });
    const stock = await balance();
    expect(stock.balances[0]).toMatchObject({ onHand: '8', issued: '2', available: '8', reserved: '0' });
    expect(stock.movements[0]).toMatchObject({ kind: 'SAMPLE_ISSUE', quantity: '2', reference: `${id}/1`, reason: 'sample for Trial Buyer Co, quality lab' });
    // Not a sale: no order of the customer, no credit used.
    const credit = await rep().get(`/customers/${customerId}/credit`);
    expect(credit.body.exposure.amountMinor).toBe(0);
    // Issued once only.
    expect((await warehouse().post(`/sample-requests/${id}/goods-issue`, {})).status).toBe(409);
    const history = await rep().get(`/sample-requests/${id}/history?limit=20`);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['sample request made', 'sample request approved', 'samples issued']));
  });

  it('R-FULFIL-10: refused, nothing leaves; a sales manager’s own request goes to the general manager', async () => {
    const refused = (await ask('1')).body.requestId as string;
    await decideTaskAbout(stack, MANAGER, refused, { outcome: 'REJECTED', comment: 'no budget this month' });
    expect((await rep().get(`/sample-requests/${refused}`)).body).toMatchObject({ status: 'REFUSED', endReason: expect.stringContaining('no budget this month') });
    expect((await warehouse().post(`/sample-requests/${refused}/goods-issue`, {})).status).toBe(409);

    const own = await ask('1', MANAGER, { purpose: 'ADVERTISING', customerId: undefined, recipient: 'Canton Fair booth 12.1' });
    expect(own.status, JSON.stringify(own.body)).toBe(202);
    expect(own.body.approvers).toEqual(['general_manager']);
    expect(await openTaskAbout(stack, MANAGER, own.body.requestId)).toBeUndefined();
    await decideTaskAbout(stack, GM, own.body.requestId, { outcome: 'APPROVED' });
    expect((await apiAs(stack, MANAGER).get(`/sample-requests/${own.body.requestId}`)).body.status).toBe('APPROVED');
    expect((await apiAs(stack, MANAGER).post(`/sample-requests/${own.body.requestId}/withdrawal`, { reason: 'fair postponed' })).body.status).toBe('CANCELLED');
  });

  it('R-FULFIL-10: goods reserved for orders are never given away; a withdrawn request leaves the approver’s queue', async () => {
    const order = await rep().post('/orders', completeOrder(customerId, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: String(Number((await balance()).balances[0].available)) }] }));
    await rep().post(`/orders/${order.body.orderId}/submission`);
    await decideTaskAbout(stack, 'chen.jie', order.body.orderId, { outcome: 'APPROVED' });
    expect((await balance()).balances[0].available).toBe('0');
    const id = (await ask('1')).body.requestId as string;
    await decideTaskAbout(stack, MANAGER, id, { outcome: 'APPROVED' });
    const refused = await warehouse().post(`/sample-requests/${id}/goods-issue`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('line 1 VALVE-DN50: 0 of 1 pcs available');
    expect((await rep().get(`/sample-requests/${id}`)).body.status).toBe('APPROVED');

    const waiting = (await ask('1')).body.requestId as string;
    expect(await openTaskAbout(stack, MANAGER, waiting)).toBeDefined();
    expect((await rep().post(`/sample-requests/${waiting}/withdrawal`, { reason: 'customer got them elsewhere' })).status).toBe(200);
    expect(await openTaskAbout(stack, MANAGER, waiting)).toBeUndefined();
    await rep().post(`/orders/${order.body.orderId}/cancellation`, { reason: 'test done' });
  });

  it('R-FULFIL-10: who may ask and bad input: 403 and 400 naming every field, nothing written', async () => {
    const snapshot = await snapshotTables(stack);
    expect((await ask('1', WAREHOUSE)).status).toBe(403);
    expect((await ask('1', 'li.na')).status).toBe(403);
    const bad = await rep().post('/sample-requests', { purpose: 'FREEBIE', customerId, recipient: '', lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '0.5' }] });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.purpose', 'body.reason', 'body.recipient']);
    const badLine = await ask('0.5');
    expect(badLine.status).toBe(400);
    expect(badLine.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.lines.0.quantity']);
    expect(await snapshotTables(stack)).toEqual(snapshot);
  });
});
