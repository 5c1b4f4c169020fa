/**
 * Receivables (R-AR-1, R-AR-2, R-BILL-3) on a local stack of its own (receivables-child.ts in a
 * child process):
 * 1. Aging scaling: the same open invoices (1,000) with 10,000 and then 100,000 invoices in all
 *    (the rest paid), seeded straight into DynamoDB Local (receivables-seed.ts); at each size the
 *    daily alerts job `receivables-due` (every alert sent, and the same day again, nothing sent)
 *    and GET /receivables/aging (today, as finance), median of repeats after a warm-up; the ratio
 *    of the two sizes' medians against the aim (< 1.5: only open items are read).
 * 2. Payment allocation latency: POST /payments as finance for customers with real open invoices
 *    (issued as production's invoicing writes them), each payment paying the oldest due first
 *    over one or two invoices: one at a time, then `concurrency` at a time against as many
 *    customers; p50/p99 of the HTTP call; afterwards every payment's allocations, the invoices,
 *    the open items, the credit account and the ledger are checked against what was paid.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AIMS, type Verdict, verdict } from './report.js';
import { type Durations, durations, percentile, round } from './stats.js';

export interface ReceivablesSettings {
  /** Open invoices: the same at both sizes. */
  open: number;
  /** Invoices in all (open + paid) at the two sizes measured, the smaller first. */
  sizes: [number, number];
  /** Customers the aging's invoices are spread over. */
  customers: number;
  /** Per size, before the timed runs: this many job runs of each kind and aging requests, not counted. */
  warmups: number;
  /** Timed runs of the job per size and kind (every alert sent; the same day again). */
  jobRepeats: number;
  /** Timed GET /receivables/aging per size. */
  agingRepeats: number;
  /** Customers paying (each has its own open invoices); at least `concurrency`. */
  paymentCustomers: number;
  invoicesPerCustomer: number;
  warmupPayments: number;
  /** Payments one at a time (round-robin over the customers). */
  payments: number;
  /** Payments at `concurrency`, one worker per customer. */
  concurrentPayments: number;
  concurrency: number;
}

export interface JobRun {
  ms: number;
  /** What the job answered: open invoices read (due by the first milestone) and notifications written. */
  openInvoices: number;
  alertsSent: number;
}

export interface AgingRun {
  ms: number;
  status: number;
  /** Σ invoices over the report's buckets, and its total. */
  invoices: number;
  totalMinor: number;
}

export interface AgingSizeResult {
  invoices: number;
  open: number;
  paid: number;
  /** Seconds to write this size's invoices (the open ones with the first size). */
  seedSeconds: number;
  /** One alert per open invoice at its latest milestone and recipient (rep, finance, and the VP above 30 days). */
  expectedAlerts: number;
  expectedOpenMinor: number;
  /** The job when no alert had been sent (the bench deleted the receivable-alert notifications before each). */
  jobSending: JobRun[];
  /** The job again on the same day right after: every alert there already. */
  jobRepeat: JobRun[];
  aging: AgingRun[];
}

export interface PaymentRun {
  customerId: string;
  ms: number;
  status: number;
  receiptNumber?: string;
  amountMinor: number;
  /** Invoices it paid (as answered), and how much of it. */
  allocations: number;
  allocatedMinor: number;
  unallocatedMinor: number;
  /** Its allocations are the oldest-first ones the bench worked out from the open invoices (functions/billing/rules.ts allocate). */
  asExpected: boolean;
  error?: string;
}

export interface PaymentPhase {
  payments: number;
  concurrency: number;
  customers: number;
  wallMs: number;
  runs: PaymentRun[];
}

export interface PaymentCheck {
  customers: number;
  /** Payments recorded (201), their amounts, and what their answers allocated. */
  payments: number;
  paidMinor: number;
  allocatedMinor: number;
  unallocatedMinor: number;
  allocations: number;
  invoicesPaidInFull: number;
  invoicesPartlyPaid: number;
  invoicesUntouched: number;
  /** Σ open items left, as the bench expects and as the credit table holds. */
  openMinorExpected: number;
  openMinorFound: number;
  /** Everything read back agrees (see mismatches otherwise). */
  consistent: boolean;
  mismatches: string[];
}

export interface ReceivablesBenchResult {
  settings: ReceivablesSettings;
  today: string;
  sizes: AgingSizeResult[];
  payments: {
    seedSeconds: number;
    invoiceGrossMinor: number;
    paymentMinor: number;
    warmup: number;
    sequential: PaymentPhase;
    concurrent: PaymentPhase;
    check: PaymentCheck;
  };
}

export type ScalingKey = 'jobSending' | 'jobRepeat' | 'aging';

export interface ScalingRow {
  key: ScalingKey;
  measurement: string;
  runs: number;
  smallMs: number;
  largeMs: number;
  /** largeMs / smallMs. */
  ratio: number;
  aim: number;
  verdict: Verdict;
}

export interface PaymentLatency extends Durations {
  payments: number;
  concurrency: number;
  customers: number;
  wallMs: number;
  paymentsPerSecond: number;
  errors: number;
  notAsExpected: number;
  /** Payments by the number of invoices each paid. */
  byInvoicesPaid: Record<string, number>;
}

export interface ReceivablesResult extends ReceivablesBenchResult {
  scaling: ScalingRow[];
  /** Every run read the open invoices and sent (or did not send) what it should; the reports held every open invoice. */
  countsOk: boolean;
  countProblems: string[];
  latency: { sequential: PaymentLatency; concurrent: PaymentLatency };
}

/** The scaling table's rows, as the smoke test finds them. */
export const SCALING_LABELS: Record<ScalingKey, string> = {
  jobSending: 'receivables-due job, every alert sent',
  jobRepeat: 'receivables-due job, same day again (nothing sent)',
  aging: 'GET /receivables/aging (today, by customer)',
};

function latency(phase: PaymentPhase): PaymentLatency {
  const ok = phase.runs.filter((r) => r.status === 201);
  const byInvoicesPaid: Record<string, number> = {};
  for (const r of ok) byInvoicesPaid[String(r.allocations)] = (byInvoicesPaid[String(r.allocations)] ?? 0) + 1;
  return {
    ...durations(phase.runs.map((r) => r.ms)),
    payments: phase.payments,
    concurrency: phase.concurrency,
    customers: phase.customers,
    wallMs: phase.wallMs,
    paymentsPerSecond: round((phase.runs.length / phase.wallMs) * 1000, 1),
    errors: phase.runs.length - ok.length,
    notAsExpected: ok.filter((r) => !r.asExpected).length,
    byInvoicesPaid,
  };
}

export function summarize(result: ReceivablesBenchResult): ReceivablesResult {
  const [small, large] = result.sizes as [AgingSizeResult, AgingSizeResult];
  const median = (runs: { ms: number }[]) => round(percentile(runs.map((r) => r.ms), 0.5));
  const scaling = (['jobSending', 'jobRepeat', 'aging'] as const).map((key): ScalingRow => {
    const smallMs = median(small[key]);
    const largeMs = median(large[key]);
    const ratio = round(largeMs / smallMs);
    return { key, measurement: SCALING_LABELS[key], runs: large[key].length, smallMs, largeMs, ratio, aim: AIMS.agingScalingRatio, verdict: verdict(ratio, AIMS.agingScalingRatio) };
  });
  const countProblems: string[] = [];
  for (const s of result.sizes) {
    const at = `${s.invoices} invoices`;
    for (const r of s.jobSending) if (r.openInvoices !== s.open || r.alertsSent !== s.expectedAlerts) countProblems.push(`${at}: the job read ${r.openInvoices} open invoices and sent ${r.alertsSent} alerts (expected ${s.open} and ${s.expectedAlerts})`);
    for (const r of s.jobRepeat) if (r.openInvoices !== s.open || r.alertsSent !== 0) countProblems.push(`${at}: the job again read ${r.openInvoices} open invoices and sent ${r.alertsSent} alerts (expected ${s.open} and 0)`);
    for (const r of s.aging) {
      if (r.status !== 200 || r.invoices !== s.open || r.totalMinor !== s.expectedOpenMinor) countProblems.push(`${at}: the aging answered ${r.status} with ${r.invoices} invoices, ${r.totalMinor} in all (expected 200, ${s.open}, ${s.expectedOpenMinor})`);
    }
  }
  return {
    ...result,
    scaling,
    countsOk: countProblems.length === 0,
    countProblems,
    latency: { sequential: latency(result.payments.sequential), concurrent: latency(result.payments.concurrent) },
  };
}

export async function benchReceivables(settings: ReceivablesSettings & { log: (line: string) => void }): Promise<ReceivablesResult> {
  const { log, ...own } = settings;
  log(
    `receivables: aging with ${own.open} open of ${own.sizes.join(' and then ')} invoices (${own.customers} customers); ` +
      `${own.payments} payments one at a time and ${own.concurrentPayments} at concurrency ${own.concurrency} over ${own.paymentCustomers} customers with ${own.invoicesPerCustomer} open invoices each`,
  );
  const child = fork(fileURLToPath(new URL('./receivables-child.ts', import.meta.url)), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, BENCH_RECEIVABLES: JSON.stringify(own) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m: { type: string; line?: string }) => {
    if (m.type === 'log' && m.line) log(`receivables: ${m.line}`);
  });
  const result = await new Promise<ReceivablesBenchResult>((resolve, reject) => {
    child.on('message', (m: { type: 'result'; result: ReceivablesBenchResult } | { type: 'error'; error: string } | { type: 'log' }) => {
      if (m.type === 'result') resolve(m.result);
      else if (m.type === 'error') reject(new Error(`in the receivables bench process: ${m.error}`));
    });
    child.once('exit', (code) => reject(new Error(`the receivables bench process exited (${code}) without a result`)));
  });
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  const summary = summarize(result);
  for (const row of summary.scaling) log(`receivables: ${row.verdict} ${row.measurement}: ${row.largeMs} ms at ${own.sizes[1]} / ${row.smallMs} ms at ${own.sizes[0]} invoices = ${row.ratio} (aim < ${row.aim})`);
  const { sequential: s, concurrent: c } = summary.latency;
  log(`receivables: POST /payments p50 ${s.p50Ms} ms p99 ${s.p99Ms} ms one at a time; p50 ${c.p50Ms} ms p99 ${c.p99Ms} ms at concurrency ${c.concurrency} (${c.paymentsPerSecond} payments/s)`);
  return summary;
}
