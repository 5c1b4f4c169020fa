/**
 * The demo data `npm start` loads on a fresh store (infra/local/demo-data.ts, demo-past.ts): a
 * business with six months of past — statements for every past month, aging in every bucket,
 * payments on time and late, an allowance and a quality return with their credit notes, the alerts
 * and the credit hold the daily jobs raised — and today the orders and tasks the README walks
 * through. Loaded in process, so a TEST_TODAY run loads it on another day: nothing in it may depend
 * on the calendar (`TEST_TODAY=2027-12-31 npx vitest run tests/infra/demo-data.test.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, businessDate } from '../../functions/shared/clock.js';
import { loadDemoData } from '../../infra/local/demo-data.js';
import { ECC, LAO_LI, SALES, SUZHOU, WUXI } from '../../infra/local/demo-past.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { backToToday } from '../support/time.js';

let stack: LocalStack;
let today: string;
const as = (userId: string) => apiAs(stack, userId);
const FINANCE = 'wu.fang';

/** The day a sale of the story was signed for, and so invoiced. */
const invoicedOn = (key: string) => addDays(today, -SALES.find((s) => s.key === key)!.delivered);
const monthsFrom = (first: string, last: string) => {
  const out: string[] = [];
  for (let m = first; m <= last; m = addMonths(`${m}-01`, 1).slice(0, 7)) out.push(m);
  return out;
};
const invoicesOf = async (customerId: string) => (await as(FINANCE).get(`/invoices?customerId=${customerId}&limit=100`)).body.items as any[];

beforeAll(async () => {
  stack = await startTestStack();
  today = businessDate();
  expect(await loadDemoData(stack)).toBe(true);
}, 240_000);

afterAll(async () => {
  backToToday();
  await stack?.stop();
});

describe('demo data: the past six months', () => {
  it('leaves the business clock on today and loads once (a restart finds the data)', async () => {
    expect(businessDate()).toBe(today);
    expect(await loadDemoData(stack)).toBe(false);
  });

  it('R-BILL-6: a statement for every past month with activity, sent by finance on the 3rd, confirmed by the customer; figures that add up', async () => {
    const lastMonth = addMonths(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    const ecc = (await as(FINANCE).get(`/statements?customerId=${ECC}&limit=100`)).body.items as any[];
    // East China Construction has entries every month from its first invoice on.
    const expected = monthsFrom(invoicedOn('E1').slice(0, 7), lastMonth).reverse();
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(ecc.map((s) => s.month)).toEqual(expected);
    for (const s of ecc) {
      const sentBy = addDays(`${addMonths(`${s.month}-01`, 1).slice(0, 7)}-01`, 2);
      expect(s.status, s.statementId).toBe(sentBy >= today ? 'GENERATED' : addDays(sentBy, 6) >= today ? 'SENT' : 'CONFIRMED');
    }
    const full = (await as(FINANCE).get(`/statements/${ecc.at(-1).statementId}`)).body;
    expect(full.lines.length).toBeGreaterThan(0);
    // Every customer with activity has its statements, and finance's list for last month is not empty.
    for (const customerId of [SUZHOU, WUXI, LAO_LI]) expect((await as(FINANCE).get(`/statements?customerId=${customerId}`)).body.items.length, customerId).toBeGreaterThanOrEqual(2);
    expect((await as(FINANCE).get(`/statements?month=${lastMonth}`)).body.items.length).toBeGreaterThanOrEqual(1);
  });

  it('R-AR-1: aging today has amounts in every bucket: not due and 1-30 days for East China Construction, 31-60, 61-90 and over 90 for Wuxi Hengtong', async () => {
    const aging = (await as(FINANCE).get('/receivables/aging')).body;
    expect(aging.asOf).toBe(today);
    expect(aging.totals.map((b: any) => b.bucket)).toEqual(['not due', '1-30', '31-60', '61-90', 'over 90']);
    for (const b of aging.totals) expect(b.amount.amountMinor, b.bucket).toBeGreaterThan(0);
    const group = (key: string) => Object.fromEntries(aging.groups.find((g: any) => g.key === key).buckets.map((b: any) => [b.bucket, b.amount.amountMinor > 0]));
    expect(group(ECC)).toEqual({ 'not due': true, '1-30': true, '31-60': false, '61-90': false, 'over 90': false });
    expect(group(WUXI)).toEqual({ 'not due': false, '1-30': false, '31-60': true, '61-90': true, 'over 90': true });
    // Aging as of a past month end reads the history: an invoice paid since was open then.
    const then = (await as(FINANCE).get(`/receivables/aging?asOf=${addDays(invoicedOn('E3'), 1)}`)).body;
    expect(then.total.amountMinor).toBeGreaterThan(0);
  });

  it('R-BILL-2, R-BILL-3: invoices paid on time and late, in full and in parts, by transfer, ahead (prepaid) and in cash at the gate', async () => {
    const paid = [...(await invoicesOf(ECC)), ...(await invoicesOf(WUXI))].filter((i) => i.status === 'PAID');
    const onTime = paid.filter((i) => i.paidOn <= i.dueDate);
    const late = paid.filter((i) => i.paidOn > i.dueDate);
    expect(onTime.length).toBeGreaterThanOrEqual(3);
    expect(late.length).toBeGreaterThanOrEqual(2);
    // Paid late in two parts.
    expect(late.some((i) => i.settlements.filter((s: any) => s.kind === 'PAYMENT').length === 2)).toBe(true);
    // Part paid, still open and over 90 days overdue.
    const partPaid = (await invoicesOf(WUXI)).filter((i) => i.status === 'OPEN' && i.settlements.length > 0);
    expect(partPaid).toHaveLength(1);
    expect(partPaid[0].dueDate < addDays(today, -90)).toBe(true);
    // Paid ahead and at the gate: settled by the payment recorded for the order the day it was invoiced.
    for (const customerId of [SUZHOU, LAO_LI]) {
      const invoices = await invoicesOf(customerId);
      expect(invoices.length, customerId).toBeGreaterThanOrEqual(2);
      for (const i of invoices) expect(i, customerId).toMatchObject({ status: 'PAID', paidOn: i.issuedOn });
    }
    const ledger = (await as(FINANCE).get(`/customers/${LAO_LI}/ledger?limit=50`)).body;
    const payments = (ledger.entries as any[]).filter((e) => e.kind === 'PAYMENT');
    expect(payments.length).toBeGreaterThanOrEqual(2);
    for (const p of payments) expect(p.description).toMatch(/^cash received/);
  });

  it('R-BILL-4, R-RETURN-1..4: an allowance for a late delivery and a quality return with its credit note, each approved by the sales manager', async () => {
    const notes = (await as(FINANCE).get(`/credit-notes?customerId=${ECC}`)).body.items as any[];
    expect(notes.map((n) => `${n.source} ${n.status}`).sort()).toEqual(['ALLOWANCE ISSUED', 'RETURN ISSUED']);
    const returns = (await as(FINANCE).get(`/returns?customerId=${ECC}`)).body.items as any[];
    expect(returns).toHaveLength(1);
    const ret = (await as(FINANCE).get(`/returns/${returns[0].returnId}`)).body;
    expect(ret).toMatchObject({ kind: 'QUALITY', status: 'COMPLETED', responsibleParty: 'WAREHOUSE', inspection: { defectConfirmed: true }, lines: [{ disposition: 'REPAIR' }] });
    expect(notes.find((n) => n.source === 'RETURN')).toMatchObject({ creditNoteId: ret.creditNoteId, returnId: ret.returnId, amount: ret.credited });
    // The late delivery behind the allowance is on its note.
    const e4 = (await invoicesOf(ECC)).find((i) => i.issuedOn === invoicedOn('E4'));
    const note = (await as(FINANCE).get(`/delivery-notes/${e4.deliveryNoteId}`)).body;
    expect(note.events.map((e: any) => e.kind)).toEqual(['DELAYED']);
  });

  it('R-AR-2: the receivable alerts the daily job raised, each invoice and milestone once; the VP sales told of those past 30 days', async () => {
    const alerts = ((await as(FINANCE).get('/notifications?limit=100')).body.items as any[]).filter((n) => n.topic === 'receivable-alert');
    const keys = alerts.map((a) => a.subject.replace(/:.*$/, ''));
    expect(new Set(keys).size).toBe(keys.length);
    const [w3] = (await invoicesOf(WUXI)).filter((i) => i.settlements.length > 0 && i.status === 'OPEN');
    for (const words of ['due in 3 days', 'due today', '7 days overdue', '30 days overdue', '60 days overdue', '90 days overdue']) expect(keys).toContain(`Invoice ${w3.invoiceId} ${words}`);
    const vp = ((await as('sun.li').get('/notifications?limit=100')).body.items as any[]).filter((n) => n.topic === 'receivable-alert');
    expect(vp.map((n) => n.subject.replace(/:.*$/, ''))).toContain(`Invoice ${w3.invoiceId} 90 days overdue`);
    // Raised on the day of the milestone, at the job's hour.
    const ninety = alerts.find((a) => a.subject.startsWith(`Invoice ${w3.invoiceId} 90 days overdue`));
    expect(businessDate(new Date(ninety.createdAt))).toBe(addDays(w3.dueDate, 90));
  });

  it('R-CREDIT-5: the daily job put Wuxi Hengtong on hold the day its oldest invoice passed 30 days overdue; its order today waits for the GM', async () => {
    const credit = (await as(FINANCE).get(`/customers/${WUXI}/credit`)).body;
    const [oldest] = (await invoicesOf(WUXI)).filter((i) => i.status === 'OPEN').sort((a, b) => a.dueDate.localeCompare(b.dueDate));
    expect(credit.hold).toMatchObject({ kind: 'OVERDUE', setBy: { userId: 'system' } });
    expect(businessDate(new Date(credit.hold.since))).toBe(addDays(oldest.dueDate, 31));
    expect(credit.hold.reason).toContain(oldest.invoiceId);
    const orders = (await as('gao.shan').get(`/orders?customerId=${WUXI}&limit=100`)).body.items as any[];
    expect(orders.filter((o) => o.status === 'CREDIT_HOLD')).toHaveLength(1);
    // Nobody else is more than 30 days overdue, so nobody else is on hold.
    for (const customerId of [ECC, SUZHOU, LAO_LI]) expect((await as(FINANCE).get(`/customers/${customerId}/credit`)).body.hold, customerId).toBeNull();
  });

  it('R-BILL-5, R-CREDIT-4, R-FULFIL-2: the books, the credit accounts, the stock and the tasks hold their invariants after six months', async () => {
    await expectInvariantsHold(stack);
  });
});

describe('demo data: today, as the README walks through it', () => {
  it('orders in every state of review, credit and stock', async () => {
    const orders = (await as('gao.shan').get('/orders?limit=100')).body.items as any[];
    const todays = orders.filter((o) => businessDate(new Date(o.createdAt)) === today);
    expect(todays.map((o) => o.status).sort()).toEqual(
      ['AWAITING_PREPAYMENT', 'AWAITING_STOCK', 'CREDIT_HOLD', 'CREDIT_REVIEW', 'DELIVERED', 'DRAFT', 'GOODS_RESERVED', 'IN_REVIEW', 'IN_REVIEW', 'IN_REVIEW'].sort(),
    );
    // The past: every order delivered.
    expect(orders.filter((o) => businessDate(new Date(o.createdAt)) < today).every((o) => o.status === 'DELIVERED')).toBe(true);
    expect(orders.length - todays.length).toBe(SALES.length);
  });

  it('a task waiting for each deciding role: order desk, GM, sales manager, finance (the new customer and a prepayment), finance manager (over the limit)', async () => {
    const types = async (userId: string) => ((await as(userId).get('/tasks?limit=100')).body.items as any[]).map((t) => `${t.type} ${t.subject.id.replace(/-\d+$/, '')}`).sort();
    expect(await types('chen.jie')).toEqual([`ORDER_REVIEW SO-${today.slice(0, 4)}`]);
    expect(await types('zhou.wei')).toEqual([`SPECIAL_APPROVAL SO-${today.slice(0, 4)}`]);
    expect(await types('liu.yang')).toEqual(['GOODS_RESERVATION_APPROVAL GR', 'SAMPLE_REQUEST_APPROVAL SR', `SPECIAL_APPROVAL SO-${today.slice(0, 4)}`]);
    expect(await types('wu.fang')).toEqual(['CREDIT_REVIEW CU', `PREPAYMENT_CONFIRMATION SO-${today.slice(0, 4)}`]);
    expect(await types('zheng.hao')).toEqual([`CREDIT_APPROVAL SO-${today.slice(0, 4)}`]);
  });

  it('R-CREDIT-1: the credit reviews due six months after the first were renewed today; the new prospect waits for its first', async () => {
    for (const customerId of [ECC, SUZHOU, WUXI]) {
      const customer = (await as(FINANCE).get(`/customers/${customerId}`)).body;
      expect(customer.credit, customerId).toMatchObject({ status: 'APPROVED', round: 2, nextReviewOn: addMonths(today, 6) });
    }
    expect((await as(FINANCE).get('/customers/CU-000005')).body.credit.status).toBe('IN_REVIEW');
    // So the next customer created is CU-000006, as the README says.
    expect((await as(FINANCE).get('/customers/CU-000006')).status).toBe(404);
  });

  it('R-FULFIL-2: the stock today is what it was before the past was loaded: the opening stock less what the past shipped', async () => {
    const onHand = async (productCode: string, specification: string) =>
      ((await as('feng.lei').get(`/stock/${productCode}`)).body.balances as any[]).find((b) => b.specification === specification)?.onHand;
    expect(await onHand('HRC-Q235', '3.0x1500')).toBe('180.5');
    expect(await onHand('RB-HRB400', 'Φ25')).toBe('50');
    expect(await onHand('CBL-YJV-3X95', '0.6/1kV')).toBe('1700');
    expect(await onHand('VLV-DN50', 'PN16')).toBe('120');
  });
});
