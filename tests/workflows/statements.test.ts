/**
 * Customer statements (R-BILL-6) from real activity: orders delivered through the order's ASL
 * (its last step invoices), payments over HTTP, the clock moved month to month, the month-end
 * job run as the scheduler runs it. The statements are checked against the ledger they come from
 * (R-BILL-5) and their open items against aging (R-AR-1); the PDF is read back as a reader sees it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables } from '../support/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import { approvedCustomer, seedCatalogueAndPrices, yuan, expectStatus, deliveredOrder as deliveredOrderOf } from '../support/order-fixtures.js';
import { pdfText } from '../support/pdf-text.js';
import { scanAll } from '../support/scan.js';

const REP = 'wang.qiang';
const OTHER_REP = 'li.na';
const FINANCE = 'wu.fang';
const FINANCE_MANAGER = 'zheng.hao';
const WAREHOUSE = 'feng.lei';
const CONTACT = { name: '张伟 Zhang Wei', title: '财务经理', email: 'zhang.wei@hongda.example', phone: '+86 21 5555 0101' };

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);
/** 10:00 in Shanghai on a business day. */
const at = (day: string) => setClock(new Date(`${day}T02:00:00Z`));

beforeAll(async () => {
  stack = await startTestStack();
  // The stories start on 2026-11-23: what they stand on is there before that day, whatever the real date.
  at('2026-11-20');
  await seedCatalogueAndPrices(stack);
  setClock(undefined);
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

/** Delivered and invoiced: its one invoice. */
async function deliveredOrder(customerId: string, lines?: unknown[]): Promise<{ invoiceId: string; gross: { amountMinor: number }; dueDate: string }> {
  const order = (await as(REP).get(`/orders/${await deliveredOrderOf(stack, REP, customerId, lines)}`)).body;
  expect(order.billing.invoices).toHaveLength(1);
  return (await as(FINANCE).get(`/invoices/${order.billing.invoices[0]}`)).body;
}

const pay = (customerId: string, major: number, receivedOn: string, invoices?: string[]) =>
  ok(as(FINANCE).post('/payments', { customerId, method: 'BANK_TRANSFER', bankReference: `BK-${receivedOn}-${major}`, amount: yuan(major), receivedOn, ...(invoices ? { invoices } : {}) }), 201);
const statement = async (id: string, userId = FINANCE) => ok(as(userId).get(`/statements/${id}`));
const plate = (quantity: string) => [{ productCode: 'PLATE-Q235', specification: '10mm', quantity }];
const valves = (quantity: string) => [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity }];

/** The PDF as the client gets it: raw bytes over HTTP. */
async function pdfOf(id: string, userId = FINANCE) {
  const res = await fetch(`${stack.url}/statements/${id}/pdf`, { headers: { authorization: `Bearer ${await stack.tokenFor(userId)}` } });
  return { status: res.status, contentType: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('customer statements', () => {
  let customerId: string;
  let quietId: string;
  let inv1: { invoiceId: string };
  let inv2: { invoiceId: string };
  let inv3: { invoiceId: string };

  it('R-BILL-6, R-BILL-5, R-AR-1: the month-end job makes one statement per customer with activity: opening, the ledger lines with their running balance, closing, open items aged at the month end', async () => {
    // November: two invoices and a part payment for one customer; one invoice for another.
    at('2026-11-23');
    customerId = await approvedCustomer(stack, REP, '上海宏达钢铁贸易有限公司', { contacts: [CONTACT] });
    quietId = await approvedCustomer(stack, REP, 'Quiet December Co');
    inv1 = await deliveredOrder(customerId); // 12,430.00, due 2026-12-23
    at('2026-11-24');
    await deliveredOrder(quietId, valves('4')); // 1,130.00
    at('2026-11-25');
    inv2 = await deliveredOrder(customerId, plate('1')); // 4,520.00, due 2026-12-25
    at('2026-11-27');
    const part = await pay(customerId, 5_000, '2026-11-27');
    expect(part.allocations).toEqual([{ invoiceId: inv1.invoiceId, amount: yuan(5_000) }]);

    // December, before the November run: a payment settles the first invoice and part of the second.
    at('2026-12-05');
    const december = await pay(customerId, 10_000, '2026-12-05');
    expect(december.allocations).toEqual([
      { invoiceId: inv1.invoiceId, amount: yuan(7_430) },
      { invoiceId: inv2.invoiceId, amount: yuan(2_570) },
    ]);

    // The job runs late (a catch-up with the month named): November as its books stood on the 30th.
    at('2026-12-06');
    const run = await stack.runJob('statements-due', { month: '2026-11' });
    expect(run).toMatchObject({ month: '2026-11', failed: [] });
    expect((run as { generated: number }).generated).toBeGreaterThanOrEqual(2);
    const nov = await statement(`ST-${customerId}-2026-11`);
    expect(nov).toMatchObject({
      customerId,
      customerName: '上海宏达钢铁贸易有限公司',
      ownerRepId: REP,
      month: '2026-11',
      periodFrom: '2026-11-01',
      periodTo: '2026-11-30',
      status: 'GENERATED',
      opening: yuan(0),
      totals: { invoiced: yuan(16_950), paid: yuan(5_000), credited: yuan(0), reversed: yuan(0) },
      closing: yuan(11_950),
      openTotal: yuan(11_950),
      customerCredit: yuan(0),
    });
    expect(nov.lines.map((l: any) => `${l.on} ${l.kind} ${l.reference} ${l.amount.amountMinor} → ${l.balanceAfter.amountMinor}`)).toEqual([
      `2026-11-23 INVOICE ${inv1.invoiceId} 1243000 → 1243000`,
      `2026-11-25 INVOICE ${inv2.invoiceId} 452000 → 1695000`,
      `2026-11-27 PAYMENT ${part.receiptNumber} -500000 → 1195000`,
    ]);
    // What was open on the 30th, though the first invoice is paid by now and the second part paid.
    expect(nov.openItems).toEqual([
      { invoiceId: inv1.invoiceId, issuedOn: '2026-11-23', dueDate: '2026-12-23', outstanding: yuan(7_430), daysPastDue: -23, bucket: 'not due' },
      { invoiceId: inv2.invoiceId, issuedOn: '2026-11-25', dueDate: '2026-12-25', outstanding: yuan(4_520), daysPastDue: -25, bucket: 'not due' },
    ]);
    expect(nov.aging[0]).toEqual({ bucket: 'not due', amount: yuan(11_950), invoices: 2 });
    expect((await statement(`ST-${quietId}-2026-11`)).closing).toEqual(yuan(1_130));

    // December: a third invoice; the second invoice is overdue at the month end.
    at('2026-12-20');
    inv3 = await deliveredOrder(customerId, valves('2')); // 565.00, due 2027-01-19
    at('2027-01-01');
    const first = (await stack.runJob('statements-due', {})) as { month: string; generated: number; customers: number };
    expect(first.month).toBe('2026-12');
    const dec = await statement(`ST-${customerId}-2026-12`);
    // R-BILL-6: December opens where November closed.
    expect(dec.opening).toEqual(nov.closing);
    expect(dec).toMatchObject({ closing: yuan(2_515), totals: { invoiced: yuan(565), paid: yuan(10_000) }, openTotal: yuan(2_515), customerCredit: yuan(0) });
    expect(dec.openItems).toEqual([
      { invoiceId: inv2.invoiceId, issuedOn: '2026-11-25', dueDate: '2026-12-25', outstanding: yuan(1_950), daysPastDue: 6, bucket: '1-30' },
      { invoiceId: inv3.invoiceId, issuedOn: '2026-12-20', dueDate: '2027-01-19', outstanding: yuan(565), daysPastDue: -19, bucket: 'not due' },
    ]);
    expect(dec.aging.map((b: any) => `${b.bucket} ${b.amount.amountMinor} ${b.invoices}`)).toEqual(['not due 56500 1', '1-30 195000 1', '31-60 0 0', '61-90 0 0', 'over 90 0 0']);
    // R-AR-1: the same as the aging report as of the month end.
    const aging = (await as(FINANCE).get('/receivables/aging?asOf=2026-12-31')).body.groups.find((g: any) => g.key === customerId);
    expect(aging.buckets.map((b: any) => b.amount.amountMinor)).toEqual(dec.aging.map((b: any) => b.amount.amountMinor));

    // R-BILL-5: the lines are the ledger's December entries, with its running balance.
    const ledger = (await as(FINANCE).get(`/customers/${customerId}/ledger?limit=50`)).body.entries.filter((e: any) => e.on.startsWith('2026-12')).reverse();
    expect(dec.lines.map((l: any) => [l.seq, l.kind, l.reference, l.amount, l.balanceAfter])).toEqual(ledger.map((e: any) => [e.seq, e.kind, e.reference, e.amount, e.balanceAfter]));

    // A customer with open items but no entry in December gets no December statement (R-BILL-6: "with activity").
    expect((await as(FINANCE).get(`/statements/ST-${quietId}-2026-12`)).status).toBe(404);

    // Twice, or again on another day: nothing new, one statement per customer and month.
    expect(await stack.runJob('statements-due', { month: '2026-12' })).toMatchObject({ generated: 0, existing: first.customers, failed: [] });
    expect(await stack.runJob('statements-due', { month: '2026-11' })).toMatchObject({ generated: 0, failed: [] });
    const mine = (await as(REP).get(`/statements?customerId=${customerId}`)).body.items;
    expect(mine.map((s: any) => s.statementId)).toEqual([`ST-${customerId}-2026-12`, `ST-${customerId}-2026-11`]);
    expect((await scanAll(stack, 'o2c-statements')).filter((s) => s.customerId === customerId)).toHaveLength(2);
    // A month not over yet is refused, and nothing is written.
    await expect(stack.runJob('statements-due', { month: '2027-01' })).rejects.toThrow(/has not ended/);
    expect((await as(FINANCE).get('/statements?month=2026-12&status=GENERATED')).body.items.map((s: any) => s.customerId)).toContain(customerId);
    expect((await as(FINANCE).get('/notifications?limit=50')).body.items.map((n: any) => n.subject)).toContain(`Statements 2026-12: ${first.generated} ready to send`);
  });

  it('R-BILL-6: the printable statement is a PDF with the company, customer, period, opening, the lines, closing and the open items with aging, in Chinese and English', async () => {
    const pdf = await pdfOf(`ST-${customerId}-2026-12`);
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { pages, text } = await pdfText(pdf.bytes);
    expect(pages).toBe(1);
    const page = text[0]!;
    for (const words of [
      '示例贸易有限公司 Example Trading Co., Ltd.',
      '客户对账单',
      'Customer Statement',
      `上海宏达钢铁贸易有限公司 (${customerId})`,
      '2026-12-01 – 2026-12-31',
      `ST-${customerId}-2026-12`,
      '期初余额 Opening balance',
      '期末余额 Closing balance',
      '11,950.00', // opening
      '10,000.00', // the payment
      '2,515.00', // closing and open items
      '1,950.00',
      '565.00',
      inv2.invoiceId,
      inv3.invoiceId,
      '1-30 天 days',
      '未到期 Not due',
      '第 1/1 页 Page 1 of 1',
    ]) {
      expect(page, words).toContain(words);
    }
    // The other rep's customer is not his: no PDF either.
    expect((await pdfOf(`ST-${customerId}-2026-12`, OTHER_REP)).status).toBe(403);
  });

  it('R-BILL-6: finance sends a statement (the customer through the outbox, a copy to the rep) and records the confirmation, or a dispute that the finance manager and the rep hear of; all in the history', async () => {
    const novId = `ST-${customerId}-2026-11`;
    const decId = `ST-${customerId}-2026-12`;
    at('2027-01-04');
    // Not sent yet: nothing to answer.
    expect((await as(FINANCE).post(`/statements/${novId}/confirmation`, { outcome: 'CONFIRMED', confirmedBy: CONTACT.name, on: '2027-01-04' })).status).toBe(409);
    const sent = await ok(as(FINANCE).post(`/statements/${novId}/sending`));
    expect(sent).toMatchObject({ status: 'SENT', sending: { on: '2027-01-04', by: { userId: FINANCE }, channel: 'outbox', to: [{ name: CONTACT.name, email: CONTACT.email, phone: CONTACT.phone }] } });
    expect((await as(FINANCE).post(`/statements/${novId}/sending`)).status).toBe(409);
    const outbox = (await scanAll(stack, 'o2c-notifications')).filter((n) => n.recipient === `customer:${customerId}`);
    expect(outbox).toEqual([expect.objectContaining({ topic: 'statement', subject: '对账单 Statement 2026-11: 上海宏达钢铁贸易有限公司', link: `/statements/${novId}/pdf` })]);
    expect(outbox[0]!.body).toContain(`${CONTACT.name} <${CONTACT.email}>`);
    const repNotes = (await as(REP).get('/notifications?limit=50')).body.items;
    expect(repNotes.map((n: any) => n.subject)).toContain('Statement 2026-11 sent: 上海宏达钢铁贸易有限公司');

    at('2027-01-06');
    const confirmed = await ok(as(FINANCE).post(`/statements/${novId}/confirmation`, { outcome: 'CONFIRMED', confirmedBy: CONTACT.name, on: '2027-01-05', note: 'stamped copy received' }));
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', answer: { outcome: 'CONFIRMED', confirmedBy: CONTACT.name, on: '2027-01-05', recordedBy: { userId: FINANCE } } });
    expect((await as(FINANCE).post(`/statements/${novId}/confirmation`, { outcome: 'CONFIRMED', confirmedBy: CONTACT.name, on: '2027-01-06' })).status).toBe(409);

    // December: disputed, then settled and confirmed.
    await ok(as(FINANCE_MANAGER).post(`/statements/${decId}/sending`));
    const disputed = await ok(
      as(FINANCE).post(`/statements/${decId}/confirmation`, { outcome: 'DISPUTED', confirmedBy: CONTACT.name, on: '2027-01-06', note: 'we paid 1,950.00 on 30 Dec', disputedItems: [inv2.invoiceId] }),
    );
    expect(disputed).toMatchObject({ status: 'DISPUTED', answer: { outcome: 'DISPUTED', disputedItems: [inv2.invoiceId], note: 'we paid 1,950.00 on 30 Dec' } });
    for (const userId of [FINANCE_MANAGER, REP]) {
      const subjects = (await as(userId).get('/notifications?limit=50')).body.items.map((n: any) => n.subject);
      expect(subjects, userId).toContain('Statement disputed: 上海宏达钢铁贸易有限公司 2026-12');
    }
    // Only the customer's own contacts answer for it.
    expect((await as(FINANCE).post(`/statements/${decId}/confirmation`, { outcome: 'CONFIRMED', confirmedBy: 'Wang Wu', on: '2027-01-06' })).status).toBe(400);
    const settled = await ok(as(FINANCE).post(`/statements/${decId}/confirmation`, { outcome: 'CONFIRMED', confirmedBy: CONTACT.name, on: '2027-01-06', note: 'their payment was to another company' }));
    expect(settled.status).toBe('CONFIRMED');

    const history = (await as(FINANCE).get(`/statements/${decId}/history?limit=20`)).body.items;
    expect(history.map((h: any) => h.action)).toEqual([
      'statement generated',
      `statement sent to ${CONTACT.name}`,
      `statement disputed by ${CONTACT.name} on 2027-01-06: ${inv2.invoiceId}`,
      `statement confirmed by ${CONTACT.name} on 2027-01-06`,
    ]);
    expect(history[2]).toMatchObject({ by: { userId: FINANCE }, before: { status: 'SENT' }, after: { status: 'DISPUTED' }, reason: 'we paid 1,950.00 on 30 Dec' });
    expect((await statement(decId, REP)).answer).toMatchObject({ outcome: 'CONFIRMED' });
  });

  it('R-BILL-6, R-INFO-2: only finance sends and records; a rep reads own customers’ statements only; bad input is a 400 naming every field and writes nothing', async () => {
    const novId = `ST-${quietId}-2026-11`;
    at('2027-01-07');
    // Roles and data scope.
    expect((await as(REP).post(`/statements/${novId}/sending`)).status).toBe(403);
    expect((await as(WAREHOUSE).get(`/statements?customerId=${quietId}`)).status).toBe(403);
    expect((await as(OTHER_REP).get(`/statements/${novId}`)).status).toBe(403);
    expect((await as(OTHER_REP).get(`/statements?customerId=${quietId}`)).status).toBe(403);
    expect((await as(REP).get('/statements?month=2026-11')).status).toBe(403);
    expect((await as(REP).get(`/statements/${novId}`)).status).toBe(200);
    expect((await as('gao.shan').get(`/statements/${novId}/history`)).status).toBe(200);
    expect((await as(FINANCE).get('/statements/ST-CU-999999-2026-11')).status).toBe(404);

    await ok(as(FINANCE).post(`/statements/${novId}/sending`));
    const snapshot = await snapshotTables(stack);
    const refused = async (body: unknown, fields: string[]) => {
      const res = await as(FINANCE).post(`/statements/${novId}/confirmation`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    };
    await refused({ outcome: 'DISPUTED', confirmedBy: 'Zhang San', on: '2027-01-07' }, ['body.disputedItems', 'body.note']);
    await refused({ outcome: 'MAYBE', confirmedBy: '', on: 'soon', extra: 1 }, ['body.confirmedBy', 'body.extra', 'body.on', 'body.outcome']);
    await refused({ outcome: 'CONFIRMED', confirmedBy: 'Zhang San', on: '2027-01-07', disputedItems: ['INV-2026-000001'] }, ['body.disputedItems']);
    // Disputed items must be references in the statement; the contact one of the customer's; the day not ahead.
    await refused({ outcome: 'DISPUTED', confirmedBy: 'Somebody Else', on: '2027-02-01', note: 'no', disputedItems: [inv1.invoiceId, 'RC-2099-000001'] }, [
      'body.confirmedBy',
      'body.disputedItems.0',
      'body.disputedItems.1',
      'body.on',
    ]);
    expect((await as(FINANCE).get('/statements')).body.errors.map((e: { field: string }) => e.field)).toEqual(['query.customerId']);
    expect((await as(FINANCE).get('/statements/ST-42')).body.errors.map((e: { field: string }) => e.field)).toEqual(['params.statementId']);
    expect(await snapshotTables(stack)).toEqual(snapshot);
  });
});
