/**
 * The receivables bench's process (R-AR-1, R-AR-2, R-BILL-3): one local stack of its own (as the
 * tests start it) with the clock set to 2026-11-25 10:00 in Shanghai.
 * 1. Aging: the open invoices and then paid ones up to the first size written straight into
 *    DynamoDB Local (receivables-seed.ts), the job and the aging measured; paid ones added up to
 *    the second size, measured again. The job runs in this process as the scheduler runs it
 *    (stack.runJob); the aging is requested over HTTP as finance.
 * 2. Payments: customers created by the rep and approved by finance through the API, their open
 *    invoices issued as production's invoicing writes them, then POST /payments over HTTP as
 *    finance, one at a time and then concurrently (one customer per worker), and everything read
 *    back and checked.
 * Sends the result to the parent over IPC and exits. Settings come from BENCH_RECEIVABLES (JSON).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { businessDate, setClock } from '../functions/shared/clock.js';
import { startLocalStack } from '../infra/local/stack.js';
import { request } from './api.js';
import type { AgingRun, AgingSizeResult, JobRun, PaymentCheck, PaymentPhase, PaymentRun, ReceivablesBenchResult, ReceivablesSettings } from './receivables.js';
import { round } from './stats.js';

const settings = JSON.parse(process.env.BENCH_RECEIVABLES ?? '{}') as ReceivablesSettings;
const FINANCE = 'wu.fang';
const REP = 'wang.qiang';
const NOW = new Date('2026-11-25T02:00:00Z');
/** Each payment customer's invoices: 8,849.56 net + 13 % VAT = 10,000.00 CNY gross; each payment 7,500.00 CNY, so it pays one invoice or two. */
const INVOICE_NET_MINOR = 884_956;
const PAYMENT_MINOR = 750_000;

const log = (line: string) => process.send!({ type: 'log', line });
const seconds = (since: number) => round((performance.now() - since) / 1000, 1);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-receivables-'));
const stack = await startLocalStack({ dataDir, inMemory: true, logLevel: 'ERROR', retryIntervalMs: 0, timeoutPollMs: 0 });
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(2, settings.concurrency) });
try {
  setClock(NOW);
  const today = businessDate();
  // After the stack has started: these import the handlers' DynamoDB client, which reads the endpoint when it is created.
  const seed = await import('./receivables-seed.js');
  const { allocate, alertsVpAbove, milestoneReached } = await import('../functions/billing/rules.js');
  const { settings: companySettings } = await import('../functions/shared/settings.js');
  const base = new URL(stack.url);
  const financeToken = await stack.tokenFor(FINANCE);

  // ---- 1. Aging: the same open invoices at both sizes ----
  const customers = seed.agingCustomers(settings.customers);
  let started = performance.now();
  const open = await seed.seedOpenInvoices(today, customers, settings.open);
  const milestones = companySettings().receivableAlertDays;
  const expectedAlerts = open.reduce((s, o) => {
    const m = milestoneReached(o.dueDate, today, milestones);
    return s + (m === undefined ? 0 : m > alertsVpAbove ? 3 : 2);
  }, 0);
  const expectedOpenMinor = open.reduce((s, o) => s + o.amountMinor, 0);

  async function job(): Promise<JobRun> {
    const t0 = performance.now();
    const out = (await stack.runJob('receivables-due', { asOf: today })) as { openInvoices: number; alertsSent: number };
    return { ms: round(performance.now() - t0), openInvoices: out.openInvoices, alertsSent: out.alertsSent };
  }
  async function aging(): Promise<AgingRun> {
    const answer = await request(agent, base, financeToken, { method: 'GET', path: '/receivables/aging' });
    const body = (answer.status === 200 ? JSON.parse(answer.body) : { totals: [], total: { amountMinor: -1 } }) as { totals: { invoices: number }[]; total: { amountMinor: number } };
    return { ms: round(answer.ms), status: answer.status, invoices: body.totals.reduce((s, b) => s + b.invoices, 0), totalMinor: body.total.amountMinor };
  }

  const sizes: AgingSizeResult[] = [];
  let seeded = open.length;
  for (const total of settings.sizes) {
    if (total <= seeded) throw new Error(`size ${total} is not above the ${seeded} invoices written already`);
    await seed.seedPaidInvoices(today, customers, seeded, total);
    seeded = total;
    const seedSeconds = seconds(started);
    log(`${total} invoices (${open.length} open) written in ${seedSeconds} s`);
    // Warm-up, not counted: module loading, the JIT of this process and of DynamoDB Local (the
    // job's time fell by half over its first three runs), and DynamoDB Local's first reads after the writes.
    for (let w = 0; w < settings.warmups; w++) {
      await seed.deleteNotifications('receivable-alert');
      await job();
      await job();
      await aging();
    }
    const jobSending: JobRun[] = [];
    const jobRepeat: JobRun[] = [];
    for (let r = 0; r < settings.jobRepeats; r++) {
      // No alert sent before: every open invoice's milestone alert is written again.
      await seed.deleteNotifications('receivable-alert');
      jobSending.push(await job());
      jobRepeat.push(await job());
    }
    const agingRuns: AgingRun[] = [];
    for (let r = 0; r < settings.agingRepeats; r++) agingRuns.push(await aging());
    sizes.push({ invoices: total, open: open.length, paid: total - open.length, seedSeconds, expectedAlerts, expectedOpenMinor, jobSending, jobRepeat, aging: agingRuns });
    log(`${total} invoices: job ${jobSending.map((r) => r.ms).join(', ')} ms (sending), ${jobRepeat.map((r) => r.ms).join(', ')} ms (again); aging ${agingRuns.map((r) => r.ms).join(', ')} ms`);
    started = performance.now();
  }

  // ---- 2. Payments: real customers with open invoices ----
  if (settings.paymentCustomers < settings.concurrency) throw new Error(`paymentCustomers (${settings.paymentCustomers}) must be at least concurrency (${settings.concurrency}): one customer per worker`);
  const { approvedCustomer } = await import('../tests/support/order-fixtures.js');
  const { getCustomer } = await import('../functions/customers/store.js');
  const { ensureAccount, readAccountWithItems } = await import('../functions/credit/account.js');
  const { getInvoice } = await import('../functions/billing/invoices.js');
  const { readEntries, readLedgerState } = await import('../functions/billing/ledger.js');

  // Payments per customer: the warm-up and sequential ones round-robin, then one worker per customer.
  const perCustomer = Array.from({ length: settings.paymentCustomers }, () => 0);
  for (let i = 0; i < settings.warmupPayments + settings.payments; i++) perCustomer[i % settings.paymentCustomers]! += 1;
  for (let i = 0; i < settings.concurrentPayments; i++) perCustomer[i % settings.concurrency]! += 1;
  const invoiceGrossMinor = seed.benchInvoice(customers[0]!, 0, today, INVOICE_NET_MINOR).gross.amountMinor;
  if (Math.max(...perCustomer) * PAYMENT_MINOR > settings.invoicesPerCustomer * invoiceGrossMinor) {
    throw new Error(`${Math.max(...perCustomer)} payments of ${PAYMENT_MINOR} exceed ${settings.invoicesPerCustomer} invoices of ${invoiceGrossMinor}: raise invoicesPerCustomer`);
  }

  interface Payer {
    customer: { customerId: string; customerName: string; ownerRepId: string; region: string };
    limitMinor: number;
    invoices: string[];
    /** What the bench expects open, by invoice, oldest due first. */
    open: { invoiceId: string; outstandingMinor: number; dueDate: string }[];
    payments: number;
  }
  started = performance.now();
  const payers: Payer[] = [];
  let seq = settings.sizes[1];
  for (let c = 0; c < settings.paymentCustomers; c++) {
    const limitMinor = 2 * settings.invoicesPerCustomer * invoiceGrossMinor;
    const customerId = await approvedCustomer(stack, REP, `回款测试 ${c + 1} Bench Payer ${c + 1}`, {}, { creditLimit: { amountMinor: limitMinor, currency: 'CNY' } });
    const record = await getCustomer(customerId, true);
    await ensureAccount(record);
    const customer = { customerId, customerName: record.name, ownerRepId: record.ownerRepId, region: record.region };
    // Due every 3 days up to 3 days ago: distinct due dates, so oldest-first has one answer.
    const invoices = Array.from({ length: settings.invoicesPerCustomer }, (_, k) => seed.benchInvoice(customer, ++seq, seed.issuedForDue(today, -3 * (settings.invoicesPerCustomer - k)), INVOICE_NET_MINOR));
    await seed.issueOpenInvoices(customer, invoices);
    payers.push({
      customer,
      limitMinor,
      invoices: invoices.map((i) => i.invoiceId),
      open: invoices.map((i) => ({ invoiceId: i.invoiceId, outstandingMinor: i.outstanding.amountMinor, dueDate: i.dueDate })),
      payments: 0,
    });
  }
  const paymentSeedSeconds = seconds(started);
  log(`${payers.length} paying customers with ${settings.invoicesPerCustomer} open invoices each in ${paymentSeedSeconds} s`);

  let n = 0;
  async function pay(payer: Payer): Promise<PaymentRun> {
    const i = ++n;
    const expected = allocate(PAYMENT_MINOR, payer.open.filter((o) => o.outstandingMinor > 0)).allocations;
    const body = { customerId: payer.customer.customerId, method: 'BANK_TRANSFER', amount: { amountMinor: PAYMENT_MINOR, currency: 'CNY' }, receivedOn: today, bankReference: `BOC-BENCH-${process.pid}-${i}` };
    const answer = await request(agent, base, financeToken, { method: 'POST', path: '/payments', body, headers: { 'idempotency-key': `bench-payment-${process.pid}-${i}` } });
    const run: PaymentRun = { customerId: payer.customer.customerId, ms: round(answer.ms), status: answer.status, amountMinor: PAYMENT_MINOR, allocations: 0, allocatedMinor: 0, unallocatedMinor: 0, asExpected: false };
    if (answer.status !== 201) return { ...run, error: answer.body.slice(0, 300) };
    const payment = JSON.parse(answer.body) as { receiptNumber: string; allocations: { invoiceId: string; amount: { amountMinor: number } }[]; unallocated: { amountMinor: number } };
    payer.payments += 1;
    for (const a of payment.allocations) {
      const o = payer.open.find((x) => x.invoiceId === a.invoiceId);
      if (o) o.outstandingMinor -= a.amount.amountMinor;
    }
    const got = payment.allocations.map((a) => `${a.invoiceId}:${a.amount.amountMinor}`).join(',');
    return {
      ...run,
      receiptNumber: payment.receiptNumber,
      allocations: payment.allocations.length,
      allocatedMinor: payment.allocations.reduce((s, a) => s + a.amount.amountMinor, 0),
      unallocatedMinor: payment.unallocated.amountMinor,
      asExpected: got === expected.map((a) => `${a.invoiceId}:${a.amountMinor}`).join(','),
    };
  }

  const warmup: PaymentRun[] = [];
  for (let i = 0; i < settings.warmupPayments; i++) warmup.push(await pay(payers[i % payers.length]!));
  let t0 = performance.now();
  const sequentialRuns: PaymentRun[] = [];
  for (let i = 0; i < settings.payments; i++) sequentialRuns.push(await pay(payers[(settings.warmupPayments + i) % payers.length]!));
  const sequential: PaymentPhase = { payments: settings.payments, concurrency: 1, customers: Math.min(settings.payments, payers.length), wallMs: round(performance.now() - t0), runs: sequentialRuns };
  log(`${settings.payments} payments one at a time in ${sequential.wallMs} ms`);

  t0 = performance.now();
  const concurrentRuns: PaymentRun[] = [];
  await Promise.all(
    Array.from({ length: settings.concurrency }, async (_, w) => {
      for (let i = w; i < settings.concurrentPayments; i += settings.concurrency) concurrentRuns.push(await pay(payers[w]!));
    }),
  );
  const concurrent: PaymentPhase = { payments: settings.concurrentPayments, concurrency: settings.concurrency, customers: Math.min(settings.concurrency, settings.concurrentPayments), wallMs: round(performance.now() - t0), runs: concurrentRuns };
  log(`${settings.concurrentPayments} payments at concurrency ${settings.concurrency} in ${concurrent.wallMs} ms`);

  // ---- Read everything back: the payments allocated what they were paid, and the invoices, open items, account and ledger agree ----
  const all = [...warmup, ...sequentialRuns, ...concurrentRuns];
  const recorded = all.filter((r) => r.status === 201);
  const mismatches: string[] = all.filter((r) => r.status !== 201).map((r) => `${r.customerId}: POST /payments answered ${r.status}: ${r.error}`);
  for (const r of recorded) {
    if (!r.asExpected) mismatches.push(`${r.receiptNumber}: allocations not the oldest-first ones expected`);
    if (r.allocatedMinor + r.unallocatedMinor !== r.amountMinor) mismatches.push(`${r.receiptNumber}: allocated ${r.allocatedMinor} + unallocated ${r.unallocatedMinor} ≠ ${r.amountMinor}`);
  }
  let paidInFull = 0;
  let partly = 0;
  let untouched = 0;
  let openMinorExpected = 0;
  let openMinorFound = 0;
  for (const p of payers) {
    const id = p.customer.customerId;
    const expectedOpen = p.open.reduce((s, o) => s + o.outstandingMinor, 0);
    openMinorExpected += expectedOpen;
    const { account, openItems } = await readAccountWithItems(id);
    const invoiceItems = openItems.filter((o) => o.kind === 'INVOICE');
    const found = invoiceItems.reduce((s, o) => s + o.amountMinor, 0);
    openMinorFound += found;
    if (found !== expectedOpen) mismatches.push(`${id}: Σ open items ${found} ≠ expected ${expectedOpen}`);
    if (invoiceItems.length !== p.open.filter((o) => o.outstandingMinor > 0).length) mismatches.push(`${id}: ${invoiceItems.length} open items, expected ${p.open.filter((o) => o.outstandingMinor > 0).length}`);
    if (!account) mismatches.push(`${id}: no credit account`);
    else {
      const exposure = openItems.reduce((s, o) => s + o.amountMinor, 0);
      if (account.exposureMinor !== exposure || account.receivableMinor !== found) mismatches.push(`${id}: account exposure ${account.exposureMinor}, receivable ${account.receivableMinor} ≠ Σ open items ${exposure}`);
      if (account.availableMinor !== account.limitMinor - account.exposureMinor) mismatches.push(`${id}: available ${account.availableMinor} ≠ limit ${account.limitMinor} − exposure ${account.exposureMinor}`);
    }
    const ledger = await readLedgerState(id);
    const entries = (await readEntries(id, { limit: 1000 })).entries;
    const entriesMinor = entries.reduce((s, e) => s + e.amount.amountMinor, 0);
    const paymentsMinor = -entries.filter((e) => e.kind === 'PAYMENT').reduce((s, e) => s + e.amount.amountMinor, 0);
    const paid = recorded.filter((r) => r.customerId === id).reduce((s, r) => s + r.amountMinor, 0);
    if (ledger.balanceMinor !== entriesMinor || ledger.balanceMinor !== expectedOpen || ledger.creditMinor !== 0) mismatches.push(`${id}: balance ${ledger.balanceMinor}, Σ entries ${entriesMinor}, Σ open ${expectedOpen}, customer credit ${ledger.creditMinor}`);
    if (ledger.seq !== p.invoices.length + p.payments || entries.length !== ledger.seq) mismatches.push(`${id}: ${entries.length} entries, last number ${ledger.seq}, expected ${p.invoices.length + p.payments}`);
    if (paymentsMinor !== paid) mismatches.push(`${id}: −Σ PAYMENT entries ${paymentsMinor} ≠ Σ payments ${paid}`);
    let settledByPayments = 0;
    for (const invoiceId of p.invoices) {
      const invoice = await getInvoice(invoiceId, true);
      const want = p.open.find((o) => o.invoiceId === invoiceId)!.outstandingMinor;
      if (!invoice) {
        mismatches.push(`${invoiceId}: not found`);
        continue;
      }
      const settled = invoice.settlements.reduce((s, x) => s + x.amount.amountMinor, 0);
      settledByPayments += settled;
      if (invoice.outstanding.amountMinor !== want || invoice.gross.amountMinor - settled !== want) mismatches.push(`${invoiceId}: outstanding ${invoice.outstanding.amountMinor}, gross − settlements ${invoice.gross.amountMinor - settled}, expected ${want}`);
      if (invoice.status !== (want === 0 ? 'PAID' : 'OPEN')) mismatches.push(`${invoiceId}: ${invoice.status} with ${want} outstanding`);
      if (want === 0) paidInFull++;
      else if (want < invoice.gross.amountMinor) partly++;
      else untouched++;
    }
    if (settledByPayments !== paid) mismatches.push(`${id}: Σ settlements on its invoices ${settledByPayments} ≠ Σ payments ${paid}`);
  }
  const check: PaymentCheck = {
    customers: payers.length,
    payments: recorded.length,
    paidMinor: recorded.reduce((s, r) => s + r.amountMinor, 0),
    allocatedMinor: recorded.reduce((s, r) => s + r.allocatedMinor, 0),
    unallocatedMinor: recorded.reduce((s, r) => s + r.unallocatedMinor, 0),
    allocations: recorded.reduce((s, r) => s + r.allocations, 0),
    invoicesPaidInFull: paidInFull,
    invoicesPartlyPaid: partly,
    invoicesUntouched: untouched,
    openMinorExpected,
    openMinorFound,
    consistent: mismatches.length === 0,
    mismatches,
  };

  const result: ReceivablesBenchResult = {
    settings,
    today,
    sizes,
    payments: { seedSeconds: paymentSeedSeconds, invoiceGrossMinor, paymentMinor: PAYMENT_MINOR, warmup: warmup.length, sequential, concurrent, check },
  };
  process.send!({ type: 'result', result });
} catch (err) {
  process.send!({ type: 'error', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
} finally {
  agent.destroy();
  setClock(undefined);
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.disconnect?.();
}
