/**
 * A customer's access log (R-INFO-2) over HTTP: every read of the customer's data by anyone but its
 * owner rep is on it — the customer, its order, delivery note, invoices, ledger, payment and
 * statement — with who, what (a code and its parameters), when and the outcome: ALLOWED, or REFUSED
 * for a sales rep who asked for another rep's customer (logged before the 403 went out). The owner's
 * own reads, lists across customers and reads of nothing are not on it.
 *
 * The clock is the test's (tests/support/time.ts), whatever the real date: each read starts a
 * second after the one before, and its entry's time must fall between its request and its answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso, setClock } from '../../functions/shared/clock.js';
import { AccessEntry, pageOf } from '../../functions/shared/schemas.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, expectStatus, seedCatalogueAndPrices, shipFromGate, yuan } from '../support/order-fixtures.js';
import { at, later } from '../support/time.js';

const REP = 'wang.qiang';
const OTHER_REP = 'li.na';
const FINANCE = 'wu.fang';
const ORDER_DESK = 'chen.jie';
const MANAGER = 'liu.yang';
const AUDITOR = 'gao.shan';

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);

let customerId: string;
let orderId: string;
let deliveryNoteId: string;
let invoiceId: string;
let receiptNumber: string;
let statementId: string;

beforeAll(async () => {
  stack = await startTestStack();
  at('2026-11-20');
  await seedCatalogueAndPrices(stack);
  // Wang Qiang's customer with an order delivered and invoiced, a payment and November's statement.
  at('2026-11-23');
  customerId = await approvedCustomer(stack, REP, 'Confidential Steel Co');
  ({ orderId, deliveryNoteId } = await shipFromGate(stack, REP, customerId));
  invoiceId = (await as(REP).get(`/orders/${orderId}`)).body.billing.invoices[0];
  at('2026-11-27');
  receiptNumber = (await expectStatus(stack, as(FINANCE).post('/payments', { customerId, method: 'BANK_TRANSFER', bankReference: 'BK-ACCESS-1', amount: yuan(1_000), receivedOn: '2026-11-27' }), 201)).receiptNumber;
  at('2026-12-02');
  await stack.runJob('statements-due', { month: '2026-11' });
  statementId = `ST-${customerId}-2026-11`;
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});

type Entry = { at: string; by: { userId: string; name: string }; roles: string[]; outcome: string; what: string; id?: string; version?: number };

/** The whole access log of the customer, oldest first, as the sales manager reads it. */
async function accessLog(): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  do {
    const res = await as(MANAGER).get(`/customers/${customerId}/access-log?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(() => pageOf(AccessEntry, 'AccessEntryPage').parse(res.body)).not.toThrow();
    entries.push(...(res.body.items as Entry[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return entries;
}

/**
 * Reads `path` as `userId` a second after the last read and expects `status`; gives what its entry
 * must say (when it needs one): the time is between the request and the answer.
 */
async function read(userId: string, path: string, status: number, what: Omit<Entry, 'at' | 'by' | 'roles' | 'outcome'>) {
  later(1000);
  const from = nowIso();
  const res = await as(userId).get(path);
  const to = nowIso();
  expect(res.status, `${userId} GET ${path}: ${JSON.stringify(res.body)?.slice(0, 300)}`).toBe(status);
  return { from, to, userId, outcome: status === 403 ? 'REFUSED' : 'ALLOWED', ...what };
}

type Read = Awaited<ReturnType<typeof read>>;

/** The entries are the reads' own, one each in order: who (id, name, roles), what, the outcome, and when (during the read). */
function expectEntriesOf(entries: Entry[], reads: Read[], people: Record<string, { name: string; roles: string[] }>) {
  expect(entries.map(({ at: _at, ...e }) => e)).toEqual(reads.map(({ from: _from, to: _to, userId, ...e }) => ({ ...e, by: { userId, name: people[userId]!.name }, roles: people[userId]!.roles })));
  entries.forEach((e, i) => {
    expect(e.at >= reads[i]!.from && e.at <= reads[i]!.to, `${e.what} at ${e.at}, read from ${reads[i]!.from} to ${reads[i]!.to}`).toBe(true);
  });
}

/** The entries written while `reads` ran, as who, what and when. */
async function newEntriesOf(reads: () => Promise<unknown>): Promise<Entry[]> {
  const before = (await accessLog()).length;
  await reads();
  return (await accessLog()).slice(before);
}

describe("a customer's access log (R-INFO-2)", () => {
  it("R-INFO-2: a sales rep refused another rep's customer, order, invoice and statement: each refusal is on that customer's access log as REFUSED, with who, what and when", async () => {
    at('2026-12-07');
    const expected: Read[] = [];
    const entries = await newEntriesOf(async () => {
      expected.push(await read(OTHER_REP, `/customers/${customerId}`, 403, { what: 'customer' }));
      expected.push(await read(OTHER_REP, `/customers/${customerId}/credit`, 403, { what: 'creditPosition' }));
      expected.push(await read(OTHER_REP, `/orders/${orderId}`, 403, { what: 'order', id: orderId }));
      expected.push(await read(OTHER_REP, `/orders/${orderId}/history`, 403, { what: 'orderHistory', id: orderId }));
      expected.push(await read(OTHER_REP, `/delivery-notes/${deliveryNoteId}`, 403, { what: 'deliveryNote', id: deliveryNoteId }));
      expected.push(await read(OTHER_REP, `/invoices/${invoiceId}`, 403, { what: 'invoice', id: invoiceId }));
      expected.push(await read(OTHER_REP, `/invoices?customerId=${customerId}`, 403, { what: 'invoices' }));
      expected.push(await read(OTHER_REP, `/customers/${customerId}/ledger`, 403, { what: 'ledger' }));
      expected.push(await read(OTHER_REP, `/payments/${receiptNumber}`, 403, { what: 'payment', id: receiptNumber }));
      expected.push(await read(OTHER_REP, `/statements/${statementId}`, 403, { what: 'statement', id: statementId }));
      expected.push(await read(OTHER_REP, `/statements/${statementId}/pdf`, 403, { what: 'statementPdf', id: statementId }));
      expected.push(await read(OTHER_REP, `/statements?customerId=${customerId}`, 403, { what: 'statements' }));
    });
    expectEntriesOf(entries, expected, { [OTHER_REP]: { name: '李娜 Li Na', roles: ['sales_rep'] } });
    expect(new Set(entries.map((e) => e.outcome))).toEqual(new Set(['REFUSED']));
    expect(entries[0]).toEqual({ at: expect.stringMatching(/^2026-12-07T02:00:0\d\.\d{3}Z$/), by: { userId: OTHER_REP, name: '李娜 Li Na' }, roles: ['sales_rep'], outcome: 'REFUSED', what: 'customer' });
  });

  it("R-INFO-2: the order desk, finance and the sales manager reading the customer's order, invoices, ledger, payment and statement are logged ALLOWED", async () => {
    at('2026-12-08');
    const expected: Read[] = [];
    const entries = await newEntriesOf(async () => {
      expected.push(await read(ORDER_DESK, `/orders/${orderId}`, 200, { what: 'order', id: orderId }));
      expected.push(await read(ORDER_DESK, `/orders/${orderId}/history`, 200, { what: 'orderHistory', id: orderId }));
      expected.push(await read(ORDER_DESK, `/orders?customerId=${customerId}`, 200, { what: 'orders' }));
      expected.push(await read(ORDER_DESK, `/orders/${orderId}/delivery-notes`, 200, { what: 'orderDeliveryNotes', id: orderId }));
      expected.push(await read(FINANCE, `/invoices/${invoiceId}`, 200, { what: 'invoice', id: invoiceId }));
      expected.push(await read(FINANCE, `/invoices/${invoiceId}/history`, 200, { what: 'invoiceHistory', id: invoiceId }));
      expected.push(await read(FINANCE, `/invoices?customerId=${customerId}`, 200, { what: 'invoices' }));
      expected.push(await read(FINANCE, `/customers/${customerId}/ledger`, 200, { what: 'ledger' }));
      expected.push(await read(FINANCE, `/payments/${receiptNumber}`, 200, { what: 'payment', id: receiptNumber }));
      expected.push(await read(FINANCE, `/payments/${receiptNumber}/history`, 200, { what: 'paymentHistory', id: receiptNumber }));
      expected.push(await read(FINANCE, `/statements/${statementId}`, 200, { what: 'statement', id: statementId }));
      expected.push(await read(FINANCE, `/statements/${statementId}/pdf`, 200, { what: 'statementPdf', id: statementId }));
      expected.push(await read(MANAGER, `/statements?customerId=${customerId}`, 200, { what: 'statements' }));
      expected.push(await read(MANAGER, `/statements/${statementId}/history`, 200, { what: 'statementHistory', id: statementId }));
      expected.push(await read(MANAGER, `/delivery-notes/${deliveryNoteId}`, 200, { what: 'deliveryNote', id: deliveryNoteId }));
      expected.push(await read(MANAGER, `/customers/${customerId}`, 200, { what: 'customer' }));
    });
    expectEntriesOf(entries, expected, {
      [ORDER_DESK]: { name: '陈杰 Chen Jie', roles: ['order_desk'] },
      [FINANCE]: { name: '吴芳 Wu Fang', roles: ['finance'] },
      [MANAGER]: { name: '刘洋 Liu Yang', roles: ['sales_manager'] },
    });
    expect(new Set(entries.map((e) => e.outcome))).toEqual(new Set(['ALLOWED']));
  });

  it("R-INFO-2: the owner rep reading own customer's data leaves nothing on its access log; the auditor's reads of the same, in between, are there", async () => {
    at('2026-12-09');
    const expected: Read[] = [];
    const entries = await newEntriesOf(async () => {
      for (const [path, what] of [
        [`/customers/${customerId}`, { what: 'customer' }],
        [`/customers/${customerId}/history`, { what: 'customerHistory' }],
        [`/customers/${customerId}/credit`, { what: 'creditPosition' }],
        [`/orders/${orderId}`, { what: 'order', id: orderId }],
        [`/orders/${orderId}/history`, { what: 'orderHistory', id: orderId }],
        [`/orders?customerId=${customerId}`, { what: 'orders' }],
        [`/orders/${orderId}/delivery-notes`, { what: 'orderDeliveryNotes', id: orderId }],
        [`/delivery-notes/${deliveryNoteId}`, { what: 'deliveryNote', id: deliveryNoteId }],
        [`/invoices/${invoiceId}`, { what: 'invoice', id: invoiceId }],
        [`/invoices?customerId=${customerId}`, { what: 'invoices' }],
        [`/customers/${customerId}/ledger`, { what: 'ledger' }],
        [`/payments/${receiptNumber}`, { what: 'payment', id: receiptNumber }],
        [`/statements/${statementId}`, { what: 'statement', id: statementId }],
        [`/statements/${statementId}/pdf`, { what: 'statementPdf', id: statementId }],
        [`/statements?customerId=${customerId}`, { what: 'statements' }],
      ] as const) {
        await read(REP, path, 200, what);
        expected.push(await read(AUDITOR, path, 200, what));
      }
    });
    expectEntriesOf(entries, expected, { [AUDITOR]: { name: '高山 Gao Shan', roles: ['auditor'] } });
    expect(entries.map((e) => e.by.userId)).not.toContain(REP);
  });

  it('R-INFO-2: lists across customers, the gate pass (goods only), reads of nothing and refusals by role are not on the access log; a list narrowed to the customer is', async () => {
    at('2026-12-10');
    const entries = await newEntriesOf(async () => {
      // Summaries across customers.
      await read(ORDER_DESK, '/orders?status=DELIVERED', 200, { what: 'orders' });
      await read(FINANCE, '/statements?month=2026-11', 200, { what: 'statements' });
      await read(FINANCE, '/receivables/aging', 200, { what: 'ledger' });
      await read(FINANCE, '/customers?limit=100', 200, { what: 'customer' });
      // A sales rep's own list narrowed to another rep's customer: own orders only (none), nothing of the customer's.
      const theirs = await as(OTHER_REP).get(`/orders?customerId=${customerId}`);
      expect(theirs.status).toBe(200);
      expect(theirs.body.items).toEqual([]);
      // R-FULFIL-3: the gate pass names goods, not the buyer or the money.
      await read('feng.lei', `/delivery-notes/${deliveryNoteId}/gate-pass`, 200, { what: 'deliveryNote' });
      // Nothing there (404), and roles that may not read it at all (403 before anyone knows whose data it is).
      await read(FINANCE, '/orders/SO-2026-999999', 404, { what: 'order' });
      await read(FINANCE, '/invoices/INV-2026-999999', 404, { what: 'invoice' });
      await read('feng.lei', `/customers/${customerId}`, 403, { what: 'customer' });
      await read('feng.lei', `/invoices/${invoiceId}`, 403, { what: 'invoice' });
      // Reading the access log is not itself a read of the customer's data.
      expect((await as(AUDITOR).get(`/customers/${customerId}/access-log`)).status).toBe(200);
      // One list of this customer's orders: that one is a read of its data.
      await read(FINANCE, `/orders?customerId=${customerId}&status=DELIVERED`, 200, { what: 'orders' });
    });
    expect(entries.map((e) => [e.by.userId, e.what, e.outcome])).toEqual([[FINANCE, 'orders', 'ALLOWED']]);
  });
});
