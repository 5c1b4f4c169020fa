/**
 * The credit review state machine (state-machines/credit-review.asl.json) executed by the local
 * Step Functions service, with the real handlers against DynamoDB Local, driven over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { setClock } from '../../functions/shared/clock.js';
import { apiAs, creditApproval, newCustomer, openTaskAbout, startTestStack } from '../support/local-stack.js';

const DAY = 24 * 60 * 60 * 1000;
describe('credit review workflow', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    setClock(undefined);
    await stack?.stop();
  });

  it('R-CREDIT-2: a new customer waits for finance; finance approves rating, limit and terms; R-CREDIT-1: the next review is due in 6 months', async () => {
    setClock(new Date('2026-11-22T03:00:00Z'));
    const rep = apiAs(stack, 'wang.qiang');
    const created = (await rep.post('/customers', newCustomer({ name: 'Reviewed Ltd' }))).body;
    const task = await openTaskAbout(stack, 'wu.fang', created.customerId);
    expect(task).toMatchObject({ type: 'CREDIT_REVIEW', status: 'OPEN', assigneeRole: 'finance', subject: { name: 'Reviewed Ltd' } });
    expect(JSON.stringify(task)).not.toMatch(/token/i);
    expect((await rep.get(`/customers/${created.customerId}`)).body.credit.status).toBe('IN_REVIEW');

    // Only the task's role decides.
    expect((await apiAs(stack, 'chen.jie').post(`/tasks/${task.taskId}/decision`, creditApproval)).status).toBe(403);
    const decided = await apiAs(stack, 'wu.fang').post(`/tasks/${task.taskId}/decision`, creditApproval);
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'DECIDED', decidedBy: { userId: 'wu.fang' } });
    await stack.stepFunctions.idle();

    const customer = (await rep.get(`/customers/${created.customerId}`)).body;
    expect(customer.credit).toMatchObject({
      status: 'APPROVED',
      rating: 'B',
      limit: { amountMinor: 30_000_000, currency: 'CNY' },
      paymentTermsDays: 45,
      contract: creditApproval.contract,
      reviewedBy: { userId: 'wu.fang' },
      nextReviewOn: '2027-05-22',
    });
    const execution = stack.stepFunctions.listExecutions().find((e) => (e.input as { customerId: string }).customerId === created.customerId)!;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.visitedStates).toEqual(['WaitForFinanceDecision', 'ApplyDecision']);

    // The owner rep hears about it; the history names finance as the one who decided.
    const notes = await rep.get('/notifications');
    expect(notes.body.items.map((n: { subject: string }) => n.subject)).toContain('Credit review approved: Reviewed Ltd');
    const history = await rep.get(`/customers/${created.customerId}/history`);
    expect(history.body.items.at(-1)).toMatchObject({ by: { userId: 'wu.fang' }, action: expect.stringContaining('approved: rating B') });

    // A second decision on the same task is refused.
    expect((await apiAs(stack, 'wu.fang').post(`/tasks/${task.taskId}/decision`, creditApproval)).status).toBe(409);
    expect((await apiAs(stack, 'wu.fang').post(`/tasks/${task.taskId}/decision`, { outcome: 'REJECTED', comment: 'changed my mind' })).status).toBe(409);
  });

  it('R-CREDIT-2: finance rejects with a reason; the customer is refused credit', async () => {
    const created = (await apiAs(stack, 'li.na').post('/customers', newCustomer({ name: 'Risky Ltd' }))).body;
    const task = await openTaskAbout(stack, 'wu.fang', created.customerId);
    const noReason = await apiAs(stack, 'wu.fang').post(`/tasks/${task.taskId}/decision`, { outcome: 'REJECTED' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('body.comment');
    expect((await apiAs(stack, 'wu.fang').post(`/tasks/${task.taskId}/decision`, { outcome: 'REJECTED', comment: 'court judgements outstanding' })).status).toBe(200);
    await stack.stepFunctions.idle();
    const customer = (await apiAs(stack, 'li.na').get(`/customers/${created.customerId}`)).body;
    expect(customer.credit).toMatchObject({ status: 'REJECTED', comment: 'court judgements outstanding' });
    expect(customer.credit.limit).toBeUndefined();
  });

  it('a credit limit in another currency is refused and the task stays open', async () => {
    const created = (await apiAs(stack, 'li.na').post('/customers', newCustomer({ name: 'Currency Ltd' }))).body;
    const task = await openTaskAbout(stack, 'wu.fang', created.customerId);
    const res = await apiAs(stack, 'wu.fang').post(`/tasks/${task.taskId}/decision`, { ...creditApproval, creditLimit: { amountMinor: 100, currency: 'USD' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('body.creditLimit.currency');
    expect((await openTaskAbout(stack, 'wu.fang', created.customerId)).status).toBe('OPEN');
  });

  it('an undecided review escalates to the finance manager after 3 days, then expires visibly after 3 more', async () => {
    const created = (await apiAs(stack, 'wang.qiang').post('/customers', newCustomer({ name: 'Slow Review Ltd' }))).body;
    const first = await openTaskAbout(stack, 'wu.fang', created.customerId);
    expect(first).toBeDefined();
    await stack.stepFunctions.expireDue(new Date(Date.now() + 3 * DAY + 60_000));
    const escalated = await openTaskAbout(stack, 'zheng.hao', created.customerId);
    expect(escalated).toMatchObject({ assigneeRole: 'finance_manager', escalatedFrom: 'finance' });
    expect(await openTaskAbout(stack, 'wu.fang', created.customerId)).toBeUndefined();
    // finance's late decision on the escalated task is refused
    expect((await apiAs(stack, 'wu.fang').post(`/tasks/${first.taskId}/decision`, creditApproval)).status).toBe(409);
    const fmNotes = await apiAs(stack, 'zheng.hao').get('/notifications');
    expect(fmNotes.body.items.map((n: { subject: string }) => n.subject)).toContain('Escalated credit review: Slow Review Ltd');

    await stack.stepFunctions.expireDue(new Date(Date.now() + 7 * DAY));
    await stack.stepFunctions.idle();
    expect(await openTaskAbout(stack, 'zheng.hao', created.customerId)).toBeUndefined();
    const customer = (await apiAs(stack, 'wang.qiang').get(`/customers/${created.customerId}`)).body;
    expect(customer.credit.status).toBe('EXPIRED');
    const repNotes = await apiAs(stack, 'wang.qiang').get('/notifications');
    expect(repNotes.body.items.map((n: { subject: string }) => n.subject)).toContain('Credit review expired: Slow Review Ltd');

    // Finance starts a new round; it gets a new task.
    const again = await apiAs(stack, 'wu.fang').post(`/customers/${created.customerId}/credit-reviews`, { comment: 'second try' });
    expect(again.status).toBe(202);
    expect(again.body.credit).toMatchObject({ status: 'REQUESTED', round: 2 });
    expect((await apiAs(stack, 'wu.fang').post(`/customers/${created.customerId}/credit-reviews`, {})).status).toBe(409);
    expect(await openTaskAbout(stack, 'wu.fang', created.customerId)).toMatchObject({ status: 'OPEN' });
  });

  it('R-CREDIT-1: the nightly job starts the periodic reviews that are due, once', async () => {
    setClock(new Date('2026-11-22T03:00:00Z'));
    const created = (await apiAs(stack, 'wang.qiang').post('/customers', newCustomer({ name: 'Periodic Ltd' }))).body;
    const task = await openTaskAbout(stack, 'wu.fang', created.customerId);
    await apiAs(stack, 'wu.fang').post(`/tasks/${task.taskId}/decision`, creditApproval);
    await stack.stepFunctions.idle();

    const notDue = (await stack.runJob('credit-reviews-due', { asOf: '2027-05-21' })) as { periodic: number };
    expect(notDue.periodic).toBe(0);
    setClock(new Date('2027-05-22T03:00:00Z'));
    const due = (await stack.runJob('credit-reviews-due', {})) as { periodic: number; asOf: string };
    expect(due.asOf).toBe('2027-05-22');
    expect(due.periodic).toBeGreaterThanOrEqual(1);
    const again = (await stack.runJob('credit-reviews-due', {})) as { periodic: number };
    expect(again.periodic).toBe(0);

    const customer = (await apiAs(stack, 'wang.qiang').get(`/customers/${created.customerId}`)).body;
    expect(customer.credit).toMatchObject({ round: 2, reason: 'PERIODIC', rating: 'B' });
    const review = await openTaskAbout(stack, 'wu.fang', created.customerId);
    expect(review.details).toMatchObject({ reason: 'PERIODIC', currentRating: 'B', currentLimit: '300000.00 CNY' });
    const financeNotes = await apiAs(stack, 'wu.fang').get('/notifications');
    expect(financeNotes.body.items.filter((n: { subject: string }) => /periodic credit review/.test(n.subject))).toHaveLength(1);
    setClock(undefined);
  });

  it("lists a role's open tasks oldest first, page by page, and nothing for roles without tasks", async () => {
    const ids: string[] = [];
    for (const name of ['Queue One', 'Queue Two', 'Queue Three']) {
      ids.push((await apiAs(stack, 'wang.qiang').post('/customers', newCustomer({ name }))).body.customerId);
      await stack.stepFunctions.idle();
    }
    const finance = apiAs(stack, 'wu.fang');
    const seen: { subject: { id: string }; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: typeof seen; nextCursor: string | null } } = await finance.get(`/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((t) => t.createdAt)).toEqual([...seen.map((t) => t.createdAt)].sort());
    expect(seen.map((t) => t.subject.id).filter((id) => ids.includes(id))).toEqual(ids);
    expect(new Set(seen.map((t) => t.subject.id)).size).toBe(seen.length);
    expect((await apiAs(stack, 'chen.jie').get('/tasks')).body.items).toEqual([]);
    expect((await apiAs(stack, 'gao.shan').get('/tasks')).status).toBe(403);
  });
});
