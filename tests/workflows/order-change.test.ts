/**
 * Order changes after approval (R-INTAKE-6): change requests reviewed by the order review state
 * machine (state-machines/order-review.asl.json), run by the local Step Functions service with the
 * real handlers, driven over HTTP by the people who ask and decide.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { CREDIT_PASSED_STATES, approvedCustomer, completeOrder, decideTaskAbout, openTaskAbout, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;
let stack: LocalStack;
let customerId: string;
const rep = () => apiAs(stack, 'wang.qiang');

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
  customerId = await approvedCustomer(stack, 'wang.qiang', 'Change Co');
});
afterAll(async () => stack?.stop());
// Approved orders reserve credit and goods (R-CREDIT-4, R-FULFIL-2); changes and cancellations give them back.
afterEach(async () => {
  await expectInvariantsHold(stack);
});

/** A complete order, submitted, approved by the order desk, and through credit. */
async function approvedOrder(): Promise<string> {
  const orderId = (await rep().post('/orders', completeOrder(customerId))).body.orderId as string;
  expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(202);
  expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
  // The credit stage follows the review (R-CREDIT-4): the order has its exposure reserved.
  expect((await rep().get(`/orders/${orderId}`)).body.status).toBe('GOODS_RESERVED');
  return orderId;
}

async function requestChange(orderId: string, body: unknown, userId = 'wang.qiang', headers?: Record<string, string>) {
  const res = await apiAs(stack, userId).post(`/orders/${orderId}/change-requests`, body, headers);
  await stack.stepFunctions.idle();
  return res;
}

const notesOf = async (userId: string) =>
  (await apiAs(stack, userId).get('/notifications?limit=100')).body.items as { recipient: string; subject: string; body: string; topic: string; link?: string }[];
const historyOf = async (orderId: string) => (await rep().get(`/orders/${orderId}/history?limit=100`)).body.items as Record<string, any>[];
const executionsOf = (orderId: string) => stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId: string }).orderId === orderId);
/** The order's content that a change would touch. */
const content = (o: Record<string, any>) => ({
  status: o.status,
  lines: o.lines,
  totals: o.totals,
  requestedDeliveryDate: o.requestedDeliveryDate,
  delivery: o.delivery,
  paymentMethod: o.paymentMethod,
  remarks: o.remarks,
  findings: o.findings,
});

describe('order change requests', () => {
  it('R-INTAKE-6, R-REVIEW-1, R-REVIEW-4, R-PRICE-3, R-INFO-3: an amendment below the minimum price goes GM → VP → order desk, is applied with its history, and every department is told', async () => {
    const orderId = await approvedOrder();
    const before = (await rep().get(`/orders/${orderId}`)).body;
    const asked = await requestChange(orderId, {
      kind: 'amend',
      // 3,700.00 is under the minimum 3,800.00 of the approved list.
      changes: { lines: [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '3', unitPrice: yuan(3700) }, { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' }], requestedDeliveryDate: '2099-02-01' },
      reason: 'customer needs half a tonne more, two weeks later, at last year’s price',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const changeRequestId = `CR-${orderId}-1`;
    expect(asked.body).toMatchObject({
      status: 'GOODS_RESERVED',
      changeCount: 1,
      pendingChange: { changeRequestId, kind: 'amend', status: 'PENDING', changedFields: ['lines', 'totals', 'requestedDeliveryDate'], requestedBy: { userId: 'wang.qiang' } },
    });
    expect(asked.body.pendingChange.proposed.totals).toEqual({ net: yuan(12_100), tax: yuan(1_573), gross: yuan(13_673) });

    // Under review, the order stays as it was; the proposal carries its own findings (R-REVIEW-2).
    let order = (await rep().get(`/orders/${orderId}`)).body;
    expect(content(order)).toEqual(content(before));
    expect(order.pendingChange.findings).toEqual([expect.objectContaining({ code: 'PRICE_BELOW_MINIMUM', lineNo: 1, approvers: ['general_manager', 'sales_vp'] })]);
    expect(order.pendingChange.review.pendingTask).toMatchObject({ type: 'SPECIAL_APPROVAL', assigneeRole: 'general_manager' });
    expect((await rep().patch(`/orders/${orderId}`, { remarks: 'sneak it in' })).status).toBe(409);

    // GM first, then the VP sales, then the order desk — as for the order.
    expect(await openTaskAbout(stack, 'chen.jie', orderId)).toBeUndefined();
    const gmTask = await openTaskAbout(stack, 'zhou.wei', orderId);
    expect(gmTask).toMatchObject({ type: 'SPECIAL_APPROVAL', title: expect.stringContaining(`Change request special approval: ${orderId} Change Co (${changeRequestId}, amend)`) });
    expect(gmTask!.details).toMatchObject({ changeRequestId, changeKind: 'amend', changedFields: ['lines', 'totals', 'requestedDeliveryDate'], proposed: { gross: '13673.00 CNY', requestedDeliveryDate: '2099-02-01' } });
    expect(gmTask!.details.findings.map((f: { code: string }) => f.code)).toEqual(['PRICE_BELOW_MINIMUM']);
    expect((await decideTaskAbout(stack, 'zhou.wei', orderId, { outcome: 'APPROVED', comment: 'loyal customer' })).res.status).toBe(200);
    expect((await rep().get(`/orders/${orderId}`)).body.pendingChange.review.pendingTask.assigneeRole).toBe('sales_vp');
    expect((await decideTaskAbout(stack, 'sun.li', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
    const desk = await openTaskAbout(stack, 'chen.jie', orderId);
    expect(desk).toMatchObject({ type: 'ORDER_REVIEW', title: expect.stringContaining('Change request review') });
    expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);

    order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({
      status: 'GOODS_RESERVED',
      requestedDeliveryDate: '2099-02-01',
      totals: { net: yuan(12_100), tax: yuan(1_573), gross: yuan(13_673) },
      findings: [expect.objectContaining({ code: 'PRICE_BELOW_MINIMUM' })],
      lastChange: { changeRequestId, status: 'APPROVED', review: { outcome: 'APPROVED', decidedBy: { userId: 'chen.jie' } } },
      review: { round: 1, outcome: 'APPROVED' },
    });
    expect(order.lines.map((l: { quantity: string; unitPrice: unknown }) => [l.quantity, l.unitPrice])).toEqual([
      ['3', yuan(3700)],
      ['4', yuan(250)],
    ]);
    expect(order.pendingChange).toBeUndefined();

    // Every step in the history; the applying entry names who asked and who approved, before and after.
    const history = await historyOf(orderId);
    const lines = history.map((e) => `${e.by.userId}: ${e.action}`);
    expect(lines.slice(lines.indexOf('chen.jie: review round 1: APPROVED') + 1)).toEqual([
      'system: credit check 1: credit approved',
      'system: stock reservation 1: goods reserved',
      'system: waiting for delivery',
      `wang.qiang: change request ${changeRequestId} (amend: lines, totals, requestedDeliveryDate) asked for review`,
      `system: pre-check (change request ${changeRequestId}): PRICE_BELOW_MINIMUM`,
      `system: ${changeRequestId} waiting for general_manager: change request special approval`,
      expect.stringMatching(/^zhou\.wei: Change request special approval: .* APPROVED \(loyal customer\)$/),
      `system: ${changeRequestId} waiting for sales_vp: change request special approval`,
      expect.stringMatching(/^sun\.li: Change request special approval: .* APPROVED$/),
      `system: ${changeRequestId} waiting for order_desk: change request review`,
      expect.stringMatching(/^chen\.jie: Change request review: .* APPROVED$/),
      `chen.jie: change request ${changeRequestId} (amend, asked by 王强 Wang Qiang) approved by 陈杰 Chen Jie: applied (lines, totals, requestedDeliveryDate)`,
      // R-CREDIT-4, R-FULFIL-2: the new amount is checked and reserved again, and so are the goods.
      'system: credit check 2: credit approved',
      'system: stock reservation 2: goods reserved',
      'system: waiting for delivery',
    ]);
    const applied = history.at(-4)!;
    expect(applied.before).toMatchObject({ requestedDeliveryDate: '2099-01-15', lines: [expect.objectContaining({ quantity: '2.5' }), expect.anything()] });
    expect(applied.after).toMatchObject({ requestedDeliveryDate: '2099-02-01', lines: [expect.objectContaining({ quantity: '3' }), expect.anything()] });
    expect(history.find((e) => e.action.includes('asked for review'))!.reason).toBe('customer needs half a tonne more, two weeks later, at last year’s price');

    // The rep and every department concerned hear of it.
    for (const userId of ['wang.qiang', 'chen.jie', 'wu.fang', 'feng.lei', 'he.jun']) {
      const note = (await notesOf(userId)).find((n) => n.subject === `Order ${orderId} changed`);
      expect(note, userId).toMatchObject({ topic: 'order-change', body: expect.stringContaining('13673.00 CNY, delivery 2099-02-01') });
    }
    expect((await notesOf('feng.lei')).find((n) => n.subject === `Order ${orderId} changed`)!.body).toContain('Reservations and picking follow the new lines');
    // The order's first execution stopped waiting for the delivery of the old order; the change's execution waits for the new one.
    expect(executionsOf(orderId).map((e) => e.status)).toEqual(['SUCCEEDED', 'RUNNING']);
    expect(executionsOf(orderId)[1]!.visitedStates).toEqual([
      'Start',
      'PreCheck',
      'RouteSpecialApprovals',
      'GeneralManagerApproval',
      'AfterGeneralManager',
      'SalesVpApproval',
      'AfterSalesVp',
      'OrderDeskReview',
      'AfterOrderDesk',
      'FinishApproved',
      ...CREDIT_PASSED_STATES,
    ]);
  });

  it('R-INTAKE-6: a cancellation is a change; approved by the order desk, the order is CANCELLED and every department is told to release what it holds', async () => {
    const orderId = await approvedOrder();
    // A sales clerk may ask on the rep's behalf.
    const asked = await requestChange(orderId, { kind: 'cancel', reason: 'customer project stopped' }, 'zhao.min');
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body.pendingChange).toMatchObject({ kind: 'cancel', changedFields: ['status'], requestedBy: { userId: 'zhao.min' } });
    expect(asked.body.pendingChange.proposed).toBeUndefined();
    expect((await rep().get(`/orders/${orderId}`)).body).toMatchObject({ status: 'GOODS_RESERVED', pendingChange: { findings: [], review: { pendingTask: { assigneeRole: 'order_desk' } } } });

    expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED', comment: 'confirmed with the customer' })).res.status).toBe(200);
    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'CANCELLED', cancelReason: 'customer project stopped', lastChange: { kind: 'cancel', status: 'APPROVED' } });
    expect((await historyOf(orderId)).at(-1)).toMatchObject({
      action: `change request CR-${orderId}-1 (cancel, asked by 赵敏 Zhao Min) approved by 陈杰 Chen Jie: order cancelled`,
      before: { status: 'GOODS_RESERVED' },
      after: { status: 'CANCELLED', cancelReason: 'customer project stopped' },
    });
    for (const userId of ['wang.qiang', 'zhao.min', 'chen.jie', 'wu.fang', 'feng.lei', 'he.jun']) {
      expect((await notesOf(userId)).map((n) => n.subject), userId).toContain(`Order ${orderId} cancelled`);
    }
    expect((await notesOf('feng.lei')).find((n) => n.subject === `Order ${orderId} cancelled`)!.body).toContain('Release whatever stock is reserved for it');
    expect((await notesOf('he.jun')).find((n) => n.subject === `Order ${orderId} cancelled`)!.body).toContain('Release whatever transport is planned for it');
    // A cancelled order takes no more changes.
    expect((await requestChange(orderId, { kind: 'cancel', reason: 'again' })).status).toBe(409);
  });

  it('R-INTAKE-6, R-REVIEW-3: a rejected and a returned change request leave the order as it was and tell the rep why; every request is numbered and kept', async () => {
    const orderId = await approvedOrder();
    const before = (await rep().get(`/orders/${orderId}`)).body;
    expect((await requestChange(orderId, { kind: 'amend', changes: { paymentMethod: 'prepaid', remarks: 'pay first' }, reason: 'customer asked' })).status).toBe(202);
    expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'REJECTED', comment: 'credit terms are in the contract' })).res.status).toBe(200);
    let order = (await rep().get(`/orders/${orderId}`)).body;
    expect(content(order)).toEqual(content(before));
    expect(order.pendingChange).toBeUndefined();
    expect(order.lastChange).toMatchObject({ changeRequestId: `CR-${orderId}-1`, status: 'REJECTED', review: { reason: 'credit terms are in the contract', decidedBy: { userId: 'chen.jie' } } });
    const rejectedNote = (await notesOf('wang.qiang')).find((n) => n.subject === `Change request CR-${orderId}-1 rejected`);
    expect(rejectedNote!.body).toBe(`Change of ${orderId} for Change Co: REJECTED — credit terms are in the contract. The order stays as it was.`);
    expect((await historyOf(orderId)).at(-1)!.action).toBe(
      `change request CR-${orderId}-1 (amend, asked by 王强 Wang Qiang): REJECTED (credit terms are in the contract); the order stays as it was`,
    );

    // A new request is CR-…-2; returned, it too leaves the order alone.
    expect((await requestChange(orderId, { kind: 'amend', changes: { requestedDeliveryDate: '2099-03-01' }, reason: 'site not ready' })).body.pendingChange.changeRequestId).toBe(`CR-${orderId}-2`);
    expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'RETURNED', comment: 'give the new site address too' })).res.status).toBe(200);
    order = (await rep().get(`/orders/${orderId}`)).body;
    expect(content(order)).toEqual(content(before));
    expect(order).toMatchObject({ changeCount: 2, lastChange: { changeRequestId: `CR-${orderId}-2`, status: 'RETURNED', review: { reason: 'give the new site address too' } } });
    expect((await notesOf('wang.qiang')).map((n) => n.subject)).toContain(`Change request CR-${orderId}-2 returned to you`);
    // Nobody else was told of a change that did not happen.
    expect((await notesOf('feng.lei')).filter((n) => n.link === `/orders/${orderId}`)).toEqual([]);
  });

  it('R-INTAKE-6: one pending change request at a time (409); an Idempotency-Key retry returns the first answer', async () => {
    const orderId = await approvedOrder();
    const key = { 'idempotency-key': `change-${orderId}` };
    const body = { kind: 'amend', changes: { remarks: 'unload at gate 2' }, reason: 'site asked' };
    const first = await requestChange(orderId, body, 'wang.qiang', key);
    expect(first.status).toBe(202);
    const retry = await requestChange(orderId, body, 'wang.qiang', key);
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    // The same key on another order is another request.
    const other = await approvedOrder();
    expect((await requestChange(other, body, 'wang.qiang', key)).body.pendingChange.changeRequestId).toBe(`CR-${other}-1`);

    const second = await requestChange(orderId, { kind: 'cancel', reason: 'changed our mind' });
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain(`CR-${orderId}-1 under review`);
    expect((await rep().get(`/orders/${orderId}`)).body).toMatchObject({ changeCount: 1, pendingChange: { changeRequestId: `CR-${orderId}-1`, kind: 'amend' } });
    expect(executionsOf(orderId)).toHaveLength(2);
  });

  it('R-INTAKE-6, R-REVIEW-3: a draft or returned order is amended directly, an order under review must be returned first (409)', async () => {
    const draftId = (await rep().post('/orders', completeOrder(customerId))).body.orderId as string;
    const onDraft = await requestChange(draftId, { kind: 'cancel', reason: 'x' });
    expect(onDraft.status).toBe(409);
    expect(onDraft.body.detail).toContain('amend it directly');

    expect((await rep().post(`/orders/${draftId}/submission`)).status).toBe(202);
    await stack.stepFunctions.idle();
    const inReview = await requestChange(draftId, { kind: 'amend', changes: { remarks: 'x' }, reason: 'x' });
    expect(inReview.status).toBe(409);
    expect(inReview.body.detail).toContain('ask the reviewer to return it');

    await decideTaskAbout(stack, 'chen.jie', draftId, { outcome: 'RETURNED', comment: 'check the quantity' });
    const onReturned = await requestChange(draftId, { kind: 'amend', changes: { remarks: 'x' }, reason: 'x' });
    expect(onReturned.status).toBe(409);
    expect(onReturned.body.detail).toContain('amend it directly');
    expect((await rep().get(`/orders/${draftId}`)).body.pendingChange).toBeUndefined();
  });

  it('R-INTAKE-6, R-INFO-2: only the sales rep who owns the order or a sales clerk asks for changes (403), and a refusal writes nothing', async () => {
    const orderId = await approvedOrder();
    const before = await snapshotTables(stack);
    for (const userId of ['chen.jie', 'wu.fang', 'liu.yang', 'feng.lei']) {
      expect((await requestChange(orderId, { kind: 'cancel', reason: 'x' }, userId)).status, userId).toBe(403);
    }
    const otherRep = await requestChange(orderId, { kind: 'cancel', reason: 'x' }, 'li.na');
    expect(otherRep.status).toBe(403);
    expect(otherRep.body.detail).toContain('belongs to another sales rep');
    expect((await requestChange('SO-2026-999999', { kind: 'cancel', reason: 'x' })).status).toBe(404);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-INTAKE-6, R-INTAKE-2, R-INTAKE-5: bad input is refused with every field named (400) and nothing written', async () => {
    const orderId = await approvedOrder();
    const before = await snapshotTables(stack);
    const fieldsOf = async (body: unknown) => {
      const res = await requestChange(orderId, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    };
    expect(await fieldsOf({ kind: 'amend', changes: { requestedDeliveryDate: '2099-13-45', paymentMethod: 'barter', surprise: 1 } })).toEqual([
      'body.changes.paymentMethod',
      'body.changes.requestedDeliveryDate',
      'body.changes.surprise',
      'body.reason',
    ]);
    expect(await fieldsOf({ kind: 'swap', reason: 'x' })).toEqual(['body.kind']);
    expect(await fieldsOf({ kind: 'cancel', reason: '  ', changes: { remarks: 'x' } })).toEqual(['body.changes', 'body.reason']);
    expect(await fieldsOf({ kind: 'amend', changes: {}, reason: 'x' })).toEqual(['body.changes']);
    // Checked against the catalogue (R-INTAKE-5) …
    expect(
      await fieldsOf({
        kind: 'amend',
        changes: { lines: [{ productCode: 'NOPE-1', quantity: '1' }, { productCode: 'PLATE-Q235', specification: '99mm', quantity: '1.0001' }] },
        reason: 'x',
      }),
    ).toEqual(['body.changes.lines.0.productCode', 'body.changes.lines.1.quantity', 'body.changes.lines.1.specification']);
    // … complete as a submitted order (R-INTAKE-2) …
    expect(await fieldsOf({ kind: 'amend', changes: { lines: [{ productCode: 'PLATE-Q235', specification: '10mm' }] }, reason: 'x' })).toEqual(['body.changes.lines.0.quantity']);
    expect(await fieldsOf({ kind: 'amend', changes: { lines: [] }, reason: 'x' })).toEqual(['body.changes.lines']);
    // … and an actual change.
    expect(await fieldsOf({ kind: 'amend', changes: { requestedDeliveryDate: '2099-01-15' }, reason: 'x' })).toEqual(['body.changes']);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-INTAKE-6: every waiting task of a change review has a timeout that escalates: the order desk → the sales manager → expired, the order unchanged', async () => {
    const orderId = await approvedOrder();
    expect((await requestChange(orderId, { kind: 'cancel', reason: 'no longer needed' })).status).toBe(202);
    expect(await openTaskAbout(stack, 'chen.jie', orderId)).toBeDefined();
    await stack.stepFunctions.expireDue(new Date(Date.now() + 2 * DAY + 60_000));
    await stack.stepFunctions.idle();
    expect(await openTaskAbout(stack, 'chen.jie', orderId)).toBeUndefined();
    expect(await openTaskAbout(stack, 'liu.yang', orderId)).toMatchObject({
      type: 'ORDER_REVIEW',
      assigneeRole: 'sales_manager',
      escalatedFrom: 'order_desk',
      title: expect.stringContaining('Change request review'),
    });

    await stack.stepFunctions.expireDue(new Date(Date.now() + 5 * DAY));
    await stack.stepFunctions.idle();
    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'GOODS_RESERVED', lastChange: { status: 'EXPIRED', review: { reason: expect.stringContaining('not decided in time') } } });
    expect(order.pendingChange).toBeUndefined();
    expect(await openTaskAbout(stack, 'liu.yang', orderId)).toBeUndefined();
    expect((await notesOf('wang.qiang')).map((n) => n.subject)).toContain(`Change request CR-${orderId}-1 expired`);
  });
});
