/**
 * Keeps the bench from rotting: the smoke run must bundle and load every function, measure
 * every route, take an order with no finding from submission to DELIVERED (review, credit, stock,
 * delivery, the bench making the people's decisions) on the exact happy path with its usage and
 * cost counted, drive orders concurrently through the full lifecycle to DELIVERED, and measure
 * the credit check: its latency in the workflow step and concurrent reservations against one
 * customer vs several, with the exposure checked afterwards (the orders then go on through the
 * stock stage to GOODS_RESERVED and wait at WaitForDelivery), export the ledger in every
 * format with every row counted (R-AR-3), and measure receivables: the alerts job and the aging
 * at two sizes with the same open invoices, every one of them found (R-AR-1, R-AR-2), and payments
 * allocated oldest first with everything read back (R-BILL-3). No timing is asserted, nor whether
 * an aim is met.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DELIVERY_ROUTES } from '../../bench/delivery.js';
import { LIFECYCLE_PHASES } from '../../bench/orders.js';
import { SCALING_LABELS } from '../../bench/receivables.js';
import { CREDIT_ROWS, exportLabel, manyLabel, paymentLabel, ratioLabel, throughputLabel, type BenchResults } from '../../bench/report.js';
import { FUNCTIONS } from '../../infra/definitions/index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUTES = ['GET /health', 'GET /customers', 'GET /customers/{id}', 'POST /customers', 'GET /products', 'GET /customers/{id}/credit', 'GET /orders', 'GET /orders/{id}', 'GET /tasks', 'GET /notifications', 'POST /orders'];
const ORDER_ROUTES = ['POST /orders', 'POST /orders/{id}/submission'];
/** The happy path of an order with no finding, from submission to DELIVERED: every state its execution enters. */
const HAPPY_PATH = [
  'Start',
  'PreCheck',
  'RouteSpecialApprovals',
  'OrderDeskReview',
  'AfterOrderDesk',
  'FinishApproved',
  'AfterReview',
  'CreditStart',
  'CreditCheck',
  'RouteCredit',
  'StockStart',
  'ReserveStock',
  'RouteStock',
  'WaitForDelivery',
  'AfterDelivery',
  'InvoiceOrder',
  'Delivered',
];
const DELIVERY_FUNCTIONS = ['IssueDeliveryNote', 'SignOffDeliveryNote', 'IssueGoods', 'DispatchDeliveryNote', 'RecordProofOfDelivery'];
const COST_ITEMS = [
  'Step Functions Standard state transitions',
  'DynamoDB write request units',
  'DynamoDB read request units',
  'Lambda requests',
  'Lambda duration',
];

const outDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runSmoke(): Promise<{ code: number | null; output: string }> {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, 'bench/run.ts', '--smoke', '--out', outDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('bench --smoke', () => {
  it('produces a result row for every function, every route, the order usage and cost to DELIVERED, the lifecycle throughput, the credit measurements, export rows per second and the receivables measurements', { timeout: 540_000 }, async () => {
    const { code, output } = await runSmoke();
    expect(code, output).toBe(0);

    const results = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')) as BenchResults;
    expect(results.mode).toBe('smoke');
    expect(results.machine.node).toBe(process.version);

    expect(results.bundles.map((b) => b.id).sort()).toEqual(FUNCTIONS.map((f) => f.id).sort());
    for (const b of results.bundles) {
      expect(b.bytes, b.id).toBeGreaterThan(0);
      expect(b.loadRunsMs, b.id).toHaveLength(results.settings.loadRuns);
      expect(['PASS', 'OVER']).toContain(b.sizeAim);
      expect(['PASS', 'OVER']).toContain(b.loadAim);
    }

    expect(results.api.map((r) => r.route).sort()).toEqual([...ROUTES].sort());
    for (const route of results.api) {
      expect(route.results.map((r) => r.concurrency), route.route).toEqual([1, 2]);
      for (const r of route.results) {
        expect(r.requests, route.route).toBe(results.settings.requestsPerRoute);
        // Every request got the expected answer: a route that starts failing fails here.
        expect(r.errors, route.route).toBe(0);
      }
    }

    const { orders } = results;
    expect(orders.latency.map((r) => r.route)).toEqual(ORDER_ROUTES);
    for (const r of orders.latency) {
      expect(r.concurrency, r.route).toBe(orders.settings.concurrency);
      expect(r.requests, r.route).toBe(orders.settings.requests);
      expect(r.errors, r.route).toBe(0);
    }
    expect(orders.latency.map((r) => r.expectedStatus)).toEqual([201, 202]);

    // One order with no finding went from submission to DELIVERED (review, credit, stock, delivery) on the happy path and its usage was counted.
    const { cost } = orders;
    expect(cost.samples).toHaveLength(orders.settings.costOrders);
    expect(cost.visitedStates).toEqual(HAPPY_PATH);
    for (const s of cost.samples) expect(s.visitedStates, s.orderId).toEqual(HAPPY_PATH);
    expect(cost.functions.map((f) => f.functionId)).toEqual(expect.arrayContaining(['CheckOrderCredit', 'ReserveOrderStock', 'OpenDeliveryWait', ...DELIVERY_FUNCTIONS]));
    for (const id of ['OpenDeliveryWait', ...DELIVERY_FUNCTIONS]) {
      const f = cost.functions.find((x) => x.functionId === id)!;
      expect(f.invocations, id).toBe(1);
      expect(f.writeRequestUnits, id).toBeGreaterThan(0);
    }
    expect(cost.apiRoutes).toEqual(['POST /orders/{id}/submission', 'POST /tasks/{id}/decision', ...DELIVERY_ROUTES]);
    const reserveStock = cost.functions.find((f) => f.functionId === 'ReserveOrderStock')!;
    expect(reserveStock.invocations).toBe(1);
    expect(reserveStock.writeRequestUnits).toBeGreaterThan(0);
    expect(reserveStock.readRequestUnits).toBeGreaterThan(0);
    // The stock received covers every order the bench places, in every specification its order uses.
    expect(orders.stock.plannedOrders).toBe(orders.customer.plannedOrders);
    expect(orders.stock.places.map((p) => `${p.productCode} ${p.specification}`).sort()).toEqual(['PLATE-Q235 10mm', 'VALVE-DN50 PN16']);
    expect(orders.stock.plannedOrders).toBeGreaterThanOrEqual(orders.settings.costWarmupOrders + 2 * orders.settings.costOrders + orders.settings.lifecycleOrders);
    // 21 for the path to GOODS_RESERVED, + WaitForDelivery, AfterDelivery, Delivered, + InvoiceOrder.
    expect(orders.aims.stateTransitions.aim).toBe(25);
    expect(cost.perOrder.stateTransitions).toBe(HAPPY_PATH.length);
    expect(cost.perOrder.apiCalls).toBe(7);
    expect(cost.perOrder.taskStates).toBe(7);
    expect(cost.perOrder.lambdaInvocations).toBe(cost.perOrder.apiCalls + cost.perOrder.taskStates);
    expect(cost.functions.map((f) => f.functionId)).toEqual(expect.arrayContaining(['SubmitOrder', 'DecideTask']));
    expect(cost.perOrder.writeRequestUnits).toBeGreaterThan(0);
    expect(cost.perOrder.readRequestUnits).toBeGreaterThan(0);
    // The size rules agree with DynamoDB Local where it applies them (single-item writes).
    expect(cost.singleItemWriteUnits.computed).toBe(cost.singleItemWriteUnits.reportedByDynamoDbLocal);
    expect(orders.per1000Orders.rows.map((r) => r.item)).toEqual(COST_ITEMS);
    expect(orders.per1000Orders.totalUsd).toBeGreaterThan(0);
    expect(['PASS', 'OVER']).toContain(orders.aims.createP50.verdict);
    expect(['PASS', 'OVER']).toContain(orders.aims.stateTransitions.verdict);

    // Full lifecycle throughput: every order driven concurrently from submission to DELIVERED, on the happy path.
    const { throughput } = orders;
    expect(throughput.orders).toBe(orders.settings.lifecycleOrders);
    expect(throughput.concurrency).toBe(orders.settings.lifecycleConcurrency);
    expect(throughput.errorMessages).toEqual([]);
    expect(throughput.errors).toBe(0);
    expect(throughput.delivered).toBe(throughput.orders);
    expect(throughput.statuses).toEqual({ DELIVERED: throughput.orders });
    expect(throughput.executions).toEqual({ 'SUCCEEDED at Delivered': throughput.orders });
    expect(throughput.samePathAsUsage).toBe(true);
    expect(throughput.apiCallsPerOrder).toBe(7);
    expect(throughput.lifecycle.calls).toBe(throughput.orders);
    expect(Number.isFinite(throughput.ordersPerMinute) && Number.isFinite(throughput.lifecycle.p50Ms) && Number.isFinite(throughput.lifecycle.p99Ms)).toBe(true);
    expect(throughput.phases.map((p) => p.phase)).toEqual([...LIFECYCLE_PHASES]);

    // Credit: the check's latency in the workflow step, and reservations against one customer
    // vs several with the same orders and concurrency; every check reserved and the exposure
    // equals the open items and the reserved orders.
    const { credit } = results;
    expect(credit.latency.calls).toBe(credit.settings.latencyOrders);
    expect(credit.latency.outcomes).toEqual({ RESERVED: credit.settings.latencyOrders });
    // Past credit, the stock stage: the bench received stock for every order it places, so each ends GOODS_RESERVED.
    expect(credit.latency.statuses).toEqual({ GOODS_RESERVED: credit.settings.latencyOrders });
    // ...and its workflow waits for a delivery the credit bench never makes.
    expect(credit.latency.executions).toEqual({ 'RUNNING at WaitForDelivery': credit.settings.latencyOrders });
    expect(credit.stock.plannedOrders).toBe(credit.settings.latencyWarmupOrders + credit.settings.latencyOrders + 2 * credit.settings.rounds * credit.settings.orders);
    expect(Number.isFinite(credit.latency.p50Ms) && Number.isFinite(credit.latency.p99Ms)).toBe(true);
    const { one, many, ratioOneToMany } = credit.reservations;
    expect([one.customers, many.customers]).toEqual([1, credit.settings.customers]);
    for (const r of [one, many]) {
      const checks = r.orders * r.rounds;
      expect(r.orders, r.scenario).toBe(credit.settings.orders);
      expect(r.rounds, r.scenario).toBe(credit.settings.rounds);
      expect(r.concurrency, r.scenario).toBe(credit.settings.concurrency);
      expect(r.roundOrdersPerSecond, r.scenario).toHaveLength(r.rounds);
      expect(r.calls, r.scenario).toBe(checks);
      expect(r.errors, r.scenario).toBe(0);
      expect(r.outcomes, r.scenario).toEqual({ RESERVED: checks });
      expect(r.statuses, r.scenario).toEqual({ GOODS_RESERVED: checks });
      expect(r.executions, r.scenario).toEqual({ 'RUNNING at WaitForDelivery': checks });
      expect(r.transactions.sent, r.scenario).toBeGreaterThanOrEqual(checks);
      expect(r.ordersPerSecond, r.scenario).toBeGreaterThan(0);
      expect(r.exposureConsistentEveryRound, r.scenario).toBe(true);
      expect(r.exposure.mismatches, r.scenario).toEqual([]);
      expect(r.exposure.invariantViolations, r.scenario).toEqual([]);
      expect(r.exposure.consistent, r.scenario).toBe(true);
      expect(r.exposure.accountExposureMinor, r.scenario).toBe(r.exposure.openItemsMinor);
      expect(r.exposure.openItemsMinor, r.scenario).toBe(r.exposure.reservedOrdersMinor);
    }
    expect(one.exposure.reservedOrders).toBe(credit.settings.orders * credit.settings.rounds);
    expect(ratioOneToMany).toBeGreaterThan(0);

    expect(existsSync(path.join(outDir, 'results.md'))).toBe(true);
    const markdown = readFileSync(path.join(outDir, 'results.md'), 'utf8');
    for (const fn of FUNCTIONS) expect(markdown).toContain(`| ${fn.id} |`);
    for (const route of ROUTES) expect(markdown).toContain(`| ${route} |`);
    for (const route of ORDER_ROUTES) expect(markdown).toContain(`| ${route} |`);
    for (const item of [...COST_ITEMS, 'State transitions', 'Lambda invocations', 'DynamoDB write request units', 'Total']) expect(markdown).toContain(`| ${item} |`);
    for (const fn of ['OpenDeliveryWait', ...DELIVERY_FUNCTIONS]) expect(markdown).toContain(`| ${fn} | ${fn === 'OpenDeliveryWait' ? 'Task state' : 'API'} | 1 |`);
    expect(markdown).toContain('## Orders: usage of one order with no finding, submission → DELIVERED (review, credit, stock, delivery)');
    expect(markdown).toContain(`| State transitions | ${HAPPY_PATH.length} | states entered by its execution (Choice states included): ${HAPPY_PATH.join(' → ')} —`);
    expect(markdown).toContain('## Orders: full lifecycle throughput, submission → DELIVERED (review, credit, stock, delivery)');
    expect(markdown).toContain(`| ${throughputLabel(throughput)} | ${throughput.orders} |`);
    for (const phase of LIFECYCLE_PHASES) expect(markdown).toContain(`| ${phase} |`);
    expect(output).toMatch(/orders: (PASS|OVER) POST \/orders p50/);
    expect(output).toMatch(/orders: (PASS|OVER) [\d.]+ state transitions submission → DELIVERED \(review, credit, stock, delivery\)/);
    expect(output).toMatch(/orders: lifecycle submission → DELIVERED \(review, credit, stock, delivery\): [\d.]+ orders\/min, per order p50 [\d.]+ ms p99 [\d.]+ ms/);
    for (const row of [CREDIT_ROWS.latency, CREDIT_ROWS.one, manyLabel(credit.settings.customers), ratioLabel(credit.settings.customers)]) expect(markdown).toContain(`| ${row} |`);
    expect(output).toMatch(/credit: CheckOrderCredit p50 [\d.]+ ms p99 [\d.]+ ms/);
    expect(output).toMatch(/credit: reservations [\d.]+ orders\/s against one customer vs [\d.]+ orders\/s against \d+ customers \(one \/ \d+: [\d.]+\)/);

    // Finance exports (R-AR-3): the month's ledger exported in every format, every row counted.
    const { exports } = results;
    expect(exports.formats.map((f) => f.format)).toEqual(['csv', 'jsonl', 'both']);
    expect(exports.runs).toHaveLength(3 * exports.settings.repeats);
    for (const run of exports.runs) {
      expect(run.rows, run.format).toBe(exports.settings.entries);
      expect(run.files.map((f) => f.rows), run.format).toEqual(run.format === 'both' ? [exports.settings.entries, exports.settings.entries] : [exports.settings.entries]);
      expect(run.rowsPerSecond, run.format).toBeGreaterThan(0);
    }
    for (const f of exports.formats) expect(markdown).toContain(`| ${exportLabel(f.format)} | ${exports.settings.entries} |`);
    expect(output).toMatch(/exports: csv \d+ rows\/s, jsonl \d+ rows\/s, both \d+ rows\/s/);

    // Receivables (R-AR-1, R-AR-2): the job and the aging at two sizes with the same open invoices, every one found each time.
    const { receivables } = results;
    const rs = receivables.settings;
    expect(receivables.sizes.map((z) => z.invoices)).toEqual(rs.sizes);
    expect(rs.sizes[0]).toBeLessThan(rs.sizes[1]);
    for (const z of receivables.sizes) {
      expect(z.open, `${z.invoices}`).toBe(rs.open);
      expect(z.paid, `${z.invoices}`).toBe(z.invoices - rs.open);
      // Every open invoice is due 0 to 119 days ago, so each is at a milestone: 2 or 3 recipients.
      expect(z.expectedAlerts, `${z.invoices}`).toBeGreaterThanOrEqual(2 * rs.open);
      expect(z.expectedAlerts, `${z.invoices}`).toBeLessThanOrEqual(3 * rs.open);
      expect(z.jobSending, `${z.invoices}`).toHaveLength(rs.jobRepeats);
      expect(z.jobRepeat, `${z.invoices}`).toHaveLength(rs.jobRepeats);
      expect(z.aging, `${z.invoices}`).toHaveLength(rs.agingRepeats);
      for (const r of z.jobSending) expect(r, `${z.invoices}`).toMatchObject({ openInvoices: rs.open, alertsSent: z.expectedAlerts });
      for (const r of z.jobRepeat) expect(r, `${z.invoices}`).toMatchObject({ openInvoices: rs.open, alertsSent: 0 });
      for (const r of z.aging) expect(r, `${z.invoices}`).toMatchObject({ status: 200, invoices: rs.open, totalMinor: z.expectedOpenMinor });
    }
    expect(receivables.countProblems).toEqual([]);
    expect(receivables.countsOk).toBe(true);
    expect(receivables.scaling.map((r) => r.key)).toEqual(['jobSending', 'jobRepeat', 'aging']);
    for (const row of receivables.scaling) {
      expect(row.aim).toBe(1.5);
      expect(row.ratio, row.key).toBeGreaterThan(0);
      expect(['PASS', 'OVER']).toContain(row.verdict);
      expect(markdown).toContain(`| ${SCALING_LABELS[row.key]} | ${row.runs} | ${row.smallMs} | ${row.largeMs} | ${row.ratio} | < 1.5 | ${row.verdict} |`);
    }
    expect(output).toMatch(/receivables: (PASS|OVER) receivables-due job, every alert sent with [\d,]+ \/ [\d,]+ invoices \([\d,]+ open\): [\d.]+ ms \/ [\d.]+ ms = [\d.]+ \(aim < 1\.5\)/);

    // Payments (R-BILL-3): every one recorded, allocated oldest first, everything read back consistent.
    const { latency, payments } = receivables;
    expect(latency.sequential.calls).toBe(rs.payments);
    expect(latency.concurrent.calls).toBe(rs.concurrentPayments);
    expect(latency.concurrent.concurrency).toBe(rs.concurrency);
    for (const l of [latency.sequential, latency.concurrent]) {
      expect(l.errors).toBe(0);
      expect(l.notAsExpected).toBe(0);
      expect(Object.keys(l.byInvoicesPaid).every((k) => k === '1' || k === '2')).toBe(true);
      expect(Number.isFinite(l.p50Ms) && Number.isFinite(l.p99Ms)).toBe(true);
      expect(markdown).toContain(`| ${paymentLabel(l)} | ${l.calls} |`);
    }
    const { check } = payments;
    expect(check.mismatches).toEqual([]);
    expect(check.consistent).toBe(true);
    expect(check.payments).toBe(rs.warmupPayments + rs.payments + rs.concurrentPayments);
    expect(check.paidMinor).toBe(check.payments * payments.paymentMinor);
    expect(check.allocatedMinor).toBe(check.paidMinor);
    expect(check.unallocatedMinor).toBe(0);
    expect(check.allocations).toBeGreaterThanOrEqual(check.payments);
    expect(check.invoicesPaidInFull).toBeGreaterThan(0);
    expect(check.invoicesPaidInFull + check.invoicesPartlyPaid + check.invoicesUntouched).toBe(rs.paymentCustomers * rs.invoicesPerCustomer);
    expect(check.openMinorFound).toBe(check.openMinorExpected);
    expect(check.openMinorFound).toBe(rs.paymentCustomers * rs.invoicesPerCustomer * payments.invoiceGrossMinor - check.paidMinor);
    expect(output).toMatch(/receivables: POST \/payments p50 [\d.]+ ms p99 [\d.]+ ms one at a time, p50 [\d.]+ ms p99 [\d.]+ ms at concurrency \d+ against \d+ customers; \d+ payments, \d+ allocations, Σ allocations = Σ payments and read back: OK; job and aging counts: OK/);
  });
});
