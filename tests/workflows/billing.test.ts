/**
 * From a delivered order to cash (R-BILL-1..3, R-BILL-5, R-AR-1, R-AR-2, R-CREDIT-5), through the
 * order's real ASL (its last step invoices) and over HTTP as finance, the rep and the warehouse.
 * After every scenario the credit, stock and receivables invariants hold: per customer the balance
 * equals the sum of the ledger's entries and the sum of the open items.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, businessDate, setClock } from '../../functions/shared/clock.js';
import { TABLES } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { billingInvariantViolations } from '../support/billing-invariants.js';
import { expectInvariantsHold } from '../support/invariants.js';
import type { TableId } from '../../functions/shared/definitions.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { later } from '../support/time.js';
import { approvedCustomer, decideTaskAbout, seedCatalogueAndPrices, yuan, expectStatus, deliveredOrder as deliveredOrderOf } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const FINANCE = 'wu.fang';

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);
/** 10:00 in Shanghai on a business day. */
const at = (day: string) => setClock(new Date(`${day}T02:00:00Z`));

beforeAll(async () => {
  stack = await startTestStack();
  // The story starts on 2026-11-25: what it stands on is there before that day, whatever the real date.
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

const deliveredOrder = (customerId: string, lines?: unknown[]) => deliveredOrderOf(stack, REP, customerId, lines);

const creditOf = async (customerId: string) => (await as(FINANCE).get(`/customers/${customerId}/credit`)).body;
const ledgerOf = async (customerId: string) => (await as(FINANCE).get(`/customers/${customerId}/ledger?limit=50`)).body;
const invoicesOf = async (customerId: string) => (await as(FINANCE).get(`/invoices?customerId=${customerId}&limit=50`)).body.items;
const pay = (body: Record<string, unknown>) => as(FINANCE).post('/payments', { method: 'BANK_TRANSFER', bankReference: `BK-${Math.random().toString(36).slice(2, 10)}`, ...body });
const subjects = async (userId: string) => ((await as(userId).get('/notifications?limit=100')).body.items as { subject: string }[]).map((n) => n.subject);

describe('billing and receivables', () => {
  it('R-BILL-1, R-BILL-2, R-BILL-3, R-BILL-5, R-BILL-6, R-AR-1, R-AR-2, R-CREDIT-5: delivered → invoiced → part paid → overdue alerts once each → credit hold → paid → hold lifted, all in the ledger and the statements', async () => {
    at('2026-11-25');
    const customerId = await approvedCustomer(stack, REP, 'Cash Flow Co');
    const orderId = await deliveredOrder(customerId);
    const order = (await as(REP).get(`/orders/${orderId}`)).body;
    expect(order.status).toBe('DELIVERED');

    // R-BILL-1: shipped quantities at the approved prices, VAT 13% per line, due after the 30 days' terms.
    const [invoice] = await invoicesOf(customerId);
    expect(invoice).toMatchObject({
      orderId,
      issuedOn: '2026-11-25',
      dueDate: '2026-12-25',
      status: 'OPEN',
      net: yuan(11_000),
      tax: yuan(1_430),
      gross: yuan(12_430),
      outstanding: yuan(12_430),
      lines: [
        { productCode: 'PLATE-Q235', quantity: '2.5', unitPrice: yuan(4000), net: yuan(10_000), tax: yuan(1_300) },
        { productCode: 'VALVE-DN50', quantity: '4', unitPrice: yuan(250), net: yuan(1_000), tax: yuan(130) },
      ],
    });
    expect(order.billing).toMatchObject({ invoices: [invoice.invoiceId], invoicedGross: yuan(12_430) });
    // The reservation became a receivable: nothing stays reserved for the order.
    expect(await creditOf(customerId)).toMatchObject({ reservedForOrders: yuan(0), receivables: yuan(12_430), exposure: yuan(12_430) });
    // The note has its invoice, and asking again gives the same one (never two per note).
    const again = await ok(as(FINANCE).post(`/delivery-notes/${invoice.deliveryNoteId}/invoice`));
    expect(again.invoiceId).toBe(invoice.invoiceId);

    // R-BILL-2/3: a part payment by bank transfer, with a receipt number.
    at('2026-12-01');
    const part = await ok(pay({ customerId, amount: yuan(5_000), receivedOn: '2026-12-01' }), 201);
    expect(part.receiptNumber).toMatch(/^RC-2026-\d{6}$/);
    expect(part).toMatchObject({ allocations: [{ invoiceId: invoice.invoiceId, amount: yuan(5_000) }], unallocated: yuan(0) });
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body).toMatchObject({ status: 'OPEN', outstanding: yuan(7_430) });
    expect(await creditOf(customerId)).toMatchObject({ receivables: yuan(7_430), available: yuan(1_000_000 - 7_430) });

    // R-AR-2: each milestone once, to the rep and finance; above 30 days also the VP sales.
    const milestones: [string, string, number][] = [
      ['2026-12-22', 'due in 3 days', 2],
      ['2026-12-25', 'due today', 2],
      ['2027-01-01', '7 days overdue', 2],
      ['2027-01-24', '30 days overdue', 2],
      ['2027-02-23', '60 days overdue', 3],
    ];
    for (const [asOf, words, recipients] of milestones) {
      expect(await stack.runJob('receivables-due', { asOf }), asOf).toMatchObject({ alertsSent: recipients });
      // The same day again (a retry, a second run): nothing more.
      expect(await stack.runJob('receivables-due', { asOf }), asOf).toMatchObject({ alertsSent: 0 });
      expect((await subjects(REP)).filter((s) => s.startsWith(`Invoice ${invoice.invoiceId} ${words}:`)), words).toHaveLength(1);
    }
    expect((await subjects(FINANCE)).filter((s) => s.startsWith(`Invoice ${invoice.invoiceId} `))).toHaveLength(5);
    expect((await subjects('sun.li')).filter((s) => s.startsWith(`Invoice ${invoice.invoiceId} `))).toEqual([expect.stringContaining('60 days overdue')]);

    // R-CREDIT-5: more than 30 days past due puts the customer on hold.
    expect(await stack.runJob('credit-holds-due', { asOf: '2027-01-25' })).toMatchObject({ held: 1 });
    expect((await creditOf(customerId)).hold).toMatchObject({ kind: 'OVERDUE' });

    // Paid (with 1,000.00 too much): the invoice is paid, the rest is customer credit, the hold comes off.
    at('2027-02-24');
    const rest = await ok(pay({ customerId, amount: yuan(8_430), receivedOn: '2027-02-24' }), 201);
    expect(rest).toMatchObject({ allocations: [{ invoiceId: invoice.invoiceId, amount: yuan(7_430) }], unallocated: yuan(1_000) });
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body).toMatchObject({ status: 'PAID', outstanding: yuan(0), paidOn: '2027-02-24' });
    const credit = await creditOf(customerId);
    expect(credit.hold).toBeNull();
    expect(credit).toMatchObject({ receivables: yuan(0), exposure: yuan(0), overdue: yuan(0) });
    expect(await subjects(REP)).toContain('Credit hold lifted: Cash Flow Co');

    // R-BILL-5: the ledger tells it all, and its balance is what the customer owes (here: is owed).
    const ledger = await ledgerOf(customerId);
    expect(ledger).toMatchObject({ balance: yuan(-1_000), customerCredit: yuan(1_000) });
    expect(ledger.entries.map((e: { seq: number; kind: string; amount: { amountMinor: number }; balanceAfter: { amountMinor: number } }) => `${e.seq} ${e.kind} ${e.amount.amountMinor} → ${e.balanceAfter.amountMinor}`)).toEqual([
      '3 PAYMENT -843000 → -100000',
      '2 PAYMENT -500000 → 743000',
      '1 INVOICE 1243000 → 1243000',
    ]);
    const history = (await as(FINANCE).get(`/invoices/${invoice.invoiceId}/history?limit=20`)).body.items.map((e: { action: string }) => e.action);
    expect(history).toEqual(expect.arrayContaining(['invoice issued', `5000.00 CNY paid by ${part.receiptNumber}`, `7430.00 CNY paid by ${rest.receiptNumber}: paid in full`]));

    // R-AR-1: as of a past day the aging shows what was open then; today nothing of this customer is.
    const then = (await as(FINANCE).get('/receivables/aging?asOf=2027-01-10')).body;
    expect(then.buckets).toEqual(['not due', '1-30', '31-60', '61-90', 'over 90']);
    const mine = then.groups.find((g: { key: string }) => g.key === customerId);
    expect(mine.buckets.find((b: { bucket: string }) => b.bucket === '1-30')).toEqual({ bucket: '1-30', amount: yuan(7_430), invoices: 1 });
    // R-BILL-3: the 1,000.00 paid too much came on 2027-02-24: no customer credit yet on 2027-01-10.
    expect(mine).toMatchObject({ total: yuan(7_430), customerCredit: yuan(0), net: yuan(7_430) });
    // R-BILL-6: the month-end statements tell the same story, month by month.
    at('2027-03-01');
    for (const month of ['2026-11', '2026-12', '2027-01', '2027-02']) expect(await stack.runJob('statements-due', { month }), month).toMatchObject({ failed: [] });
    const statementOf = async (month: string) => (await as(FINANCE).get(`/statements/ST-${customerId}-${month}`)).body;
    expect(await statementOf('2026-11')).toMatchObject({ opening: yuan(0), totals: { invoiced: yuan(12_430) }, closing: yuan(12_430) });
    const december = await statementOf('2026-12');
    expect(december).toMatchObject({ opening: yuan(12_430), totals: { paid: yuan(5_000) }, closing: yuan(7_430) });
    expect(december.openItems).toEqual([expect.objectContaining({ invoiceId: invoice.invoiceId, outstanding: yuan(7_430), daysPastDue: 6, bucket: '1-30' })]);
    // No ledger activity in January (only alerts and the hold): no statement.
    expect((await as(FINANCE).get(`/statements/ST-${customerId}-2027-01`)).status).toBe(404);
    expect(await statementOf('2027-02')).toMatchObject({ opening: yuan(7_430), totals: { paid: yuan(8_430) }, closing: yuan(-1_000), openItems: [], customerCredit: yuan(1_000) });

    const now = (await as(FINANCE).get('/receivables/aging?groupBy=rep')).body;
    expect(now.groupBy).toBe('rep');
    // Today nothing of this customer is open; what it paid too much is its customer credit, beside the buckets (R-BILL-3).
    expect((await as(FINANCE).get('/receivables/aging')).body.groups.find((g: { key: string }) => g.key === customerId)).toMatchObject({ total: yuan(0), customerCredit: yuan(1_000), net: yuan(-1_000) });
  });

  it('R-AR-1, R-BILL-3: the aging shows customer credit (unapplied payments and credit notes) per customer beside the buckets and in the totals, net = open invoices − credit; a customer who only paid ahead is in it; as of a past day the credit as it was then', async () => {
    at('2027-04-01');
    const valves = (n: number) => [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: String(n) }];
    // Paid 1,000.00 ahead, nothing invoiced.
    const ahead = await approvedCustomer(stack, REP, 'Paid In Advance Co');
    expect(await ok(pay({ customerId: ahead, amount: yuan(1_000), receivedOn: '2027-04-01' }), 201)).toMatchObject({ allocations: [], unallocated: yuan(1_000) });
    // Open invoices and credit: 4 valves (1,130.00) open; 2 valves (565.00) paid, then an allowance of 200.00 on that paid invoice, all of it customer credit.
    const both = await approvedCustomer(stack, REP, 'Owes And Is Owed Co');
    await deliveredOrder(both, valves(4));
    await deliveredOrder(both, valves(2));
    const [small, large] = await invoicesOf(both);
    expect([large.gross, small.gross]).toEqual([yuan(1_130), yuan(565)]);
    await ok(pay({ customerId: both, amount: yuan(565), receivedOn: '2027-04-01', invoices: [small.invoiceId] }), 201);
    const asked = await ok(as(REP).post('/credit-notes', { invoiceId: small.invoiceId, amount: yuan(200), reason: 'late delivery allowance' }), 202);
    expect((await decideTaskAbout(stack, 'liu.yang', asked.creditNoteId, { outcome: 'APPROVED' })).res.status).toBe(200);
    expect((await as(REP).get(`/credit-notes/${asked.creditNoteId}`)).body).toMatchObject({ status: 'ISSUED', settled: yuan(0), customerCredit: yuan(200) });

    const aging = async (userId: string, q: string) => (await as(userId).get(`/receivables/aging${q}`)).body;
    const rowOf = (report: { groups: { key: string; customerCredit: { amountMinor: number } }[] }, key: string) => report.groups.find((g) => g.key === key);
    const today = await aging(FINANCE, '');
    expect(today.asOf).toBe('2027-04-01');
    const zero = today.buckets.map((bucket: string) => ({ bucket, amount: yuan(0), invoices: 0 }));
    expect(rowOf(today, ahead)).toEqual({ key: ahead, name: 'Paid In Advance Co', total: yuan(0), buckets: zero, customerCredit: yuan(1_000), net: yuan(-1_000) });
    expect(rowOf(today, both)).toMatchObject({ total: yuan(1_130), customerCredit: yuan(200), net: yuan(930) });
    expect(rowOf(today, both)!).toHaveProperty(['buckets', 0], { bucket: 'not due', amount: yuan(1_130), invoices: 1 });
    // The ledger agrees: per customer, balance = open invoices − customer credit (R-BILL-5).
    expect(await ledgerOf(ahead)).toMatchObject({ balance: yuan(-1_000), customerCredit: yuan(1_000) });
    expect(await ledgerOf(both)).toMatchObject({ balance: yuan(930), customerCredit: yuan(200) });

    // The totals are the rows' sums, by customer, rep and region alike, and the same totals each way.
    const minor = (rows: { [k: string]: { amountMinor: number } }[], field: string) => rows.reduce((s, g) => s + g[field]!.amountMinor, 0);
    const expectTotalsAddUp = (report: any) => {
      expect(report.total.amountMinor).toBe(minor(report.groups, 'total'));
      expect(report.customerCredit.amountMinor).toBe(minor(report.groups, 'customerCredit'));
      expect(report.net.amountMinor).toBe(minor(report.groups, 'net'));
      expect(report.net.amountMinor).toBe(report.total.amountMinor - report.customerCredit.amountMinor);
      expect(report.total.amountMinor).toBe(minor(report.totals, 'amount'));
      for (const g of report.groups) {
        expect(g.net.amountMinor, g.key).toBe(g.total.amountMinor - g.customerCredit.amountMinor);
        expect(g.total.amountMinor, g.key).toBe(minor(g.buckets, 'amount'));
      }
    };
    expectTotalsAddUp(today);
    expect(today.customerCredit.amountMinor).toBeGreaterThanOrEqual(120_000);
    for (const groupBy of ['rep', 'region']) {
      const other = await aging(FINANCE, `?groupBy=${groupBy}`);
      expectTotalsAddUp(other);
      expect({ total: other.total, customerCredit: other.customerCredit, net: other.net }).toEqual({ total: today.total, customerCredit: today.customerCredit, net: today.net });
    }
    // By rep: both customers are wang.qiang's, so his row carries their credit (and whatever else he has).
    expect(rowOf(await aging(FINANCE, '?groupBy=rep'), REP)!.customerCredit.amountMinor).toBeGreaterThanOrEqual(120_000);
    // R-INFO-2: the rep sees his customers' credit; another rep does not.
    expect(rowOf(await aging(REP, ''), ahead)).toMatchObject({ customerCredit: yuan(1_000), net: yuan(-1_000) });
    expect(rowOf(await aging('li.na', ''), ahead)).toBeUndefined();

    // The credit is used: 4 valves invoiced to the customer who paid ahead take its 1,000.00 first (R-BILL-3).
    at('2027-04-10');
    await deliveredOrder(ahead, valves(4));
    expect(rowOf(await aging(FINANCE, ''), ahead)).toMatchObject({ total: yuan(130), customerCredit: yuan(0), net: yuan(130) });
    // As of a past day, the credit as it was then: paid ahead on the 1st, invoiced on the 10th.
    const fifth = await aging(FINANCE, '?asOf=2027-04-05');
    expect(rowOf(fifth, ahead)).toMatchObject({ total: yuan(0), customerCredit: yuan(1_000), net: yuan(-1_000) });
    expect(rowOf(fifth, both)).toMatchObject({ total: yuan(1_130), customerCredit: yuan(200), net: yuan(930) });
    expectTotalsAddUp(fifth);
    // Before the payment and the credit note: none.
    const before = await aging(FINANCE, '?asOf=2027-03-31');
    expect(rowOf(before, ahead)).toBeUndefined();
    expect(rowOf(before, both)).toBeUndefined();
    expectTotalsAddUp(before);
  });

  it('R-CREDIT-5: a payment that pays the overdue invoices but dies before lifting the hold: the next morning\'s job lifts it (nothing left on hold for nothing)', async () => {
    at('2026-11-25');
    const customerId = await approvedCustomer(stack, REP, 'Lost Lift Co');
    await deliveredOrder(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' }]);
    const [invoice] = await invoicesOf(customerId);
    expect(await stack.runJob('credit-holds-due', { asOf: addDays(invoice.dueDate, 31) })).toMatchObject({ held: 1 });
    expect((await creditOf(customerId)).hold).toMatchObject({ kind: 'OVERDUE' });

    // The payment is written (its answer with it), then the function dies before it lifts the hold.
    at(addDays(invoice.dueDate, 32));
    stack.crashes.crash('RecordPayment', { afterWriteTo: TABLES.payments.localName });
    const body = { customerId, amount: invoice.gross, receivedOn: businessDate(), method: 'BANK_TRANSFER', bankReference: 'BK-LOST-LIFT' };
    expect((await as(FINANCE).post('/payments', body, { 'idempotency-key': 'lost-lift-0001' })).status).toBe(500);
    expect((await as(FINANCE).get(`/invoices/${invoice.invoiceId}`)).body.status).toBe('PAID');
    expect((await creditOf(customerId)).hold).toMatchObject({ kind: 'OVERDUE' });
    // The retry replays the payment's answer; the hold is still on.
    later(2 * 60_000);
    const retried = await as(FINANCE).post('/payments', body, { 'idempotency-key': 'lost-lift-0001' });
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect((await creditOf(customerId)).hold).toMatchObject({ kind: 'OVERDUE' });

    // The next morning: no invoice of the customer is overdue any more, the hold comes off, the rep is told.
    expect(await stack.runJob('credit-holds-due', { asOf: addDays(invoice.dueDate, 33) })).toMatchObject({ held: 0, lifted: 1, failed: 0 });
    expect((await creditOf(customerId)).hold).toBeNull();
    expect(await subjects(REP)).toContain('Credit hold lifted: Lost Lift Co');
    expect(await stack.runJob('credit-holds-due', { asOf: addDays(invoice.dueDate, 33) })).toMatchObject({ lifted: 0 });
  });

  it('R-BILL-3: customer credit pays the next invoice first; a payment naming invoices pays those, otherwise the oldest due first', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Prepaid Ahead Co');
    // Paid before anything was invoiced: all of it is customer credit.
    const ahead = await ok(pay({ customerId, amount: yuan(1_000), receivedOn: businessDate() }), 201);
    expect(ahead).toMatchObject({ allocations: [], unallocated: yuan(1_000) });
    const plate = [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '1' }];
    await deliveredOrder(customerId, plate);
    await deliveredOrder(customerId, plate);
    const [second, first] = await invoicesOf(customerId);
    // 4,520.00 each (4,000.00 + 13%); the first used the 1,000.00 credit.
    expect(first).toMatchObject({ gross: yuan(4_520), outstanding: yuan(3_520), settlements: [{ kind: 'CUSTOMER_CREDIT', reference: ahead.receiptNumber, amount: yuan(1_000) }] });
    expect(second).toMatchObject({ outstanding: yuan(4_520) });
    expect((await ledgerOf(customerId)).customerCredit).toEqual(yuan(0));

    const named = await ok(pay({ customerId, amount: yuan(500), receivedOn: first.issuedOn, invoices: [second.invoiceId] }), 201);
    expect(named.allocations).toEqual([{ invoiceId: second.invoiceId, amount: yuan(500) }]);
    const oldest = await ok(pay({ customerId, amount: yuan(4_000), receivedOn: first.issuedOn }), 201);
    expect(oldest.allocations).toEqual([
      { invoiceId: first.invoiceId, amount: yuan(3_520) },
      { invoiceId: second.invoiceId, amount: yuan(480) },
    ]);
    expect((await ledgerOf(customerId)).balance).toEqual(yuan(4_020 - 480));
  });

  it('R-BILL-2: only finance records payments; bad input is a 400 naming every bad field and writes nothing', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Careful Payer Co');
    const snapshot = await snapshotTables(stack);
    expect((await as(REP).post('/payments', { customerId, method: 'CASH', amount: yuan(10), receivedOn: '2026-11-01' })).status).toBe(403);
    const bad = await as(FINANCE).post('/payments', { customerId, method: 'BANK_TRANSFER', amount: { amountMinor: -5, currency: 'CNY' }, receivedOn: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.amount.amountMinor', 'body.bankReference', 'body.receivedOn']);
    const noReference = await as(FINANCE).post('/payments', { customerId, method: 'BANK_TRANSFER', amount: yuan(10), receivedOn: '2026-11-01' });
    expect(noReference.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.bankReference']);
    const wrong = await pay({ customerId, amount: { amountMinor: 1000, currency: 'USD' }, receivedOn: '2099-01-01', invoices: ['INV-2026-999999'] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.amount.currency', 'body.invoices.0', 'body.receivedOn']);
    expect(await snapshotTables(stack)).toEqual(snapshot);
  });

  it('R-BILL-3, R-BILL-5: a payment past the most one document may carry (setting maxAmountMinor, 10^12 CNY), or one leaving the customer more unallocated credit than that, is a 400 naming the amount: nothing written, no receipt number taken, and the customer\'s ledger and later payments still answer', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Deep Pockets Co');
    const today = businessDate();
    const cash = (amountMinor: number) => as(FINANCE).post('/payments', { customerId, method: 'CASH', amount: { amountMinor, currency: 'CNY' }, receivedOn: today });
    const before = await snapshotTables(stack);
    // Issue 14: a 90 trillion CNY cash payment was accepted, and every payment of the customer answered 500 afterwards.
    const huge = await cash(9_000_000_000_000_000);
    expect([huge.status, huge.body.errors]).toEqual([400, [{ field: 'body.amount.amountMinor', code: 'too_big', message: 'at most 1000000000000.00 CNY per document' }]]);
    expect(await snapshotTables(stack)).toEqual(before);
    // 10^12 CNY paid ahead is the most a customer's credit may hold; one fen more is refused by name.
    const first = await ok(cash(100_000_000_000_000), 201);
    expect(first.unallocated).toEqual({ amountMinor: 100_000_000_000_000, currency: 'CNY' });
    const full = await snapshotTables(stack);
    const more = await cash(1);
    expect(more.status).toBe(400);
    expect(more.body.errors).toEqual([expect.objectContaining({ field: 'body.amount.amountMinor', code: 'too_big' })]);
    expect(more.body.errors[0].message).toContain(`${customerId} holds 1000000000000.00 CNY of unallocated payments`);
    expect(await snapshotTables(stack)).toEqual(full);
    expect((await as(FINANCE).get(`/customers/${customerId}/ledger`)).body).toMatchObject({ balance: yuan(-1_000_000_000_000), customerCredit: yuan(1_000_000_000_000) });
    expect((await as(FINANCE).get(`/customers/${customerId}/credit`)).status).toBe(200);
    // The refused payment took no receipt number: the next one recorded follows the first.
    const other = await approvedCustomer(stack, REP, 'Small Change Co');
    const next = await ok(as(FINANCE).post('/payments', { customerId: other, method: 'CASH', amount: yuan(10), receivedOn: today }), 201);
    const number = (receipt: string) => Number(receipt.split('-').at(-1));
    expect(number(next.receiptNumber)).toBe(number(first.receiptNumber) + 1);
  });

  it('R-BILL-2: a rep hands in cash collected from a customer only with the sales manager’s permission, for that customer and until its day', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Cash Site Co');
    const today = businessDate();
    const cash = (collectedBy: string, receivedOn = today) => as(FINANCE).post('/payments', { customerId, method: 'CASH', amount: yuan(300), receivedOn, collectedBy });
    const refused = await cash(REP);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.collectedBy', code: 'not_allowed' })]);
    // Only the sales manager allows it.
    expect((await as(REP).request('PUT', `/customers/${customerId}/cash-collection`, { repId: REP, until: today, reason: 'me' })).status).toBe(403);
    const allowed = await ok(as('liu.yang').request('PUT', `/customers/${customerId}/cash-collection`, { repId: REP, until: today, reason: 'collects at the site on Fridays' }));
    expect(allowed.cashCollection).toMatchObject({ repId: REP, until: today, allowedBy: { userId: 'liu.yang' } });
    expect(await subjects(REP)).toContain('You may collect cash: Cash Site Co');
    const handedIn = await ok(cash(REP), 201);
    expect(handedIn).toMatchObject({ collectedBy: REP, method: 'CASH', unallocated: yuan(300) });
    // Another rep, or a bank transfer "collected" by a rep: refused.
    expect((await cash('li.na')).status).toBe(400);
    expect((await pay({ customerId, amount: yuan(1), receivedOn: today, collectedBy: REP })).body.errors[0].code).toBe('not_cash');
    await ok(as('liu.yang').request('DELETE', `/customers/${customerId}/cash-collection`));
    expect((await cash(REP)).status).toBe(400);
    const history = (await as('liu.yang').get(`/customers/${customerId}/history?limit=20`)).body.items.map((e: { action: string }) => e.action);
    expect(history).toEqual(expect.arrayContaining([`cash collection allowed to ${REP} until ${today}`, `cash collection by ${REP} stopped`]));
  });

  it('R-BILL-1: a delivery note is invoiced once, however many ask at the same moment', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Once Only Co');
    const orderId = await deliveredOrder(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '2' }]);
    const [invoice] = await invoicesOf(customerId);
    const answers = await Promise.all(Array.from({ length: 8 }, () => as(FINANCE).post(`/delivery-notes/${invoice.deliveryNoteId}/invoice`)));
    expect(new Set(answers.map((a) => a.body.invoiceId))).toEqual(new Set([invoice.invoiceId]));
    expect(await invoicesOf(customerId)).toHaveLength(1);
    expect((await as(REP).get(`/orders/${orderId}`)).body.billing.invoices).toEqual([invoice.invoiceId]);
    expect((await as('li.na').get(`/invoices/${invoice.invoiceId}`)).status).toBe(403);
  });

  it('R-BILL-5, R-BILL-3, R-BILL-4: over random sequences of payments (named or not, short or over) and credit notes, balance = Σ entries = Σ open items − credit after each', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Random Payer Co');
    const valves = (n: number) => [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: String(n) }];
    for (const n of [1, 2, 3]) await deliveredOrder(customerId, valves(n));
    const invoices = (await invoicesOf(customerId)) as { invoiceId: string; issuedOn: string; gross: { amountMinor: number } }[];
    const invoiceIds = invoices.map((i) => i.invoiceId);
    const receivedOn = invoices[0]!.issuedOn;
    const credited = new Map<string, number>();
    const op = fc.oneof(
      fc.record({ kind: fc.constant('pay' as const), amountMinor: fc.integer({ min: 1, max: 150_000 }), name: fc.subarray(invoiceIds, { maxLength: 2 }) }),
      fc.record({ kind: fc.constant('credit' as const), amountMinor: fc.integer({ min: 1, max: 40_000 }), invoice: fc.constantFrom(...invoiceIds) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 3 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === 'pay') {
            const open = (await invoicesOf(customerId)).filter((i: { status: string }) => i.status === 'OPEN').map((i: { invoiceId: string }) => i.invoiceId);
            const named = o.name.filter((id) => open.includes(id));
            const res = await pay({ customerId, amount: { amountMinor: o.amountMinor, currency: 'CNY' }, receivedOn, ...(named.length > 0 ? { invoices: named } : {}) });
            expect(res.status, JSON.stringify(res.body)).toBe(201);
          } else {
            // An allowance on the invoice, within what it can still be credited, approved by the sales manager.
            const gross = invoices.find((i) => i.invoiceId === o.invoice)!.gross.amountMinor;
            const amountMinor = Math.min(o.amountMinor, gross - (credited.get(o.invoice) ?? 0));
            if (amountMinor <= 0) continue;
            const asked = await as(REP).post('/credit-notes', { invoiceId: o.invoice, amount: { amountMinor, currency: 'CNY' }, reason: 'random allowance' });
            expect(asked.status, JSON.stringify(asked.body)).toBe(202);
            credited.set(o.invoice, (credited.get(o.invoice) ?? 0) + amountMinor);
            expect((await decideTaskAbout(stack, 'liu.yang', asked.body.creditNoteId, { outcome: 'APPROVED' })).res.status).toBe(200);
            expect((await as(REP).get(`/credit-notes/${asked.body.creditNoteId}`)).body.status).toBe('ISSUED');
          }
          expect(await billingInvariantViolations(stack)).toEqual([]);
        }
      }),
      { numRuns: 8, seed: 20261122 },
    );
    // Both kinds were drawn: the ledger has payments and credit notes.
    const kinds = new Set(((await ledgerOf(customerId)).entries as { kind: string }[]).map((e) => e.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['INVOICE', 'PAYMENT', 'CREDIT_NOTE']));
  });

});

describe('payment references and reversals (R-BILL-2, R-BILL-5)', () => {
  const valves = (n: number) => [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: String(n) }];
  const historyOf = async (path: string) => ((await as(FINANCE).get(`${path}/history?limit=50`)).body.items as { action: string; reason?: string }[]).map((e) => e.action);
  /** The tables a payment or its reversal writes, read after every workflow and consumer is idle. */
  const touched = async () => {
    await stack.idle();
    const all = await snapshotTables(stack);
    return Object.fromEntries(['payments', 'ledger', 'invoices', 'credit', 'audit', 'notifications', 'counters', 'idempotency'].map((t) => [t, all[TABLES[t as TableId].localName]]));
  };

  it('R-BILL-2: the same bank reference twice for a customer on one day is refused with 409 naming the first receipt and writes nothing; another day, another customer, or a separate payment said so, it is recorded', async () => {
    at('2027-05-03');
    const customerId = await approvedCustomer(stack, REP, 'Same Reference Co');
    const other = await approvedCustomer(stack, REP, 'Other Reference Co');
    const first = await ok(pay({ customerId, amount: yuan(300), receivedOn: '2027-05-03', bankReference: 'ICBC 2027-0503-0007' }), 201);
    expect(first.bankReference).toBe('ICBC 2027-0503-0007');

    // The same reference however it is typed: trimmed, upper-cased, white space and full-width forms aside.
    const before = await touched();
    for (const bankReference of ['ICBC 2027-0503-0007', ' icbc2027-0503-0007 ', 'ＩＣＢＣ　2027-0503-0007']) {
      const again = await pay({ customerId, amount: yuan(300), receivedOn: '2027-05-03', bankReference });
      expect(again.status, bankReference).toBe(409);
      expect(again.headers.get('content-type')).toContain('application/problem+json');
      expect(again.body).toMatchObject({ status: 409, type: '/problems/duplicate-reference' });
      expect(again.body.detail).toContain(first.receiptNumber);
      expect(again.body.errors).toEqual([{ field: 'body.bankReference', code: 'duplicate_reference', message: `already recorded on receipt ${first.receiptNumber}` }]);
    }
    expect(await touched(), 'a refused payment writes nothing').toEqual(before);

    // Another day, another customer: fine.
    await ok(pay({ customerId, amount: yuan(300), receivedOn: '2027-05-02', bankReference: 'ICBC 2027-0503-0007' }), 201);
    await ok(pay({ customerId: other, amount: yuan(300), receivedOn: '2027-05-03', bankReference: 'ICBC 2027-0503-0007' }), 201);
    // Finance says it is another transfer with the same reference: recorded, naming the first; the reference stays the first's.
    const separate = await ok(pay({ customerId, amount: yuan(120), receivedOn: '2027-05-03', bankReference: 'icbc 2027-0503-0007', separatePayment: true }), 201);
    expect(separate).toMatchObject({ sameReferenceAs: first.receiptNumber, unallocated: yuan(120) });
    expect((await pay({ customerId, amount: yuan(300), receivedOn: '2027-05-03', bankReference: 'ICBC 2027-0503-0007' })).body.errors[0].message).toContain(first.receiptNumber);
    expect(await historyOf(`/payments/${separate.receiptNumber}`)).toEqual(['payment recorded']);

    // Cash: the paper receipt's number (收据号) is unique the same way; a bank transfer has none.
    const cash = (receiptReference: string) => as(FINANCE).post('/payments', { customerId, method: 'CASH', amount: yuan(50), receivedOn: '2027-05-03', receiptReference });
    const paper = await ok(cash('收据 No. 0042'), 201);
    expect(paper.receiptReference).toBe('收据 No. 0042');
    const twice = await cash('收据 NO.0042');
    expect(twice.status).toBe(409);
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'body.receiptReference', message: `already recorded on receipt ${paper.receiptNumber}` })]);
    const transferWithPaper = await pay({ customerId, amount: yuan(50), receivedOn: '2027-05-03', receiptReference: '0043' });
    expect(transferWithPaper.status).toBe(400);
    expect(transferWithPaper.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.receiptReference']);
    // Cash without a paper receipt's number is not held to anything.
    for (let i = 0; i < 2; i++) await ok(as(FINANCE).post('/payments', { customerId, method: 'CASH', amount: yuan(10), receivedOn: '2027-05-03' }), 201);

    // The first reversed: the reference passes to the separate payment still standing, which a new one now meets.
    at('2027-05-04');
    await ok(as(FINANCE).post(`/payments/${first.receiptNumber}/reversal`, { reason: 'recorded against the wrong customer' }));
    const meets = await pay({ customerId, amount: yuan(300), receivedOn: '2027-05-03', bankReference: 'ICBC 2027-0503-0007' });
    expect(meets.status).toBe(409);
    expect(meets.body.errors[0].message).toBe(`already recorded on receipt ${separate.receiptNumber}`);
  });

  it('R-BILL-2: ten payments at the same moment with one bank reference: exactly one is recorded, the other nine are refused naming it', async () => {
    at('2027-05-05');
    const customerId = await approvedCustomer(stack, REP, 'Double Click Co');
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay({ customerId, amount: yuan(777), receivedOn: '2027-05-05', bankReference: 'BOC-0505-DOUBLE' })));
    const recorded = answers.filter((a) => a.status === 201);
    expect(recorded, JSON.stringify(answers.map((a) => [a.status, a.body.detail]))).toHaveLength(1);
    const receipt = recorded[0]!.body.receiptNumber;
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.bankReference', message: `already recorded on receipt ${receipt}` })]);
    }
    const ledger = await ledgerOf(customerId);
    expect(ledger).toMatchObject({ balance: yuan(-777), customerCredit: yuan(777) });
    expect(ledger.entries.map((e: { kind: string; reference: string }) => `${e.kind} ${e.reference}`)).toEqual([`PAYMENT ${receipt}`]);
  });

  it('R-BILL-5, R-BILL-6, R-INFO-3: a payment that paid two invoices and left credit is reversed: both open again by what it paid, the exposure is back, the credit gone, balance = Σ entries = Σ open invoices − credit; history, notifications, the month-end statement undoes it; reversed once only; its reference can be recorded again', async () => {
    at('2027-05-10');
    const customerId = await approvedCustomer(stack, REP, 'Wrong Payer Co');
    await deliveredOrder(customerId, valves(4)); // 1,130.00
    await deliveredOrder(customerId, valves(2)); // 565.00
    const invoices = (await invoicesOf(customerId)) as { invoiceId: string; gross: { amountMinor: number } }[];
    expect(invoices.map((i) => i.gross).sort((a, b) => a.amountMinor - b.amountMinor)).toEqual([yuan(565), yuan(1_130)]);
    const payment = await ok(pay({ customerId, amount: yuan(2_000), receivedOn: '2027-05-10', bankReference: 'CCB 0510 3321' }), 201);
    expect(payment.allocations).toHaveLength(2);
    expect(payment.unallocated).toEqual(yuan(305));
    expect(await creditOf(customerId)).toMatchObject({ receivables: yuan(0), exposure: yuan(0) });
    for (const i of await invoicesOf(customerId)) expect(i.status).toBe('PAID');

    at('2027-06-03');
    const reverse = (userId: string, body: unknown) => as(userId).post(`/payments/${payment.receiptNumber}/reversal`, body);
    expect((await reverse(REP, { reason: 'not this customer' })).status).toBe(403);
    expect((await reverse(FINANCE, {})).body.errors.map((e: { field: string }) => e.field)).toEqual(['body.reason']);
    const reversed = await ok(reverse(FINANCE, { reason: 'the transfer came from another customer' }));
    expect(reversed).toMatchObject({ receiptNumber: payment.receiptNumber, reversal: { on: '2027-06-03', by: { userId: FINANCE }, reason: 'the transfer came from another customer' } });
    expect((await as(REP).get(`/payments/${payment.receiptNumber}`)).body.reversal).toEqual(reversed.reversal);

    // Both invoices open again by what the payment paid of each; the exposure and the receivables are back.
    for (const a of payment.allocations as { invoiceId: string; amount: { amountMinor: number } }[]) {
      const invoice = (await as(FINANCE).get(`/invoices/${a.invoiceId}`)).body;
      expect(invoice).toMatchObject({ status: 'OPEN', outstanding: a.amount });
      expect(invoice.paidOn).toBeUndefined();
      expect(invoice.settlements.at(-1)).toEqual({ kind: 'PAYMENT', reference: payment.receiptNumber, amount: { ...a.amount, amountMinor: -a.amount.amountMinor }, on: '2027-06-03' });
      expect(await historyOf(`/invoices/${a.invoiceId}`)).toContain(`${(a.amount.amountMinor / 100).toFixed(2)} CNY open again: payment ${payment.receiptNumber} reversed`);
    }
    expect(await creditOf(customerId)).toMatchObject({ receivables: yuan(1_695), exposure: yuan(1_695) });
    // The credit is gone; balance = Σ entries = Σ open invoices − credit (R-BILL-5).
    const ledger = await ledgerOf(customerId);
    expect(ledger).toMatchObject({ balance: yuan(1_695), customerCredit: yuan(0) });
    const [last] = ledger.entries;
    expect(last).toMatchObject({ kind: 'REVERSAL', reference: payment.receiptNumber, amount: yuan(2_000), balanceAfter: yuan(1_695), on: '2027-06-03' });
    expect(last.allocations).toEqual(payment.allocations.map((a: { invoiceId: string; amount: { amountMinor: number } }) => ({ invoiceId: a.invoiceId, amount: { ...a.amount, amountMinor: -a.amount.amountMinor } })));
    expect(ledger.balance.amountMinor).toBe(ledger.entries.reduce((s: number, e: { amount: { amountMinor: number } }) => s + e.amount.amountMinor, 0));
    expect((await as(FINANCE).get('/receivables/aging')).body.groups.find((g: { key: string }) => g.key === customerId)).toMatchObject({ total: yuan(1_695), customerCredit: yuan(0) });
    // R-INFO-3: the payment's history; its rep and finance are told.
    expect(await historyOf(`/payments/${payment.receiptNumber}`)).toEqual(['payment recorded', 'payment reversed']);
    expect((await as(FINANCE).get(`/payments/${payment.receiptNumber}/history?limit=5`)).body.items[1]).toMatchObject({ by: { userId: FINANCE }, reason: 'the transfer came from another customer' });
    expect(await subjects(REP)).toContain(`Payment reversed: ${payment.receiptNumber}, Wrong Payer Co`);
    expect(await subjects(FINANCE)).toContain(`Payment reversed: ${payment.receiptNumber}, Wrong Payer Co`);

    // Reversed once only, and the second try writes nothing.
    const before = await touched();
    const again = await reverse(FINANCE, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('reversed on 2027-06-03');
    expect(await touched()).toEqual(before);

    // R-BILL-6: May's statement, made after the reversal, still shows May as it was: both paid, 305.00 credit.
    expect(await stack.runJob('statements-due', { month: '2027-05' })).toMatchObject({ failed: [] });
    expect((await as(FINANCE).get(`/statements/ST-${customerId}-2027-05`)).body).toMatchObject({ closing: yuan(-305), openItems: [], customerCredit: yuan(305) });
    // As of a past day the aging still sees the payment and its credit.
    expect((await as(FINANCE).get('/receivables/aging?asOf=2027-05-20')).body.groups.find((g: { key: string }) => g.key === customerId)).toMatchObject({ total: yuan(0), customerCredit: yuan(305) });

    // The reference is free again: the correct payment is recorded with it.
    const correct = await ok(pay({ customerId, amount: yuan(1_695), receivedOn: '2027-05-10', bankReference: 'CCB 0510 3321' }), 201);
    expect(correct.sameReferenceAs).toBeUndefined();
    expect((await ledgerOf(customerId)).balance).toEqual(yuan(0));
  });

  it('R-BILL-5: a payment whose customer credit an invoice has used since is not reversed: 409 with the reason, nothing written', async () => {
    at('2027-05-12');
    const customerId = await approvedCustomer(stack, REP, 'Credit Used Co');
    const ahead = await ok(pay({ customerId, amount: yuan(1_000), receivedOn: '2027-05-12' }), 201);
    await deliveredOrder(customerId, valves(2)); // 565.00, paid from the credit
    const before = await touched();
    const refused = await as(FINANCE).post(`/payments/${ahead.receiptNumber}/reversal`, { reason: 'keyed twice' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`${ahead.receiptNumber}'s customer credit has been used by an invoice since`);
    expect(await touched()).toEqual(before);
  });
});
