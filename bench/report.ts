/** results.json and results.md: what was measured, on what, and against which aims. */
import type { RouteResult } from './api.js';
import type { BundleResult } from './bundles.js';
import type { CreditResult, ReservationResult } from './credit.js';
import { CREDIT_HOLDING } from './customers.js';
import type { ExportsResult } from './exports.js';
import { CREATE_ROUTE, type LifecycleThroughput, type OrdersResult } from './orders.js';
import { AWS_PRICES } from './pricing.js';
import type { PaymentLatency, ReceivablesResult } from './receivables.js';

/** agingScalingRatio: the receivables job's (and the aging's) time at 100,000 invoices over 10,000 with the same 1,000 open (issue 6). */
export const AIMS = { bundleBytes: 1024 * 1024, loadMedianMs: 75, agingScalingRatio: 1.5 } as const;

export interface BenchResults {
  mode: 'full' | 'smoke';
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; totalMemoryGiB: number; date: string };
  settings: {
    loadRuns: number;
    loadWarmupRuns: number;
    requestsPerRoute: number;
    warmupRequestsPerRoute: number;
    concurrencies: number[];
  };
  aims: typeof AIMS;
  notes: string[];
  bundles: (BundleResult & { sizeAim: Verdict; loadAim: Verdict })[];
  api: RouteResult[];
  orders: OrdersResult;
  credit: CreditResult;
  exports: ExportsResult;
  receivables: ReceivablesResult;
}

export type Verdict = 'PASS' | 'OVER';

export const verdict = (value: number, aim: number): Verdict => (value < aim ? 'PASS' : 'OVER');

export function toMarkdown(r: BenchResults): string {
  const lo = r.settings.concurrencies[0]!;
  const hi = r.settings.concurrencies[r.settings.concurrencies.length - 1]!;
  const lines: string[] = [];
  lines.push(`# Bench (${r.mode})`);
  lines.push('');
  lines.push(
    `Node ${r.machine.node} on ${r.machine.platform}/${r.machine.arch}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.totalMemoryGiB} GiB, ${r.machine.date}`,
  );
  lines.push('');
  lines.push(
    `## Bundles (aims: < ${AIMS.bundleBytes / 1024} KiB, load median < ${AIMS.loadMedianMs} ms; ${r.settings.loadRuns} load runs each, ${r.settings.loadWarmupRuns} discarded first)`,
  );
  lines.push('');
  lines.push('| Function | Bundle bytes | KiB | Map KiB | Load median ms | Load p90 ms | Size | Load | Largest input | @aws-sdk/ imports |');
  lines.push('|---|---:|---:|---:|---:|---:|:---:|:---:|---|---|');
  for (const b of r.bundles) {
    const top = b.largestInputs[0];
    const largest = top ? `${top.name} ${(top.bytes / 1024).toFixed(0)} KiB` : '';
    const externals = b.externalImports.map((e) => e.replace('@aws-sdk/', '')).join(', ');
    lines.push(
      `| ${b.id} | ${b.bytes} | ${b.kib} | ${(b.sourceMapBytes / 1024).toFixed(1)} | ${b.loadMedianMs} | ${b.loadP90Ms} | ${b.sizeAim} | ${b.loadAim} | ${largest} | ${externals} |`,
    );
  }
  lines.push('');
  lines.push(`## API latency over HTTP (${r.settings.requestsPerRoute} requests per route per concurrency, ${r.settings.warmupRequestsPerRoute} warm-up)`);
  lines.push('');
  const header = r.settings.concurrencies.flatMap((c) => [`p50@${c} ms`, `p99@${c} ms`, `req/s@${c}`]);
  lines.push(`| Route | ${header.join(' | ')} | p50@${hi} / p50@${lo} | Errors |`);
  lines.push(`|---|${header.map(() => '---:').join('|')}|---:|---:|`);
  for (const route of r.api) {
    const cells = route.results.flatMap((x) => [x.p50Ms, x.p99Ms, x.requestsPerSecond]);
    const errors = route.results.reduce((s, x) => s + x.errors, 0);
    lines.push(`| ${route.route} | ${cells.join(' | ')} | ${route.p50Ratio.toFixed(2)} | ${errors} |`);
  }
  lines.push('');
  lines.push(...ordersMarkdown(r.orders));
  lines.push(...creditMarkdown(r.credit));
  lines.push(...exportsMarkdown(r.exports));
  lines.push(...receivablesMarkdown(r.receivables));
  lines.push('## Notes');
  lines.push('');
  for (const n of r.notes) lines.push(`- ${n}`);
  lines.push('');
  return lines.join('\n');
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const usd = (x: number) => `$${x.toFixed(x >= 0.01 ? 4 : 6)}`;

function ordersMarkdown(o: OrdersResult): string[] {
  const lines: string[] = [];
  const { cost, aims } = o;
  lines.push(
    `## Orders: latency over HTTP (${o.settings.requests} requests per route at concurrency ${o.settings.concurrency}, ${o.settings.warmupRequests} warm-up; aim: ${CREATE_ROUTE} p50 < ${aims.createP50.aimMs} ms)`,
  );
  lines.push('');
  lines.push('| Route | Expected | Requests | Concurrency | p50 ms | p99 ms | Mean ms | req/s | Errors | Aim |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
  for (const x of o.latency) {
    const aim = x.route === CREATE_ROUTE ? aims.createP50.verdict : '';
    lines.push(`| ${x.route} | ${x.expectedStatus} | ${x.requests} | ${x.concurrency} | ${x.p50Ms} | ${x.p99Ms} | ${x.meanMs} | ${x.requestsPerSecond} | ${x.errors} | ${aim} |`);
  }
  lines.push('');
  lines.push(
    `## Orders: usage of one order with no finding, submission → DELIVERED (review, credit, stock, delivery), the bench making the people's decisions (mean of ${cost.orders} metered and ${cost.orders} timed orders after ${cost.warmupOrders} warm-up; aim: ≤ ${aims.stateTransitions.aim} state transitions)`,
  );
  lines.push('');
  lines.push('| Per order | Value | How it is counted |');
  lines.push('|---|---:|---|');
  const p = cost.perOrder;
  lines.push(`| State transitions | ${p.stateTransitions} | states entered by its execution (Choice states included): ${cost.visitedStates.join(' → ')} — aim ${aims.stateTransitions.verdict} |`);
  lines.push(
    `| Lambda invocations | ${p.lambdaInvocations} | ${p.apiCalls} API calls (${cost.apiRoutes.join(', ')}) + ${p.taskStates} Task states of review, credit, stock and delivery${cost.taskFunctionsTimed ? ' (each invocation counted)' : ' (from the states, not timed)'} |`,
  );
  lines.push(`| Lambda billed duration ms | ${p.lambdaBilledMs} | local warm durations, each rounded up to 1 ms; API functions: the HTTP round trip |`);
  lines.push(`| Lambda GB-seconds | ${p.lambdaGbSeconds} | billed ms × memory (CDK: 512 MB unless the function sets memoryMb) |`);
  lines.push(
    `| DynamoDB write request units | ${p.writeRequestUnits} | AWS rules from item sizes: ${p.tableWriteUnits} table + ${p.indexWriteUnits} global secondary index; ${p.transactionalWriteUnits} of them from TransactWriteItems (table writes 2 per KB per item) |`,
  );
  lines.push(`| DynamoDB read request units | ${p.readRequestUnits} | ConsumedCapacity reported by DynamoDB Local |`);
  lines.push(`| DynamoDB requests | ${Object.values(p.dynamoRequests).reduce((a, b) => a + b, 0)} | ${Object.entries(p.dynamoRequests).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  lines.push(`| Items written | ${Object.values(p.itemsWritten).reduce((a, b) => a + b, 0)} | ${Object.entries(p.itemsWritten).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  lines.push(`| Notifications written | ${p.notificationsWritten} | cloud only, not priced: each feeds the outbox stream → PublishNotifications (batches of ≤ 25) → SNS |`);
  lines.push('');
  lines.push('| Function | Trigger | Invocations | Duration ms (local) | Memory MB | GB-s | WRU | RRU |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const f of cost.functions) {
    lines.push(`| ${f.functionId} | ${f.trigger} | ${f.invocations} | ${f.durationMs} | ${f.memoryMb} | ${f.gbSeconds} | ${f.writeRequestUnits} | ${f.readRequestUnits} |`);
  }
  lines.push('');
  lines.push(...throughputMarkdown(o.throughput));
  lines.push(`## Orders: cost per 1,000 orders, submission → DELIVERED (${AWS_PRICES.asOf})`);
  lines.push('');
  lines.push('| Item | Units per 1,000 orders | Price | USD per 1,000 orders |');
  lines.push('|---|---:|---|---:|');
  for (const row of o.per1000Orders.rows) lines.push(`| ${row.item} | ${row.units} | ${row.price} | ${usd(row.usdPer1000Orders)} |`);
  lines.push(`| Total | | | ${usd(o.per1000Orders.totalUsd)} |`);
  lines.push('');
  lines.push(
    `Aims: ${CREATE_ROUTE} p50 ${aims.createP50.valueMs} ms (aim < ${aims.createP50.aimMs} ms): ${aims.createP50.verdict}; ` +
      `state transitions ${aims.stateTransitions.value} (aim ≤ ${aims.stateTransitions.aim}): ${aims.stateTransitions.verdict}.`,
  );
  lines.push('');
  return lines;
}

/** The throughput table's row, as the smoke test finds it. */
export const throughputLabel = (t: Pick<LifecycleThroughput, 'orders' | 'concurrency'>) => `Submission → DELIVERED, ${t.orders} orders at concurrency ${t.concurrency}`;

function throughputMarkdown(t: LifecycleThroughput): string[] {
  const lines: string[] = [];
  lines.push(
    `## Orders: full lifecycle throughput, submission → DELIVERED (review, credit, stock, delivery) (${t.orders} orders, ${t.concurrency} at a time, the bench acting as every person as soon as the work is there)`,
  );
  lines.push('');
  lines.push('| Lifecycle | Orders delivered | Wall ms | Orders/min | Per order p50 ms | Per order p99 ms | Mean ms | Max ms | API calls per order | Errors | Statuses after | Executions |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
  const l = t.lifecycle;
  lines.push(
    `| ${throughputLabel(t)} | ${t.delivered} | ${t.wallMs} | ${t.ordersPerMinute} | ${l.p50Ms} | ${l.p99Ms} | ${l.meanMs} | ${l.maxMs} | ${t.apiCallsPerOrder} | ${t.errors} | ${counts(t.statuses)} | ${counts(t.executions)}${t.samePathAsUsage ? ', all on the usage path' : ', NOT all on the usage path'} |`,
  );
  lines.push('');
  lines.push('| Phase of each order | p50 ms | p99 ms | Mean ms |');
  lines.push('|---|---:|---:|---:|');
  for (const ph of t.phases) lines.push(`| ${ph.phase} | ${ph.p50Ms} | ${ph.p99Ms} | ${ph.meanMs} |`);
  lines.push('');
  lines.push(
    `Measured: each order from sending its submission to its execution's end (SUCCEEDED at Delivered, order DELIVERED), with ${t.concurrency} orders in flight and no human think time: the system's time for the people's ${t.apiCallsPerOrder} calls and the workflow in between, plus the order desk's GET /tasks to find its task (${t.taskLookupsPerOrder} per order). Orders/min: orders delivered over the wall time from the first submission to the last execution's end. Drafts are created beforehand and not timed. See the notes.`,
  );
  for (const m of t.errorMessages) lines.push(`- ${m}`);
  lines.push('');
  return lines;
}

export const CREDIT_ROWS = { latency: 'CheckOrderCredit, one order at a time', one: 'One customer' } as const;
export const manyLabel = (customers: number) => `${customers} customers`;
export const ratioLabel = (customers: number) => `One customer / ${customers} customers (orders/s)`;

const cny = (minor: number) => `${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const counts = (x: Record<string, number>) =>
  Object.entries(x)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

function creditMarkdown(c: CreditResult): string[] {
  const lines: string[] = [];
  const { latency: l, reservations } = c;
  const { one, many } = reservations;
  lines.push(`## Credit: CheckOrderCredit latency inside the workflow step (${l.orders} orders one at a time after ${l.warmupOrders} warm-up, over ${l.customers} customers)`);
  lines.push('');
  lines.push('| Measurement | Calls | p50 ms | p99 ms | Mean ms | Max ms | Outcomes | Statuses after | Executions after |');
  lines.push('|---|---:|---:|---:|---:|---:|---|---|---|');
  lines.push(`| ${CREDIT_ROWS.latency} | ${l.calls} | ${l.p50Ms} | ${l.p99Ms} | ${l.meanMs} | ${l.maxMs} | ${counts(l.outcomes)} | ${counts(l.statuses)} | ${counts(l.executions)} |`);
  lines.push('');
  lines.push(
    `## Credit: concurrent reservations, one customer vs ${many.customers} customers (${one.orders} orders per round at concurrency ${one.concurrency}, ${one.rounds} round${one.rounds === 1 ? '' : 's'} each, alternating; CheckOrderCredit handler calls of orders held at CreditCheck in status APPROVED)`,
  );
  lines.push('');
  lines.push('| Customers | Orders × rounds | Concurrency | Wall ms | Orders/s | Orders/s per round | Call p50 ms | Call p99 ms | Errors | Outcomes | Statuses after | Executions after | TransactWriteItems sent | Failed sends |');
  lines.push('|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|---|---:|---|');
  const row = (label: string, r: ReservationResult) =>
    `| ${label} | ${r.orders} × ${r.rounds} | ${r.concurrency} | ${r.wallMs} | ${r.ordersPerSecond} | ${r.roundOrdersPerSecond.join(', ')} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${counts(r.outcomes)} | ${counts(r.statuses)} | ${counts(r.executions)} | ${r.transactions.sent} | ${counts(r.transactions.failed)} |`;
  lines.push(row(CREDIT_ROWS.one, one));
  lines.push(row(manyLabel(many.customers), many));
  lines.push(`| ${ratioLabel(many.customers)} | | | | ${reservations.ratioOneToMany} | ${one.roundOrdersPerSecond.map((x, i) => round2(x / many.roundOrdersPerSecond[i]!)).join(', ')} | | | | | | | | |`);
  lines.push('');
  lines.push('| Exposure after the last round | Customers | ACCOUNT exposure CNY | OPEN# items | Σ OPEN# CNY | Reserved orders | Σ reserved CNY | Invariant violations | Check |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|:---:|');
  const exposure = (label: string, r: ReservationResult) => {
    const e = r.exposure;
    return `| ${label} | ${e.customers} | ${cny(e.accountExposureMinor)} | ${e.openItems} | ${cny(e.openItemsMinor)} | ${e.reservedOrders} | ${cny(e.reservedOrdersMinor)} | ${e.invariantViolations.length} | ${e.consistent && r.exposureConsistentEveryRound ? 'OK' : 'MISMATCH'} |`;
  };
  lines.push(exposure(CREDIT_ROWS.one, one));
  lines.push(exposure(manyLabel(many.customers), many));
  lines.push('');
  lines.push(
    `Read after every round, once its workflows went through credit and stock and wait at WaitForDelivery (orders GOODS_RESERVED): per customer, the ACCOUNT item's exposureMinor, its OPEN# items and the reservations of the orders the bench placed for it that hold their credit (${CREDIT_HOLDING.join(', ')}); the ${many.customers} customers also hold the ${l.warmupOrders + l.orders} latency orders. Check OK: after every round the three agree for every customer and tests/support/credit-invariants.ts finds no violation.`,
  );
  for (const m of [...one.exposure.mismatches, ...many.exposure.mismatches, ...new Set([...one.exposure.invariantViolations, ...many.exposure.invariantViolations])]) lines.push(`- ${m}`);
  lines.push('');
  return lines;
}

/** The export table's row per format, as the smoke test finds it. */
export const exportLabel = (format: string) => ({ csv: 'CSV (UTF-8 with BOM)', jsonl: 'JSON Lines', both: 'CSV and JSON Lines from one pass' })[format] ?? format;

function exportsMarkdown(x: ExportsResult): string[] {
  const lines: string[] = [];
  lines.push(
    `## Finance exports (R-AR-3): export rows per second (${x.settings.entries.toLocaleString('en-US')} ledger entries of one month, ${x.settings.customers} customers; POST /exports → the FinanceExport workflow's end; median of ${x.settings.repeats} run${x.settings.repeats === 1 ? '' : 's'} per format)`,
  );
  lines.push('');
  lines.push('| Format | Rows | Runs | Rows/s | Seconds | Worker seconds | Bytes written | Peak heap growth MB | Peak rss growth MB |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of x.formats) {
    lines.push(`| ${exportLabel(f.format)} | ${f.rows} | ${f.runs} | ${f.medianRowsPerSecond} | ${f.medianSeconds} | ${f.medianWorkerSeconds} | ${f.bytes} | ${f.maxHeapGrowthMb} | ${f.maxRssGrowthMb} |`);
  }
  lines.push('');
  lines.push(
    'Rows/s: the month\'s entries over the wall time from sending POST /exports to the end of its workflow (the worker pages through DynamoDB Local one business day at a time and streams the files, with their SHA-256, to the local data folder; then the manifest). Memory: the process\'s peak growth while the export ran; it does not grow with the rows (tests/workflows/exports-large.test.ts exports 100,000). See the notes.',
  );
  lines.push('');
  return lines;
}

/** The payment latency table's rows, as the smoke test finds them. */
export const paymentLabel = (l: Pick<PaymentLatency, 'concurrency' | 'customers'>) =>
  l.concurrency === 1 ? `POST /payments, one at a time over ${l.customers} customers` : `POST /payments, ${l.concurrency} at a time against ${l.customers} customers`;

function receivablesMarkdown(x: ReceivablesResult): string[] {
  const lines: string[] = [];
  const s = x.settings;
  const [small, large] = x.sizes;
  const n = (v: number) => v.toLocaleString('en-US');
  lines.push(
    `## Receivables (R-AR-1, R-AR-2): aging job time with ${n(s.sizes[0])} and with ${n(s.sizes[1])} invoices, the same ${n(s.open)} open (aim: ${n(s.sizes[1])} / ${n(s.sizes[0])} < ${AIMS.agingScalingRatio}, because only open items are read; median of ${s.jobRepeats} job runs of each kind and ${s.agingRepeats} aging requests per size, after ${s.warmups} of each not counted)`,
  );
  lines.push('');
  lines.push(`| Measurement | Runs per size | ${n(s.sizes[0])} invoices median ms | ${n(s.sizes[1])} invoices median ms | Ratio | Aim | Verdict |`);
  lines.push('|---|---:|---:|---:|---:|---:|:---:|');
  for (const r of x.scaling) lines.push(`| ${r.measurement} | ${r.runs} | ${r.smallMs} | ${r.largeMs} | ${r.ratio} | < ${r.aim} | ${r.verdict} |`);
  lines.push('');
  lines.push('| Invoices | Open | Paid | Written in s | Job: open invoices read | Job: alerts sent per run (expected) | Job again: alerts sent | Aging: invoices, total CNY | Counts |');
  lines.push('|---:|---:|---:|---:|---:|---|---|---|:---:|');
  for (const z of [small, large]) {
    if (!z) continue;
    const reads = [...new Set([...z.jobSending, ...z.jobRepeat].map((r) => r.openInvoices))].join(', ');
    const sent = [...new Set(z.jobSending.map((r) => r.alertsSent))].join(', ');
    const again = [...new Set(z.jobRepeat.map((r) => r.alertsSent))].join(', ');
    const aging = [...new Set(z.aging.map((r) => `${r.invoices}, ${cny(r.totalMinor)}`))].join('; ');
    const ok = x.countProblems.every((p) => !p.startsWith(`${z.invoices} invoices`));
    lines.push(`| ${n(z.invoices)} | ${n(z.open)} | ${n(z.paid)} | ${z.seedSeconds} | ${reads} | ${sent} (${z.expectedAlerts}) | ${again} | ${aging} | ${ok ? 'OK' : 'MISMATCH'} |`);
  }
  lines.push('');
  lines.push(
    'Job: `receivables-due` run through the local scheduler (stack.runJob, the handler in the stack process) for today; "every alert sent": the receivable-alert notifications deleted before each run, so each run finds the open invoices through the sparse due-date index and writes every invoice\'s milestone alert to each recipient; "same day again": right after, everything already sent (every conditional put refused). Aging: GET /receivables/aging over HTTP as finance, today, by customer (open items only). See the notes.',
  );
  for (const p of x.countProblems) lines.push(`- ${p}`);
  lines.push('');
  const { sequential, concurrent } = x.latency;
  const c = x.payments.check;
  lines.push(
    `## Receivables (R-BILL-3): payment allocation latency, POST /payments as finance (${c.customers} customers with ${s.invoicesPerCustomer} open invoices of ${cny(x.payments.invoiceGrossMinor)} CNY each; every payment ${cny(x.payments.paymentMinor)} CNY by bank transfer, paying the oldest due first; ${x.payments.warmup} warm-up)`,
  );
  lines.push('');
  lines.push('| Payments | Count | Concurrency | p50 ms | p99 ms | Mean ms | Max ms | Payments/s | Payments by invoices paid | Errors | Not as expected |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|');
  for (const l of [sequential, concurrent]) {
    lines.push(`| ${paymentLabel(l)} | ${l.calls} | ${l.concurrency} | ${l.p50Ms} | ${l.p99Ms} | ${l.meanMs} | ${l.maxMs} | ${l.paymentsPerSecond} | ${Object.entries(l.byInvoicesPaid).map(([k, v]) => `${k} invoice${k === '1' ? '' : 's'}: ${v}`).join(', ') || 'none'} | ${l.errors} | ${l.notAsExpected} |`);
  }
  lines.push('');
  lines.push('| Read back after the payments | Payments recorded | Σ paid CNY | Σ allocated CNY | Unallocated CNY | Allocations | Invoices paid in full / partly / untouched | Σ open items CNY (expected) | Check |');
  lines.push('|---|---:|---:|---:|---:|---:|---|---:|:---:|');
  lines.push(
    `| ${c.customers} customers | ${c.payments} | ${cny(c.paidMinor)} | ${cny(c.allocatedMinor)} | ${cny(c.unallocatedMinor)} | ${c.allocations} | ${c.invoicesPaidInFull} / ${c.invoicesPartlyPaid} / ${c.invoicesUntouched} | ${cny(c.openMinorFound)} (${cny(c.openMinorExpected)}) | ${c.consistent ? 'OK' : 'MISMATCH'} |`,
  );
  lines.push('');
  lines.push(
    'Check OK: every payment answered 201 with the oldest-first allocations the bench expected and nothing unallocated (Σ allocations = Σ payments); per customer the invoices\' outstanding = gross − settlements = what the bench expects (PAID when nothing is left), Σ settlements = Σ payments, the open items add up to the rest, the credit account\'s exposure and receivable equal them and available = limit − exposure, and the ledger\'s balance = Σ entries = Σ open items with −Σ PAYMENT entries = Σ payments. See the notes.',
  );
  for (const m of c.mismatches.slice(0, 20)) lines.push(`- ${m}`);
  lines.push('');
  return lines;
}
