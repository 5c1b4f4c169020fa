/**
 * Orders against a local stack of their own (a fresh stack-process.ts child, so the API bench's
 * hundreds of customers and waiting credit reviews do not weigh on it):
 * 1. seeds products, an approved general price list, stock for every order placed here (each
 *    specification the orders use: stock.ts), a customer whose credit limit fits every order
 *    placed here and a qualified carrier (orders-child.ts);
 * 2. measures one order with no finding from submission to DELIVERED (review, credit, stock,
 *    delivery), the bench making the people's decisions: state transitions, Lambda invocations and
 *    durations, DynamoDB request units (orders-child.ts), before any load;
 * 3. full lifecycle throughput: N orders driven concurrently from submission to DELIVERED over
 *    HTTP from here, the bench acting as every person as soon as the work is there (lifecycle());
 * 4. POST /orders (complete order, unique Idempotency-Key) and then POST /orders/{id}/submission
 *    of the orders just created, N requests each at one concurrency, over HTTP from here.
 */
import { completeOrder } from '../tests/support/order-fixtures.js';
import { type Answer, type LatencyAtConcurrency, request, runLoad, startStack, type StackChild } from './api.js';
import { creditFits } from './customers.js';
import { deliver } from './delivery.js';
import { FINANCE, LOGISTICS, ORDER_DESK, ORDER_REP, SALES_CLERK, WAREHOUSE } from './order-users.js';
import type { ExecutionEnd, OrderCost, OrderSeed } from './orders-child.js';
import { costPer1000Orders, type CostRow } from './pricing.js';
import { type Durations, durations, percentile, round } from './stats.js';
import { type BenchStock, perOrderText, receivedText, type StockLine, stockFits } from './stock.js';

export const ORDER_AIMS = {
  createP50Ms: 50,
  /**
   * State transitions of one order with no finding, submission → DELIVERED. The aim was 12
   * when the path ended with the review (5 states: PreCheck → RouteSpecialApprovals →
   * OrderDeskReview → AfterOrderDesk → FinishApproved). The credit stage then joined the path and
   * added exactly 6 states (Start, AfterReview, CreditStart, CreditCheck, RouteCredit, Done: 11 in
   * all), so the aim moved by those 6 to 18. The stock stage now follows credit (RouteCredit on
   * RESERVED goes to StockStart instead of Done) and adds exactly 3 states to the happy path
   * (StockStart, ReserveStock, RouteStock: 14 in all), so the aim moves by those 3 and no more,
   * to 21: review and credit keep the allowance they had, and a state added anywhere else on the
   * path still counts against it. The delivery now follows the stock stage (RouteStock on RESERVED
   * goes to WaitForDelivery, which waits while the people deliver the order; the proof of delivery
   * ends the wait, AfterDelivery routes DELIVERED to Delivered) and adds exactly 3 states to the
   * happy path (WaitForDelivery, AfterDelivery, Delivered), so the aim moves by those 3 and no
   * more, to 24. Delivered is the end state instead of Done, which the happy path no longer enters,
   * so the path itself grows by 2 (16 in all: see the visited list in results.md). Billing's last
   * step, InvoiceOrder (AfterDelivery on DELIVERED goes to it, then Delivered), adds exactly 1 state,
   * so the aim moves by 1 to 25 (17 in the path).
   */
  maxStateTransitions: 25,
} as const;

export interface OrderRouteResult extends LatencyAtConcurrency {
  route: string;
  user: string;
  expectedStatus: number;
}

/** One phase of an order's lifecycle in the throughput run, over all its orders. */
export interface LifecyclePhase {
  phase: string;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

/** Full lifecycle throughput: orders driven concurrently from submission to DELIVERED over HTTP. */
export interface LifecycleThroughput {
  orders: number;
  concurrency: number;
  /** Orders that ended DELIVERED with their execution SUCCEEDED. */
  delivered: number;
  /** From the first submission sent to the last execution ended. */
  wallMs: number;
  ordersPerMinute: number;
  /** Per order: its submission sent → its execution SUCCEEDED (order DELIVERED). */
  lifecycle: Durations;
  phases: LifecyclePhase[];
  /** The people's calls per order (each one Lambda invocation): submission, decision, the five of the delivery (7; fewer if an order failed). */
  apiCallsPerOrder: number;
  /** The order desk's GET /tasks to find each order's task (not in the usage): per order. */
  taskLookupsPerOrder: number;
  errors: number;
  errorMessages: string[];
  /** Status of the orders afterwards (expected: DELIVERED for all). */
  statuses: Record<string, number>;
  /** Their executions: status and last state (expected: SUCCEEDED at Delivered for all). */
  executions: Record<string, number>;
  /** Every order entered the same states as the usage orders. */
  samePathAsUsage: boolean;
}

export interface OrdersResult {
  settings: {
    requests: number;
    concurrency: number;
    warmupRequests: number;
    costOrders: number;
    costWarmupOrders: number;
    lifecycleOrders: number;
    lifecycleConcurrency: number;
  };
  /** The customer every order is for: its credit limit fits all of them. */
  customer: { customerId: string; limitMinor: number; plannedOrders: number };
  /** Stock received before any order: what one order takes × every order placed. */
  stock: BenchStock;
  latency: OrderRouteResult[];
  cost: OrderCost;
  throughput: LifecycleThroughput;
  per1000Orders: { rows: CostRow[]; totalUsd: number };
  aims: {
    createP50: { aimMs: number; valueMs: number; verdict: 'PASS' | 'OVER' };
    stateTransitions: { aim: number; value: number; verdict: 'PASS' | 'OVER' };
  };
}

export interface OrdersBenchOptions {
  requests: number;
  concurrency: number;
  warmupRequests: number;
  costOrders: number;
  costWarmupOrders: number;
  /** Orders driven from submission to DELIVERED in the throughput run, and how many at once. */
  lifecycleOrders: number;
  lifecycleConcurrency: number;
  log: (line: string) => void;
}

export const CREATE_ROUTE = 'POST /orders';
export const SUBMIT_ROUTE = 'POST /orders/{id}/submission';

/** The phases of one order in the throughput run, in order (LifecyclePhase.phase). */
export const LIFECYCLE_PHASES = [
  'submission → order desk task open (PreCheck, OpenOrderTask)',
  'order desk: GET /tasks, decision',
  'decision → waiting for delivery (FinishApproved, credit, stock, OpenDeliveryWait)',
  'delivery: note, sign-off, goods issue, dispatch, proof of delivery (5 API calls)',
  'proof of delivery → execution SUCCEEDED (AfterDelivery, InvoiceOrder, Delivered)',
] as const;

/** How long the bench waits for one workflow step or an execution's end before it counts the order as an error. */
const STEP_TIMEOUT_MS = 120_000;

/**
 * Full lifecycle throughput: `orders` drafts are created first (not measured), then `concurrency`
 * workers each take the next order from submission to DELIVERED over HTTP, acting as every person
 * as soon as the work is there: the rep submits; once OpenOrderTask has answered (the stack process
 * tells, awaitStep) the order desk reads its task list and approves; once OpenDeliveryWait has
 * answered (credit and goods reserved, the order waits for its delivery) the clerk, finance, the
 * warehouse and logistics deliver it (delivery.ts); the order's time ends when its execution has
 * SUCCEEDED (awaitEnd). Orders per minute: the orders delivered over the wall time from the first
 * submission to the last execution's end.
 */
async function lifecycle(
  stack: StackChild,
  seed: OrderSeed & { plannedOrders: number },
  options: { orders: number; concurrency: number; usagePath: string[]; log: (line: string) => void },
): Promise<LifecycleThroughput> {
  const { base, agent } = stack;
  const as = (user: string) => (method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>) =>
    request(agent, base, stack.tokens[user], { method, path, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
  const rep = as(ORDER_REP);
  const desk = as(ORDER_DESK);
  const parse = <T>(a: Answer) => (a.body ? JSON.parse(a.body) : {}) as T;
  const must = <T = unknown>(what: string, a: Answer, status: number): T => {
    if (a.status !== status) throw new Error(`${what}: expected ${status}, got ${a.status} ${a.body.slice(0, 500)}`);
    return parse<T>(a);
  };

  // Drafts first, not measured: each checked against the credit limit and the stock received.
  const drafts: string[] = [];
  for (let i = 0; i < options.orders; i++) {
    const draft = must<{ orderId: string; totals?: { gross?: { amountMinor?: number } }; lines: StockLine[] }>('POST /orders', await rep('POST', '/orders', completeOrder(seed.customerId), { 'idempotency-key': `bench-lifecycle-${process.pid}-${i}` }), 201);
    creditFits({ customerId: seed.customerId, limitMinor: seed.limitMinor, plannedOrders: seed.plannedOrders }, Number(draft.totals?.gross?.amountMinor));
    stockFits(seed.stock, String(draft.orderId), draft.lines);
    drafts.push(String(draft.orderId));
  }
  await stack.call('idle');

  const phases: number[][] = LIFECYCLE_PHASES.map(() => []);
  const totals: number[] = [];
  const ends: ExecutionEnd[] = [];
  const errorMessages: string[] = [];
  let lookups = 0;
  let peopleCalls = 0;
  let next = 0;
  let lastEnd = 0;

  async function one(orderId: string): Promise<void> {
    const t0 = performance.now();
    peopleCalls++;
    must(`POST /orders/${orderId}/submission`, await rep('POST', `/orders/${orderId}/submission`), 202);
    await stack.call('awaitStep', { orderId, functionId: 'OpenOrderTask', timeoutMs: STEP_TIMEOUT_MS });
    const t1 = performance.now();
    let task: { taskId: string } | undefined;
    for (let attempt = 0; !task; attempt++) {
      lookups++;
      const list = must<{ items: { taskId: string; subject: { id: string } }[] }>('GET /tasks', await desk('GET', '/tasks?limit=100'), 200);
      task = list.items.find((t) => t.subject.id === orderId);
      if (!task && attempt >= 20) throw new Error(`${orderId}: no task about it in ${ORDER_DESK}'s list`);
      if (!task) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    peopleCalls++;
    must(`POST /tasks/${task.taskId}/decision`, await desk('POST', `/tasks/${task.taskId}/decision`, { outcome: 'APPROVED' }), 200);
    const t2 = performance.now();
    await stack.call('awaitStep', { orderId, functionId: 'OpenDeliveryWait', timeoutMs: STEP_TIMEOUT_MS });
    const t3 = performance.now();
    await deliver(orderId, seed.carrierId, `${process.pid}-${orderId}`, async (call) => {
      peopleCalls++;
      const answer = await as(call.user)('POST', call.path, call.body, call.headers);
      return { status: answer.status, body: answer.body ? parse<unknown>(answer) : undefined };
    });
    const t4 = performance.now();
    const end = await stack.call<ExecutionEnd>('awaitEnd', { orderId, timeoutMs: STEP_TIMEOUT_MS });
    const t5 = performance.now();
    ends.push(end);
    if (end.status !== 'SUCCEEDED' || end.visitedStates.at(-1) !== 'Delivered') throw new Error(`${orderId}: execution ${end.status} at ${end.visitedStates.at(-1)} after its proof of delivery`);
    [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4].forEach((ms, i) => phases[i]!.push(ms));
    totals.push(t5 - t0);
    lastEnd = Math.max(lastEnd, t5);
  }

  const started = performance.now();
  const worker = async () => {
    while (next < drafts.length) {
      const orderId = drafts[next++]!;
      try {
        await one(orderId);
      } catch (err) {
        errorMessages.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, drafts.length) }, worker));
  await stack.call('idle');
  const wallMs = (lastEnd || performance.now()) - started;

  const statuses: Record<string, number> = {};
  for (const orderId of drafts) {
    const status = String(parse<{ status?: string }>(await rep('GET', `/orders/${orderId}`)).status);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const executions: Record<string, number> = {};
  for (const e of ends) executions[`${e.status} at ${e.visitedStates.at(-1) ?? '?'}`] = (executions[`${e.status} at ${e.visitedStates.at(-1) ?? '?'}`] ?? 0) + 1;
  for (const m of errorMessages.slice(0, 5)) options.log(`orders: lifecycle error: ${m}`);
  return {
    orders: drafts.length,
    concurrency: options.concurrency,
    delivered: totals.length,
    wallMs: round(wallMs),
    ordersPerMinute: round((totals.length / wallMs) * 60_000, 1),
    lifecycle: durations(totals),
    phases: LIFECYCLE_PHASES.map((phase, i) => ({
      phase,
      p50Ms: round(percentile(phases[i]!, 0.5)),
      p99Ms: round(percentile(phases[i]!, 0.99)),
      meanMs: round(phases[i]!.reduce((a, b) => a + b, 0) / Math.max(1, phases[i]!.length)),
    })),
    apiCallsPerOrder: round(peopleCalls / drafts.length, 2),
    taskLookupsPerOrder: round(lookups / drafts.length, 2),
    errors: errorMessages.length,
    errorMessages: errorMessages.slice(0, 20),
    statuses,
    executions,
    samePathAsUsage: ends.length === drafts.length && ends.every((e) => e.visitedStates.join() === options.usagePath.join()),
  };
}

export async function benchOrders(options: OrdersBenchOptions): Promise<OrdersResult> {
  // The people of the lifecycle call over HTTP from here (ORDER_REP also for the load); the seeding users act inside the child.
  const stack = await startStack([ORDER_REP, ORDER_DESK, SALES_CLERK, FINANCE, WAREHOUSE, LOGISTICS], Math.max(options.concurrency, options.lifecycleConcurrency));
  try {
    const { base, agent } = stack;
    const token = stack.tokens[ORDER_REP];
    // Every order placed here, so the customer's credit limit and the stock fit them all (only
    // the usage and lifecycle orders reach the credit check, the stock stage and the delivery; the
    // load's submissions wait for the order desk).
    const plannedOrders = options.costWarmupOrders + 2 * options.costOrders + options.lifecycleOrders + options.warmupRequests + options.requests;
    const seed = await stack.call<OrderSeed>('seed', { orders: plannedOrders });
    const { customerId, limitMinor, stock } = seed;
    options.log(
      `orders: seeded catalogue, approved price list, stock (${receivedText(stock)}: ${perOrderText(stock)} per order), customer ${customerId} (credit limit ${limitMinor / 100} CNY) for ${plannedOrders} orders and carrier ${seed.carrierId}`,
    );

    const cost = await stack.call<OrderCost>('cost', { customerId, orders: options.costOrders, warmupOrders: options.costWarmupOrders });
    options.log(
      `orders: one order submission → DELIVERED (review, credit, stock, delivery): ${cost.perOrder.stateTransitions} state transitions (${cost.visitedStates.join(' → ')}), ` +
        `${cost.perOrder.lambdaInvocations} Lambda invocations (${cost.perOrder.apiCalls} API calls), ${cost.perOrder.writeRequestUnits} WRU, ${cost.perOrder.readRequestUnits} RRU`,
    );

    // Before the load: its hundreds of orders waiting for the order desk would fill the desk's task list.
    const throughput = await lifecycle(stack, { ...seed, plannedOrders }, { orders: options.lifecycleOrders, concurrency: options.lifecycleConcurrency, usagePath: cost.visitedStates, log: options.log });
    options.log(
      `orders: lifecycle submission → DELIVERED (review, credit, stock, delivery): ${throughput.delivered} of ${throughput.orders} orders at concurrency ${throughput.concurrency}: ` +
        `${throughput.ordersPerMinute} orders/min, per order p50 ${throughput.lifecycle.p50Ms} ms p99 ${throughput.lifecycle.p99Ms} ms${throughput.errors ? ` (${throughput.errors} errors)` : ''}`,
    );

    let n = 0;
    const create = () => {
      const i = ++n;
      // A unique Idempotency-Key per request, as a well-behaved client sends one.
      return request(agent, base, token, {
        method: 'POST',
        path: '/orders',
        body: completeOrder(customerId),
        headers: { 'idempotency-key': `bench-order-${process.pid}-${i}` },
      });
    };
    const submit = (orderId: string) => request(agent, base, token, { method: 'POST', path: `/orders/${orderId}/submission` });
    const orderIdOf = (body: string) => String((JSON.parse(body) as { orderId: string }).orderId);

    const warmupIds: string[] = [];
    for (let i = 0; i < options.warmupRequests; i++) {
      const a = await create();
      if (a.status === 201) warmupIds.push(orderIdOf(a.body));
    }
    const created: string[] = [];
    const createResult = await runLoad({
      requests: options.requests,
      concurrency: options.concurrency,
      expectedStatus: 201,
      send: () => create(),
      onAnswer: (a) => {
        if (a.status === 201) created.push(orderIdOf(a.body));
      },
    });
    options.log(`${CREATE_ROUTE}: c${createResult.concurrency} p50 ${createResult.p50Ms} ms p99 ${createResult.p99Ms} ms${createResult.errors ? ` (${createResult.errors} errors)` : ''}`);

    for (const id of warmupIds) await submit(id);
    await stack.call('idle');
    // Each submission starts a review workflow in the stack process, which runs its first steps
    // while the next submissions arrive, as it would under load.
    const submitResult = await runLoad({
      requests: created.length,
      concurrency: options.concurrency,
      expectedStatus: 202,
      send: (i) => submit(created[i]!),
    });
    await stack.call('idle');
    options.log(`${SUBMIT_ROUTE}: c${submitResult.concurrency} p50 ${submitResult.p50Ms} ms p99 ${submitResult.p99Ms} ms${submitResult.errors ? ` (${submitResult.errors} errors)` : ''}`);

    const per1000Orders = costPer1000Orders({
      stateTransitions: cost.perOrder.stateTransitions,
      lambdaInvocations: cost.perOrder.lambdaInvocations,
      lambdaGbSeconds: cost.perOrder.lambdaGbSeconds,
      writeRequestUnits: cost.perOrder.writeRequestUnits,
      readRequestUnits: cost.perOrder.readRequestUnits,
    });
    return {
      settings: {
        requests: options.requests,
        concurrency: options.concurrency,
        warmupRequests: options.warmupRequests,
        costOrders: options.costOrders,
        costWarmupOrders: options.costWarmupOrders,
        lifecycleOrders: options.lifecycleOrders,
        lifecycleConcurrency: options.lifecycleConcurrency,
      },
      customer: { customerId, limitMinor, plannedOrders },
      stock,
      latency: [
        { route: CREATE_ROUTE, user: ORDER_REP, expectedStatus: 201, ...createResult },
        { route: SUBMIT_ROUTE, user: ORDER_REP, expectedStatus: 202, ...submitResult },
      ],
      cost,
      throughput,
      per1000Orders,
      aims: {
        createP50: { aimMs: ORDER_AIMS.createP50Ms, valueMs: createResult.p50Ms, verdict: createResult.p50Ms < ORDER_AIMS.createP50Ms ? 'PASS' : 'OVER' },
        stateTransitions: {
          aim: ORDER_AIMS.maxStateTransitions,
          value: round(cost.perOrder.stateTransitions, 2),
          verdict: cost.perOrder.stateTransitions <= ORDER_AIMS.maxStateTransitions ? 'PASS' : 'OVER',
        },
      },
    };
  } finally {
    await stack.stop();
  }
}
