/**
 * Sales summaries and the month-end reconciliation (R-AR-4) from real orders delivered and invoiced
 * through the API and the order workflow; run by their schedules' jobs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { at, backToToday } from '../support/time.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, seedCatalogueAndPrices, yuan, expectStatus, shipFromGate } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);

beforeAll(async () => {
  stack = await startTestStack();
  // The summary of the 25th covers 15–24 November: what it stands on is there before, whatever the real date.
  at('2026-11-14');
  await seedCatalogueAndPrices(stack);
  backToToday();
});
afterAll(async () => {
  backToToday();
  await stack?.stop();
});
afterEach(async () => {
  backToToday();
  await expectInvariantsHold(stack);
});

const ok = (res: Promise<{ status: number; body: any }>, status?: number) => expectStatus(stack, res, status);

const shippedOrder = (customerId: string, lines: unknown[], signedFor: boolean) => shipFromGate(stack, REP, customerId, lines, { signedFor });

describe('sales summaries and reconciliation (R-AR-4)', () => {
  it('R-AR-4: the sales summary on the 25th covers the 15th to the 24th: invoiced by rep, region and product, payments, receivables; once per day', async () => {
    at('2026-11-20');
    const customerId = await approvedCustomer(stack, REP, 'Summary Buyer Co');
    await shippedOrder(customerId, [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '2.5' }], true);
    await shippedOrder(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' }], true);
    const today = (await as('wu.fang').get(`/invoices?customerId=${customerId}`)).body.items[0].issuedOn as string;
    await ok(as('wu.fang').post('/payments', { customerId, method: 'BANK_TRANSFER', bankReference: 'BK-1', amount: yuan(1_000), receivedOn: today }), 201);
    // Another customer paid 300.00 ahead: customer credit, beside the receivables (R-AR-1, R-BILL-3).
    const ahead = await approvedCustomer(stack, REP, 'Summary Prepaid Co');
    await ok(as('wu.fang').post('/payments', { customerId: ahead, method: 'BANK_TRANSFER', bankReference: 'BK-2', amount: yuan(300), receivedOn: today }), 201);

    expect(await stack.runJob('sales-summaries', { day: '2026-11-25' })).toMatchObject({ reportId: 'SALES-2026-11-25', created: true });
    expect(await stack.runJob('sales-summaries', { day: '2026-11-25' })).toMatchObject({ created: false });
    const report = await ok(as('liu.yang').get('/reports/SALES-2026-11-25'));
    expect(report).toMatchObject({
      kind: 'SALES_SUMMARY',
      period: { from: '2026-11-15', to: '2026-11-24' },
      // 2.5 t × 4,000.00 and 4 × 250.00, with 13% VAT.
      invoiced: { invoices: 2, net: yuan(11_000), tax: yuan(1_430), gross: yuan(12_430) },
      byRep: [{ repId: REP, invoices: 2, gross: yuan(12_430) }],
      payments: { count: 2, amount: yuan(1_300) },
      receivables: { total: yuan(11_430), customerCredit: yuan(300), net: yuan(11_130) },
    });
    expect(report.byProduct).toEqual([
      { productCode: 'PLATE-Q235', productName: 'Steel plate Q235', unit: 't', quantity: '2.5', gross: yuan(11_300) },
      { productCode: 'VALVE-DN50', productName: 'Gate valve DN50', unit: 'pcs', quantity: '4', gross: yuan(1_130) },
    ]);
    const notes = (await as('sun.li').get('/notifications?limit=50')).body.items.filter((n: { subject: string }) => n.subject === 'Sales summary 2026-11-15 – 2026-11-24');
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain('receivables open on 2026-11-24: 11430.00 CNY, less 300.00 CNY customer credit: 11130.00 CNY net.');
    expect((await as(REP).get('/reports/SALES-2026-11-25')).status).toBe(403);
  });

  it('R-AR-4: at month end every shipped line is reconciled against the warehouse issue and the invoice; a note shipped but not invoiced is listed', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Month End Co');
    const invoiced = await shippedOrder(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '3' }], true);
    // Goods left, the customer has not signed yet: with invoicing on delivery (the default) it is not invoiced.
    const pending = await shippedOrder(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }], false);
    const month = (await as('wu.fang').get(`/delivery-notes/${invoiced.deliveryNoteId}`)).body.issuedOn.slice(0, 7) as string;

    expect(await stack.runJob('month-end-reconciliation', { month })).toMatchObject({ reportId: `RECON-${month}`, created: true });
    const report = await ok(as('feng.lei').get(`/reports/RECON-${month}`));
    const mine = (report.differences as { deliveryNoteId: string; kind: string; detail: string }[]).filter((d) => [invoiced.deliveryNoteId, pending.deliveryNoteId].includes(d.deliveryNoteId));
    expect(mine).toEqual([expect.objectContaining({ deliveryNoteId: pending.deliveryNoteId, kind: 'NOT_INVOICED', detail: 'shipped 1 pcs, not invoiced by month end' })]);
    expect(report.deliveryNotes).toBeGreaterThanOrEqual(2);
    // Run again: the same report, nobody told twice.
    expect(await stack.runJob('month-end-reconciliation', { month })).toMatchObject({ created: false });
    expect((await as('wu.fang').get('/notifications?limit=100')).body.items.filter((n: { subject: string }) => n.subject.startsWith(`Reconciliation ${month}`))).toHaveLength(1);
    const list = await ok(as('wu.fang').get('/reports?kind=RECONCILIATION'));
    expect(list.items.map((r: { reportId: string }) => r.reportId)).toContain(`RECON-${month}`);
  });
});
