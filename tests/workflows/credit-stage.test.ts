/**
 * The credit stage of the order workflow (R-CREDIT-3..7), through the real ASL on the local Step
 * Functions service, driven over HTTP by the people involved: the rep, the order desk, finance, the
 * finance manager and the GM. After every scenario the credit invariants hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, openTaskAbout, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';
import { startTestStack } from '../support/local-stack.js';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ensureAccount, receivableItems } from '../../functions/credit/account.js';
import { getCustomer } from '../../functions/customers/store.js';
import { addDays, businessDate } from '../../functions/shared/clock.js';
import { ddb } from '../../functions/shared/dynamo.js';

const DAY = 24 * 60 * 60 * 1000;
const REP = 'wang.qiang';
const DESK = 'chen.jie';
const FINANCE = 'wu.fang';
const FINANCE_MANAGER = 'zheng.hao';
const GM = 'zhou.wei';
const VP = 'sun.li';

let stack: LocalStack;
const rep = () => apiAs(stack, REP);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
});
afterAll(async () => stack?.stop());
afterEach(async () => {
  await expectInvariantsHold(stack);
});

interface CreditTerms {
  limit: number;
  rating?: 'A' | 'B' | 'C' | 'D';
  guaranteeOnFile?: boolean;
  prepaymentRequired?: boolean;
}

/** A customer of the rep whose credit finance approved with these terms and a contract in force. */
const customerWith = (name: string, terms: CreditTerms) =>
  approvedCustomer(stack, REP, name, {}, { creditLimit: yuan(terms.limit), rating: terms.rating ?? 'A', guaranteeOnFile: terms.guaranteeOnFile ?? false, prepaymentRequired: terms.prepaymentRequired ?? false });

/** Drafted, submitted and approved by the order desk: the credit stage has run when this returns. */
async function reviewedOrder(customerId: string, overrides: Record<string, unknown> = {}): Promise<{ orderId: string; gross: number }> {
  const created = await rep().post('/orders', completeOrder(customerId, overrides));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const orderId = created.body.orderId as string;
  expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(202);
  expect((await decideTaskAbout(stack, DESK, orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
  return { orderId, gross: created.body.totals.gross.amountMinor as number };
}

async function invoice(customerId: string, invoiceId: string, amountMinor: number, dueDate: string): Promise<void> {
  await ensureAccount(await getCustomer(customerId, true));
  await ddb.send(new TransactWriteCommand({ TransactItems: receivableItems(customerId, { invoiceId, amountMinor, currency: 'CNY', dueDate }) }));
}

const orderOf = async (orderId: string) => (await rep().get(`/orders/${orderId}`)).body;
const creditOf = async (customerId: string, userId = FINANCE) => (await apiAs(stack, userId).get(`/customers/${customerId}/credit`)).body;
const executionsOf = (orderId: string) => stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId: string }).orderId === orderId);
const subjects = async (userId: string) => ((await apiAs(stack, userId).get('/notifications?limit=100')).body.items as { subject: string }[]).map((n) => n.subject);

describe('credit stage', () => {
  it('R-CREDIT-4: within the limit the exposure is reserved with the order; GET /customers/{id}/credit shows limit, exposure, available and the open item behind them', async () => {
    const customerId = await customerWith('Within Limit Co', { limit: 50_000 });
    const { orderId, gross } = await reviewedOrder(customerId);
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'GOODS_RESERVED', credit: { outcome: 'RESERVED', basis: 'CREDIT', reserved: { amountMinor: gross, currency: 'CNY' } } });
    // Its workflow goes on: it waits for the delivery.
    expect(executionsOf(orderId).map((e) => e.status)).toEqual(['RUNNING']);

    const credit = await creditOf(customerId);
    expect(credit).toMatchObject({
      creditStatus: 'APPROVED',
      rating: 'A',
      limit: yuan(50_000),
      exposure: { amountMinor: gross },
      reservedForOrders: { amountMinor: gross },
      receivables: { amountMinor: 0 },
      available: { amountMinor: 5_000_000 - gross },
      overdue: { amountMinor: 0 },
      hold: null,
    });
    expect(credit.openItems).toEqual([{ kind: 'ORDER', reference: orderId, amount: { amountMinor: gross, currency: 'CNY' }, openedAt: expect.any(String) }]);
    // The owner rep reads it; another rep may not (R-INFO-2); reads by others are logged.
    expect((await apiAs(stack, REP).get(`/customers/${customerId}/credit`)).status).toBe(200);
    expect((await apiAs(stack, 'li.na').get(`/customers/${customerId}/credit`)).status).toBe(403);
    const log = (await apiAs(stack, 'liu.yang').get(`/customers/${customerId}/access-log`)).body.items as { by: { userId: string }; what: string }[];
    expect(log.map((e) => `${e.by.userId}: ${e.what}`)).toContain(`${FINANCE}: creditPosition`);
    expect(await subjects(REP)).toContain(`Order ${orderId}: credit approved`);
  });

  it('R-CREDIT-4: over the limit by up to 20% the finance manager decides; approval reserves above the limit and names the decision on the open item', async () => {
    const customerId = await customerWith('Slightly Over Co', { limit: 22_000 });
    const first = await reviewedOrder(customerId);
    expect((await orderOf(first.orderId)).status).toBe('GOODS_RESERVED');
    // A second order of the same size takes exposure over 22,000.00 by less than 20% of it.
    const second = await reviewedOrder(customerId);
    let order = await orderOf(second.orderId);
    const overBy = 2 * first.gross - 2_200_000;
    expect(overBy).toBeGreaterThan(0);
    expect(overBy * 100).toBeLessThanOrEqual(2_200_000 * 20);
    expect(order).toMatchObject({ status: 'CREDIT_REVIEW', credit: { outcome: 'OVER_LIMIT', overBy: { amountMinor: overBy }, approverRole: 'finance_manager', reason: expect.stringContaining('R-CREDIT-4') } });
    expect(await openTaskAbout(stack, GM, second.orderId)).toBeUndefined();
    const task = await openTaskAbout(stack, FINANCE_MANAGER, second.orderId);
    expect(task).toMatchObject({ type: 'CREDIT_APPROVAL', assigneeRole: 'finance_manager', details: { limit: '22000.00 CNY', exposure: `${(first.gross / 100).toFixed(2)} CNY` } });
    // Finance may not decide it; the finance manager approves.
    expect((await apiAs(stack, FINANCE).post(`/tasks/${task.taskId}/decision`, { outcome: 'APPROVED' })).status).toBe(403);
    expect((await apiAs(stack, FINANCE_MANAGER).post(`/tasks/${task.taskId}/decision`, { outcome: 'RETURNED', comment: 'x' })).status).toBe(400);
    expect((await decideTaskAbout(stack, FINANCE_MANAGER, second.orderId, { outcome: 'APPROVED', comment: 'seasonal peak, pays on time' })).res.status).toBe(200);

    order = await orderOf(second.orderId);
    expect(order).toMatchObject({ status: 'GOODS_RESERVED', credit: { outcome: 'RESERVED', approval: { decidedBy: { userId: FINANCE_MANAGER }, comment: 'seasonal peak, pays on time' } } });
    const credit = await creditOf(customerId);
    expect(credit.exposure.amountMinor).toBe(2 * first.gross);
    expect(credit.available.amountMinor).toBe(-overBy);
    expect(credit.openItems.find((i: { reference: string }) => i.reference === second.orderId).approval).toMatchObject({ decidedBy: { userId: FINANCE_MANAGER } });
  });

  it('R-CREDIT-4: over the limit by more than 20% the GM decides; a refusal returns the order to its rep with the reason and reserves nothing', async () => {
    const customerId = await customerWith('Far Over Co', { limit: 5_000 });
    const { orderId } = await reviewedOrder(customerId);
    expect(await orderOf(orderId)).toMatchObject({ status: 'CREDIT_REVIEW', credit: { approverRole: 'general_manager' } });
    expect(await openTaskAbout(stack, FINANCE_MANAGER, orderId)).toBeUndefined();
    expect((await decideTaskAbout(stack, GM, orderId, { outcome: 'REJECTED' })).res.status).toBe(400);
    expect((await decideTaskAbout(stack, GM, orderId, { outcome: 'REJECTED', comment: 'ask for prepayment' })).res.status).toBe(200);
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'RETURNED', credit: { outcome: 'REFUSED', reason: 'credit refused: ask for prepayment' } });
    expect((await creditOf(customerId)).exposure.amountMinor).toBe(0);
    expect(await subjects(REP)).toContain(`Order ${orderId} returned by credit`);
    // The rep switches to prepayment and submits again: the next round waits for the prepayment.
    expect((await rep().patch(`/orders/${orderId}`, { paymentMethod: 'prepaid' })).status).toBe(200);
    expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(202);
    await decideTaskAbout(stack, DESK, orderId, { outcome: 'APPROVED' });
    expect(await orderOf(orderId)).toMatchObject({ status: 'AWAITING_PREPAYMENT', credit: { outcome: 'PREPAYMENT' } });
  });

  it('R-CREDIT-3: a credit sale without a contract in force is refused back to its rep with the reason', async () => {
    const customerId = await customerWith('No Contract Co', { limit: 100_000 });
    const created = await rep().post('/orders', completeOrder(customerId));
    const orderId = created.body.orderId as string;
    expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(202);
    await stack.stepFunctions.idle(); // at the order desk
    // While the order is in review, finance records that the contract is no longer on file.
    const customer = await apiAs(stack, FINANCE).get(`/customers/${customerId}`);
    const cut = await apiAs(stack, FINANCE).patch(`/customers/${customerId}/credit-profile`, { contract: null, reason: 'contract withdrawn by the customer' }, { 'if-match': customer.headers.get('etag')! });
    expect(cut.status, JSON.stringify(cut.body)).toBe(200);
    await decideTaskAbout(stack, DESK, orderId, { outcome: 'APPROVED' });
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'RETURNED', credit: { outcome: 'REFUSED', reason: expect.stringContaining('no signed sales contract is on file') } });
    expect(order.credit.reason).toContain('R-CREDIT-3');
    expect((await creditOf(customerId)).exposure.amountMinor).toBe(0);
  });

  it('R-CREDIT-6, R-BILL-2: a C-rated customer without a guarantee prepays; recording the payment ahead for the order confirms it, and the order is cleared without exposure', async () => {
    const customerId = await customerWith('C Rated Co', { limit: 100_000, rating: 'C', prepaymentRequired: true });
    const { orderId, gross } = await reviewedOrder(customerId);
    expect(await orderOf(orderId)).toMatchObject({ status: 'AWAITING_PREPAYMENT', credit: { outcome: 'PREPAYMENT', reason: expect.stringContaining('R-CREDIT-6') } });
    const task = await openTaskAbout(stack, FINANCE, orderId);
    expect(task).toMatchObject({ type: 'PREPAYMENT_CONFIRMATION', assigneeRole: 'finance', details: { grossMinor: gross } });
    const short = await apiAs(stack, FINANCE).post(`/tasks/${task.taskId}/decision`, { outcome: 'APPROVED', amount: { amountMinor: gross - 1, currency: 'CNY' }, reference: 'BANK-1', receivedOn: '2026-11-20' });
    expect(short.status).toBe(400);
    expect(short.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.amount.amountMinor']);
    const missing = await apiAs(stack, FINANCE).post(`/tasks/${task.taskId}/decision`, { outcome: 'APPROVED' });
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.amount', 'body.receivedOn', 'body.reference']);
    // A bank reference alone confirms nothing: the prepayment is a payment recorded with its receipt (R-BILL-2).
    const unrecorded = await apiAs(stack, FINANCE).post(`/tasks/${task.taskId}/decision`, { outcome: 'APPROVED', amount: { amountMinor: gross, currency: 'CNY' }, reference: 'ICBC-20261120-0042', receivedOn: '2026-11-20' });
    expect(unrecorded.status).toBe(400);
    expect(unrecorded.body.errors).toEqual([expect.objectContaining({ field: 'body.reference', code: 'not_paid' })]);
    // Finance records the transfer ahead for the order: that confirms the prepayment and the order goes on.
    const paid = await apiAs(stack, FINANCE).post('/payments', { customerId, orderId, method: 'BANK_TRANSFER', bankReference: 'ICBC-20261120-0042', amount: { amountMinor: gross, currency: 'CNY' }, receivedOn: '2026-11-20' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    await stack.stepFunctions.idle();
    const order = await orderOf(orderId);
    expect(order).toMatchObject({
      status: 'GOODS_RESERVED',
      credit: { outcome: 'CLEARED', basis: 'PREPAID', prepayment: { reference: paid.body.receiptNumber, amount: { amountMinor: gross }, confirmedBy: { userId: FINANCE } } },
    });
    expect((await apiAs(stack, FINANCE).get(`/customers/${customerId}/ledger`)).body).toMatchObject({ balance: { amountMinor: -gross }, customerCredit: { amountMinor: gross } });
    expect(order.credit.reserved).toBeUndefined();
    expect((await creditOf(customerId)).exposure.amountMinor).toBe(0);
  });

  it('R-CREDIT-6: a prepaid order waits for the prepayment; finance can refuse it (not received) and the order goes back to its rep; cash on pickup needs no credit', async () => {
    const customerId = await customerWith('Prepaid Co', { limit: 100_000 });
    const prepaid = await reviewedOrder(customerId, { paymentMethod: 'prepaid' });
    expect((await orderOf(prepaid.orderId)).status).toBe('AWAITING_PREPAYMENT');
    await decideTaskAbout(stack, FINANCE, prepaid.orderId, { outcome: 'REJECTED', comment: 'customer withdrew the transfer' });
    expect(await orderOf(prepaid.orderId)).toMatchObject({ status: 'RETURNED', credit: { reason: 'credit refused: customer withdrew the transfer' } });

    const pickup = await rep().post('/orders', completeOrder(customerId, { paymentMethod: 'cash_on_pickup', delivery: { mode: 'pickup' } }));
    const pickupId = pickup.body.orderId as string;
    expect((await rep().post(`/orders/${pickupId}/submission`)).status).toBe(202);
    await decideTaskAbout(stack, DESK, pickupId, { outcome: 'APPROVED' });
    expect(await orderOf(pickupId)).toMatchObject({ status: 'GOODS_RESERVED', credit: { outcome: 'CLEARED', basis: 'CASH_ON_PICKUP' } });
    expect((await creditOf(customerId)).exposure.amountMinor).toBe(0);
  });

  it('R-CREDIT-5: finance puts a customer on hold (rep and VP told); orders wait in CREDIT_HOLD; only the GM lifts it, and the waiting orders are checked again', async () => {
    const customerId = await customerWith('Held Co', { limit: 100_000 });
    expect((await apiAs(stack, REP).post(`/customers/${customerId}/credit-hold`, { reason: 'x' })).status).toBe(403);
    expect((await apiAs(stack, FINANCE).post(`/customers/${customerId}/credit-hold`, {})).body.errors.map((e: { field: string }) => e.field)).toEqual(['body.reason']);
    const held = await apiAs(stack, FINANCE).post(`/customers/${customerId}/credit-hold`, { reason: 'cheque bounced' });
    expect(held.status).toBe(200);
    expect(held.body.hold).toMatchObject({ kind: 'MANUAL', reason: 'cheque bounced', setBy: { userId: FINANCE } });
    expect((await apiAs(stack, FINANCE).post(`/customers/${customerId}/credit-hold`, { reason: 'again' })).status).toBe(409);
    expect(await subjects(REP)).toContain('Credit hold: Held Co');
    expect(await subjects(VP)).toContain('Credit hold: Held Co');

    const first = await reviewedOrder(customerId);
    const second = await reviewedOrder(customerId, { paymentMethod: 'cash_on_pickup', delivery: { mode: 'pickup' } });
    for (const o of [first, second]) expect(await orderOf(o.orderId)).toMatchObject({ status: 'CREDIT_HOLD', credit: { outcome: 'HOLD', reason: expect.stringContaining('cheque bounced') } });
    // A hold wait is in nobody's queue.
    expect(await openTaskAbout(stack, GM, first.orderId)).toBeUndefined();

    // The rep cancels one while it waits; its workflow ends.
    expect((await rep().post(`/orders/${second.orderId}/cancellation`, { reason: 'customer collects elsewhere' })).status).toBe(200);
    await stack.stepFunctions.idle();
    expect((await orderOf(second.orderId)).status).toBe('CANCELLED');
    expect(executionsOf(second.orderId).map((e) => e.status)).toEqual(['SUCCEEDED']);

    expect((await apiAs(stack, FINANCE).post(`/customers/${customerId}/credit-hold/lift`, { reason: 'paid' })).status).toBe(403);
    const lifted = await apiAs(stack, GM).post(`/customers/${customerId}/credit-hold/lift`, { reason: 'bank confirmed the replacement transfer' });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ hold: null, resumedOrders: [first.orderId] });
    await stack.stepFunctions.idle();
    expect(await orderOf(first.orderId)).toMatchObject({ status: 'GOODS_RESERVED', credit: { outcome: 'RESERVED', attempt: 2 } });
    expect((await apiAs(stack, GM).post(`/customers/${customerId}/credit-hold/lift`, { reason: 'again' })).status).toBe(409);
    expect(await subjects(VP)).toContain('Credit hold lifted: Held Co');
    const history = (await apiAs(stack, 'liu.yang').get(`/customers/${customerId}/history?limit=100`)).body.items.map((e: { action: string; by: { userId: string } }) => `${e.by.userId}: ${e.action}`);
    expect(history).toEqual(expect.arrayContaining([`${FINANCE}: credit hold set (manual)`, `${GM}: credit hold lifted`]));
  });

  it('R-CREDIT-5: the daily job puts a customer with an invoice more than 30 days past due on hold, once; 30 days is not yet more', async () => {
    const late = await customerWith('Late Payer Co', { limit: 100_000 });
    const punctual = await customerWith('Just In Time Co', { limit: 100_000 });
    // Invoices as billing issues them (the billing area calls receivableItems in its invoice transaction).
    await invoice(late, 'IN-2026-000901', 1_000_000, addDays(businessDate(), -31));
    await invoice(late, 'IN-2026-000902', 500_000, addDays(businessDate(), 10));
    await invoice(punctual, 'IN-2026-000903', 700_000, addDays(businessDate(), -30));

    expect(await stack.runJob('credit-holds-due')).toMatchObject({ overdueInvoices: 1, held: 1, alreadyHeld: 0, failed: 0 });
    const credit = await creditOf(late);
    expect(credit.hold).toMatchObject({ kind: 'OVERDUE', setBy: { userId: 'system' }, reason: expect.stringContaining('IN-2026-000901 10000.00 CNY') });
    expect(credit).toMatchObject({ exposure: { amountMinor: 1_500_000 }, receivables: { amountMinor: 1_500_000 }, overdue: { amountMinor: 1_000_000 } });
    expect(credit.openItems.find((i: { reference: string }) => i.reference === 'IN-2026-000901')).toMatchObject({ kind: 'INVOICE', daysOverdue: 31 });
    expect((await creditOf(punctual)).hold).toBeNull();
    expect(await subjects(REP)).toContain('Credit hold: Late Payer Co');
    expect(await subjects(VP)).toContain('Credit hold: Late Payer Co');
    // Run again the same day: nothing new.
    expect(await stack.runJob('credit-holds-due')).toMatchObject({ held: 0, alreadyHeld: 1 });
    // No order of the customer passes credit meanwhile.
    const { orderId } = await reviewedOrder(late);
    expect((await orderOf(orderId)).status).toBe('CREDIT_HOLD');
  });

  it('R-CREDIT-7: a limit lowered below the exposure sends the reserved orders to a credit decision; one approved keeps its reservation, one refused releases it', async () => {
    const customerId = await customerWith('Lowered Co', { limit: 100_000 });
    const a = await reviewedOrder(customerId);
    const b = await reviewedOrder(customerId);
    const customer = await apiAs(stack, FINANCE).get(`/customers/${customerId}`);
    const lowered = await apiAs(stack, FINANCE).patch(
      `/customers/${customerId}/credit-profile`,
      { limit: yuan(a.gross / 100), reason: 'payment delays reported by the bank' },
      { 'if-match': customer.headers.get('etag')! },
    );
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    await stack.stepFunctions.idle();
    const credit = await creditOf(customerId);
    expect(credit).toMatchObject({ limit: { amountMinor: a.gross }, exposure: { amountMinor: a.gross + b.gross }, available: { amountMinor: -b.gross } });
    for (const o of [a, b]) {
      expect(await orderOf(o.orderId)).toMatchObject({ status: 'CREDIT_REVIEW', credit: { outcome: 'OVER_LIMIT', reserved: { amountMinor: o.gross }, reason: expect.stringContaining('R-CREDIT-7') } });
    }
    // Over by b.gross on a limit of a.gross: 100% over, so the GM decides.
    expect(await openTaskAbout(stack, GM, a.orderId)).toMatchObject({ type: 'CREDIT_APPROVAL' });
    await decideTaskAbout(stack, GM, a.orderId, { outcome: 'APPROVED', comment: 'long-standing customer' });
    await decideTaskAbout(stack, GM, b.orderId, { outcome: 'REJECTED', comment: 'wait for payment of the open invoices' });
    expect(await orderOf(a.orderId)).toMatchObject({ status: 'GOODS_RESERVED', credit: { reserved: { amountMinor: a.gross }, approval: { decidedBy: { userId: GM } } } });
    const refused = await orderOf(b.orderId);
    expect(refused).toMatchObject({ status: 'RETURNED', credit: { outcome: 'REFUSED' } });
    expect(refused.credit.reserved).toBeUndefined();
    const after = await creditOf(customerId);
    expect(after).toMatchObject({ exposure: { amountMinor: a.gross }, available: { amountMinor: 0 } });
    expect(after.openItems.map((i: { reference: string }) => i.reference)).toEqual([a.orderId]);
    expect(await subjects(REP)).toContain('Credit reduced: Lowered Co');
  });

  it('R-CREDIT-4, R-INTAKE-6: an approved change gives back the reservation; an amendment is checked again with its new amount, a cancellation releases it', async () => {
    const customerId = await customerWith('Changed Credit Co', { limit: 100_000 });
    const amended = await reviewedOrder(customerId);
    const cancelled = await reviewedOrder(customerId);
    const change = await rep().post(`/orders/${amended.orderId}/change-requests`, {
      kind: 'amend',
      changes: { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '2' }] },
      reason: 'the plate is no longer needed',
    });
    expect(change.status, JSON.stringify(change.body)).toBe(202);
    await decideTaskAbout(stack, DESK, amended.orderId, { outcome: 'APPROVED' });
    const order = await orderOf(amended.orderId);
    expect(order).toMatchObject({ status: 'GOODS_RESERVED', credit: { outcome: 'RESERVED', reserved: { amountMinor: order.totals.gross.amountMinor } } });
    expect(order.totals.gross.amountMinor).toBeLessThan(amended.gross);

    expect((await rep().post(`/orders/${cancelled.orderId}/change-requests`, { kind: 'cancel', reason: 'customer project stopped' })).status).toBe(202);
    await decideTaskAbout(stack, DESK, cancelled.orderId, { outcome: 'APPROVED' });
    expect((await orderOf(cancelled.orderId)).status).toBe('CANCELLED');
    const credit = await creditOf(customerId);
    expect(credit.exposure.amountMinor).toBe(order.totals.gross.amountMinor);
    expect(credit.openItems.map((i: { reference: string }) => i.reference)).toEqual([amended.orderId]);
  });

  it('every credit wait has a timeout: the finance manager → the GM → back to the rep, visibly; a hold wait ends after 90 days', async () => {
    const customerId = await customerWith('Slow Decision Co', { limit: 100 });
    const { orderId } = await reviewedOrder(customerId, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }] });
    // 250.00 + VAT on a 100.00 limit is more than 20% over: straight to the GM.
    expect((await orderOf(orderId)).credit.approverRole).toBe('general_manager');
    await stack.stepFunctions.expireDue(new Date(Date.now() + 2 * DAY + 60_000));
    await stack.stepFunctions.idle();
    expect(await orderOf(orderId)).toMatchObject({ status: 'RETURNED', credit: { reason: expect.stringContaining('no credit decision was made in time') } });
    expect(await openTaskAbout(stack, GM, orderId)).toBeUndefined();

    const other = await customerWith('Slow Manager Co', { limit: 260 });
    const slow = await reviewedOrder(other, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }] });
    expect((await orderOf(slow.orderId)).credit.approverRole).toBe('finance_manager');
    await stack.stepFunctions.expireDue(new Date(Date.now() + 2 * DAY + 60_000));
    await stack.stepFunctions.idle();
    expect(await openTaskAbout(stack, FINANCE_MANAGER, slow.orderId)).toBeUndefined();
    expect(await openTaskAbout(stack, GM, slow.orderId)).toMatchObject({ type: 'CREDIT_APPROVAL', escalatedFrom: 'finance_manager' });
    await stack.stepFunctions.expireDue(new Date(Date.now() + 5 * DAY));
    await stack.stepFunctions.idle();
    expect((await orderOf(slow.orderId)).status).toBe('RETURNED');

    const heldCustomer = await customerWith('Long Hold Co', { limit: 100_000 });
    await apiAs(stack, FINANCE).post(`/customers/${heldCustomer}/credit-hold`, { reason: 'insolvency rumours' });
    const held = await reviewedOrder(heldCustomer);
    expect((await orderOf(held.orderId)).status).toBe('CREDIT_HOLD');
    await stack.stepFunctions.expireDue(new Date(Date.now() + 91 * DAY));
    await stack.stepFunctions.idle();
    expect(await orderOf(held.orderId)).toMatchObject({ status: 'RETURNED', credit: { reason: expect.stringContaining('the credit hold was not lifted in time') } });
  });
});
