/**
 * The order review state machine (state-machines/order-review.asl.json) run by the local Step
 * Functions service with the real handlers, driven over HTTP by the people who decide.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { CREDIT_PASSED_STATES, approvedCustomer, completeOrder, decideTaskAbout, openTaskAbout, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;
let stack: LocalStack;
let customerId: string;
const rep = () => apiAs(stack, 'wang.qiang');

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
  customerId = await approvedCustomer(stack, 'wang.qiang', 'Review Loop Co');
});
afterAll(async () => stack?.stop());
// Approved orders reserve credit and goods (R-CREDIT-4, R-FULFIL-2); changes and cancellations give them back.
afterEach(async () => {
  await expectInvariantsHold(stack);
});

async function submit(orderId: string) {
  const res = await rep().post(`/orders/${orderId}/submission`);
  await stack.stepFunctions.idle();
  return res;
}

const executionsOf = (orderId: string) => stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId: string }).orderId === orderId);

describe('order review', () => {
  it('R-REVIEW-1..4, R-PRICE-3: submit → findings → returned → amended → resubmitted → GM then VP special approval → order desk → APPROVED, every round in the history', async () => {
    // 3,700.00 is under the minimum 3,800.00 of the approved list.
    const draft = await rep().post('/orders', completeOrder(customerId, { lines: [{ productCode: 'PLATE-Q235', specification: '12mm', quantity: '10', unitPrice: yuan(3700) }] }));
    expect(draft.status).toBe(201);
    const orderId = draft.body.orderId as string;
    expect((await submit(orderId)).status).toBe(202);

    let order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order.status).toBe('IN_REVIEW');
    expect(order.findings).toEqual([expect.objectContaining({ code: 'PRICE_BELOW_MINIMUM', lineNo: 1, approvers: ['general_manager', 'sales_vp'] })]);
    expect(order.review.pendingTask).toMatchObject({ type: 'SPECIAL_APPROVAL', assigneeRole: 'general_manager' });
    // The order desk has nothing yet: special approval comes first.
    expect(await openTaskAbout(stack, 'chen.jie', orderId)).toBeUndefined();
    const gmTask = await openTaskAbout(stack, 'zhou.wei', orderId);
    expect(gmTask!.details.findings[0].code).toBe('PRICE_BELOW_MINIMUM');

    // The GM returns it: too cheap.
    const noReason = await decideTaskAbout(stack, 'zhou.wei', orderId, { outcome: 'RETURNED' });
    expect(noReason.res.status).toBe(400);
    expect((await decideTaskAbout(stack, 'zhou.wei', orderId, { outcome: 'RETURNED', comment: 'at least 3,750 for this volume' })).res.status).toBe(200);
    order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'RETURNED', review: { outcome: 'RETURNED', reason: 'at least 3,750 for this volume', decidedBy: { userId: 'zhou.wei' } } });
    const returnedNote = await rep().get('/notifications');
    expect(returnedNote.body.items.map((n: { subject: string }) => n.subject)).toContain(`Order ${orderId} returned to you`);

    // The rep amends and resubmits.
    const amended = await rep().patch(`/orders/${orderId}`, { lines: [{ productCode: 'PLATE-Q235', specification: '12mm', quantity: '10', unitPrice: yuan(3750) }] });
    expect(amended.status).toBe(200);
    expect(amended.body.totals).toEqual({ net: yuan(37_500), tax: yuan(4_875), gross: yuan(42_375) });
    expect((await submit(orderId)).status).toBe(202);

    // GM first, then the VP sales (R-PRICE-3), then the order desk.
    expect(await openTaskAbout(stack, 'sun.li', orderId)).toBeUndefined();
    expect((await decideTaskAbout(stack, 'zhou.wei', orderId, { outcome: 'APPROVED', comment: 'volume deal' })).res.status).toBe(200);
    expect((await rep().get(`/orders/${orderId}`)).body.review.pendingTask.assigneeRole).toBe('sales_vp');
    expect((await decideTaskAbout(stack, 'sun.li', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
    const desk = await openTaskAbout(stack, 'chen.jie', orderId);
    expect(desk).toMatchObject({ type: 'ORDER_REVIEW', assigneeRole: 'order_desk' });
    // Wrong role 403, then the decision, then a second decision 409.
    expect((await apiAs(stack, 'wu.fang').post(`/tasks/${desk!.taskId}/decision`, { outcome: 'APPROVED' })).status).toBe(403);
    expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
    expect((await apiAs(stack, 'chen.jie').post(`/tasks/${desk!.taskId}/decision`, { outcome: 'REJECTED', comment: 'second thoughts' })).status).toBe(409);

    order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'GOODS_RESERVED', review: { round: 2, outcome: 'APPROVED', decidedBy: { userId: 'chen.jie' } } });
    expect(order.review.pendingTask).toBeUndefined();

    const history = (await rep().get(`/orders/${orderId}/history?limit=100`)).body.items.map((e: { action: string; by: { userId: string } }) => `${e.by.userId}: ${e.action}`);
    expect(history).toEqual([
      'wang.qiang: order drafted (phone)',
      'wang.qiang: order submitted for review (round 1)',
      'system: pre-check (round 1): PRICE_BELOW_MINIMUM',
      'system: waiting for general_manager: special approval',
      expect.stringMatching(/^zhou\.wei: Special approval: .* RETURNED \(at least 3,750 for this volume\)$/),
      'zhou.wei: review round 1: RETURNED (at least 3,750 for this volume)',
      'wang.qiang: order amended after return (round 1)',
      'wang.qiang: order submitted for review (round 2)',
      'system: pre-check (round 2): PRICE_BELOW_MINIMUM',
      'system: waiting for general_manager: special approval',
      expect.stringMatching(/^zhou\.wei: Special approval: .*APPROVED \(volume deal\)$/),
      'system: waiting for sales_vp: special approval',
      expect.stringMatching(/^sun\.li: Special approval: .*APPROVED$/),
      'system: waiting for order_desk: order review',
      expect.stringMatching(/^chen\.jie: Order review: .*APPROVED$/),
      'chen.jie: review round 2: APPROVED',
      'system: credit check 1: credit approved',
      'system: stock reservation 1: goods reserved',
      'system: waiting for delivery',
    ]);
    // The returned round's execution ended; the approved one waits for the delivery.
    expect(executionsOf(orderId).map((e) => e.status)).toEqual(['SUCCEEDED', 'RUNNING']);
  });

  it('R-REVIEW-2: an order with no finding goes straight to the order desk, then through the credit stage (R-CREDIT-4: reserved within the limit)', async () => {
    const orderId = (await rep().post('/orders', completeOrder(customerId))).body.orderId as string;
    await submit(orderId);
    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order.findings).toEqual([]);
    expect(order.review.pendingTask.assigneeRole).toBe('order_desk');
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' });
    expect((await rep().get(`/orders/${orderId}`)).body.status).toBe('GOODS_RESERVED');
    const [execution] = executionsOf(orderId);
    expect(execution!.visitedStates).toEqual([
      'Start',
      'PreCheck',
      'RouteSpecialApprovals',
      'OrderDeskReview',
      'AfterOrderDesk',
      'FinishApproved',
      ...CREDIT_PASSED_STATES,
    ]);
  });

  it('R-REVIEW-3: the order desk rejects with a reason; a rejected order cannot be amended or resubmitted', async () => {
    const orderId = (await rep().post('/orders', completeOrder(customerId))).body.orderId as string;
    await submit(orderId);
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'REJECTED', comment: 'duplicate of an order by fax' });
    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'REJECTED', review: { reason: 'duplicate of an order by fax' } });
    expect((await rep().patch(`/orders/${orderId}`, { remarks: 'try again' })).status).toBe(409);
    expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(409);
  });

  it('R-REVIEW-3: a returned order can be cancelled by its rep, with the reason kept', async () => {
    const orderId = (await rep().post('/orders', completeOrder(customerId))).body.orderId as string;
    await submit(orderId);
    expect((await rep().post(`/orders/${orderId}/cancellation`, { reason: 'too early' })).status).toBe(409);
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'RETURNED', comment: 'confirm the delivery site' });
    const cancelled = await rep().post(`/orders/${orderId}/cancellation`, { reason: 'customer bought elsewhere' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'customer bought elsewhere' });
  });

  it('R-REVIEW-4, R-INTAKE-4, R-CREDIT-3: non-conforming orders need the sales manager (verbal order for delivery, short lead time, cash on pickup delivered)', async () => {
    const orderId = (
      await rep().post(
        '/orders',
        completeOrder(customerId, { channel: 'verbal', paymentMethod: 'cash_on_pickup', requestedDeliveryDate: '2020-01-01', lines: [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '1' }] }),
      )
    ).body.orderId as string;
    await submit(orderId);
    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order.findings.map((f: { code: string }) => f.code).sort()).toEqual(['LEAD_TIME_TOO_SHORT', 'PAYMENT_METHOD_NOT_ALLOWED', 'VERBAL_ORDER_FOR_DELIVERY']);
    expect(order.review.pendingTask.assigneeRole).toBe('sales_manager');
    expect((await decideTaskAbout(stack, 'liu.yang', orderId, { outcome: 'APPROVED', comment: 'urgent, customer known' })).res.status).toBe(200);
    expect((await rep().get(`/orders/${orderId}`)).body.review.pendingTask.assigneeRole).toBe('order_desk');
  });

  it('R-PRICE-3: a price below the list but above the minimum needs the VP sales only; a product on no approved list too', async () => {
    const orderId = (
      await rep().post(
        '/orders',
        completeOrder(customerId, {
          lines: [
            { productCode: 'PLATE-Q235', specification: '10mm', quantity: '1', unitPrice: yuan(3900) },
            { productCode: 'CABLE-3X95', specification: '0.6/1kV', quantity: '100.5', unitPrice: yuan(35) },
          ],
        }),
      )
    ).body.orderId as string;
    await submit(orderId);
    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order.findings.map((f: { code: string; approvers: string[] }) => [f.code, f.approvers])).toEqual([
      ['PRICE_BELOW_LIST', ['sales_vp']],
      ['PRODUCT_NOT_ON_PRICE_LIST', ['sales_vp']],
    ]);
    expect(order.review.pendingTask.assigneeRole).toBe('sales_vp');
  });

  it('every waiting task has a timeout that escalates: the order desk → the sales manager → back to the rep, visibly', async () => {
    const orderId = (await rep().post('/orders', completeOrder(customerId))).body.orderId as string;
    await submit(orderId);
    const deskTask = await openTaskAbout(stack, 'chen.jie', orderId);
    expect(deskTask).toBeDefined();
    await stack.stepFunctions.expireDue(new Date(Date.now() + 2 * DAY + 60_000));
    await stack.stepFunctions.idle();
    expect(await openTaskAbout(stack, 'chen.jie', orderId)).toBeUndefined();
    const escalated = await openTaskAbout(stack, 'liu.yang', orderId);
    expect(escalated).toMatchObject({ type: 'ORDER_REVIEW', assigneeRole: 'sales_manager', escalatedFrom: 'order_desk' });
    const managerNotes = await apiAs(stack, 'liu.yang').get('/notifications');
    expect(managerNotes.body.items.map((n: { subject: string }) => n.subject)).toContain(`Order review waiting: ${orderId} Review Loop Co`);

    await stack.stepFunctions.expireDue(new Date(Date.now() + 5 * DAY));
    await stack.stepFunctions.idle();
    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'RETURNED', review: { reason: expect.stringContaining('not decided in time') } });
    expect(await openTaskAbout(stack, 'liu.yang', orderId)).toBeUndefined();
  });
});
