/**
 * Credit stage against a local stack of its own (a stack-process.ts child serving credit-child.ts,
 * with the auto-approval threshold above every order so review needs no person):
 * 1. seeds the catalogue, an approved price list, stock for every order placed (stock.ts), one
 *    customer and N others (50 in the full run), each with a credit limit that fits all the
 *    orders it will get;
 * 2. CheckOrderCredit latency inside the workflow step: orders one at a time, the handler call
 *    made by the CreditCheck Task state timed in process (p50, p99);
 * 3. concurrent credit reservations: the same number of orders at the same concurrency against
 *    the one customer (every check updates the same account item) and spread over the N
 *    customers, in alternating rounds (one, N, one, N, …); orders per second of the
 *    CheckOrderCredit handler calls side by side with the ratio one / N, and after every round
 *    exposure = Σ open items = Σ reserved orders.
 * Past credit every order goes on through the stock stage to GOODS_RESERVED and its workflow
 * waits at WaitForDelivery (RUNNING; not measured: the credit bench delivers nothing).
 */
import { startStack } from './api.js';
import type { CreditLatency, CreditSeed, ExposureCheck, ReservationRound, TransactionCount } from './credit-child.js';
import { type Durations, durations, round } from './stats.js';
import { type BenchStock, receivedText } from './stock.js';

export interface CreditSettings {
  latencyOrders: number;
  latencyWarmupOrders: number;
  /** Orders per reservation round (both scenarios). */
  orders: number;
  /** Handler calls at once (both scenarios). */
  concurrency: number;
  /** Rounds per scenario, alternating one / many. */
  rounds: number;
  /** The "many" scenario spreads its orders over this many customers. */
  customers: number;
  /** Orders created and submitted at once while preparing a round (not measured). */
  prepareConcurrency: number;
}

/** One scenario over its rounds: percentiles over every call, orders/s as Σ orders / Σ wall time. */
export interface ReservationResult extends Durations {
  scenario: 'one' | 'many';
  customers: number;
  /** Orders per round. */
  orders: number;
  rounds: number;
  concurrency: number;
  wallMs: number;
  ordersPerSecond: number;
  roundOrdersPerSecond: number[];
  errors: number;
  errorNames: Record<string, number>;
  outcomes: Record<string, number>;
  statuses: Record<string, number>;
  executions: Record<string, number>;
  transactions: TransactionCount;
  /** After the last round: everything the customers hold. */
  exposure: ExposureCheck;
  /** The check was OK after every round. */
  exposureConsistentEveryRound: boolean;
  prepareMs: number[];
}

export interface CreditResult {
  settings: CreditSettings & { autoApprovalThresholdMinor: number };
  customers: { one: { customerId: string; limitMinor: number }; many: { count: number; limitMinorEach: number } };
  /** Stock received for every order the bench places. */
  stock: BenchStock;
  latency: CreditLatency;
  reservations: {
    one: ReservationResult;
    many: ReservationResult;
    /** Orders per second against one customer over orders per second against the N customers. */
    ratioOneToMany: number;
  };
}

/** Above the gross of any order the bench places (100 million CNY): review approves without a person. */
export const BENCH_AUTO_APPROVAL_THRESHOLD_MINOR = 10_000_000_000;

const sum = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
};

function combine(rounds: ReservationRound[]): ReservationResult {
  const first = rounds[0]!;
  const last = rounds[rounds.length - 1]!;
  const wallMs = rounds.reduce((s, r) => s + r.wallMs, 0);
  return {
    scenario: first.scenario,
    customers: first.customers,
    orders: first.orders,
    rounds: rounds.length,
    concurrency: first.concurrency,
    wallMs: round(wallMs),
    ordersPerSecond: round((rounds.reduce((s, r) => s + r.orders, 0) / wallMs) * 1000, 1),
    roundOrdersPerSecond: rounds.map((r) => r.ordersPerSecond),
    ...durations(rounds.flatMap((r) => r.samplesMs)),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    errorNames: rounds.reduce((acc, r) => sum(acc, r.errorNames), {}),
    outcomes: rounds.reduce((acc, r) => sum(acc, r.outcomes), {}),
    statuses: rounds.reduce((acc, r) => sum(acc, r.statuses), {}),
    executions: rounds.reduce((acc, r) => sum(acc, r.executions), {}),
    transactions: { sent: rounds.reduce((s, r) => s + r.transactions.sent, 0), failed: rounds.reduce((acc, r) => sum(acc, r.transactions.failed), {}) },
    exposure: last.exposure,
    exposureConsistentEveryRound: rounds.every((r) => r.exposure.consistent),
    prepareMs: rounds.map((r) => r.prepareMs),
  };
}

export async function benchCredit(options: CreditSettings & { log: (line: string) => void }): Promise<CreditResult> {
  const { log, ...settings } = options;
  const stack = await startStack([], 1, { kind: 'credit', settings: { autoApprovalThresholdMinor: BENCH_AUTO_APPROVAL_THRESHOLD_MINOR } });
  try {
    const perRound = settings.orders;
    const seed = await stack.call<CreditSeed>('creditSeed', {
      customers: settings.customers,
      ordersForOne: perRound * settings.rounds,
      ordersForEach:
        Math.ceil((settings.latencyWarmupOrders + settings.latencyOrders) / settings.customers) + settings.rounds * Math.ceil(perRound / settings.customers),
      // Every order the bench places, whichever customer it is for: stock is per product, not per customer.
      orders: settings.latencyWarmupOrders + settings.latencyOrders + 2 * settings.rounds * perRound,
    });
    log(
      `credit: seeded customer ${seed.one.customerId} (limit ${(seed.one.limitMinor / 100).toLocaleString('en-US')} CNY), ${seed.many.length} customers (limit ${(seed.many[0]!.limitMinor / 100).toLocaleString('en-US')} CNY each) and stock for ${seed.stock.plannedOrders} orders (${receivedText(seed.stock)})`,
    );

    const latency = await stack.call<CreditLatency>('creditLatency', { orders: settings.latencyOrders, warmupOrders: settings.latencyWarmupOrders });
    log(`credit: CheckOrderCredit one order at a time (${latency.orders} orders): p50 ${latency.p50Ms} ms p99 ${latency.p99Ms} ms`);

    const rounds: Record<'one' | 'many', ReservationRound[]> = { one: [], many: [] };
    for (let i = 1; i <= settings.rounds; i++) {
      for (const scenario of ['one', 'many'] as const) {
        const r = await stack.call<ReservationRound>('creditReservations', {
          scenario,
          orders: perRound,
          concurrency: settings.concurrency,
          prepareConcurrency: settings.prepareConcurrency,
        });
        rounds[scenario].push(r);
        const e = r.exposure;
        log(
          `credit: round ${i}: ${r.orders} reservations against ${r.customers} customer${r.customers === 1 ? '' : 's'} at concurrency ${r.concurrency}: ` +
            `${r.ordersPerSecond} orders/s (call p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms, ${r.errors} errors, ${r.transactions.sent} TransactWriteItems); ` +
            `exposure ${e.accountExposureMinor} = Σ ${e.openItems} open items ${e.openItemsMinor} = Σ ${e.reservedOrders} reserved orders ${e.reservedOrdersMinor}: ${e.consistent ? 'OK' : 'MISMATCH'}`,
        );
      }
    }
    const one = combine(rounds.one);
    const many = combine(rounds.many);
    return {
      settings: { ...settings, autoApprovalThresholdMinor: BENCH_AUTO_APPROVAL_THRESHOLD_MINOR },
      customers: { one: { customerId: seed.one.customerId, limitMinor: seed.one.limitMinor }, many: { count: seed.many.length, limitMinorEach: seed.many[0]!.limitMinor } },
      stock: seed.stock,
      latency,
      reservations: { one, many, ratioOneToMany: round(one.ordersPerSecond / many.ordersPerSecond, 2) },
    };
  } finally {
    await stack.stop();
  }
}
