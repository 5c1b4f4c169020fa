/**
 * The price list approval state machine (state-machines/price-list-approval.asl.json) executed
 * by the local Step Functions service with the real handlers against DynamoDB Local, driven over
 * HTTP as the clerk, the sales manager and the GM; and the price book orders read (prices.ts).
 * The tests run in order: the general list's versions build on each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceBookFor } from '../../functions/pricing/prices.js';
import { setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, newCustomer, newProduct, startTestStack } from '../support/local-stack.js';

const DAY = 24 * 60 * 60 * 1000;
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const line = (productCode: string, list: number, min: number, specification?: string) => ({
  productCode,
  ...(specification ? { specification } : {}),
  listPrice: cny(list),
  minimumPrice: cny(min),
});

const CLERK = 'zhao.min';
const MANAGER = 'liu.yang';
const GM = 'zhou.wei';

let stack: LocalStack;
let customerId: string;

async function taskAbout(userId: string, priceListId: string) {
  await stack.stepFunctions.idle();
  const tasks = await apiAs(stack, userId).get('/tasks?limit=100');
  return tasks.body.items.find((t: { subject: { id: string } }) => t.subject.id === priceListId) as Record<string, any> | undefined;
}

async function decide(userId: string, taskId: string, body: Record<string, unknown>) {
  const res = await apiAs(stack, userId).post(`/tasks/${taskId}/decision`, body);
  await stack.stepFunctions.idle();
  return res;
}

async function version(ref: string, v: number) {
  return (await apiAs(stack, CLERK).get(`/price-lists/${ref}/versions/${v}`)).body;
}

async function subjectsOf(userId: string): Promise<string[]> {
  return (await apiAs(stack, userId).get('/notifications?limit=100')).body.items.map((n: { subject: string }) => n.subject);
}

async function submit(ref: string, v: number) {
  const res = await apiAs(stack, CLERK).post(`/price-lists/${ref}/versions/${v}/submission`);
  await stack.stepFunctions.idle();
  return res;
}

const execution = (name: string) => stack.stepFunctions.listExecutions().find((e) => e.name === name);

beforeAll(async () => {
  setClock(new Date('2026-11-22T03:00:00Z')); // business date 2026-11-22 in Asia/Shanghai
  stack = await startTestStack();
  const manager = apiAs(stack, MANAGER);
  expect((await manager.post('/products', newProduct({ productCode: 'PLATE', name: 'Plate', specifications: ['10mm', '12mm'] }))).status).toBe(201);
  expect((await manager.post('/products', newProduct({ productCode: 'VALVE', name: 'Valve', specifications: ['PN16', 'PN25'], unit: 'pcs', quantityScale: 0 }))).status).toBe(201);
  customerId = (await apiAs(stack, 'wang.qiang').post('/customers', newCustomer({ name: 'Regular Buyer Ltd' }))).body.customerId;
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});

describe('price list approval workflow', () => {
  it('R-PRICE-1: the clerk drafts the general list; the sales manager returns it with a reason; the clerk edits and resubmits; the sales manager reviews, the GM approves', async () => {
    const clerk = apiAs(stack, CLERK);
    const draft = await clerk.post('/price-lists/GENERAL/versions', {
      effectiveFrom: '2026-12-01',
      items: [line('PLATE', 400_000, 380_000), line('PLATE', 410_000, 390_000, '12mm'), line('VALVE', 25_000, 23_000, 'PN16')],
    });
    expect(draft.status).toBe(201);

    // Submitted: in review with the sales manager; nothing for the GM yet; the draft is frozen.
    const submitted = await submit('GENERAL', 1);
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ status: 'IN_REVIEW', round: 1, submittedBy: { userId: CLERK } });
    expect((await clerk.patch('/price-lists/GENERAL/versions/1', { effectiveFrom: '2026-12-05' })).status).toBe(409);
    expect((await submit('GENERAL', 1)).status).toBe(409);
    const review = await taskAbout(MANAGER, 'GENERAL');
    expect(review).toMatchObject({ type: 'PRICE_LIST_REVIEW', status: 'OPEN', assigneeRole: 'sales_manager', title: 'Review General price list v1' });
    expect(review!.details).toMatchObject({ version: 1, effectiveFrom: '2026-12-01', itemCount: 3 });
    expect(review!.details.items).toContain('PLATE 12mm: list 4100.00 CNY, minimum 3900.00 CNY');
    expect(JSON.stringify(review)).not.toMatch(/token/i);
    expect(await taskAbout(GM, 'GENERAL')).toBeUndefined();
    expect(await subjectsOf(MANAGER)).toContain('Price list review waiting: General price list v1');

    // Only the sales manager decides the review; a return needs a reason.
    expect((await decide(GM, review!.taskId, { outcome: 'APPROVED' })).status).toBe(403);
    expect((await decide(CLERK, review!.taskId, { outcome: 'APPROVED' })).status).toBe(403);
    const noReason = await decide(MANAGER, review!.taskId, { outcome: 'RETURNED' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.comment']);
    const returned = await decide(MANAGER, review!.taskId, { outcome: 'RETURNED', comment: 'VALVE PN16 is below cost; check it' });
    expect(returned.status).toBe(200);
    expect((await decide(MANAGER, review!.taskId, { outcome: 'APPROVED' })).status).toBe(409);

    // Back with the drafter: RETURNED with the reason, the drafter told, the history shows who and why.
    expect(await version('GENERAL', 1)).toMatchObject({ status: 'RETURNED', returnReason: 'VALVE PN16 is below cost; check it', returnedBy: { userId: MANAGER } });
    expect(await subjectsOf(CLERK)).toContain('Price list returned: General price list v1');
    const history = (await clerk.get('/price-lists/GENERAL/history')).body.items;
    expect(history).toContainEqual(
      expect.objectContaining({ action: 'version 1 returned at review', reason: 'VALVE PN16 is below cost; check it', by: expect.objectContaining({ userId: MANAGER }) }),
    );
    expect(execution('GENERAL-v1-r1')).toMatchObject({ status: 'SUCCEEDED' });
    expect(execution('GENERAL-v1-r1')!.visitedStates).toEqual(['ChooseFirstStep', 'WaitForReview', 'ReviewOutcome', 'ReturnAfterReview']);

    // The clerk edits the returned version and submits it again: a new round.
    const read = await clerk.get('/price-lists/GENERAL/versions/1');
    const edited = await clerk.patch(
      '/price-lists/GENERAL/versions/1',
      { items: [line('PLATE', 400_000, 380_000), line('PLATE', 410_000, 390_000, '12mm'), line('VALVE', 27_000, 25_000, 'PN16')] },
      { 'if-match': read.headers.get('etag')! },
    );
    expect(edited.status).toBe(200);
    expect(edited.body.status).toBe('RETURNED');
    const again = await submit('GENERAL', 1);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'IN_REVIEW', round: 2 });
    expect(again.body.returnReason).toBeUndefined();

    const review2 = await taskAbout(MANAGER, 'GENERAL');
    expect(review2!.taskId).not.toBe(review!.taskId);
    expect((await decide(MANAGER, review2!.taskId, { outcome: 'APPROVED', comment: 'prices checked' })).status).toBe(200);
    expect(await version('GENERAL', 1)).toMatchObject({ status: 'AWAITING_APPROVAL', reviewedBy: { userId: MANAGER }, reviewComment: 'prices checked' });

    // The GM approves; the sales manager cannot decide the GM's task.
    const approval = await taskAbout(GM, 'GENERAL');
    expect(approval).toMatchObject({ type: 'PRICE_LIST_APPROVAL', assigneeRole: 'general_manager', title: 'Approve General price list v1' });
    expect(approval!.details).toMatchObject({ reviewedBy: expect.stringContaining('Liu Yang') });
    expect((await decide(MANAGER, approval!.taskId, { outcome: 'APPROVED' })).status).toBe(403);
    expect((await decide(GM, approval!.taskId, { outcome: 'APPROVED' })).status).toBe(200);
    expect((await decide(GM, approval!.taskId, { outcome: 'RETURNED', comment: 'second thoughts' })).status).toBe(409);

    expect(await version('GENERAL', 1)).toMatchObject({ status: 'APPROVED', approvedBy: { userId: GM }, round: 2 });
    expect(execution('GENERAL-v1-r2')!.visitedStates).toEqual([
      'ChooseFirstStep',
      'WaitForReview',
      'ReviewOutcome',
      'MarkReviewed',
      'WaitForApproval',
      'ApprovalOutcome',
      'ApproveVersion',
    ]);
    expect(await subjectsOf(CLERK)).toContain('Price list approved: General price list v1');
    expect(await subjectsOf('chen.jie')).toContain('Price list approved: General price list v1');
    const actions = ((await clerk.get('/price-lists/GENERAL/history?limit=100')).body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['version 1 drafted', 'version 1 submitted (round 1)', 'version 1 edited', 'version 1 submitted (round 2)', 'version 1 reviewed: passed to the general manager for approval', 'version 1 approved: in force from 2026-12-01']),
    );
  });

  it('R-PRICE-1: the approved version is in force from its effective date, not before', async () => {
    const general = async () => (await apiAs(stack, 'chen.jie').get('/price-lists?kind=general')).body.items[0];
    expect(await general()).toMatchObject({ latestVersion: 1, latestStatus: 'APPROVED', inForce: null, approvedVersions: [expect.objectContaining({ version: 1, effectiveFrom: '2026-12-01' })] });
    expect((await priceBookFor(customerId, '2026-11-30')).general).toBeUndefined();
    expect((await priceBookFor(customerId, '2026-12-01')).general).toEqual({ priceListId: 'GENERAL', version: 1 });

    setClock(new Date('2026-12-01T03:00:00Z'));
    expect((await general()).inForce).toEqual({ version: 1, effectiveFrom: '2026-12-01' });
  });

  it('R-PRICE-1: an approved version never changes (409); a change is a new version that starts as a draft copy', async () => {
    const clerk = apiAs(stack, CLERK);
    const before = await version('GENERAL', 1);
    const edit = await clerk.patch('/price-lists/GENERAL/versions/1', { effectiveFrom: '2027-01-01' });
    expect(edit.status).toBe(409);
    expect(edit.body.detail).toMatch(/approved and never changes; draft a new version/);
    expect((await submit('GENERAL', 1)).status).toBe(409);
    expect(await version('GENERAL', 1)).toEqual(before);

    const v2 = await clerk.post('/price-lists/GENERAL/versions', { effectiveFrom: '2027-01-01', copyLatest: true });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, status: 'DRAFT', basedOn: 1, round: 0, items: before.items });
    expect(v2.body.approvedBy).toBeUndefined();
    expect((await clerk.get('/price-lists/GENERAL/versions')).body.items.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'DRAFT'],
      [1, 'APPROVED'],
    ]);
  });

  it("R-PRICE-2: a customer's own list is approved by the sales manager alone; its prices beat the general list's", async () => {
    const ref = customerId;
    const priceListId = `CUSTOMER#${customerId}`;
    const draft = await apiAs(stack, CLERK).post(`/price-lists/${ref}/versions`, {
      effectiveFrom: '2026-12-01',
      items: [line('PLATE', 395_000, 380_000), line('VALVE', 24_000, 23_000, 'PN25')],
    });
    expect(draft.status).toBe(201);
    const submitted = await submit(ref, 1);
    expect(submitted.body).toMatchObject({ status: 'AWAITING_APPROVAL', round: 1 });

    const task = await taskAbout(MANAGER, priceListId);
    expect(task).toMatchObject({ type: 'PRICE_LIST_APPROVAL', assigneeRole: 'sales_manager', title: 'Approve Price list of Regular Buyer Ltd v1' });
    expect(await taskAbout(GM, priceListId)).toBeUndefined();
    expect((await decide(GM, task!.taskId, { outcome: 'APPROVED' })).status).toBe(403);
    expect((await decide(MANAGER, task!.taskId, { outcome: 'APPROVED' })).status).toBe(200);
    expect((await decide(MANAGER, task!.taskId, { outcome: 'APPROVED' })).status).toBe(409);
    expect(await version(ref, 1)).toMatchObject({ status: 'APPROVED', approvedBy: { userId: MANAGER } });
    expect(execution(`CUSTOMER-${customerId}-v1-r1`)!.visitedStates).toEqual(['ChooseFirstStep', 'WaitForApproval', 'ApprovalOutcome', 'ApproveVersion']);

    const book = await priceBookFor(customerId, '2026-12-01');
    expect(book.customer).toEqual({ priceListId, version: 1 });
    expect(book.general).toEqual({ priceListId: 'GENERAL', version: 1 });
    // The customer list prices every PLATE specification, over the general list's exact 12mm item.
    expect(book.quote('PLATE', '12mm')).toEqual({ productCode: 'PLATE', listPrice: cny(395_000), minimumPrice: cny(380_000), source: { priceListId, version: 1, kind: 'customer' } });
    expect(book.quote('VALVE', 'PN25')).toMatchObject({ listPrice: cny(24_000), source: { kind: 'customer' } });
    // Not on the customer list: the general price.
    expect(book.quote('VALVE', 'PN16')).toMatchObject({ specification: 'PN16', listPrice: cny(27_000), source: { priceListId: 'GENERAL', version: 1, kind: 'general' } });
    expect(book.quote('VALVE', 'PN40')).toBeUndefined();

    // Another customer has no list of its own: the general list alone.
    const other = await priceBookFor('CU-999999', '2026-12-01');
    expect(other.customer).toBeUndefined();
    expect(other.quote('PLATE', '12mm')).toMatchObject({ specification: '12mm', listPrice: cny(410_000), source: { kind: 'general' } });
  });

  it('R-PRICE-1: a review not done in 3 days escalates to the GM, who reviews and approves; unapproved and future versions are never in force', async () => {
    const clerk = apiAs(stack, CLERK);
    // Version 2 (the draft copy) gets a new VALVE price; as a draft it changes nothing.
    const read = await clerk.get('/price-lists/GENERAL/versions/2');
    const items = [...read.body.items.filter((i: { productCode: string }) => i.productCode !== 'VALVE'), line('VALVE', 30_000, 28_000, 'PN16')];
    expect((await clerk.patch('/price-lists/GENERAL/versions/2', { items }, { 'if-match': read.headers.get('etag')! })).status).toBe(200);
    expect((await priceBookFor('CU-999999', '2027-01-01')).quote('VALVE', 'PN16')!.listPrice).toEqual(cny(27_000));

    expect((await submit('GENERAL', 2)).status).toBe(202);
    const review = await taskAbout(MANAGER, 'GENERAL');
    expect(review).toMatchObject({ type: 'PRICE_LIST_REVIEW' });

    await stack.stepFunctions.expireDue(new Date(Date.now() + 3 * DAY + 60_000));
    await stack.stepFunctions.idle();
    expect(await taskAbout(MANAGER, 'GENERAL')).toBeUndefined();
    const escalated = await taskAbout(GM, 'GENERAL');
    expect(escalated).toMatchObject({ type: 'PRICE_LIST_APPROVAL', escalatedFrom: 'sales_manager', title: expect.stringContaining('escalated') });
    expect(await version('GENERAL', 2)).toMatchObject({ status: 'AWAITING_APPROVAL', reviewEscalated: true });
    expect(await subjectsOf(MANAGER)).toContain('Price list review escalated: General price list v2');
    expect(await subjectsOf(GM)).toContain('Escalated price list waiting: General price list v2');
    // The sales manager's late review of the escalated task is refused.
    expect((await decide(MANAGER, review!.taskId, { outcome: 'APPROVED' })).status).toBe(409);

    expect((await decide(GM, escalated!.taskId, { outcome: 'APPROVED' })).status).toBe(200);
    expect(await version('GENERAL', 2)).toMatchObject({ status: 'APPROVED', approvedBy: { userId: GM }, reviewedBy: { userId: GM } });
    expect(execution('GENERAL-v2-r1')!.visitedStates).toEqual(['ChooseFirstStep', 'WaitForReview', 'EscalateReview', 'WaitForApproval', 'ApprovalOutcome', 'ApproveVersion']);

    // Approved but effective 2027-01-01: before that date version 1 stays in force.
    expect((await priceBookFor('CU-999999', '2026-12-31')).general).toEqual({ priceListId: 'GENERAL', version: 1 });
    const january = await priceBookFor('CU-999999', '2027-01-01');
    expect(january.general).toEqual({ priceListId: 'GENERAL', version: 2 });
    expect(january.quote('VALVE', 'PN16')!.listPrice).toEqual(cny(30_000));

    // A newer draft dated earlier is ignored until approved.
    expect((await clerk.post('/price-lists/GENERAL/versions', { effectiveFrom: '2026-12-02', copyLatest: true })).status).toBe(201);
    expect((await priceBookFor('CU-999999', '2026-12-15')).general).toEqual({ priceListId: 'GENERAL', version: 1 });
  });

  it('an approval not given in 3 days is reminded once; 3 days later the version goes back to its drafter, "not decided in time"', async () => {
    expect((await submit('GENERAL', 3)).status).toBe(202);
    const review = await taskAbout(MANAGER, 'GENERAL');
    expect((await decide(MANAGER, review!.taskId, { outcome: 'APPROVED' })).status).toBe(200);
    const approval = await taskAbout(GM, 'GENERAL');
    expect(approval).toMatchObject({ title: 'Approve General price list v3' });

    await stack.stepFunctions.expireDue(new Date(Date.now() + 3 * DAY + 60_000));
    await stack.stepFunctions.idle();
    // The same task waits on; the GM is reminded.
    expect(await taskAbout(GM, 'GENERAL')).toMatchObject({ taskId: approval!.taskId, status: 'OPEN' });
    expect(await subjectsOf(GM)).toContain('Reminder: General price list v3 still waits for your approval');
    expect((await version('GENERAL', 3)).status).toBe('AWAITING_APPROVAL');

    await stack.stepFunctions.expireDue(new Date(Date.now() + 6 * DAY + 120_000));
    await stack.stepFunctions.idle();
    expect(await taskAbout(GM, 'GENERAL')).toBeUndefined();
    expect(await version('GENERAL', 3)).toMatchObject({ status: 'RETURNED', returnReason: 'not decided in time', returnedBy: { userId: 'system' } });
    expect(execution('GENERAL-v3-r1')!.visitedStates.slice(-4)).toEqual(['MarkReviewed', 'WaitForApproval', 'RemindApprover', 'ExpireVersion']);
    expect(await subjectsOf(CLERK)).toContain('Price list returned: General price list v3');
    expect(await subjectsOf(GM)).toContain('Price list returned: General price list v3');
    const history = (await apiAs(stack, CLERK).get('/price-lists/GENERAL/history?limit=100')).body.items as { action: string; reason?: string }[];
    expect(history.at(-1)).toMatchObject({ action: 'version 3 returned: not decided in time', reason: 'not decided in time' });
    // The GM's late decision is refused; the clerk can submit again.
    expect((await decide(GM, approval!.taskId, { outcome: 'APPROVED' })).status).toBe(409);
    const again = await submit('GENERAL', 3);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'IN_REVIEW', round: 2 });
  });
});
