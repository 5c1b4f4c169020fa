/**
 * The credit bench's work inside its stack process (stack-process.ts with BENCH_KIND=credit and
 * SETTINGS_JSON autoApprovalThresholdMinor above every order's gross, so the review passes an
 * order with no finding without a person and the workflow goes straight on to the credit check):
 * - seed: the catalogue and an approved general price list (tests/support/order-fixtures.ts),
 *   stock for every order the bench will place (stock.ts), one customer and N others, each with a
 *   credit limit that fits every order it will get (customers.ts), so every check reserves (the
 *   over-limit path is not what is measured) and every order then finds its goods in the stock
 *   stage, is GOODS_RESERVED and its workflow waits at WaitForDelivery (RUNNING: the credit bench
 *   delivers nothing, so its orders keep their credit reservation);
 * - latency: orders one at a time, created and submitted through the API; the workflow runs
 *   through credit and stock until it waits at WaitForDelivery (GOODS_RESERVED) and the
 *   CheckOrderCredit invocation its CreditCheck Task state makes is timed around the handler (the
 *   workflow service's invoke, wrapped as the order bench does); the stock stage is not timed;
 * - reservations: N orders are created and submitted through the API; the workflow takes each
 *   through review (auto-approved: status APPROVED, credit attempt 0) to CreditCheck, whose
 *   CheckOrderCredit invocation is held here before the handler runs. Once all N are held, the
 *   held invocations run the handler with the payload the workflow gave, C at a time: that is
 *   what is measured (wall time from the first call to the last answer, and each call). Then
 *   the answers go back to the workflows, which go on through the stock stage and wait for their
 *   delivery (RouteCredit → StockStart → ReserveStock → RouteStock → WaitForDelivery, GOODS_RESERVED,
 *   execution RUNNING; not measured: no stock is reserved while the held calls run), and the
 *   orders, the accounts and their open items are read back and checked.
 * Nothing here changes product code; the wrappers only observe and hold.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { FunctionDefinition } from '../functions/shared/definitions.js';
import { ddb } from '../functions/shared/dynamo.js';
import { STATE_MACHINES, TABLES } from '../infra/definitions/index.js';
import type { LocalStack } from '../infra/local/stack.js';
import { creditInvariantViolations } from '../tests/support/credit-invariants.js';
import { apiAs } from '../tests/support/local-stack.js';
import { completeOrder, seedCatalogueAndPrices } from '../tests/support/order-fixtures.js';
import { type BenchCustomer, CREDIT_HOLDING, creditApprovedCustomer, creditFits } from './customers.js';
import type { MeteredClient } from './dynamo-meter.js';
import { ORDER_REP } from './order-users.js';
import { type Durations, durations, round } from './stats.js';
import { type BenchStock, receiveBenchStock, stockFits } from './stock.js';

export const CHECK_FUNCTION = 'CheckOrderCredit';

export interface CreditLatency extends Durations {
  orders: number;
  warmupOrders: number;
  customers: number;
  /** What the checks decided (expected: RESERVED for every order). */
  outcomes: Record<string, number>;
  /** Status of the orders once their workflows went through credit and stock (expected: GOODS_RESERVED for all). */
  statuses: Record<string, number>;
  /** Their executions: status and last state (expected: RUNNING at WaitForDelivery for all: they wait for a delivery the bench never makes). */
  executions: Record<string, number>;
}

export interface TransactionCount {
  /** TransactWriteItems requests the handlers sent (SDK retries inside one send not counted). */
  sent: number;
  /** Sends that failed, by error name and cancellation reasons, e.g. "TransactionCanceledException [None, TransactionConflict]". */
  failed: Record<string, number>;
}

export interface ExposureCheck {
  customers: number;
  /** Σ exposureMinor of the customers' ACCOUNT items. */
  accountExposureMinor: number;
  /** Σ amountMinor of their items whose itemKey begins OPEN#. */
  openItemsMinor: number;
  openItems: number;
  /** Σ credit.reserved of the customers' orders the bench placed that hold their credit (CREDIT_HOLDING: CREDIT_APPROVED, AWAITING_STOCK, GOODS_RESERVED; read through GET /orders/{id}). */
  reservedOrdersMinor: number;
  reservedOrders: number;
  /** Customers whose exposure, open items and reserved orders do not agree. */
  mismatches: string[];
  /** tests/support/credit-invariants.ts over the whole credit and orders tables. */
  invariantViolations: string[];
  consistent: boolean;
}

/** One round of one scenario: `orders` held checks run `concurrency` at a time. */
export interface ReservationRound extends Durations {
  scenario: 'one' | 'many';
  customers: number;
  orders: number;
  concurrency: number;
  /** From the first held handler call to the last answer. */
  wallMs: number;
  ordersPerSecond: number;
  /** Handler calls that threw (the workflow then retries the step; the order still ends). */
  errors: number;
  errorNames: Record<string, number>;
  outcomes: Record<string, number>;
  /** Status of the orders once their workflows went through credit and stock (expected: GOODS_RESERVED for all). */
  statuses: Record<string, number>;
  /** Where the workflows stand once idle: execution status and last state (expected: RUNNING at WaitForDelivery for all). */
  executions: Record<string, number>;
  transactions: TransactionCount;
  exposure: ExposureCheck;
  /** Preparation (create, submit, review, held at CreditCheck): not part of the measurement. */
  prepareMs: number;
  /** Every handler call's duration, ms (the parent pools the rounds' percentiles). */
  samplesMs: number[];
}

export interface CreditSeed {
  one: BenchCustomer;
  many: BenchCustomer[];
  /** Stock received for every order the bench places (all customers): each order's lines are checked against it. */
  stock: BenchStock;
}

export interface CreditBench {
  /** `orders`: every order the bench will place, for the stock; `ordersForOne` / `ordersForEach`: for the credit limits. */
  creditSeed(args: { customers: number; ordersForOne: number; ordersForEach: number; orders: number }): Promise<CreditSeed>;
  creditLatency(args: { orders: number; warmupOrders: number }): Promise<CreditLatency>;
  creditReservations(args: { scenario: 'one' | 'many'; orders: number; concurrency: number; prepareConcurrency: number }): Promise<ReservationRound>;
}

type Invoke = (fn: FunctionDefinition, payload: unknown) => Promise<unknown>;
interface Held {
  fn: FunctionDefinition;
  payload: unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}
type Answer = { ok: true; value: unknown } | { ok: false; error: unknown };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);

/** `task` over `items`, `width` at a time, answers in order. */
async function pool<T, R>(items: readonly T[], width: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

function errorName(err: unknown): string {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  const reasons = e?.CancellationReasons?.map((r) => r.Code ?? 'None');
  return `${e?.name ?? 'Error'}${reasons ? ` [${reasons.join(', ')}]` : ''}`;
}

export function createCreditBench(stack: LocalStack): CreditBench {
  const machine = STATE_MACHINES.orderReview;
  if (!machine) throw new Error('no orderReview state machine in infra/definitions');

  // The workflow service calls this.invoke(fn, payload) for every Task state (its constructor
  // option; the stack passes invokeLocal). Wrapped on the instance: CheckOrderCredit is timed
  // around the handler, or held while `holding`.
  const service = stack.stepFunctions as unknown as { invoke?: Invoke };
  const original = service.invoke;
  if (typeof original !== 'function') throw new Error('the local workflow service has no invoke to wrap: the credit bench cannot time or hold CheckOrderCredit');
  let holding = false;
  const held: Held[] = [];
  let timing: number[] | undefined;
  service.invoke = (fn, payload) => {
    if (fn.id !== CHECK_FUNCTION) return original(fn, payload);
    if (holding) return new Promise((resolve, reject) => held.push({ fn, payload, resolve, reject }));
    const started = performance.now();
    const samples = timing;
    return original(fn, payload).finally(() => samples?.push(performance.now() - started));
  };

  // Counts the handlers' TransactWriteItems on their shared client, and how they failed.
  let transactions: TransactionCount | undefined;
  (ddb as unknown as MeteredClient).middlewareStack.add(
    (next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
      const counting = transactions;
      const target = (args.request as { headers?: Record<string, string> }).headers?.['x-amz-target'] ?? '';
      if (!counting || !target.endsWith('.TransactWriteItems')) return next(args);
      counting.sent++;
      try {
        return await next(args);
      } catch (err) {
        count(counting.failed, errorName(err));
        throw err;
      }
    },
    { step: 'build', name: 'benchCountTransactions', tags: ['BENCH'] },
  );

  const reader = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const rep = apiAs(stack, ORDER_REP);
  let seeded: CreditSeed | undefined;
  /** Every order the bench placed, by customer: the exposure check sums their reservations. */
  const ordersOf = new Map<string, string[]>();

  async function placeOrder(customer: BenchCustomer): Promise<string> {
    const draft = await rep.post('/orders', completeOrder(customer.customerId));
    if (draft.status !== 201) throw new Error(`POST /orders: ${draft.status} ${JSON.stringify(draft.body)}`);
    creditFits(customer, Number(draft.body.totals?.gross?.amountMinor));
    const orderId = String(draft.body.orderId);
    stockFits(seeded!.stock, orderId, draft.body.lines);
    ordersOf.set(customer.customerId, [...(ordersOf.get(customer.customerId) ?? []), orderId]);
    const submitted = await rep.post(`/orders/${orderId}/submission`);
    if (submitted.status !== 202) throw new Error(`POST /orders/${orderId}/submission: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    return orderId;
  }

  interface OrderView {
    orderId: string;
    customerId: string;
    status: string;
    credit?: { outcome?: string; reserved?: { amountMinor: number } };
  }
  const readOrders = (ids: readonly string[]) =>
    pool(ids, 10, async (id) => {
      const res = await rep.get<OrderView>(`/orders/${id}`);
      if (res.status !== 200) throw new Error(`GET /orders/${id}: ${res.status}`);
      return res.body;
    });

  /** The account and open items of each customer, read from the credit table, against the reservations of its orders. */
  async function exposureCheck(customers: readonly BenchCustomer[]): Promise<ExposureCheck> {
    const out: ExposureCheck = {
      customers: customers.length,
      accountExposureMinor: 0,
      openItemsMinor: 0,
      openItems: 0,
      reservedOrdersMinor: 0,
      reservedOrders: 0,
      mismatches: [],
      invariantViolations: [],
      consistent: false,
    };
    for (const c of customers) {
      let exposure: number | undefined;
      let open = 0;
      let openCount = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page: QueryCommandOutput = await reader.send(
          new QueryCommand({
            TableName: TABLES.credit.localName,
            KeyConditionExpression: 'customerId = :c',
            ExpressionAttributeValues: { ':c': c.customerId },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const key = String(item.itemKey);
          if (key === 'ACCOUNT') exposure = Number(item.exposureMinor);
          else if (key.startsWith('OPEN#')) {
            open += Number(item.amountMinor);
            openCount++;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
      // Past credit the order goes on to stock (GOODS_RESERVED, or AWAITING_STOCK) and still holds its reservation.
      const orders = (await readOrders(ordersOf.get(c.customerId) ?? [])).filter((o) => (CREDIT_HOLDING as readonly string[]).includes(o.status) && o.credit?.reserved);
      const reserved = orders.reduce((s, o) => s + o.credit!.reserved!.amountMinor, 0);
      out.accountExposureMinor += exposure ?? 0;
      out.openItemsMinor += open;
      out.openItems += openCount;
      out.reservedOrdersMinor += reserved;
      out.reservedOrders += orders.length;
      if (exposure !== open || open !== reserved || openCount !== orders.length) {
        out.mismatches.push(`${c.customerId}: exposure ${exposure ?? 'no account'}, Σ ${openCount} open items ${open}, Σ ${orders.length} reserved orders ${reserved}`);
      }
    }
    out.invariantViolations = (await creditInvariantViolations(stack)).violations;
    out.consistent = out.mismatches.length === 0 && out.invariantViolations.length === 0;
    return out;
  }

  const executionsOf = (orderIds: readonly string[]) => {
    const ids = new Set(orderIds);
    return stack.stepFunctions.listExecutions().filter((e) => e.stateMachineName === machine.name && ids.has(String((e.input as { orderId?: string }).orderId)));
  };

  return {
    async creditSeed({ customers, ordersForOne, ordersForEach, orders }) {
      // No opening stock from the fixtures: the bench receives what its orders take (stock.ts), so stockFits checks against exactly what is there.
      await seedCatalogueAndPrices(stack, { stock: false });
      const stock = await receiveBenchStock(stack, orders);
      const one = await creditApprovedCustomer(stack, 'Bench Credit One Co', ordersForOne);
      const many: BenchCustomer[] = [];
      for (let i = 0; i < customers; i++) many.push(await creditApprovedCustomer(stack, `Bench Credit Many ${i + 1} Co`, ordersForEach));
      await stack.stepFunctions.idle();
      seeded = { one, many, stock };
      return seeded;
    },

    async creditLatency({ orders, warmupOrders }) {
      if (!seeded) throw new Error('creditSeed first');
      const customers = seeded.many;
      const samples: number[] = [];
      const placed: string[] = [];
      for (let i = 0; i < warmupOrders + orders; i++) {
        timing = i < warmupOrders ? undefined : samples;
        const orderId = await placeOrder(customers[i % customers.length]!);
        await stack.stepFunctions.idle();
        timing = undefined;
        if (i >= warmupOrders) placed.push(orderId);
      }
      if (samples.length !== orders) throw new Error(`expected ${orders} timed ${CHECK_FUNCTION} calls, got ${samples.length}`);
      const outcomes: Record<string, number> = {};
      const statuses: Record<string, number> = {};
      for (const o of await readOrders(placed)) {
        // Credit passed and the stock stage that follows it found every line in stock.
        if (o.status !== 'GOODS_RESERVED') throw new Error(`${o.orderId} is ${o.status} (credit ${JSON.stringify(o.credit)}), not GOODS_RESERVED`);
        count(outcomes, o.credit?.outcome ?? 'none');
        count(statuses, o.status);
      }
      // ...and the workflow waits for the delivery, which the credit bench never makes.
      const executions: Record<string, number> = {};
      for (const e of executionsOf(placed)) {
        const where = `${e.status} at ${e.visitedStates.at(-1) ?? '?'}`;
        if (where !== 'RUNNING at WaitForDelivery') throw new Error(`${String((e.input as { orderId?: string }).orderId)}: execution ${where}, not RUNNING at WaitForDelivery`);
        count(executions, where);
      }
      if (Object.values(executions).reduce((a, b) => a + b, 0) !== placed.length) throw new Error(`expected one execution per order, got ${JSON.stringify(executions)} for ${placed.length} orders`);
      return { orders, warmupOrders, customers: customers.length, outcomes, statuses, executions, ...durations(samples) };
    },

    async creditReservations({ scenario, orders, concurrency, prepareConcurrency }) {
      if (!seeded) throw new Error('creditSeed first');
      const customers = scenario === 'one' ? [seeded.one] : seeded.many;
      await stack.stepFunctions.idle();

      // Preparation: each order created and submitted; its workflow reviews it (auto-approved)
      // and stops at CreditCheck, whose invocation is held.
      const prepareStarted = performance.now();
      held.length = 0;
      holding = true;
      let placed: string[];
      try {
        placed = await pool(
          Array.from({ length: orders }, (_, i) => customers[i % customers.length]!),
          prepareConcurrency,
          (c) => placeOrder(c),
        );
        const deadline = Date.now() + Math.max(120_000, orders * 1000);
        while (held.length < orders) {
          if (Date.now() > deadline) {
            const ended = executionsOf(placed).filter((e) => e.status !== 'RUNNING');
            throw new Error(`only ${held.length} of ${orders} orders reached CreditCheck; ended executions: ${JSON.stringify(ended.map((e) => [e.status, e.visitedStates.at(-1)]))}`);
          }
          await sleep(20);
        }
      } finally {
        holding = false;
      }
      const prepareMs = performance.now() - prepareStarted;
      const queue = held.splice(0);

      // The measurement: the held handler calls, `concurrency` at a time.
      const samples: number[] = [];
      const counted: TransactionCount = { sent: 0, failed: {} };
      transactions = counted;
      const started = performance.now();
      const answers = await pool(queue, concurrency, async (h): Promise<Answer> => {
        const t0 = performance.now();
        try {
          return { ok: true, value: await original(h.fn, h.payload) };
        } catch (error) {
          return { ok: false, error };
        } finally {
          samples.push(performance.now() - t0);
        }
      });
      const wallMs = performance.now() - started;
      transactions = undefined;

      // The answers go back to the workflows, which go on through the stock stage and wait at
      // WaitForDelivery (not measured; a failed call: the step's Retry runs it again, unheld).
      const outcomes: Record<string, number> = {};
      const errorNames: Record<string, number> = {};
      queue.forEach((h, i) => {
        const a = answers[i]!;
        if (a.ok) {
          count(outcomes, String((a.value as { outcome?: string })?.outcome));
          h.resolve(a.value);
        } else {
          count(errorNames, errorName(a.error));
          h.reject(a.error);
        }
      });
      await stack.stepFunctions.idle();

      const statuses: Record<string, number> = {};
      for (const o of await readOrders(placed)) count(statuses, o.status);
      const executions: Record<string, number> = {};
      for (const e of executionsOf(placed)) count(executions, `${e.status} at ${e.visitedStates.at(-1) ?? '?'}`);
      const errors = answers.filter((a) => !a.ok).length;
      return {
        scenario,
        customers: customers.length,
        orders,
        concurrency,
        wallMs: round(wallMs),
        ordersPerSecond: round((orders / wallMs) * 1000, 1),
        errors,
        errorNames,
        outcomes,
        statuses,
        executions,
        transactions: counted,
        exposure: await exposureCheck(customers),
        prepareMs: round(prepareMs),
        ...durations(samples),
        samplesMs: samples.map((x) => round(x, 3)),
      };
    },
  };
}
