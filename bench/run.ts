/**
 * npm run bench [-- --smoke] [-- --out DIR]
 *
 * 1. Bundles every function (FUNCTIONS) with the CDK construct's esbuild options into a temp
 *    folder, records the bundle size and times `await import(bundle)` in fresh Node processes.
 * 2. Starts a local stack and measures API latency over HTTP at two concurrencies.
 * 3. Starts another local stack for orders (orders.ts): what one order with no finding uses from
 *    submission to DELIVERED (review, credit, stock, delivery, the bench making the people's
 *    decisions: state transitions, Lambda invocations, DynamoDB request units) and its cost per
 *    1,000 orders at AWS list prices; the full lifecycle's throughput (orders driven concurrently
 *    from submission to DELIVERED over HTTP: orders per minute, p50/p99 per order); then
 *    POST /orders and submission under load.
 * 4. Starts a third local stack for the credit stage (credit.ts): CheckOrderCredit latency inside
 *    the workflow step, and concurrent credit reservations against one customer vs 50 customers
 *    (the orders then go on through the stock stage to GOODS_RESERVED and wait at WaitForDelivery,
 *    outside the measurement).
 * 5. Starts a fourth local stack for finance exports (exports.ts, R-AR-3): a month of ledger
 *    entries seeded straight into DynamoDB Local, exported through the API as CSV, JSON Lines and
 *    both: rows per second per format, and the memory the export took.
 * 6. Starts a fifth local stack for receivables (receivables.ts, R-AR-1, R-AR-2, R-BILL-3): the
 *    alerts job and the aging with 10,000 and with 100,000 invoices when the same 1,000 are open
 *    (the ratio against the aim), and POST /payments latency, one at a time and concurrently.
 * 7. Writes results.json and results.md (default: bench/) and prints the table.
 * Missed aims print OVER; they never fail the run. Real failures (a bundle that does not
 * build or load, a stack that does not start) do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FUNCTIONS } from '../infra/definitions/index.js';
import { benchApi } from './api.js';
import { benchBundles } from './bundles.js';
import { CDK_BUNDLING } from './cdk-bundling.js';
import { benchCredit, type CreditSettings } from './credit.js';
import { CREDIT_HOLDING } from './customers.js';
import { benchExports, type ExportBenchSettings } from './exports.js';
import { benchOrders } from './orders.js';
import { AWS_PRICES } from './pricing.js';
import { type AgingSizeResult, benchReceivables, type ReceivablesSettings } from './receivables.js';
import { AIMS, type BenchResults, toMarkdown, verdict } from './report.js';
import { perOrderText, receivedText } from './stock.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: { smoke: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const smoke = args.smoke === true;
const outDir = path.resolve(args.out ?? path.join(REPO_ROOT, 'bench'));

const settings = smoke
  ? { loadRuns: 2, loadWarmupRuns: 0, requestsPerRoute: 5, warmupRequestsPerRoute: 1, concurrencies: [1, 2] }
  : { loadRuns: 10, loadWarmupRuns: 1, requestsPerRoute: 200, warmupRequestsPerRoute: 10, concurrencies: [1, 10] };
const orderSettings = smoke
  ? { requests: 5, concurrency: 2, warmupRequests: 1, costOrders: 1, costWarmupOrders: 1, lifecycleOrders: 2, lifecycleConcurrency: 2 }
  : { requests: 500, concurrency: 10, warmupRequests: 10, costOrders: 5, costWarmupOrders: 2, lifecycleOrders: 60, lifecycleConcurrency: 6 };
const creditSettings: CreditSettings = smoke
  ? { latencyOrders: 3, latencyWarmupOrders: 1, orders: 10, concurrency: 5, rounds: 1, customers: 5, prepareConcurrency: 5 }
  : { latencyOrders: 200, latencyWarmupOrders: 5, orders: 400, concurrency: 20, rounds: 2, customers: 50, prepareConcurrency: 10 };

const exportSettings: ExportBenchSettings = smoke ? { entries: 2_000, customers: 20, repeats: 1 } : { entries: 20_000, customers: 100, repeats: 3 };
const receivablesSettings: ReceivablesSettings = smoke
  ? { open: 100, sizes: [1_000, 2_000], customers: 10, warmups: 1, jobRepeats: 1, agingRepeats: 2, paymentCustomers: 2, invoicesPerCustomer: 8, warmupPayments: 1, payments: 5, concurrentPayments: 4, concurrency: 2 }
  : { open: 1_000, sizes: [10_000, 100_000], customers: 50, warmups: 3, jobRepeats: 5, agingRepeats: 20, paymentCustomers: 10, invoicesPerCustomer: 20, warmupPayments: 5, payments: 100, concurrentPayments: 100, concurrency: 10 };

const log = (line: string) => console.error(`[bench] ${line}`);

async function main() {
  const started = performance.now();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-'));
  try {
    log(`${smoke ? 'smoke' : 'full'} run; bundles in ${workDir}`);
    const bundles = await benchBundles({
      functions: FUNCTIONS,
      projectRoot: REPO_ROOT,
      workDir,
      loadRuns: settings.loadRuns,
      warmupRuns: settings.loadWarmupRuns,
      log,
    });
    const api = await benchApi({
      requestsPerRoute: settings.requestsPerRoute,
      concurrencies: settings.concurrencies,
      warmupRequests: settings.warmupRequestsPerRoute,
      log,
    });
    const orders = await benchOrders({ ...orderSettings, log });
    const credit = await benchCredit({ ...creditSettings, log });
    const exports = await benchExports({ ...exportSettings, log });
    const receivables = await benchReceivables({ ...receivablesSettings, log });
    const { one, many } = credit.reservations;
    const rs = receivables.settings;
    const [rSmall, rLarge] = receivables.sizes as [AgingSizeResult, AgingSizeResult];
    const n = (v: number) => v.toLocaleString('en-US');

    const cpus = os.cpus();
    const results: BenchResults = {
      mode: smoke ? 'smoke' : 'full',
      machine: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? 'unknown',
        totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
        date: new Date().toISOString(),
      },
      settings,
      aims: AIMS,
      notes: [
        `Bundles are built with esbuild using the options CDK deploys with (infra/definitions/bundling.ts: format ${CDK_BUNDLING.format}, target ${CDK_BUNDLING.target}, minify, keepNames, external: ${CDK_BUNDLING.externalModules.join(', ') || 'none, the AWS SDK is bundled'}, require banner, mainFields ${CDK_BUNDLING.mainFields.join(',')}), written to a temp folder. Size is the .mjs file; the source map ships beside it.`,
        `Load time is \`await import(bundle)\` timed with performance.now() inside a fresh \`node --enable-source-maps\` process (CDK sets NODE_OPTIONS=--enable-source-maps), excluding process start-up; nearest-rank median and p90.`,
        CDK_BUNDLING.externalModules.length
          ? `${CDK_BUNDLING.externalModules.join(', ')} are external in the bundles; here they resolve from the repository's node_modules (through a node_modules link in the temp folder), so their load time is included, as Lambda also loads them on a cold start.`
          : 'The AWS SDK is inside each bundle, so the load time includes it, as a Lambda cold start does.',
        `Measured on Node ${process.version} ${process.arch}; Lambda runs nodejs22.x on ARM64 (Graviton) with the memory-proportional CPU of the function, so absolute times differ.`,
        `API latency: startLocalStack (DynamoDB Local in memory, temp data dir, logLevel ERROR, retryIntervalMs 0, timeoutPollMs 0) in a child process; the load generator sends keep-alive HTTP requests to 127.0.0.1 with demo users' tokens (GET /health anonymous; customers, credit, products, orders, notifications and order drafts as wang.qiang, the sales rep; tasks as liu.yang, the sales manager); time is from sending to the end of the response body. Handlers run in-process in the local stack (TypeScript via tsx, warm after the warm-up requests), so these are warm, local figures, not Lambda cold starts; DynamoDB Local (Java) runs on the same machine.`,
        `POST /customers sends a unique Idempotency-Key each time and starts a credit review workflow per customer (local Step Functions, same process as the gateway). GET /customers/{id} cycles through 5 customers owned by the caller (owner reads are not access-logged).`,
        `Orders run on a second local stack process of their own (same options), seeded through the API as tests/support/order-fixtures.ts does (imported from there): the catalogue, a general price list approved through its chain, a customer whose credit finance approved with a limit that fits every order placed here (bench/customers.ts: ${(orders.customer.limitMinor / 100).toLocaleString('en-US')} CNY for ${orders.customer.plannedOrders} orders, 100,000 each; the fixtures' order is 12,430.00 CNY gross, checked on every order), so its credit check reserves without a person, and stock received by the warehouse (feng.lei, POST /stock/receipts, source PURCHASE; the fixtures' opening stock is left out) for every order placed, in every specification the order uses (bench/stock.ts: ${receivedText(orders.stock)}, i.e. ${perOrderText(orders.stock)} per order × ${orders.stock.plannedOrders}; each usage order's lines are checked against it), so its stock reservation finds every line in stock and it reaches GOODS_RESERVED without a production or purchase request, and a carrier logistics registered as qualified (he.jun, POST /carriers, qualified until 2099-12-31: bench/delivery.ts). ${orders.settings.requests} POST /orders (the fixtures' complete order: two lines at list prices, delivery, credit; a unique Idempotency-Key each), then POST /orders/{id}/submission of those orders, at concurrency ${orders.settings.concurrency} after ${orders.settings.warmupRequests} warm-up requests each; expected 201 and 202, anything else is an error. Each submission starts an order review workflow in the stack process, whose first steps (pre-check, opening the order desk task) run while later submissions arrive.`,
        `Per-order usage: before the load, ${orders.settings.costWarmupOrders} warm-up, ${orders.settings.costOrders} metered and ${orders.settings.costOrders} timed orders with no finding go one at a time from submission to DELIVERED (review, credit, stock, delivery), the bench making every person's decision through the API: submission (wang.qiang), the workflow until it waits, the order desk's decision (chen.jie), the workflow through FinishApproved, the credit stage, whose check reserves the order's exposure within the limit, and the stock stage, whose ReserveOrderStock reserves each line in its own conditional transaction, to WaitForDelivery, whose OpenDeliveryWait records the wait on the order; then the delivery (bench/delivery.ts): the sales clerk issues a note for all reserved goods (zhao.min, with an Idempotency-Key), finance signs it off within credit (wu.fang), the warehouse issues the goods with batch and weight per line (feng.lei), logistics dispatches it with the qualified carrier and records the proof of delivery of every line in full (he.jun), which makes the order DELIVERED and ends the wait, and the workflow ends at Delivered. Checked between the stages: the order GOODS_RESERVED with credit and goods reserved and its execution RUNNING at WaitForDelivery; at the end the order DELIVERED and its execution SUCCEEDED. Not counted: the desk's GET /tasks to find the task and the bench's reads of the order. State transitions are the states its execution entered (LocalStepFunctions visitedStates), Choice states included as Step Functions bills them; retries would count again. Lambda invocations are the ${orders.cost.perOrder.apiCalls} API calls (${orders.cost.apiRoutes.join(', ')}) plus every function a Task state invoked, counted by wrapping the local workflow service's invoke in the stack process; the Task functions' durations are timed there (handler run in process, warm) on the timed orders, whose DynamoDB requests are not metered (the meter's reads would slow them), the API functions' as the HTTP round trip (an upper bound: it includes the local gateway and token check). Lambda bills each invocation rounded up to 1 ms; memory is the function's memoryMb or CDK's 512 MB; durations are local x64 figures, not Graviton ones, and exclude cold starts.`,
        `DynamoDB request units: two middlewares on the handlers' shared document client (functions/shared/dynamo.ts \`ddb\`) in the stack process, on only while an order is measured: one sets ReturnConsumedCapacity=TOTAL, one reads the marshalled request and the response. Reads are what DynamoDB Local reports (it applies the AWS rules: 0.5 per 4 KB eventually consistent, 1 strongly consistent). Writes are computed from item sizes by the AWS rules, because DynamoDB Local does not report TransactWriteItems by them (it reported ${orders.cost.transactionalWriteUnitsReportedByDynamoDbLocal} per order for the transactions, per table rather than 2 per KB per item): each item write is ceil(size / 1 KB) of the larger of the item before and after (read by a separate, unmetered client), twice that for every action of a TransactWriteItems (ConditionCheck included), plus each global secondary index (projection ALL) the item is in: 1 write of the entry, 2 if its index key changed; index writes are assumed not doubled in transactions. Check of the size rules on single-item writes: computed ${orders.cost.singleItemWriteUnits.computed}, DynamoDB Local reported ${orders.cost.singleItemWriteUnits.reportedByDynamoDbLocal} (all measured orders). Failed conditional writes: ${orders.cost.failedWrites}.`,
        `Cost per 1,000 orders: ${AWS_PRICES.asOf}: Step Functions Standard $${AWS_PRICES.stepFunctionsStandard.usd} per 1,000 state transitions, DynamoDB on-demand $${AWS_PRICES.dynamoDbWrite.usd} per million write and $${AWS_PRICES.dynamoDbRead.usd} per million read request units, Lambda $${AWS_PRICES.lambdaRequests.usd} per million requests plus $${AWS_PRICES.lambdaDurationArm.usd} per GB-second on ARM with the measured durations. Not priced: API Gateway HTTP API requests (${orders.cost.perOrder.apiCalls} per order on this path), CloudWatch logs and X-Ray, and the notifications' fan-out (DynamoDB stream → PublishNotifications → SNS), which the local stack does not run.`,
        `Full lifecycle throughput: after the usage orders and before the load, on the same stack, ${orders.throughput.orders} drafts are created (not measured), then ${orders.throughput.concurrency} workers in the bench process each take the next order from submission to DELIVERED over keep-alive HTTP, the bench acting as every person as soon as the work is there: the rep submits; when OpenOrderTask has answered (the stack process tells over IPC, no polling of the API) the order desk reads its task list (GET /tasks, ${orders.throughput.taskLookupsPerOrder} per order) and approves; when OpenDeliveryWait has answered (credit and goods reserved, the order waits for its delivery) the clerk, finance, the warehouse and logistics make the five delivery calls one after the other (as in the usage); the order's time ends when its execution has SUCCEEDED at Delivered (checked every 2 ms in the stack process). So what is measured is the system's own time for ${orders.throughput.apiCallsPerOrder} people's calls per order and the workflow's steps in between (PreCheck, OpenOrderTask, FinishApproved, CheckOrderCredit, ReserveOrderStock, OpenDeliveryWait and the Choice/Pass states) with ${orders.throughput.concurrency} orders in flight, no human think time: lifecycle per order is from sending its submission to its execution's end (nearest-rank p50/p99 over the delivered orders, phases in the table); orders per minute is the orders delivered over the wall time from the first submission to the last execution's end. Everything (gateway, handlers, workflow service, DynamoDB Local) shares the stack process and 2 cores with the bench; a real deployment runs the Lambdas in parallel. Expected: every order DELIVERED, every execution SUCCEEDED on the usage path; errors are counted, not retried.`,
        `Credit runs on a third local stack process of its own (same options) with SETTINGS_JSON autoApprovalThresholdMinor ${credit.settings.autoApprovalThresholdMinor} (above every order), so review approves an order with no finding without a person and its workflow goes on to the credit check (Start → PreCheck → RouteSpecialApprovals → FinishAutoApproved → AfterReview → CreditStart → CreditCheck) and after it to the stock stage (RouteCredit → StockStart → ReserveStock → RouteStock → WaitForDelivery, where the order, GOODS_RESERVED, waits for a delivery the credit bench never makes), which is not timed. Seeded as for orders (stock included: ${receivedText(credit.stock)} for all ${credit.stock.plannedOrders} of its orders, checked on every order): one customer with a limit of ${(credit.customers.one.limitMinor / 100).toLocaleString('en-US')} CNY for its ${credit.settings.orders * credit.settings.rounds} orders and ${credit.settings.customers} customers with ${(credit.customers.many.limitMinorEach / 100).toLocaleString('en-US')} CNY each for their share (bench/customers.ts), so every check reserves: contention on the account item is measured, not the over-limit path. Orders are the fixtures' complete order (12,430.00 CNY gross), created and submitted through the API as the rep.`,
        `Credit check latency: ${credit.latency.warmupOrders} warm-up then ${credit.latency.orders} orders one at a time over the ${credit.settings.customers} customers; each runs through credit and stock until its workflow waits at WaitForDelivery (GOODS_RESERVED) before the next is created. The time is the CheckOrderCredit handler call the CreditCheck Task state makes (the local workflow service's invoke wrapped in the stack process, as for the Task functions' durations above: handler run in process, warm, one call in flight): reading the order, the customer and the account, and the one TransactWriteItems (order, history entry, account update conditioned on availableMinor >= amount, open item, notification). Nearest-rank p50 and p99.`,
        `Concurrent credit reservations: ${credit.settings.rounds} round${credit.settings.rounds === 1 ? '' : 's'} per scenario, alternating (one customer, ${credit.settings.customers} customers${credit.settings.rounds > 1 ? ', one customer, …' : ''}). In each round ${credit.settings.orders} orders are created and submitted (${credit.settings.prepareConcurrency} at a time, not measured); their workflows review them (status APPROVED, credit attempt 0) and reach CreditCheck, where the stack process holds the CheckOrderCredit invocation before the handler runs. When all ${credit.settings.orders} are held, the held invocations run the handler with the workflow's own payload {orderId, attempt}, ${credit.settings.concurrency} at a time; a round's orders/s is ${credit.settings.orders} over the wall time from the first call to the last answer, a scenario's is its orders over the sum of its rounds' wall times; p50/p99 are those calls over the scenario's rounds (including waits for the event loop, DynamoDB Local and the handler's TransactionConflict back-off). Only then do the answers go back to the workflows, which go on through the stock stage and wait for their delivery (RouteCredit → StockStart → ReserveStock → RouteStock → WaitForDelivery, status GOODS_RESERVED, execution RUNNING; not measured; a failed call would be retried by the step's Retry, unheld, and counted as an error). "One customer": every order is the same customer's, so every transaction updates the same account item; "${credit.settings.customers} customers": the orders go round-robin over ${credit.settings.customers} customers. Same orders, same concurrency, same stack. TransactWriteItems counts the handlers' sends (a middleware on their shared client; the SDK's own retries inside a send are not counted), and failed sends by error and cancellation reasons. Caveat for the ratio: DynamoDB Local never cancels a transaction for TransactionConflict (tests/functions/credit-reservation.test.ts injects that fault for this reason), so here the one hot account item costs only queueing in DynamoDB Local and in the stack's event loop; on DynamoDB, concurrent transactions on the same item are cancelled with TransactionConflict and the handler sends again after a back-off (withTransactionRetry: 25 ms doubling to 1 s, up to 8 sends), so expect the one-customer figure to be lower there. The ratio is the local stack's, not a prediction for AWS. Afterwards, per customer, the credit table is read (Query, consistent): the ACCOUNT item's exposureMinor against the Σ amountMinor of the items whose itemKey begins OPEN#, against the Σ credit.reserved of the customer's orders that hold their credit (status ${CREDIT_HOLDING.join(', ')}; GET /orders/{id}), and tests/support/credit-invariants.ts is run over the credit and orders tables.`,
        `Finance exports (R-AR-3) run on a fourth local stack process of their own (bench/exports-child.ts, same options as the tests): ${exports.settings.entries.toLocaleString('en-US')} ledger entries of one month over ${exports.settings.customers} customers written straight into DynamoDB Local with BatchWriteItem (tests/support/ledger-seed.ts, ${exports.seedSeconds} s, not measured), then the month's ledger exported as finance would, through POST /exports (finance manager), the FinanceExport workflow and its worker (one Query per business day on the entriesByMonth index, pages streamed to CSV and JSON Lines files in the local data folder, SHA-256 and counts computed on the way, then the manifest and the record), read back with GET /exports/{id}. Each format (CSV alone, JSON Lines alone, both from one pass) ${exports.settings.repeats} time(s) after one warm-up export of the month (not counted); rows per second = the month's entries over the wall time from sending POST /exports to the workflow's end, median of the runs; the worker's own time (startedAt → finishedAt of the record) is beside it. Memory: peak growth of the process's heapUsed and rss (sampled every 10 ms) during each export over what it was before, the largest of the runs. DynamoDB Local (Java, same machine) does most of the work here: on DynamoDB a page is a network round trip, in Lambda the worker has the CPU of 1,024 MB.`,
        `Receivables (R-AR-1, R-AR-2) run on a fifth local stack process of their own (bench/receivables-child.ts, same options as the tests), the clock at ${receivables.today} 10:00 Asia/Shanghai. Seeded straight into DynamoDB Local with BatchWriteItem, 25 items a request and 8 in flight (bench/receivables-seed.ts; not measured: ${rSmall.seedSeconds} s to ${n(rs.sizes[0])} invoices, ${rLarge.seedSeconds} s more to ${n(rs.sizes[1])}), shaped by production's own builders: ${n(rs.open)} open invoices over ${rs.customers} customers (names on the invoices only; reps wang.qiang and li.na, five regions), due on each of the last 120 days in turn (0 to 119 days past due), 1,000 to 50,000 CNY net + 13 % VAT, each an invoice record (the Invoice with the index attributes invoiceItem adds) and its open item in the credit table (the Put of invoiceExposureItems: itemKey OPEN#INVOICE#<id>, dueKey INVOICE for the sparse index openInvoicesByDue, due date, who and where); then paid invoices (record only: status PAID, outstanding 0, one PAYMENT settlement, paidOn and paidKey PAID; issued 35 to 734 days before) up to ${n(rs.sizes[0])} in all; measured; then paid invoices added up to ${n(rs.sizes[1])}; measured again. The same ${n(rs.open)} are open at both sizes; the paid ones are in the invoices table only (and its 4 indexes), which neither measurement reads. At each size, first ${rs.warmups} warm-up round${rs.warmups === 1 ? '' : 's'} of everything below (not counted: the job's time fell by half over its first three runs while this process and DynamoDB Local warmed up), then ${rs.jobRepeats} round${rs.jobRepeats === 1 ? '' : 's'} of: the receivable-alert notifications deleted (bench housekeeping, a Scan and BatchWriteItem, not timed), the job ("every alert sent"), the job again at once ("same day again"); then ${rs.agingRepeats} aging requests. The job is receivables-due (functions/billing/receivables.ts sendReceivableAlerts) run as the scheduler runs it, through stack.runJob with asOf ${receivables.today}, the handler in the stack process, timed from the call to its answer: one Query of openInvoicesByDue (open invoices due by the first milestone, asOf + 3 days: all ${n(rs.open)}) and for each invoice at its latest milestone (all of them: due 0 to 119 days ago reaches due today, 7, 30, 60 or 90 days overdue) one conditional PutItem per recipient (its rep, finance, above 30 days also the VP sales), one after the other: ${rSmall.expectedAlerts} notifications written per "every alert sent" run, the same ${rSmall.expectedAlerts} puts refused (ConditionalCheckFailed) in "same day again". Each run's answer is checked (${n(rs.open)} open invoices read; ${rSmall.expectedAlerts}, resp. 0, alerts sent). The aging is GET /receivables/aging over keep-alive HTTP as finance (wu.fang) with no asOf (today), by customer: the open items through the same index, bucketed and grouped; client-side time from sending to the last byte, in the stack's process; each answer is checked to hold the ${n(rs.open)} open invoices and their total. Median of the runs per size; the ratio is the ${n(rs.sizes[1])}-invoice median over the ${n(rs.sizes[0])}-invoice one, against the aim < ${AIMS.agingScalingRatio} (PASS/OVER). Both run on the same 2 cores as DynamoDB Local. Not measured: the aging as of a past day, which also reads the invoices paid since that day (paidByDate), so it grows with the period's payments, not with all invoices; credit-holds-due, the other daily job on that index.`,
        `Payment allocation latency (R-BILL-2, R-BILL-3) on the same stack after the aging (its ${n(rs.sizes[1])} invoices still there): ${rs.paymentCustomers} customers created by the rep (wang.qiang) and approved by finance through the credit review task (tests/support/order-fixtures.ts approvedCustomer; limit ${(2 * rs.invoicesPerCustomer * receivables.payments.invoiceGrossMinor / 100).toLocaleString('en-US')} CNY), each with ${rs.invoicesPerCustomer} open invoices of ${(receivables.payments.invoiceGrossMinor / 100).toLocaleString('en-US')} CNY gross due every 3 days up to 3 days ago, issued one transaction each with production's own builders (writeWithLedger with ledgerItems, invoiceItem, invoiceExposureItems: the INVOICE ledger entry and the balance, the invoice record, the open item, the credit account's receivable and exposure; a real invoicing's delivery note, order, history and notification items are left out, the payment reads none of them; ${receivables.payments.seedSeconds} s, not measured). Each payment is POST /payments as finance (wu.fang) over keep-alive HTTP: BANK_TRANSFER with a bank reference, received today, ${(receivables.payments.paymentMinor / 100).toLocaleString('en-US')} CNY, no invoices named (oldest due first), a unique Idempotency-Key; so a customer's payments pay ¾ of an invoice, then its last ¼ and half the next, … — one invoice or two each. The handler reads the customer, the open items and the ledger's balance and writes one TransactWriteItems (the payment, its ledger entry and the balance, per invoice paid its open item, record and history entry, the credit account, a notification), then looks for a credit hold to lift. ${rs.warmupPayments} warm-up payment${rs.warmupPayments === 1 ? '' : 's'} (not counted), ${rs.payments} one at a time round-robin over the customers, then ${rs.concurrentPayments} with ${rs.concurrency} in flight, one worker per customer (two payments of a customer never race). Client-side time from sending to the last byte, in the stack's process (as for the exports); nearest-rank p50/p99; payments/s = the phase's payments over its wall time. Expected: 201 with exactly the oldest-first allocations the bench works out (functions/billing/rules.ts allocate over what it knows to be open) and nothing unallocated, so Σ allocations = Σ payments; afterwards, per customer, read consistently: each invoice's outstanding = gross − settlements = what the bench expects (PAID when nothing is left) and Σ settlements = Σ its payments; Σ open items as expected; the credit account's exposure = receivable = Σ open items and available = limit − exposure; the ledger's balance = Σ entries = Σ open items with no customer credit, the entries numbered up to invoices + payments, −Σ PAYMENT entries = Σ payments.`,
      ],
      bundles: bundles.map((b) => ({ ...b, sizeAim: verdict(b.bytes, AIMS.bundleBytes), loadAim: verdict(b.loadMedianMs, AIMS.loadMedianMs) })),
      api,
      orders,
      credit,
      exports,
      receivables,
    };

    mkdirSync(outDir, { recursive: true });
    const markdown = toMarkdown(results);
    writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(outDir, 'results.md'), markdown);
    console.log(markdown);
    const over = results.bundles.filter((b) => b.sizeAim === 'OVER' || b.loadAim === 'OVER').map((b) => b.id);
    log(over.length ? `aims missed by: ${over.join(', ')} (reported, not a failure)` : 'every function within the aims');
    const { createP50, stateTransitions } = orders.aims;
    log(`orders: ${createP50.verdict} POST /orders p50 ${createP50.valueMs} ms (aim < ${createP50.aimMs} ms)`);
    log(`orders: ${stateTransitions.verdict} ${stateTransitions.value} state transitions submission → DELIVERED (review, credit, stock, delivery) (aim ≤ ${stateTransitions.aim})`);
    const t = orders.throughput;
    log(
      `orders: lifecycle submission → DELIVERED (review, credit, stock, delivery): ${t.ordersPerMinute} orders/min, per order p50 ${t.lifecycle.p50Ms} ms p99 ${t.lifecycle.p99Ms} ms (${t.delivered} of ${t.orders} orders at concurrency ${t.concurrency}, ${t.errors} errors)`,
    );
    log(`orders: $${orders.per1000Orders.totalUsd} per 1,000 orders (${AWS_PRICES.asOf})`);
    log(`credit: CheckOrderCredit p50 ${credit.latency.p50Ms} ms p99 ${credit.latency.p99Ms} ms (one at a time)`);
    log(
      `credit: reservations ${one.ordersPerSecond} orders/s against one customer vs ${many.ordersPerSecond} orders/s against ${many.customers} customers (one / ${many.customers}: ${credit.reservations.ratioOneToMany}); ` +
        `exposure = Σ open items = Σ reserved orders after every round: ${one.exposureConsistentEveryRound && many.exposureConsistentEveryRound ? 'OK' : 'MISMATCH'}`,
    );
    log(`exports: ${exports.formats.map((f) => `${f.format} ${f.medianRowsPerSecond} rows/s`).join(', ')} (${exports.settings.entries} ledger entries; peak heap growth ≤ ${Math.max(...exports.formats.map((f) => f.maxHeapGrowthMb))} MB)`);
    for (const row of receivables.scaling) {
      log(`receivables: ${row.verdict} ${row.measurement} with ${n(rs.sizes[1])} / ${n(rs.sizes[0])} invoices (${n(rs.open)} open): ${row.largeMs} ms / ${row.smallMs} ms = ${row.ratio} (aim < ${row.aim})`);
    }
    const pay = receivables.latency;
    log(
      `receivables: POST /payments p50 ${pay.sequential.p50Ms} ms p99 ${pay.sequential.p99Ms} ms one at a time, p50 ${pay.concurrent.p50Ms} ms p99 ${pay.concurrent.p99Ms} ms at concurrency ${pay.concurrent.concurrency} against ${pay.concurrent.customers} customers; ` +
        `${receivables.payments.check.payments} payments, ${receivables.payments.check.allocations} allocations, Σ allocations = Σ payments and read back: ${receivables.payments.check.consistent ? 'OK' : 'MISMATCH'}; job and aging counts: ${receivables.countsOk ? 'OK' : 'MISMATCH'}`,
    );
    log(`wrote ${path.join(outDir, 'results.json')} and results.md in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
