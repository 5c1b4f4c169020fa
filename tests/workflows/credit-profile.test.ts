/**
 * Finance maintains an approved credit profile between reviews: PATCH /customers/{id}/credit-profile
 * on a local stack (the customer approved through the real credit review workflow first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { setClock } from '../../functions/shared/clock.js';
import { apiAs, creditApproval, newCustomer, openTaskAbout, snapshotTables, startTestStack } from '../support/local-stack.js';

const FINANCE = 'wu.fang';
const FINANCE_MANAGER = 'zheng.hao';
const REP = 'wang.qiang';
const VP = 'sun.li';
const subjects = (res: { body: { items: { subject: string }[] } }) => res.body.items.map((n) => n.subject);

describe('PATCH /customers/{customerId}/credit-profile', () => {
  let stack: LocalStack;
  const profile = (customerId: string) => `/customers/${customerId}/credit-profile`;

  /** A customer of wang.qiang approved by finance: rating B, 300,000.00 CNY, 45 days; returns it as the owner reads it. */
  async function approvedCustomer(name: string) {
    const created = (await apiAs(stack, REP).post('/customers', newCustomer({ name }))).body;
    const task = await openTaskAbout(stack, FINANCE, created.customerId);
    expect((await apiAs(stack, FINANCE).post(`/tasks/${task.taskId}/decision`, creditApproval)).status).toBe(200);
    await stack.stepFunctions.idle();
    const customer = await apiAs(stack, REP).get(`/customers/${created.customerId}`);
    expect(customer.body.credit.status).toBe('APPROVED');
    return { id: created.customerId as string, etag: customer.headers.get('etag')!, version: customer.body.version as number };
  }

  beforeAll(async () => {
    stack = await startTestStack();
    setClock(new Date('2026-11-22T03:00:00Z'));
  });
  afterAll(async () => {
    setClock(undefined);
    await stack?.stop();
  });

  it('R-CREDIT-7, R-INFO-3: finance lowers the limit and shortens terms; the history keeps before, after and the reason; the rep and the VP sales are told', async () => {
    const c = await approvedCustomer('Cut Ltd');
    const res = await apiAs(stack, FINANCE).patch(
      profile(c.id),
      { limit: { amountMinor: 20_000_000, currency: 'CNY' }, paymentTermsDays: 30, contract: null, reason: 'two invoices paid late this quarter' },
      { 'if-match': c.etag },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${c.version + 1}"`);
    expect(res.body.credit).toMatchObject({ status: 'APPROVED', rating: 'B', limit: { amountMinor: 20_000_000, currency: 'CNY' }, paymentTermsDays: 30 });
    expect(res.body.credit.contract).toBeUndefined();

    const last = (await apiAs(stack, REP).get(`/customers/${c.id}/history`)).body.items.at(-1);
    expect(last).toMatchObject({
      by: { userId: FINANCE },
      reason: 'two invoices paid late this quarter',
      action: expect.stringContaining('limit 300000.00 CNY → 200000.00 CNY'),
      before: { credit: { limit: { amountMinor: 30_000_000 }, paymentTermsDays: 45, contract: creditApproval.contract } },
      after: { credit: { limit: { amountMinor: 20_000_000 }, paymentTermsDays: 30 } },
    });
    expect(last.after.credit.contract).toBeUndefined();

    expect(subjects(await apiAs(stack, REP).get('/notifications'))).toContain('Credit reduced: Cut Ltd');
    const vpNote = (await apiAs(stack, VP).get('/notifications')).body.items.find((n: { subject: string }) => n.subject === 'Credit reduced: Cut Ltd');
    expect(vpNote.body).toContain('credit limit lowered from 300000.00 to 200000.00 CNY');
    expect(vpNote.body).toContain('two invoices paid late this quarter');
  });

  it('R-CREDIT-7: finance cannot raise a limit or lengthen terms (403, nothing written); the finance manager can', async () => {
    const c = await approvedCustomer('Growing Ltd');
    const finance = apiAs(stack, FINANCE);
    const before = await snapshotTables(stack);
    const raise = await finance.patch(profile(c.id), { limit: { amountMinor: 50_000_000, currency: 'CNY' }, reason: 'orders doubled' }, { 'if-match': c.etag });
    expect(raise.status).toBe(403);
    expect(raise.body.detail).toContain('raise the credit limit');
    const longer = await finance.patch(profile(c.id), { paymentTermsDays: 60, reason: 'asked for 60 days' }, { 'if-match': c.etag });
    expect(longer.status).toBe(403);
    expect(longer.body.detail).toContain('lengthen payment terms');
    expect(await snapshotTables(stack)).toEqual(before);

    const manager = await apiAs(stack, FINANCE_MANAGER).patch(
      profile(c.id),
      { limit: { amountMinor: 50_000_000, currency: 'CNY' }, paymentTermsDays: 60, reason: 'orders doubled, pays on time' },
      { 'if-match': c.etag },
    );
    expect(manager.status).toBe(200);
    expect(manager.body.credit).toMatchObject({ limit: { amountMinor: 50_000_000 }, paymentTermsDays: 60, contract: creditApproval.contract });
    // A raise is no cut: nobody is alarmed.
    expect(subjects(await apiAs(stack, VP).get('/notifications'))).not.toContain('Credit reduced: Growing Ltd');
  });

  it('only finance and the finance manager change a credit profile: sales roles get 403', async () => {
    const c = await approvedCustomer('Sales Hands Off Ltd');
    for (const userId of [REP, 'zhao.min', 'liu.yang', VP, 'zhou.wei', 'gao.shan']) {
      const res = await apiAs(stack, userId).patch(profile(c.id), { paymentTermsDays: 30, reason: 'try' }, { 'if-match': c.etag });
      expect(res.status, userId).toBe(403);
    }
  });

  it('R-INFO-3: a stale If-Match is 412 and overwrites nothing', async () => {
    const c = await approvedCustomer('Two Clerks Ltd');
    const first = await apiAs(stack, FINANCE).patch(profile(c.id), { paymentTermsDays: 30, reason: 'shorter terms' }, { 'if-match': c.etag });
    expect(first.status).toBe(200);
    const stale = await apiAs(stack, FINANCE_MANAGER).patch(profile(c.id), { paymentTermsDays: 40, reason: 'from an old screen' }, { 'if-match': c.etag });
    expect(stale.status).toBe(412);
    expect((await apiAs(stack, REP).get(`/customers/${c.id}`)).body.credit.paymentTermsDays).toBe(30);
  });

  it('R-CREDIT-6: a C rating without guarantee or prepayment is 400 naming both fields and writes nothing; with prepayment it is kept and the cut announced', async () => {
    const c = await approvedCustomer('Downgraded Ltd');
    await stack.stepFunctions.idle();
    const before = await snapshotTables(stack);
    const bare = await apiAs(stack, FINANCE).patch(profile(c.id), { rating: 'C', reason: 'losses last year' }, { 'if-match': c.etag });
    expect(bare.status).toBe(400);
    expect(bare.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.guaranteeOnFile', 'body.prepaymentRequired']);
    expect(bare.body.errors[0].message).toContain('R-CREDIT-6');
    expect(await snapshotTables(stack)).toEqual(before);

    const secured = await apiAs(stack, FINANCE).patch(profile(c.id), { rating: 'C', prepaymentRequired: true, reason: 'losses last year' }, { 'if-match': c.etag });
    expect(secured.status).toBe(200);
    expect(secured.body.credit).toMatchObject({ rating: 'C', prepaymentRequired: true });
    const repNote = (await apiAs(stack, REP).get('/notifications')).body.items.find((n: { subject: string }) => n.subject === 'Credit reduced: Downgraded Ltd');
    expect(repNote.body).toContain('rating lowered from B to C');
    expect(subjects(await apiAs(stack, VP).get('/notifications'))).toContain('Credit reduced: Downgraded Ltd');

    // Taking prepayment away again while the rating is C, with no guarantee, is refused the same way.
    const undo = await apiAs(stack, FINANCE).patch(profile(c.id), { prepaymentRequired: false, reason: 'oops' }, { 'if-match': secured.headers.get('etag')! });
    expect(undo.status).toBe(400);
  });

  it('R-CREDIT-1: a customer still in its credit review is 409: the review decides', async () => {
    const created = (await apiAs(stack, REP).post('/customers', newCustomer({ name: 'Pending Ltd' }))).body;
    await stack.stepFunctions.idle();
    const res = await apiAs(stack, FINANCE).patch(profile(created.customerId), { paymentTermsDays: 30, reason: 'early' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('IN_REVIEW');
  });

  it('R-CREDIT-1: the next review date drives the nightly job (the due index follows the profile)', async () => {
    const c = await approvedCustomer('Watch Closely Ltd');
    const res = await apiAs(stack, FINANCE).patch(profile(c.id), { nextReviewOn: '2026-12-01', reason: 'watch after the late payments' }, { 'if-match': c.etag });
    expect(res.status).toBe(200);
    expect(res.body.credit.nextReviewOn).toBe('2026-12-01');
    await stack.runJob('credit-reviews-due', { asOf: '2026-11-30' });
    expect((await apiAs(stack, REP).get(`/customers/${c.id}`)).body.credit).toMatchObject({ status: 'APPROVED', round: 1 });
    await stack.runJob('credit-reviews-due', { asOf: '2026-12-01' });
    // The new round's workflow opens the review at once: wait for it rather than race it.
    await stack.stepFunctions.idle();
    expect((await apiAs(stack, REP).get(`/customers/${c.id}`)).body.credit).toMatchObject({ status: 'IN_REVIEW', round: 2, reason: 'PERIODIC' });
  });

  it('bad input is 400 naming every bad field: negative limit, foreign currency, validTo before validFrom, past next review, missing reason', async () => {
    const c = await approvedCustomer('Typo Ltd');
    const res = await apiAs(stack, FINANCE).patch(
      profile(c.id),
      {
        limit: { amountMinor: -1, currency: 'USD' },
        contract: { number: 'HT-2026-0200', validFrom: '2026-12-31', validTo: '2026-01-01' },
        nextReviewOn: '2026-11-21',
      },
      { 'if-match': c.etag },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['body.contract.validTo', 'body.limit.amountMinor', 'body.limit.currency', 'body.nextReviewOn', 'body.reason'].sort(),
    );
    const nothing = await apiAs(stack, FINANCE).patch(profile(c.id), { reason: 'just because' }, { 'if-match': c.etag });
    expect(nothing.status).toBe(400);
    const smuggled = await apiAs(stack, FINANCE).patch(profile(c.id), { status: 'APPROVED', reason: 'x' }, { 'if-match': c.etag });
    expect(smuggled.body.errors.map((e: { field: string }) => e.field)).toContain('body.status');
    // Today is a valid next review date.
    expect((await apiAs(stack, FINANCE).patch(profile(c.id), { nextReviewOn: '2026-11-22', reason: 'review today' }, { 'if-match': c.etag })).status).toBe(200);
  });

  it('R-CREDIT-6: a credit review approval with rating D and no guarantee must say prepaymentRequired', async () => {
    const created = (await apiAs(stack, REP).post('/customers', newCustomer({ name: 'Weak Ltd' }))).body;
    const task = await openTaskAbout(stack, FINANCE, created.customerId);
    const d = { ...creditApproval, rating: 'D', paymentTermsDays: 0 };
    const bare = await apiAs(stack, FINANCE).post(`/tasks/${task.taskId}/decision`, d);
    expect(bare.status).toBe(400);
    expect(bare.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.guaranteeOnFile', 'body.prepaymentRequired']);
    expect((await openTaskAbout(stack, FINANCE, created.customerId)).status).toBe('OPEN');

    expect((await apiAs(stack, FINANCE).post(`/tasks/${task.taskId}/decision`, { ...d, prepaymentRequired: true })).status).toBe(200);
    await stack.stepFunctions.idle();
    expect((await apiAs(stack, REP).get(`/customers/${created.customerId}`)).body.credit).toMatchObject({ status: 'APPROVED', rating: 'D', prepaymentRequired: true, guaranteeOnFile: false });
  });
});
