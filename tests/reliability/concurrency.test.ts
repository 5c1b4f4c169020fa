/**
 * Reliability (issue 8): N = 200 requests at the same moment on one contested resource, through the
 * local gateway against DynamoDB Local, with the real state machines. The two resources an order
 * takes (one customer's credit limit, one product's stock) are contended in
 * tests/workflows/contention.test.ts; here the others:
 * - one invoice receiving 200 payments (R-BILL-2, R-BILL-3, R-BILL-5): never overpaid, the rest is
 *   customer credit, and per customer balance = Σ entries = Σ open items − customer credit;
 * - one task receiving 200 decisions (an order review, a credit approval): exactly one is recorded,
 *   the workflow moves on once, every other answer is a 409 problem, and the task stays DECIDED
 *   (200 identical decisions used to let a repeat send the decision again while the first was still
 *   sending it; the repeat's "stale token" then marked the decided task EXPIRED);
 * - one price list version receiving 200 approvals at each of its two steps (R-PRICE-1).
 * After each test the credit, stock, receivables and task invariants hold (expectInvariantsHold).
 */
import { setTimeout } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { type ApiResponse, apiAs, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, deliveredOrder, expectStatus, openTaskAbout, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';

const N = 200;
const REP = 'wang.qiang';
const DESK = 'chen.jie';
const FINANCE = 'wu.fang';
const FINANCE_MANAGER = 'zheng.hao';
const CLERK = 'zhao.min';
const MANAGER = 'liu.yang';
const GM = 'zhou.wei';

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
});
afterAll(async () => stack?.stop());
afterEach(async () => expectInvariantsHold(stack));

const count = <T>(items: readonly T[], f: (t: T) => boolean) => items.filter(f).length;

/** Every answer but the one that went through: a 409 problem (RFC 9457) that says why. */
function expectConflictProblems(answers: readonly ApiResponse[]): void {
  for (const a of answers) {
    expect(a.status, JSON.stringify(a.body)).toBe(409);
    expect(a.headers.get('content-type')).toContain('application/problem+json');
    expect(a.body).toMatchObject({ status: 409, type: expect.any(String), detail: expect.any(String) });
  }
}

/** N decisions on one task at the same moment; the one that went through and the others. */
async function decideAtOnce(userId: string, taskId: string, bodies: readonly Record<string, unknown>[]) {
  const answers = await Promise.all(bodies.map((body) => as(userId).post(`/tasks/${taskId}/decision`, body)));
  await stack.stepFunctions.idle();
  const won = answers.filter((a) => a.status === 200);
  expect(won, JSON.stringify(answers.filter((a) => a.status !== 409).map((a) => [a.status, a.body]))).toHaveLength(1);
  expectConflictProblems(answers.filter((a) => a.status !== 200));
  const task = won[0]!.body as { taskId: string; status: string; decision: { outcome: string; comment?: string } };
  expect(task).toMatchObject({ taskId, status: 'DECIDED' });
  return task;
}

const historyOf = async (userId: string, path: string) => ((await as(userId).get(`${path}/history?limit=100`)).body.items as { action: string }[]).map((e) => e.action);
const visits = (visited: readonly string[], state: string) => count(visited, (s) => s === state);
const executionOf = (orderId: string) => stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId?: string }).orderId === orderId);

describe(`${N} requests at once on one resource`, () => {
  it(`R-BILL-2, R-BILL-3, R-BILL-5: ${N} payments naming one invoice at once: it is paid exactly, never overpaid; what is left is customer credit; balance = Σ entries = Σ open items − credit`, async () => {
    const customerId = await approvedCustomer(stack, REP, 'Many Payers Co');
    await deliveredOrder(stack, REP, customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' }]);
    const [invoice] = (await as(FINANCE).get(`/invoices?customerId=${customerId}`)).body.items as { invoiceId: string; gross: { amountMinor: number }; issuedOn: string }[];
    // 4 × 250.00 + 13% = 1,130.00: the first payments settle it, the rest must become customer credit.
    expect(invoice!.gross).toEqual(yuan(1_130));
    const amounts = Array.from({ length: N }, (_, i) => 1_000 + 37 * i);
    const total = amounts.reduce((s, a) => s + a, 0);
    expect(total).toBeGreaterThan(invoice!.gross.amountMinor);

    // Each payment is its own receipt with its own key. The client retries a 409 ("try again") with the same key,
    // after a random pause that grows with each attempt (exponential backoff with full jitter, as AWS clients do).
    type Payment = { receiptNumber: string; amount: { amountMinor: number }; allocations: { invoiceId: string; amount: { amountMinor: number } }[]; unallocated: { amountMinor: number } };
    const bodyOf = (amountMinor: number, i: number) => ({
      customerId,
      method: 'BANK_TRANSFER',
      bankReference: `BK-STORM-${i}`,
      amount: { amountMinor, currency: 'CNY' },
      receivedOn: invoice!.issuedOn,
      invoices: [invoice!.invoiceId],
    });
    const answers = await Promise.all(
      amounts.map(async (amountMinor, i) => {
        const body = bodyOf(amountMinor, i);
        const key = `payment-storm-${customerId}-${i}`;
        for (let attempt = 1; ; attempt++) {
          const res = await as(FINANCE).post('/payments', body, { 'idempotency-key': key });
          if (res.status !== 409 || attempt === 100) return { res, body, key };
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          await setTimeout(Math.random() * Math.min(2_000, 25 * 2 ** attempt));
        }
      }),
    );
    await stack.stepFunctions.idle();
    const recorded = answers.filter((a) => a.res.status === 201);
    // The one refusal: a payment naming the invoice after it was paid (400 on body.invoices.0) — it wrote nothing.
    for (const { res } of answers.filter((a) => a.res.status !== 201)) {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.invoices.0', code: 'not_open' })]);
    }
    const payments = recorded.map((r) => r.res.body as Payment);
    expect(new Set(payments.map((p) => p.receiptNumber)).size).toBe(payments.length);
    const allocated = payments.flatMap((p) => p.allocations);
    expect(allocated.every((a) => a.invoiceId === invoice!.invoiceId)).toBe(true);
    for (const p of payments) expect(p.allocations.reduce((s, a) => s + a.amount.amountMinor, 0) + p.unallocated.amountMinor).toBe(p.amount.amountMinor);
    // Never overpaid: Σ allocations = gross, not a fen more.
    expect(allocated.reduce((s, a) => s + a.amount.amountMinor, 0)).toBe(invoice!.gross.amountMinor);
    // What came after the invoice was settled stayed with the customer as credit.
    const creditMinor = payments.reduce((s, p) => s + p.amount.amountMinor, 0) - invoice!.gross.amountMinor;
    expect(creditMinor).toBeGreaterThan(0);
    expect(payments.reduce((s, p) => s + p.unallocated.amountMinor, 0)).toBe(creditMinor);

    const read = (await as(FINANCE).get(`/invoices/${invoice!.invoiceId}`)).body;
    expect(read).toMatchObject({ status: 'PAID', outstanding: yuan(0) });
    expect(read.settlements.reduce((s: number, x: { amount: { amountMinor: number } }) => s + x.amount.amountMinor, 0)).toBe(invoice!.gross.amountMinor);
    expect(read.settlements).toHaveLength(allocated.length);
    const ledger = (await as(FINANCE).get(`/customers/${customerId}/ledger?limit=1`)).body;
    expect(ledger).toMatchObject({ balance: { amountMinor: -creditMinor }, customerCredit: { amountMinor: creditMinor } });
    // One entry per payment after the invoice's: no refused request left an entry, none was written twice.
    expect(ledger.entries[0].seq).toBe(1 + payments.length);
    expect((await as(FINANCE).get(`/customers/${customerId}/credit`)).body).toMatchObject({ receivables: yuan(0), exposure: yuan(0) });

    // A retry of a recorded payment answers the first result and writes nothing.
    const again = await as(FINANCE).post('/payments', recorded[0]!.body, { 'idempotency-key': recorded[0]!.key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.receiptNumber).toBe(payments[0]!.receiptNumber);
    expect((await as(FINANCE).get(`/customers/${customerId}/ledger?limit=1`)).body.entries[0].seq).toBe(1 + payments.length);
  }, 600_000);

  it(`R-REVIEW-3, R-CREDIT-4, R-FULFIL-2: one order review task receives ${N} identical approvals at once (a double click, ${N} times): one decision is recorded, the workflow moves on once, the rest are 409`, async () => {
    const customerId = await approvedCustomer(stack, REP, 'Double Click Co');
    const created = await expectStatus(stack, as(REP).post('/orders', completeOrder(customerId, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '3' }] })), 201);
    const orderId = created.orderId as string;
    await expectStatus(stack, as(REP).post(`/orders/${orderId}/submission`), 202);
    const task = await openTaskAbout(stack, DESK, orderId);
    expect(task).toMatchObject({ type: 'ORDER_REVIEW', status: 'OPEN' });

    const won = await decideAtOnce(DESK, task.taskId, Array.from({ length: N }, () => ({ outcome: 'APPROVED' })));
    expect(won).toMatchObject({ taskId: task.taskId, status: 'DECIDED', decision: { outcome: 'APPROVED' } });

    // The task stays decided, once, and the decision reached the workflow once.
    const tasks = await as(DESK).get('/tasks?limit=100');
    expect(tasks.body.items.some((t: { taskId: string }) => t.taskId === task.taskId)).toBe(false);
    expect(count(await historyOf(REP, `/orders/${orderId}`), (a) => a.startsWith(`${task.title}: `))).toBe(1);
    const order = (await as(REP).get(`/orders/${orderId}`)).body;
    expect(order.status).toBe('GOODS_RESERVED');
    const [execution] = executionOf(orderId);
    for (const state of ['OrderDeskReview', 'AfterOrderDesk', 'FinishApproved', 'CreditCheck', 'ReserveStock']) expect(visits(execution!.visitedStates, state), state).toBe(1);
    // Credit and stock were reserved once: 3 × 282.50.
    expect((await as(FINANCE).get(`/customers/${customerId}/credit`)).body).toMatchObject({ reservedForOrders: yuan(847.5), exposure: yuan(847.5) });
    expect(order.fulfilment.lines).toEqual([expect.objectContaining({ ordered: '3', reserved: '3' })]);
  }, 600_000);

  it(`R-CREDIT-4: one credit approval task receives ${N} decisions at once, approvals and refusals mixed: exactly one is recorded and the order follows that one, the rest are 409`, async () => {
    // A limit of 1,000.00 and an order of 1,130.00: over by 130.00, within 20% — the finance manager decides.
    const customerId = await approvedCustomer(stack, REP, 'Split Vote Co', {}, { creditLimit: yuan(1_000) });
    const created = await expectStatus(stack, as(REP).post('/orders', completeOrder(customerId, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' }] })), 201);
    const orderId = created.orderId as string;
    await expectStatus(stack, as(REP).post(`/orders/${orderId}/submission`), 202);
    const review = await openTaskAbout(stack, DESK, orderId);
    await expectStatus(stack, as(DESK).post(`/tasks/${review.taskId}/decision`, { outcome: 'APPROVED' }));
    expect((await as(REP).get(`/orders/${orderId}`)).body.status).toBe('CREDIT_REVIEW');
    const task = await openTaskAbout(stack, FINANCE_MANAGER, orderId);
    expect(task).toMatchObject({ type: 'CREDIT_APPROVAL', status: 'OPEN' });

    const bodies = Array.from({ length: N }, (_, i) => (i % 2 === 0 ? { outcome: 'APPROVED', comment: `let it through (${i})` } : { outcome: 'REJECTED', comment: `too much (${i})` }));
    const won = await decideAtOnce(FINANCE_MANAGER, task.taskId, bodies);
    expect(bodies.map((b) => JSON.stringify(b))).toContain(JSON.stringify(won.decision));
    expect(count(await historyOf(REP, `/orders/${orderId}`), (a) => a.startsWith(`${task.title}: `))).toBe(1);

    const order = (await as(REP).get(`/orders/${orderId}`)).body;
    const credit = (await as(FINANCE).get(`/customers/${customerId}/credit`)).body;
    const [execution] = executionOf(orderId);
    expect(visits(execution!.visitedStates, 'AfterCreditApproval')).toBe(1);
    if (won.decision.outcome === 'APPROVED') {
      // Let through over the limit by that one decision, reserved once.
      expect(order.status).toBe('GOODS_RESERVED');
      expect(order.credit.approval).toMatchObject({ taskId: task.taskId, comment: won.decision.comment });
      expect(credit.exposure).toEqual(yuan(1_130));
      expect(visits(execution!.visitedStates, 'ReserveApprovedCredit')).toBe(1);
    } else {
      // Refused: back to the rep with that decision's reason, nothing reserved.
      expect(order.status).toBe('RETURNED');
      expect(JSON.stringify(order)).toContain(won.decision.comment!);
      expect(credit.exposure).toEqual(yuan(0));
      expect(visits(execution!.visitedStates, 'CreditRefused')).toBe(1);
    }
  }, 600_000);

  it(`R-PRICE-1: one price list version receives ${N} approvals at once at its review and ${N} at its approval: one approval per step, the version approved once`, async () => {
    const draft = await expectStatus(
      stack,
      as(CLERK).post('/price-lists/GENERAL/versions', {
        effectiveFrom: businessDate(),
        items: [
          { productCode: 'PLATE-Q235', listPrice: yuan(4_100), minimumPrice: yuan(3_900) },
          { productCode: 'VALVE-DN50', specification: 'PN16', listPrice: yuan(260), minimumPrice: yuan(240) },
        ],
      }),
      201,
    );
    const version = draft.version as number;
    await expectStatus(stack, as(CLERK).post(`/price-lists/GENERAL/versions/${version}/submission`), 202);
    const execution = () => stack.stepFunctions.listExecutions().find((e) => e.name === `GENERAL-v${version}-r1`)!;

    const review = await openTaskAbout(stack, MANAGER, 'GENERAL');
    expect(review).toMatchObject({ type: 'PRICE_LIST_REVIEW' });
    await decideAtOnce(MANAGER, review.taskId, Array.from({ length: N }, () => ({ outcome: 'APPROVED' })));
    expect((await as(CLERK).get(`/price-lists/GENERAL/versions/${version}`)).body).toMatchObject({ status: 'AWAITING_APPROVAL', reviewedBy: { userId: MANAGER } });

    const approval = await openTaskAbout(stack, GM, 'GENERAL');
    expect(approval).toMatchObject({ type: 'PRICE_LIST_APPROVAL' });
    await decideAtOnce(GM, approval.taskId, Array.from({ length: N }, () => ({ outcome: 'APPROVED' })));
    expect((await as(CLERK).get(`/price-lists/GENERAL/versions/${version}`)).body).toMatchObject({ status: 'APPROVED', approvedBy: { userId: GM } });

    expect(execution()).toMatchObject({ status: 'SUCCEEDED' });
    expect(execution().visitedStates).toEqual(['ChooseFirstStep', 'WaitForReview', 'ReviewOutcome', 'MarkReviewed', 'WaitForApproval', 'ApprovalOutcome', 'ApproveVersion']);
    const actions = await historyOf(CLERK, '/price-lists/GENERAL');
    expect(count(actions, (a) => a.startsWith(`version ${version} reviewed`))).toBe(1);
    expect(count(actions, (a) => a.startsWith(`version ${version} approved`))).toBe(1);
  }, 600_000);
});
