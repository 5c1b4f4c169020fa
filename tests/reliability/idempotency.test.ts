/**
 * Reliability (issue 8): idempotent retries (DESIGN.md "API": POSTs that create things accept an
 * Idempotency-Key; a retry returns the first result, the same key with another body is refused).
 *
 * Every route marked `idempotent` in the route table (functions/shared/idempotency.ts behind
 * httpHandler) is driven over HTTP against one local stack:
 * - retried sequentially with one key: the first answer comes back (`idempotent-replayed: true`)
 *   and nothing at all changes in the tables or the workflows;
 * - sent 10 times at once with one key: exactly one effect — the same new items per table
 *   (entity, ledger entry, history, tasks …) and the same workflow starts as one request makes;
 * - the same key with another body: 422 problem+json, nothing written;
 * - the stored answer expires after the documented 24 hours (README, "Decisions worth knowing"):
 *   its TTL attribute is now + 24 h, and past it the key is free again although DynamoDB Local
 *   never deletes the record — the clock is moved, nothing sleeps.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, businessDate, now, setClock } from '../../functions/shared/clock.js';
import { IN_PROGRESS_TIMEOUT_SECONDS } from '../../functions/shared/idempotency.js';
import { ROUTES, TABLES } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { GOOD_BODIES } from '../support/good-bodies.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { at, later } from '../support/time.js';
import { apiAs, newCustomer, newProduct, snapshotTables, startTestStack, type ApiResponse } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, deliveredOrder, expectStatus, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';

/** How long an answer is kept, as the README says: 24 hours. */
const KEPT_SECONDS = 24 * 60 * 60;
const CONCURRENT = 10;
const IDEMPOTENCY_TABLE = TABLES.idempotency.localName;

let stack: LocalStack;
let customerId: string;
let invoiceId: string;

/**
 * The file's day: the 10th of next month, so that the TTL tests' day ahead never crosses into a new
 * year (new order and receipt counters), and ahead of the machine's clock, by which DynamoDB Local
 * deletes items whose TTL has passed.
 */
const DAY_OF_FILE = addMonths(`${businessDate().slice(0, 7)}-10`, 1);
const TODAY = () => at(DAY_OF_FILE);

beforeAll(async () => {
  stack = await startTestStack();
  TODAY();
  await seedCatalogueAndPrices(stack);
  customerId = await approvedCustomer(stack, 'wang.qiang', 'Idempotent Buyer Co');
  const orderId = await deliveredOrder(stack, 'wang.qiang', customerId, [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '20' }]);
  invoiceId = (await apiAs(stack, 'wang.qiang').get(`/orders/${orderId}`)).body.billing.invoices[0];
});
afterEach(() => TODAY());
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});

/** An order of the test's customer, submitted and approved by the order desk: its goods reserved. */
async function approvedOrder(): Promise<string> {
  const rep = apiAs(stack, 'wang.qiang');
  const created = await expectStatus(stack, rep.post('/orders', completeOrder(customerId)), 201);
  await expectStatus(stack, rep.post(`/orders/${created.orderId}/submission`), 202);
  expect((await decideTaskAbout(stack, 'chen.jie', created.orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
  return created.orderId as string;
}

interface Scenario {
  operationId: string;
  /** The rules the created thing carries, for the test titles. */
  rules?: string;
  user: string;
  /** Request n: what it stands on is made first (a fresh order where one change or note at a time is allowed); n makes the body distinct. */
  request(n: number): Promise<{ path: string; body: Record<string, unknown> }>;
  /** Another body for the same path. */
  vary(body: Record<string, unknown>): Record<string, unknown>;
  /** The same request may succeed again once its key is free (no one-at-a-time rule, no unique name). */
  repeatable: boolean;
}

const withReason = (b: Record<string, unknown>) => ({ ...b, reason: `${String(b.reason)} (asked again)` });
/** A balance per safety-stock request (one proposal waits at a time); 2 and 4, compared with each other, both hold stock. */
const SPECS: Record<number, readonly [string, string]> = { 1: ['VALVE-DN50', 'PN16'], 2: ['PLATE-Q235', '10mm'], 3: ['CABLE-3X95', '0.6/1kV'], 4: ['PLATE-Q235', '12mm'] };

const SCENARIOS: Scenario[] = [
  {
    operationId: 'createCustomer',
    rules: 'R-INFO-1, R-CREDIT-2',
    user: 'wang.qiang',
    request: async (n) => ({ path: '/customers', body: newCustomer({ name: `Retry Trading ${n}` }) }),
    vary: (b) => ({ ...b, name: `${String(b.name)} Ltd` }),
    repeatable: true,
  },
  {
    operationId: 'createProduct',
    user: 'liu.yang',
    request: async (n) => ({ path: '/products', body: newProduct({ productCode: `RETRY-${n}`, name: `Retry plate ${n}` }) }),
    vary: (b) => ({ ...b, name: `${String(b.name)} (renamed)` }),
    repeatable: false,
  },
  {
    operationId: 'createOrder',
    rules: 'R-INTAKE-3',
    user: 'wang.qiang',
    request: async (n) => ({ path: '/orders', body: completeOrder(customerId, { customerReference: `PO-RETRY-${n}` }) }),
    vary: (b) => ({ ...b, customerReference: `${String(b.customerReference)}-B` }),
    repeatable: true,
  },
  {
    operationId: 'requestOrderChange',
    rules: 'R-INTAKE-6',
    user: 'wang.qiang',
    request: async (n) => ({ path: `/orders/${await approvedOrder()}/change-requests`, body: { kind: 'amend', changes: { remarks: `unload at gate ${n}` }, reason: 'site asked' } }),
    vary: withReason,
    repeatable: false,
  },
  {
    operationId: 'createPriceListVersion',
    rules: 'R-PRICE-1, R-PRICE-2',
    user: 'zhao.min',
    // One draft per list at a time: each request drafts the own list of a new customer.
    request: async (n) => {
      const customer = await expectStatus(stack, apiAs(stack, 'wang.qiang').post('/customers', newCustomer({ name: `Own Prices ${n}` })), 201);
      return {
        path: `/price-lists/${customer.customerId}/versions`,
        body: { effectiveFrom: `2099-${String(((n - 1) % 12) + 1).padStart(2, '0')}-01`, items: [{ productCode: 'PLATE-Q235', specification: '10mm', listPrice: yuan(4100 + n), minimumPrice: yuan(3900) }] },
      };
    },
    vary: (b) => ({ ...b, effectiveFrom: '2099-12-31' }),
    repeatable: false,
  },
  {
    operationId: 'proposeSafetyStock',
    rules: 'R-FULFIL-9',
    user: 'zhao.min',
    request: async (n) => {
      // Past the four of SPECS (the crash tests ask for many): a warehouse of its own per request.
      const [productCode, specification] = SPECS[n] ?? ['PLATE-Q235', '10mm'];
      return { path: `/stock/${productCode}/safety-stock`, body: { warehouseId: SPECS[n] ? 'MAIN' : `W${n}`, specification, quantity: `${n}`, basis: 'two weeks of sales' } };
    },
    vary: (b) => ({ ...b, quantity: '99' }),
    repeatable: false,
  },
  {
    operationId: 'recordStockReceipt',
    user: 'feng.lei',
    request: async (n) => ({ path: '/stock/receipts', body: { productCode: 'VALVE-DN50', specification: 'PN16', quantity: `${n}`, source: 'PURCHASE', reference: `supplier note SN-${n}` } }),
    vary: (b) => ({ ...b, quantity: '999' }),
    repeatable: true,
  },
  {
    operationId: 'recordStockAdjustment',
    user: 'feng.lei',
    request: async (n) => ({ path: '/stock/adjustments', body: { productCode: 'VALVE-DN50', specification: 'PN16', quantity: `-${n}`, reason: `counted short, bin ${n}` } }),
    vary: withReason,
    repeatable: true,
  },
  {
    operationId: 'createCarrier',
    rules: 'R-FULFIL-6',
    user: 'he.jun',
    request: async (n) => ({ path: '/carriers', body: { ...(GOOD_BODIES.createCarrier as Record<string, unknown>), name: `Retry Logistics ${n}` } }),
    vary: (b) => ({ ...b, serviceNotes: 'all of China' }),
    repeatable: true,
  },
  {
    operationId: 'issueDeliveryNote',
    rules: 'R-FULFIL-3',
    user: 'zhao.min',
    request: async () => ({ path: `/orders/${await approvedOrder()}/delivery-notes`, body: { lines: [{ lineNo: 1, quantity: '1' }] } }),
    vary: () => ({ lines: [{ lineNo: 1, quantity: '1.5' }] }),
    repeatable: false,
  },
  {
    operationId: 'requestGoodsReservation',
    rules: 'R-FULFIL-8',
    user: 'wang.qiang',
    request: async (n) => ({
      path: '/goods-reservations',
      body: { customerId, lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: `${n}` }], deposit: { amount: yuan(1000), reference: `RC-DEP-${n}` }, reason: 'contract next week' },
    }),
    vary: withReason,
    repeatable: true,
  },
  {
    operationId: 'requestSamples',
    rules: 'R-FULFIL-10',
    user: 'wang.qiang',
    request: async (n) => ({
      path: '/sample-requests',
      body: { purpose: 'SAMPLE', customerId, recipient: 'quality lab', lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: `${n}` }], reason: 'trial before a framework contract' },
    }),
    vary: withReason,
    repeatable: true,
  },
  {
    operationId: 'recordPayment',
    rules: 'R-BILL-2, R-BILL-5',
    user: 'wu.fang',
    request: async (n) => ({ path: '/payments', body: { customerId, method: 'BANK_TRANSFER', amount: yuan(100 + n), receivedOn: businessDate(), bankReference: `BK-RETRY-${n}` } }),
    vary: (b) => ({ ...b, amount: yuan(5000) }),
    // The bank reference is unique per customer and day (R-BILL-2): the same body again is a 409 naming the first receipt.
    repeatable: false,
  },
  {
    operationId: 'requestCreditNote',
    rules: 'R-BILL-4',
    user: 'wu.fang',
    request: async (n) => ({ path: '/credit-notes', body: { invoiceId, amount: yuan(10 + n), reason: `late delivery, week ${n}` } }),
    vary: withReason,
    repeatable: true,
  },
  {
    operationId: 'requestReturn',
    rules: 'R-RETURN-1',
    user: 'wang.qiang',
    request: async (n) => ({
      path: '/returns',
      body: { invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '0.5' }], reason: `ordered too much (${n})`, rootCause: 'quantity keyed wrong', responsibleParty: 'SALES' },
    }),
    vary: withReason,
    repeatable: true,
  },
  {
    operationId: 'startExport',
    rules: 'R-AR-3',
    user: 'zheng.hao',
    request: async (n) => ({ path: '/exports', body: { kind: 'ledger', from: businessDate(), to: businessDate(), format: (['csv', 'jsonl', 'both'] as const)[(n - 1) % 3] } }),
    vary: (b) => ({ ...b, kind: 'payments' }),
    repeatable: true,
  },
];

interface State {
  tables: Record<string, unknown[]>;
  executions: number;
}

/** Everything a request could have done, once the workflows it started are idle. */
async function state(): Promise<State> {
  await stack.stepFunctions.idle();
  return { tables: await snapshotTables(stack), executions: stack.stepFunctions.listExecutions().length };
}

/** What happened between two states: new items per table (the idempotency records aside) and workflow starts. */
function effect(before: State, after: State): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [table, items] of Object.entries(after.tables)) {
    const added = items.length - before.tables[table]!.length;
    if (table !== IDEMPOTENCY_TABLE && added !== 0) out[table] = added;
  }
  if (after.executions !== before.executions) out['workflow starts'] = after.executions - before.executions;
  return out;
}

const send = (s: Scenario, path: string, body: unknown, key: string): Promise<ApiResponse> => apiAs(stack, s.user).post(path, body, { 'idempotency-key': key });
const replayed = (res: ApiResponse) => res.headers.get('idempotent-replayed');
const routeOf = (s: Scenario) => ROUTES.find((r) => r.operationId === s.operationId)!;
/** The documented success status of the route (201 created, 202 accepted). */
const successOf = (s: Scenario) => Number(Object.keys(routeOf(s).responses).find((status) => status.startsWith('2')));
const title = (s: Scenario) => `${s.rules ? `${s.rules}: ` : ''}POST ${routeOf(s).path} (${s.operationId})`;

/** The effect of one request of each route (once its sequences and the like exist), to compare retries with. */
const oneEffect = new Map<string, Record<string, number>>();
/** The first request of each route, for the other-body and expiry checks. */
const firstOf = new Map<string, { path: string; body: Record<string, unknown>; key: string; res: ApiResponse }>();

describe('Idempotency-Key on every creating POST', () => {
  it('the scenarios below cover every route the route table marks idempotent', () => {
    expect(SCENARIOS.map((s) => s.operationId).sort()).toEqual(ROUTES.filter((r) => r.idempotent).map((r) => r.operationId).sort());
    expect(ROUTES.filter((r) => r.idempotent && r.method !== 'POST')).toEqual([]);
  });

  for (const s of SCENARIOS) {
    describe(title(s), () => {
      it('retried sequentially with one key: the first answer, replayed, and nothing else happens', async () => {
        const { path, body } = await s.request(1);
        const key = `seq-${s.operationId}-0001`;
        const before = await state();
        const first = await send(s, path, body, key);
        expect(first.status, JSON.stringify(first.body)).toBe(successOf(s));
        expect(replayed(first)).toBeNull();
        firstOf.set(s.operationId, { path, body, key, res: first });
        const location = first.headers.get('location');
        if (location) expect((await apiAs(stack, s.user).get(location)).status, `GET ${location}`).toBe(200);
        const after = await state();
        expect(Object.keys(effect(before, after)).length, 'the request created something').toBeGreaterThan(0);

        for (let i = 0; i < 3; i++) {
          const again = await send(s, path, body, key);
          expect(again.status).toBe(first.status);
          expect(replayed(again)).toBe('true');
          expect(again.body).toEqual(first.body);
          expect(again.headers.get('location')).toBe(location);
        }
        expect(await state(), 'a replay changes nothing').toEqual(after);
      });

      it(`sent ${CONCURRENT} times at once with one key: exactly one effect, what one request does`, async () => {
        const { path, body } = await s.request(2);
        const single = await s.request(4);
        const key = `par-${s.operationId}-0002`;
        const before = await state();
        const results = await Promise.all(Array.from({ length: CONCURRENT }, () => send(s, path, body, key)));
        const won = results.filter((r) => r.status === successOf(s));
        const waiting = results.filter((r) => r.status === 409);
        expect(won.length + waiting.length, JSON.stringify(results.map((r) => [r.status, r.body]))).toBe(CONCURRENT);
        expect(won.length).toBeGreaterThan(0);
        for (const r of won) expect(r.body).toEqual(won[0]!.body);
        // A retry while the first is still running is told to retry (409), never given a second effect.
        for (const r of waiting) expect(r.body).toMatchObject({ status: 409, type: '/problems/request-in-progress' });
        expect(won.filter((r) => replayed(r) === null)).toHaveLength(1);
        const after = await state();
        const ten = effect(before, after);

        // One request with a key of its own, for comparison: the same new items per table and workflow starts.
        const one = await send(s, single.path, single.body, `one-${s.operationId}-0004`);
        expect(one.status, JSON.stringify(one.body)).toBe(successOf(s));
        const once = effect(after, await state());
        expect(Object.keys(once).length, 'the request created something').toBeGreaterThan(0);
        oneEffect.set(s.operationId, once);
        expect(ten, `${CONCURRENT} requests with one key did what one request does`).toEqual(once);

        const later = await send(s, path, body, key);
        expect(later.status).toBe(successOf(s));
        expect(replayed(later)).toBe('true');
        expect(later.body).toEqual(won[0]!.body);
      });

      it('the same key with another body is refused (422 problem+json) and nothing is written', async () => {
        const first = firstOf.get(s.operationId);
        expect(first, 'the sequential test sends the first request').toBeDefined();
        const { path, body, key, res } = first!;
        const before = await state();
        const other = await send(s, path, s.vary(body), key);
        expect(other.status, JSON.stringify(other.body)).toBe(422);
        expect(other.headers.get('content-type')).toBe('application/problem+json');
        expect(other.body).toMatchObject({ status: 422, type: '/problems/idempotency-key-reused', title: 'Idempotency-Key reused' });
        expect(await state()).toEqual(before);
        // The first answer still stands for its own body.
        const again = await send(s, path, body, key);
        expect(again.body).toEqual(res.body);
        expect(replayed(again)).toBe('true');
      });

      if (s.repeatable) {
        it('the answer is kept 24 hours (TTL attribute now + 24 h); after that the key is free and the request runs again', async () => {
          const { path, body } = await s.request(3);
          const key = `ttl-${s.operationId}-0003`;
          const before = await state();
          const sentAt = Math.floor(now().getTime() / 1000);
          const first = await send(s, path, body, key);
          expect(first.status, JSON.stringify(first.body)).toBe(successOf(s));
          const after = await state();
          const records = after.tables[IDEMPOTENCY_TABLE]!.filter((item) => !before.tables[IDEMPOTENCY_TABLE]!.some((b) => JSON.stringify(b) === JSON.stringify(item))) as Record<string, { N?: string; S?: string }>[];
          expect(records).toHaveLength(1);
          const startedAt = Number(records[0]!.startedAt!.N);
          const expiration = Number(records[0]![TABLES.idempotency.timeToLiveAttribute!]!.N);
          expect(startedAt).toBeGreaterThanOrEqual(sentAt);
          expect(startedAt).toBeLessThanOrEqual(Math.ceil(now().getTime() / 1000));
          expect(expiration, 'the TTL attribute is the time of the request + 24 hours').toBe(startedAt + KEPT_SECONDS);

          // A minute before it expires: still the first answer.
          setClock(new Date((expiration - 60) * 1000));
          const kept = await send(s, path, body, key);
          expect(replayed(kept)).toBe('true');
          expect(kept.body).toEqual(first.body);

          // Past it, the record may still be in the table (DynamoDB's TTL deletes it some time later; DynamoDB Local by the machine's clock)
          // but counts as absent: the request runs again, as a new one.
          setClock(new Date((expiration + 1) * 1000));
          const stale = await state();
          expect(stale.tables[IDEMPOTENCY_TABLE]).toEqual(after.tables[IDEMPOTENCY_TABLE]);
          const anew = await send(s, path, body, key);
          expect(anew.status, JSON.stringify(anew.body)).toBe(successOf(s));
          expect(replayed(anew)).toBeNull();
          expect(anew.body).not.toEqual(first.body);
          expect(effect(stale, await state()), 'what one request does').toEqual(oneEffect.get(s.operationId));
        });
      }
    });
  }
});

describe('Idempotency-Key scope and failures', () => {
  it('the key is the caller’s own: another user sending the same key and body creates their own', async () => {
    const body = { ...(GOOD_BODIES.createCarrier as Record<string, unknown>), name: 'Shared Key Transport' };
    const mine = await apiAs(stack, 'he.jun').post('/carriers', body, { 'idempotency-key': 'shared-key-0001' });
    const theirs = await apiAs(stack, 'admin').post('/carriers', body, { 'idempotency-key': 'shared-key-0001' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(replayed(theirs)).toBeNull();
    expect(theirs.body.carrierId).not.toBe(mine.body.carrierId);
  });

  it(`a refused create frees its key, also for ${CONCURRENT} concurrent retries: each gets the refusal (or "in progress"), none "key reused"`, async () => {
    const manager = apiAs(stack, 'liu.yang');
    // PLATE-Q235 exists: creating it again is a conflict, and nothing may be kept for the key.
    const body = newProduct({ productCode: 'PLATE-Q235', name: 'Steel plate Q235' });
    const before = await state();
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => manager.post('/products', body, { 'idempotency-key': 'taken-code-0001' })));
    for (const r of results) {
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(['/problems/conflict', '/problems/request-in-progress']).toContain(r.body.type);
    }
    expect(await state()).toEqual(before);
    // The key was never kept: the same key now creates what the client asks for next.
    const fresh = await manager.post('/products', newProduct({ productCode: 'FREED-KEY', name: 'After a refusal' }), { 'idempotency-key': 'taken-code-0001' });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
    expect(replayed(fresh)).toBeNull();
  });
});

/**
 * A crash between a request's effect and its answer (issue 14): the crash switch kills the function
 * at each of its writes in turn, as a Lambda killed there would die (nothing after that write runs:
 * no answer stored afterwards, no key freed). The client hears 500 from the gateway, waits past the
 * minute after which an abandoned key may be taken over, and retries with the same key. Whatever
 * write it died at, the retry yields exactly one effect: the first answer, replayed, when the effect
 * was written (it carries its answer in the same transaction), or one fresh run when it was not.
 */
describe('Idempotency-Key after a crash at every write (R-INFO-3: nothing twice)', () => {
  const crashed = (res: ApiResponse) => res.status === 500 && (res.body as { message?: string })?.message === 'Internal Server Error';
  /** Past the minute after which a claim left IN_PROGRESS by a dead run may be taken over. */
  const pastTheClaim = () => later((IN_PROGRESS_TIMEOUT_SECONDS + 5) * 1000);
  /** Per route: the writes it was killed after, and from which one on the retry was the first answer replayed. */
  const crashPoints = new Map<string, { writes: number; replayedFrom: number }>();
  afterAll(() => {
    const total = [...crashPoints.values()].reduce((sum, c) => sum + c.writes, 0);
    console.info(`crash points: ${crashPoints.size} routes, ${total} points; ${[...crashPoints].map(([op, c]) => `${op} ${c.writes} (replayed from ${c.replayedFrom})`).join(', ')}`);
  });

  for (const s of SCENARIOS) {
    it(`${title(s)}: killed after each of its writes, retried with the same key: one effect, the first answer replayed once it was written`, async () => {
      const functionId = routeOf(s).function.id;
      // Two clean runs: the second is what one request does (the first may create a sequence's counter) and how many writes it makes.
      for (const n of [201, 202]) {
        const { path, body } = await s.request(n);
        const before = await state();
        const res = await send(s, path, body, `clean-${s.operationId}-${n}`);
        expect(res.status, JSON.stringify(res.body)).toBe(successOf(s));
        oneEffect.set(`${s.operationId}#crash`, effect(before, await state()));
      }
      const writes = stack.crashes.runs.filter((r) => r.functionId === functionId).at(-1)!.writes.length;
      expect(writes, 'the claim, the effect and what follows').toBeGreaterThanOrEqual(2);

      const replayedAt: number[] = [];
      for (let k = 1; k <= writes; k++) {
        const { path, body } = await s.request(210 + k);
        const key = `crash-${s.operationId}-${k}`;
        const before = await state();
        stack.crashes.crash(functionId, { afterWrite: k });
        const died = await send(s, path, body, key);
        expect(crashed(died), `killed after write ${k}: ${died.status} ${JSON.stringify(died.body)}`).toBe(true);

        // Right away the key is held (the dead run's claim) or answered (its effect was written).
        const soon = await send(s, path, body, key);
        expect([409, successOf(s)], JSON.stringify(soon.body)).toContain(soon.status);

        pastTheClaim();
        const retried = await send(s, path, body, key);
        expect(retried.status, `after write ${k}: ${JSON.stringify(retried.body)}`).toBe(successOf(s));
        if (replayed(retried) === 'true') replayedAt.push(k);
        // Once the effect was written, every later crash point replays too: its answer went in with it.
        if (replayedAt.length > 0) expect(replayed(retried), `after write ${k}`).toBe('true');
        expect(effect(before, await state()), `killed after write ${k}, retried: what one request does`).toEqual(oneEffect.get(`${s.operationId}#crash`));
        const again = await send(s, path, body, key);
        expect(replayed(again)).toBe('true');
        expect(again.body).toEqual(retried.body);
        const location = retried.headers.get('location');
        if (location) expect((await apiAs(stack, s.user).get(location)).status, `GET ${location}`).toBe(200);
      }
      // The effect's own write carries the answer: from it on, the retry is the first answer.
      expect(replayedAt.length, `crash points replayed of ${writes}`).toBeGreaterThan(0);
      crashPoints.set(s.operationId, { writes, replayedFrom: replayedAt[0]! });
      stack.crashes.clear();
      await expectInvariantsHold(stack);
    });
  }

  it('R-BILL-2, R-BILL-3, R-BILL-5: 40 payments in flight when the process dies, each re-sent with its key after a minute: Σ recorded = Σ sent, each once', async () => {
    const customer = await approvedCustomer(stack, 'wang.qiang', 'Crash Paying Co');
    await deliveredOrder(stack, 'wang.qiang', customer, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '400' }]);
    const finance = apiAs(stack, 'wu.fang');
    const sent = Array.from({ length: 40 }, (_, i) => ({
      key: `crash-pay-${String(i).padStart(4, '0')}`,
      body: { customerId: customer, method: 'BANK_TRANSFER', amount: yuan(100 + i), receivedOn: businessDate(), bankReference: `BK-CRASH-${i}` },
    }));
    const ledgerBefore = (await finance.get(`/customers/${customer}/ledger?limit=100`)).body.entries.length as number;
    // The process dies with all 40 in flight, each at some write: the claim, the receipt number, the payment itself.
    for (let i = 0; i < sent.length; i++) stack.crashes.crash('RecordPayment', { afterWrite: 1 + (i % 3) });
    const first = await Promise.all(sent.map((p) => finance.post('/payments', p.body, { 'idempotency-key': p.key })));
    expect(first.filter(crashed).length, 'every one in flight died').toBeGreaterThanOrEqual(30);
    stack.crashes.clear();

    // A minute later every client re-sends; a 409 (the ledger busy, a claim still held) is re-sent again.
    pastTheClaim();
    const answers = await Promise.all(
      sent.map(async (p) => {
        for (let attempt = 0; attempt < 60; attempt++) {
          const res = await finance.post('/payments', p.body, { 'idempotency-key': p.key });
          if (res.status !== 409) return res;
        }
        throw new Error(`${p.key}: still 409`);
      }),
    );
    for (const res of answers) expect(res.status, JSON.stringify(res.body)).toBe(201);
    await stack.idle();
    const receipts = new Set(answers.map((r) => r.body.receiptNumber as string));
    expect(receipts.size, 'one receipt per payment sent').toBe(40);
    const entries = (await finance.get(`/customers/${customer}/ledger?limit=100`)).body.entries as { kind: string; amount: { amountMinor: number }; reference: string }[];
    const payments = entries.filter((e) => e.kind === 'PAYMENT');
    expect(entries.length - ledgerBefore).toBe(40);
    expect(payments.map((e) => e.reference).sort()).toEqual([...receipts].sort());
    const sentMinor = sent.reduce((sum, p) => sum + p.body.amount.amountMinor, 0);
    const recordedMinor = -payments.reduce((sum, e) => sum + e.amount.amountMinor, 0);
    expect(recordedMinor, 'Σ payments recorded = Σ payments sent').toBe(sentMinor);
    await expectInvariantsHold(stack);
  });
});

