/**
 * Returns (退货, R-RETURN-1..4) through the real approval ASL (ReturnApproval), over HTTP as
 * customer service, the rep, quality control (production), the sales manager, the warehouse and
 * finance: request, inspection, approval, goods back into stock or repair, the credit note for the
 * accepted quantity through the ledger. After every scenario the credit, stock and receivables
 * invariants hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, decideTaskAbout, openTaskAbout, seedCatalogueAndPrices, yuan, expectStatus, deliveredOrder as deliveredOrderOf } from '../support/order-fixtures.js';

const REP = 'wang.qiang';
const OTHER_REP = 'li.na';
const CLERK = 'zhao.min';
const SERVICE = 'ma.lin';
const QUALITY = 'xu.gang';
const MANAGER = 'liu.yang';
const FINANCE = 'wu.fang';
const WAREHOUSE = 'feng.lei';

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
});
afterAll(async () => stack?.stop());
afterEach(async () => expectInvariantsHold(stack));

const ok = (res: Promise<{ status: number; body: any }>, status?: number) => expectStatus(stack, res, status);

const deliveredOrder = (customerId: string, lines?: unknown[]) => deliveredOrderOf(stack, REP, customerId, lines);

const invoiceOf = async (orderId: string) => {
  const order = (await as(FINANCE).get(`/orders/${orderId}`)).body;
  return (await as(FINANCE).get(`/invoices/${order.billing.invoices[0]}`)).body;
};
const getInvoice = async (invoiceId: string) => (await as(FINANCE).get(`/invoices/${invoiceId}`)).body;
const getReturn = async (returnId: string) => (await as(REP).get(`/returns/${returnId}`)).body;
const ledgerOf = async (customerId: string) => (await as(FINANCE).get(`/customers/${customerId}/ledger?limit=50`)).body;
const plate10 = async () => (await as(WAREHOUSE).get('/stock/PLATE-Q235')).body;
const subjects = async (userId: string) => ((await as(userId).get('/notifications?limit=100')).body.items as { subject: string }[]).map((n) => n.subject);
const fields = (res: { body: { errors: { field: string }[] } }) => res.body.errors.map((e) => e.field).sort();

describe('returns (R-RETURN-1..4)', () => {
  it('R-RETURN-1, R-RETURN-2, R-RETURN-3, R-RETURN-4: a quality return end to end: request → inspection confirms the defect → sales manager approves → goods back into stock and repair → credit note for the accepted quantity → the invoice settled by it', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Defect Claim Co');
    // 2.5 t plate at 4,000.00 and 4 valves at 250.00, 13% VAT: 12,430.00.
    const invoice = await invoiceOf(await deliveredOrder(customerId));
    const stockBefore = (await plate10()).balances.find((b: { specification: string }) => b.specification === '10mm');

    // R-RETURN-1: customer service asks; customer, products, specifications and prices come from the invoice.
    const asked = await ok(
      as(SERVICE).post('/returns', { invoiceId: invoice.invoiceId, kind: 'QUALITY', lines: [{ lineNo: 1, quantity: '1' }, { lineNo: 2, quantity: '2' }], reason: 'plates delaminating, two valves leak', customerReference: 'QC-7781' }),
      202,
    );
    expect(asked.returnId).toMatch(/^RT-\d{4}-\d{6}$/);
    expect(asked).toMatchObject({
      kind: 'QUALITY',
      status: 'AWAITING_INSPECTION',
      customerId,
      customerName: 'Defect Claim Co',
      invoiceId: invoice.invoiceId,
      approvers: ['sales_manager'],
      value: yuan(4_520 + 565),
      lines: [
        { lineNo: 1, productCode: 'PLATE-Q235', specification: '10mm', quantity: '1', unitPrice: yuan(4_000), net: yuan(4_000), tax: yuan(520), gross: yuan(4_520) },
        { lineNo: 2, productCode: 'VALVE-DN50', specification: 'PN16', quantity: '2', unitPrice: yuan(250), net: yuan(500), tax: yuan(65), gross: yuan(565) },
      ],
    });
    // R-RETURN-2: nobody decides before the inspection; quality control is asked to inspect.
    expect(await openTaskAbout(stack, MANAGER, asked.returnId)).toBeUndefined();
    expect(await subjects(QUALITY)).toContain(`To inspect: quality return ${asked.returnId}`);
    expect((await as(MANAGER).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '1', disposition: 'STOCK' }] })).status).toBe(403);
    expect((await as(WAREHOUSE).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '1', disposition: 'STOCK' }] })).status).toBe(409);

    // R-RETURN-2, R-RETURN-4: the inspection confirms half a tonne of plate and both valves, names root cause and responsible party.
    const inspected = await ok(
      as(QUALITY).post(`/returns/${asked.returnId}/inspection`, {
        defectConfirmed: true,
        findings: 'ultrasonic test: 0.5 t delaminated (heat 26-118); both valves leak at the gland',
        rootCause: 'rolling temperature too low on heat 26-118; gland packing from a bad lot',
        responsibleParty: 'PRODUCTION',
        lines: [{ lineNo: 1, confirmedQuantity: '0.5' }],
      }),
    );
    expect(inspected).toMatchObject({
      status: 'PENDING_APPROVAL',
      rootCause: 'rolling temperature too low on heat 26-118; gland packing from a bad lot',
      responsibleParty: 'PRODUCTION',
      inspection: { defectConfirmed: true, by: { userId: QUALITY } },
      lines: [{ confirmedQuantity: '0.5' }, { confirmedQuantity: '2' }],
    });
    // A second inspection is refused: the report is in.
    expect((await as(WAREHOUSE).post(`/returns/${asked.returnId}/inspection`, { defectConfirmed: true, findings: 'x', rootCause: 'x', responsibleParty: 'OTHER' })).status).toBe(409);

    // R-RETURN-1: the sales manager approves, with the inspection report in the task.
    const { task, res } = await decideTaskAbout(stack, MANAGER, asked.returnId, { outcome: 'APPROVED', comment: 'credit the confirmed defects' });
    expect(res.status).toBe(200);
    expect(task).toMatchObject({ type: 'RETURN_APPROVAL', subject: { kind: 'return' }, details: { kind: 'QUALITY', inspection: { responsibleParty: 'PRODUCTION' }, lines: [{ toApprove: '0.5' }, { toApprove: '2' }] } });
    expect((await getReturn(asked.returnId)).status).toBe('APPROVED');
    expect(await subjects(WAREHOUSE)).toContain(`Goods coming back: ${asked.returnId}`);
    expect((await as(WAREHOUSE).get('/returns?status=APPROVED')).body.items.map((r: { returnId: string }) => r.returnId)).toContain(asked.returnId);

    // More than approved cannot come back.
    const tooMuch = await as(WAREHOUSE).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '1', disposition: 'STOCK' }] });
    expect(tooMuch.status).toBe(400);
    expect(fields(tooMuch)).toEqual(['body.lines.0.quantity']);

    // R-RETURN-3: the plate back into stock, the valves into repair; the credit note for what came back, at the invoice's prices with VAT.
    const done = await ok(
      as(WAREHOUSE).post(`/returns/${asked.returnId}/receipt`, {
        lines: [
          { lineNo: 1, quantity: '0.5', disposition: 'STOCK', batch: 'RT-B-1' },
          { lineNo: 2, quantity: '2', disposition: 'REPAIR' },
        ],
        note: 'plate to the seconds bay',
      }),
    );
    // 0.5 t: 2,000.00 + 260.00; 2 valves: 500.00 + 65.00 → 2,825.00.
    expect(done).toMatchObject({
      status: 'COMPLETED',
      credited: yuan(2_825),
      receipt: { by: { userId: WAREHOUSE }, warehouseId: 'MAIN', note: 'plate to the seconds bay' },
      lines: [
        { receivedQuantity: '0.5', disposition: 'STOCK', batch: 'RT-B-1' },
        { receivedQuantity: '2', disposition: 'REPAIR' },
      ],
      rootCause: expect.any(String),
      responsibleParty: 'PRODUCTION',
    });
    const cn = (await as(FINANCE).get(`/credit-notes/${done.creditNoteId}`)).body;
    expect(cn).toMatchObject({
      source: 'RETURN',
      returnId: asked.returnId,
      status: 'ISSUED',
      amount: yuan(2_825),
      net: yuan(2_500),
      tax: yuan(325),
      settled: yuan(2_825),
      customerCredit: yuan(0),
      approvers: ['sales_manager'],
      decisions: [{ outcome: 'APPROVED', decidedBy: { userId: MANAGER } }],
      lines: [
        { lineNo: 1, quantity: '0.5', gross: yuan(2_260) },
        { lineNo: 2, quantity: '2', gross: yuan(565) },
      ],
    });
    // Not a second approval: nothing waits in anybody's queue for the credit note.
    expect(await openTaskAbout(stack, MANAGER, done.creditNoteId)).toBeUndefined();
    // It follows the goods: not reversed on its own.
    const reversal = await as(FINANCE).post(`/credit-notes/${done.creditNoteId}/reversal`, { reason: 'try' });
    expect(reversal.status).toBe(409);
    expect(reversal.body.detail).toContain(`credits the goods of return ${asked.returnId}`);
    // The invoice's outstanding went down by it; the ledger has it.
    expect(await getInvoice(invoice.invoiceId)).toMatchObject({ outstanding: yuan(12_430 - 2_825), settlements: [{ kind: 'CREDIT_NOTE', reference: done.creditNoteId, amount: yuan(2_825) }] });
    const ledger = await ledgerOf(customerId);
    expect(ledger.balance).toEqual(yuan(12_430 - 2_825));
    expect(ledger.entries[0]).toMatchObject({ kind: 'CREDIT_NOTE', reference: done.creditNoteId, amount: yuan(-2_825), by: { userId: WAREHOUSE } });
    expect((await as(FINANCE).get(`/customers/${customerId}/credit`)).body).toMatchObject({ receivables: yuan(12_430 - 2_825) });
    // Stock: the plate is back (RECEIPT, source RETURN); the valves in repair are not.
    const stock = await plate10();
    const after = stock.balances.find((b: { specification: string }) => b.specification === '10mm');
    expect(Number(after.onHand) - Number(stockBefore.onHand)).toBeCloseTo(0.5, 6);
    expect(stock.movements[0]).toMatchObject({ kind: 'RECEIPT', source: 'RETURN', quantity: '0.5', reference: `${asked.returnId}/1`, batch: 'RT-B-1' });
    expect((await as(WAREHOUSE).get('/stock/VALVE-DN50')).body.movements[0].kind).not.toBe('RECEIPT');
    expect(await subjects(CLERK)).not.toContain(`Return received and credited: ${asked.returnId}`);
    expect(await subjects(SERVICE)).toContain(`Return received and credited: ${asked.returnId}`);
    const history = (await as(FINANCE).get(`/returns/${asked.returnId}/history?limit=20`)).body.items.map((e: { action: string }) => e.action);
    expect(history).toEqual(expect.arrayContaining(['return requested', 'inspected: defect confirmed', 'return approved', 'goods received back']));

    // What was not accepted can be returned again; more than invoiced less what stays returned cannot.
    const over = await as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '2.001' }], reason: 'x', rootCause: 'y', responsibleParty: 'CUSTOMER' });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([expect.objectContaining({ field: 'body.lines.0.quantity', code: 'over_return', message: expect.stringContaining('at most 2 t') })]);
    const rest = await ok(as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '2' }], reason: 'project cancelled', rootCause: 'the customer’s project was cancelled', responsibleParty: 'CUSTOMER' }), 202);
    expect((await ok(as(REP).post(`/returns/${rest.returnId}/withdrawal`, { reason: 'the customer keeps them after all' }))).status).toBe('CANCELLED');
    expect(await openTaskAbout(stack, MANAGER, rest.returnId)).toBeUndefined();
  });

  it('R-RETURN-1, R-RETURN-3, R-RETURN-4: a return not for quality names root cause and responsible party and goes straight to the sales manager; on a paid invoice its credit note is customer credit; refused, it writes nothing and gives its quantity back', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Changed Mind Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '10' }]));
    expect(invoice.gross).toEqual(yuan(2_825));

    // R-RETURN-4: without root cause and responsible party it is refused, naming both.
    const missing = await as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '4' }], reason: 'ordered too many' });
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['body.responsibleParty', 'body.rootCause']);

    const refused = await ok(as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '10' }], reason: 'ordered too many', rootCause: 'the customer ordered for two sites', responsibleParty: 'CUSTOMER' }), 202);
    expect(refused).toMatchObject({ status: 'PENDING_APPROVAL', rootCause: 'the customer ordered for two sites', responsibleParty: 'CUSTOMER' });
    // All ten claimed while it waits: no more can be asked for.
    const meanwhile = await as(SERVICE).post('/returns', { invoiceId: invoice.invoiceId, kind: 'QUALITY', lines: [{ lineNo: 1, quantity: '1' }], reason: 'leaks' });
    expect(meanwhile.status).toBe(400);
    expect(meanwhile.body.errors[0]).toMatchObject({ field: 'body.lines.0.quantity', code: 'over_return' });
    const before = await ledgerOf(customerId);
    await decideTaskAbout(stack, MANAGER, refused.returnId, { outcome: 'REJECTED', comment: 'standard goods, not taken back' });
    expect(await getReturn(refused.returnId)).toMatchObject({ status: 'REFUSED', endReason: expect.stringContaining('standard goods, not taken back') });
    expect(await ledgerOf(customerId)).toEqual(before);
    expect(await subjects(REP)).toContain(`Return refused: ${refused.returnId}`);

    // Paid in full, then 4 of 10 come back: the credit note is all customer credit.
    await ok(as(FINANCE).post('/payments', { customerId, method: 'BANK_TRANSFER', bankReference: 'BK-RT-1', amount: yuan(2_825), receivedOn: invoice.issuedOn }), 201);
    const asked = await ok(as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '4' }], reason: 'ordered too many', rootCause: 'wrong quantity keyed at order entry', responsibleParty: 'SALES' }), 202);
    await decideTaskAbout(stack, MANAGER, asked.returnId, { outcome: 'APPROVED' });
    // 3 of the 4 come back; the fourth is lost: 3 × 250.00 + 13% = 847.50.
    const done = await ok(as(WAREHOUSE).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '3', disposition: 'STOCK' }] }));
    expect(done).toMatchObject({ status: 'COMPLETED', credited: yuan(847.5), lines: [{ quantity: '4', receivedQuantity: '3' }] });
    expect((await as(FINANCE).get(`/credit-notes/${done.creditNoteId}`)).body).toMatchObject({ settled: yuan(0), customerCredit: yuan(847.5) });
    expect(await ledgerOf(customerId)).toMatchObject({ balance: yuan(-847.5), customerCredit: yuan(847.5) });
    // Received once only.
    expect((await as(WAREHOUSE).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '1', disposition: 'STOCK' }] })).status).toBe(409);
    // What did not come back is free again: 10 − 3 can still be returned, not more.
    expect((await as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '8' }], reason: 'x', rootCause: 'y', responsibleParty: 'CUSTOMER' })).status).toBe(400);
    const seven = await ok(as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '7' }], reason: 'x', rootCause: 'y', responsibleParty: 'CUSTOMER' }), 202);
    await decideTaskAbout(stack, MANAGER, seven.returnId, { outcome: 'REJECTED', comment: 'no' });
    expect((await as(REP).get(`/returns?customerId=${customerId}`)).body.items.map((r: { status: string }) => r.status)).toEqual(['REFUSED', 'COMPLETED', 'REFUSED']);
  });

  it('R-RETURN-2: an inspection that finds no defect ends the return before anyone approves; nothing is credited', async () => {
    const customerId = await approvedCustomer(stack, REP, 'No Defect Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId, [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '1' }]));
    const asked = await ok(as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'QUALITY', lines: [{ lineNo: 1, quantity: '1' }], reason: 'surface scratches' }), 202);
    const contradiction = await as(QUALITY).post(`/returns/${asked.returnId}/inspection`, { defectConfirmed: true, findings: 'x', rootCause: 'x', responsibleParty: 'OTHER', lines: [{ lineNo: 1, confirmedQuantity: '0' }] });
    expect(contradiction.status).toBe(400);
    expect(fields(contradiction)).toEqual(['body.defectConfirmed']);
    const ended = await ok(
      as(WAREHOUSE).post(`/returns/${asked.returnId}/inspection`, { defectConfirmed: false, findings: 'scratches within the tolerance of GB/T 709', rootCause: 'handling at the customer’s site', responsibleParty: 'CUSTOMER' }),
    );
    expect(ended).toMatchObject({ status: 'REFUSED', responsibleParty: 'CUSTOMER', rootCause: 'handling at the customer’s site', endReason: expect.stringContaining('no defect') });
    expect(await openTaskAbout(stack, MANAGER, asked.returnId)).toBeUndefined();
    expect(await getInvoice(invoice.invoiceId)).toMatchObject({ outstanding: invoice.gross, settlements: [] });
    expect(await subjects(REP)).toContain(`Return refused: ${asked.returnId}`);
    // Its quantity is free again.
    const again = await ok(as(REP).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '1' }], reason: 'x', rootCause: 'y', responsibleParty: 'CUSTOMER' }), 202);
    await ok(as(MANAGER).post(`/returns/${again.returnId}/withdrawal`, { reason: 'asked by mistake' }));
  });

  it('R-RETURN-1: two returns at the same moment never together return more than was invoiced', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Double Return Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '10' }]));
    const body = (by: string) => as(by).post('/returns', { invoiceId: invoice.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '6' }], reason: 'x', rootCause: 'y', responsibleParty: 'CUSTOMER' });
    const answers = await Promise.all([body(REP), body(SERVICE), body(CLERK)]);
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 202)) expect([400, 409]).toContain(a.status);
    await stack.stepFunctions.idle();
    await decideTaskAbout(stack, MANAGER, accepted[0]!.body.returnId, { outcome: 'REJECTED', comment: 'no' });
  });

  it('R-RETURN-1: who may ask, inspect and receive (403), bad input (400 naming every field), nothing written', async () => {
    const customerId = await approvedCustomer(stack, REP, 'Careful Return Co');
    const invoice = await invoiceOf(await deliveredOrder(customerId));
    const good = { invoiceId: invoice.invoiceId, kind: 'QUALITY', lines: [{ lineNo: 1, quantity: '1' }], reason: 'cracks' };
    const snapshot = await snapshotTables(stack);
    expect((await as(OTHER_REP).post('/returns', good)).status).toBe(403);
    for (const who of [FINANCE, WAREHOUSE, MANAGER, QUALITY]) expect((await as(who).post('/returns', good)).status, who).toBe(403);
    const bad = await as(REP).post('/returns', { invoiceId: 'INV-X', kind: 'BROKEN', lines: [{ lineNo: 0, quantity: '-1' }], surprise: 1 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(fields(bad)).toEqual(['body.invoiceId', 'body.kind', 'body.lines.0.lineNo', 'body.lines.0.quantity', 'body.reason', 'body.surprise']);
    const badLines = await as(REP).post('/returns', { ...good, lines: [{ lineNo: 9, quantity: '1' }, { lineNo: 1, quantity: '1.0001' }, { lineNo: 2, quantity: '5' }, { lineNo: 2, quantity: '1' }] });
    expect(badLines.status).toBe(400);
    expect(badLines.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`)).toEqual([
      'body.lines.0.lineNo unknown_line',
      'body.lines.1.quantity quantity_precision',
      'body.lines.2.quantity over_return',
      'body.lines.3.lineNo duplicate',
    ]);
    const unknown = await as(REP).post('/returns', { ...good, invoiceId: 'INV-2026-999999' });
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'body.invoiceId', code: 'unknown_invoice' })]);
    expect(await snapshotTables(stack)).toEqual(snapshot);

    const asked = await ok(as(REP).post('/returns', good), 202);
    const inspect = { defectConfirmed: true, findings: 'cracked at the edge', rootCause: 'cooling too fast', responsibleParty: 'PRODUCTION' };
    const beforeInspection = await snapshotTables(stack);
    for (const who of [REP, SERVICE, MANAGER, FINANCE]) expect((await as(who).post(`/returns/${asked.returnId}/inspection`, inspect)).status, who).toBe(403);
    const badInspection = await as(QUALITY).post(`/returns/${asked.returnId}/inspection`, { defectConfirmed: 'yes', responsibleParty: 'NOBODY', lines: [{ lineNo: 1, confirmedQuantity: 'lots' }] });
    expect(fields(badInspection)).toEqual(['body.defectConfirmed', 'body.findings', 'body.lines.0.confirmedQuantity', 'body.responsibleParty', 'body.rootCause']);
    const overConfirmed = await as(QUALITY).post(`/returns/${asked.returnId}/inspection`, { ...inspect, lines: [{ lineNo: 1, confirmedQuantity: '1.5' }, { lineNo: 3, confirmedQuantity: '1' }] });
    expect(overConfirmed.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`)).toEqual(['body.lines.0.confirmedQuantity over_return', 'body.lines.1.lineNo unknown_line']);
    expect(await snapshotTables(stack)).toEqual(beforeInspection);
    await ok(as(QUALITY).post(`/returns/${asked.returnId}/inspection`, inspect));
    await decideTaskAbout(stack, MANAGER, asked.returnId, { outcome: 'APPROVED' });
    const beforeReceipt = await snapshotTables(stack);
    expect((await as(QUALITY).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '1', disposition: 'STOCK' }] })).status).toBe(403);
    const badReceipt = await as(WAREHOUSE).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '0', disposition: 'SHELF' }], extra: true });
    expect(fields(badReceipt)).toEqual(['body.extra', 'body.lines.0.disposition']);
    const nothing = await as(WAREHOUSE).post(`/returns/${asked.returnId}/receipt`, { lines: [{ lineNo: 1, quantity: '0', disposition: 'STOCK' }] });
    expect(nothing.body.errors).toEqual([expect.objectContaining({ field: 'body.lines', code: 'nothing_received' })]);
    expect(await snapshotTables(stack)).toEqual(beforeReceipt);
    // Only its requester or a sales manager withdraws it.
    expect((await as(SERVICE).post(`/returns/${asked.returnId}/withdrawal`, { reason: 'not mine' })).status).toBe(403);
    await ok(as(REP).post(`/returns/${asked.returnId}/withdrawal`, { reason: 'the customer repaired them' }));
    expect(await subjects(WAREHOUSE)).toContain(`Not coming back: ${asked.returnId}`);
    // A rep reads own customers' returns only.
    expect((await as(OTHER_REP).get(`/returns/${asked.returnId}`)).status).toBe(403);
  });
});
