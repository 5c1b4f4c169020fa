/**
 * Credit notes for sales allowances (R-BILL-4) through the real approval ASL (CreditNoteApproval),
 * over HTTP as the rep, the clerk, finance, the sales manager and the general manager; their
 * reversal (R-BILL-5). After every scenario the credit, stock and receivables invariants hold,
 * including Σ CREDIT_NOTE entries = −Σ credit notes issued and settled + customer credit = amount.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, decideTaskAbout, openTaskAbout, seedCatalogueAndPrices, yuan, expectStatus, deliveredOrder as deliveredOrderOf } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const OTHER_REP = 'li.na';
const CLERK = 'zhao.min';
const MANAGER = 'liu.yang';
const GM = 'zhou.wei';
const FINANCE = 'wu.fang';
const WAREHOUSE = 'feng.lei';

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});
afterEach(async () => {
  setClock(undefined);
  await expectInvariantsHold(stack);
});

const ok = (res: Promise<{ status: number; body: any }>, status?: number) => expectStatus(stack, res, status);

const deliveredOrder = (customerId: string, lines?: unknown[]) => deliveredOrderOf(stack, REP, customerId, lines);

const invoiceOf = async (orderId: string) => {
  const order = (await as(FINANCE).get(`/orders/${orderId}`)).body;
  return (await as(FINANCE).get(`/invoices/${order.billing.invoices[0]}`)).body;
};
const creditOf = async (customerId: string) => (await as(FINANCE).get(`/customers/${customerId}/credit`)).body;
const ledgerOf = async (customerId: string) => (await as(FINANCE).get(`/customers/${customerId}/ledger?limit=50`)).body;
const entries = (ledger: { entries: { seq: number; kind: string; amount: { amountMinor: number }; reference: string }[] }) => ledger.entries.map((e) => `${e.seq} ${e.kind} ${e.amount.amountMinor} ${e.reference}`);
const subjects = async (userId: string) => ((await as(userId).get('/notifications?limit=100')).body.items as { subject: string }[]).map((n) => n.subject);
const ask = (by: string, invoiceId: string, amount: { amountMinor: number; currency: string }, reason = 'price concession agreed for a late delivery') => as(by).post('/credit-notes', { invoiceId, amount, reason });
const pay = (customerId: string, amount: { amountMinor: number; currency: string }, receivedOn: string) =>
  ok(as(FINANCE).post('/payments', { customerId, method: 'BANK_TRANSFER', bankReference: `BK-${Math.random().toString(36).slice(2, 10)}`, amount, receivedOn }), 201);

describe('credit notes (R-BILL-4)', () => {
  it('R-BILL-4, R-BILL-5: an allowance up to the threshold goes to the sales manager only; issued, it settles the invoice, lowers the receivable and the exposure, and is one CREDIT_NOTE entry', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Allowance Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId));
    expect(invoice.gross).toEqual(yuan(12_430));

    const asked = await ok(ask(REP, invoice.invoiceId, yuan(1_000)), 202);
    expect(asked).toMatchObject({ source: 'ALLOWANCE', status: 'PENDING_APPROVAL', approvers: ['sales_manager'], customerId, invoiceId: invoice.invoiceId, amount: yuan(1_000) });
    expect(asked.creditNoteId).toMatch(/^CN-\d{4}-\d{6}$/);
    // Waiting: nothing in the ledger yet, and only the sales manager is asked.
    expect(entries(await ledgerOf(customerId))).toHaveLength(1);
    expect(await openTaskAbout(stack, GM, asked.creditNoteId)).toBeUndefined();
    const { task, res } = await decideTaskAbout(stack, MANAGER, asked.creditNoteId, { outcome: 'APPROVED', comment: 'agreed with the customer' });
    expect(res.status).toBe(200);
    expect(task).toMatchObject({ type: 'CREDIT_NOTE_APPROVAL', subject: { kind: 'creditNote' }, details: { invoiceId: invoice.invoiceId, amount: yuan(1_000), invoiceOutstanding: yuan(12_430) } });

    const issued = (await as(REP).get(`/credit-notes/${asked.creditNoteId}`)).body;
    expect(issued).toMatchObject({ status: 'ISSUED', settled: yuan(1_000), customerCredit: yuan(0), decisions: [{ outcome: 'APPROVED', decidedBy: { userId: MANAGER } }] });
    expect(issued.issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The invoice's outstanding goes down by it, settled by the credit note.
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body).toMatchObject({
      status: 'OPEN',
      outstanding: yuan(11_430),
      settlements: [{ kind: 'CREDIT_NOTE', reference: asked.creditNoteId, amount: yuan(1_000) }],
    });
    // R-CREDIT-4: the receivable and the exposure go down with it.
    expect(await creditOf(customerId)).toMatchObject({ receivables: yuan(11_430), exposure: yuan(11_430) });
    // R-BILL-5: one entry, the balance moved with it.
    const ledger = await ledgerOf(customerId);
    expect(ledger.balance).toEqual(yuan(11_430));
    expect(entries(ledger)).toEqual([`2 CREDIT_NOTE -100000 ${asked.creditNoteId}`, `1 INVOICE 1243000 ${invoice.invoiceId}`]);
    expect(ledger.entries[0].by.userId).toBe(MANAGER);

    const history = (await as(FINANCE).get(`/credit-notes/${asked.creditNoteId}/history`)).body.items.map((e: { action: string }) => e.action);
    expect(history[0]).toBe('credit note requested');
    expect(history.at(-1)).toBe('credit note issued');
    expect(history.some((h: string) => h.includes('APPROVED (agreed with the customer)'))).toBe(true);
    expect(await subjects(REP)).toContain(`Credit note issued: ${asked.creditNoteId}`);
    expect((await subjects(FINANCE)).some((s) => s.startsWith(`Credit note issued: ${asked.creditNoteId}`))).toBe(true);
    const list = (await as(REP).get(`/credit-notes?customerId=${customerId}`)).body;
    expect(list.items.map((n: { creditNoteId: string }) => n.creditNoteId)).toEqual([asked.creditNoteId]);
  });

  it('R-BILL-4: above the threshold the general manager approves, not the sales manager; what exceeds the outstanding stays as customer credit, which the next invoice uses', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Big Allowance Co');
    // 20 t at 4,000.00 + 13% VAT = 90,400.00; 40,000.00 paid already.
    const invoice = await invoiceOf(await deliveredOrder(customerId, [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '20' }]));
    expect(invoice.gross).toEqual(yuan(90_400));
    await pay(customerId, yuan(40_000), invoice.issuedOn);

    // 60,000.00 > 50,000.00 (creditNoteGmAboveMinor): the general manager.
    const asked = await ok(ask(CLERK, invoice.invoiceId, yuan(60_000), 'quality discount: surface rust on the whole lot'), 202);
    expect(asked.approvers).toEqual(['general_manager']);
    expect(await openTaskAbout(stack, MANAGER, asked.creditNoteId)).toBeUndefined();
    await decideTaskAbout(stack, GM, asked.creditNoteId, { outcome: 'APPROVED' });
    const issued = (await as(FINANCE).get(`/credit-notes/${asked.creditNoteId}`)).body;
    expect(issued).toMatchObject({ status: 'ISSUED', settled: yuan(50_400), customerCredit: yuan(9_600) });
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body).toMatchObject({ status: 'PAID', outstanding: yuan(0) });
    const ledger = await ledgerOf(customerId);
    expect(ledger).toMatchObject({ balance: yuan(-9_600), customerCredit: yuan(9_600) });
    expect(ledger.entries[0]).toMatchObject({ kind: 'CREDIT_NOTE', amount: yuan(-60_000), allocations: [{ invoiceId: invoice.invoiceId, amount: yuan(50_400) }] });
    expect(await creditOf(customerId)).toMatchObject({ receivables: yuan(0), exposure: yuan(0) });

    // R-BILL-3: the next invoice uses the customer credit first.
    const next = await invoiceOf(await deliveredOrder(customerId, [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '1' }]));
    expect(next).toMatchObject({ gross: yuan(4_520), outstanding: yuan(0), status: 'PAID', settlements: [{ kind: 'CUSTOMER_CREDIT', reference: asked.creditNoteId, amount: yuan(4_520) }] });
    expect((await ledgerOf(customerId)).customerCredit).toEqual(yuan(5_080));

    // Nobody approves their own: a sales manager's request goes to the general manager, whatever the amount.
    const own = await ok(ask(MANAGER, next.invoiceId, yuan(100)), 202);
    expect(own.approvers).toEqual(['general_manager']);
    await decideTaskAbout(stack, GM, own.creditNoteId, { outcome: 'REJECTED', comment: 'not needed' });
  });

  it('R-BILL-4: refused or not decided in time, nothing reaches the ledger, the requester is told, and the invoice can be credited that much again', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Refused Allowance Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId));
    const before = await ledgerOf(customerId);

    const refused = await ok(ask(REP, invoice.invoiceId, yuan(12_430)), 202);
    // All of the invoice is claimed while it waits: nothing more can be asked.
    const more = await ask(CLERK, invoice.invoiceId, yuan(1));
    expect(more.status).toBe(400);
    expect(more.body.errors).toEqual([expect.objectContaining({ field: 'body.amount.amountMinor', code: 'over_credited' })]);
    await decideTaskAbout(stack, MANAGER, refused.creditNoteId, { outcome: 'REJECTED', comment: 'the delay was the customer’s own' });
    expect((await as(REP).get(`/credit-notes/${refused.creditNoteId}`)).body).toMatchObject({ status: 'REFUSED', endReason: expect.stringContaining('the delay was the customer’s own') });
    expect(await ledgerOf(customerId)).toEqual(before);
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body).toMatchObject({ outstanding: yuan(12_430), settlements: [] });
    expect(await subjects(REP)).toContain(`Credit note refused: ${refused.creditNoteId}`);

    // Not decided in 3 days: it expires, the same way.
    const undecided = await ok(ask(REP, invoice.invoiceId, yuan(12_430)), 202);
    await stack.stepFunctions.expireDue(new Date(Date.now() + 3 * 24 * 3600 * 1000 + 60_000));
    await stack.stepFunctions.idle();
    expect((await as(REP).get(`/credit-notes/${undecided.creditNoteId}`)).body).toMatchObject({ status: 'EXPIRED', endReason: expect.stringContaining('not decided in time') });
    expect(await ledgerOf(customerId)).toEqual(before);
    expect(await subjects(REP)).toContain(`Credit note not decided in time: ${undecided.creditNoteId}`);
    // The undecided task left the sales manager's queue.
    expect(await openTaskAbout(stack, MANAGER, undecided.creditNoteId)).toBeUndefined();
    // Given back: the whole invoice can be credited again.
    const again = await ok(ask(REP, invoice.invoiceId, yuan(12_430)), 202);
    await decideTaskAbout(stack, MANAGER, again.creditNoteId, { outcome: 'REJECTED', comment: 'no' });
  });

  it('R-BILL-4: two requests at the same moment never together credit more than the invoice', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Race Allowance Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId));
    const answers = await Promise.all([ask(REP, invoice.invoiceId, yuan(7_000)), ask(CLERK, invoice.invoiceId, yuan(7_000)), ask(FINANCE, invoice.invoiceId, yuan(7_000))]);
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 202)) expect([400, 409]).toContain(a.status);
    await decideTaskAbout(stack, MANAGER, accepted[0]!.body.creditNoteId, { outcome: 'APPROVED' });
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body.outstanding).toEqual(yuan(5_430));
  });

  it('R-BILL-4: who may ask (403) and bad input (400 naming every field), with nothing written', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Careful Allowance Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId));
    const snapshot = await snapshotTables(stack);
    expect((await ask(OTHER_REP, invoice.invoiceId, yuan(10))).status).toBe(403);
    expect((await ask(WAREHOUSE, invoice.invoiceId, yuan(10))).status).toBe(403);
    expect((await ask(GM, invoice.invoiceId, yuan(10))).status).toBe(403);
    const bad = await as(REP).post('/credit-notes', { invoiceId: 'INV-1', amount: { amountMinor: 0, currency: 'cny' }, surprise: true });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.amount.amountMinor', 'body.amount.currency', 'body.invoiceId', 'body.reason', 'body.surprise']);
    const unknown = await ask(REP, 'INV-2026-999999', yuan(10));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'body.invoiceId', code: 'unknown_invoice' })]);
    const over = await ask(REP, invoice.invoiceId, yuan(12_430.01));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([expect.objectContaining({ field: 'body.amount.amountMinor', code: 'over_credited' })]);
    const usd = await ask(REP, invoice.invoiceId, { amountMinor: 100, currency: 'USD' });
    expect(usd.body.errors).toEqual([expect.objectContaining({ field: 'body.amount.currency' })]);
    expect(await snapshotTables(stack)).toEqual(snapshot);
    // A rep reads own customers' credit notes only.
    expect((await as(OTHER_REP).get(`/credit-notes?customerId=${customerId}`)).status).toBe(403);
  });
});

describe('reversal of a credit note (R-BILL-5)', () => {
  it('R-BILL-5: a mistaken credit note is reversed by a REVERSAL entry while its effect is unused: the invoice opens again, its customer credit goes; once its credit is used it cannot be', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Mistaken Allowance Co');
    const plate = [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '1' }];
    const invoice = await invoiceOf(await deliveredOrder(customerId, plate));
    await pay(customerId, yuan(4_000), invoice.issuedOn);
    const cn = await ok(ask(CLERK, invoice.invoiceId, yuan(1_000), 'keyed against the wrong invoice'), 202);
    await decideTaskAbout(stack, MANAGER, cn.creditNoteId, { outcome: 'APPROVED' });
    expect((await as(FINANCE).get(`/credit-notes/${cn.creditNoteId}`)).body).toMatchObject({ settled: yuan(520), customerCredit: yuan(480) });
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body.status).toBe('PAID');

    expect((await as(REP).post(`/credit-notes/${cn.creditNoteId}/reversal`, { reason: 'wrong invoice' })).status).toBe(403);
    const bad = await as(FINANCE).post(`/credit-notes/${cn.creditNoteId}/reversal`, {});
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.reason']);
    const reversed = await ok(as(FINANCE).post(`/credit-notes/${cn.creditNoteId}/reversal`, { reason: 'keyed against the wrong invoice' }));
    expect(reversed).toMatchObject({ status: 'REVERSED', reversal: { by: { userId: FINANCE }, reason: 'keyed against the wrong invoice' } });
    // Back where it was before the credit note: 520.00 open on the invoice, no customer credit.
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body).toMatchObject({ status: 'OPEN', outstanding: yuan(520) });
    expect(await creditOf(customerId)).toMatchObject({ receivables: yuan(520) });
    const ledger = await ledgerOf(customerId);
    expect(ledger).toMatchObject({ balance: yuan(520), customerCredit: yuan(0) });
    expect(entries(ledger).slice(0, 2)).toEqual([`4 REVERSAL 100000 ${cn.creditNoteId}`, `3 CREDIT_NOTE -100000 ${cn.creditNoteId}`]);
    expect(ledger.entries[0].allocations).toEqual([{ invoiceId: invoice.invoiceId, amount: yuan(-520) }]);
    // Reversed once only.
    expect((await as(FINANCE).post(`/credit-notes/${cn.creditNoteId}/reversal`, { reason: 'again' })).status).toBe(409);

    // A credit note whose customer credit a later invoice used cannot be reversed any more.
    const used = await ok(ask(CLERK, invoice.invoiceId, yuan(1_000)), 202);
    await decideTaskAbout(stack, MANAGER, used.creditNoteId, { outcome: 'APPROVED' });
    await deliveredOrder(customerId, plate);
    const refused = await as(FINANCE).post(`/credit-notes/${used.creditNoteId}/reversal`, { reason: 'changed our mind' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('customer credit has been used');
  });
});
