/**
 * Orders against a local stack of their own (a fresh stack-process.ts child, so the API bench's
 * hundreds of customers and waiting credit reviews do not weigh on it):
 * 1. seeds products, an approved general price list, stock for every order placed here (each
 *    specification the orders use: stock.ts) and a customer whose credit limit fits every order
 *    placed here (orders-child.ts);
 * 2. measures one order with no finding from submission to GOODS_RESERVED (review, credit and
 *    stock):
 *    state transitions, Lambda invocations and durations, DynamoDB request units
 *    (orders-child.ts), before any load;
 * 3. POST /orders (complete order, unique Idempotency-Key) and then POST /orders/{id}/submission
 *    of the orders just created, N requests each at one concurrency, over HTTP from here.
 */
import { completeOrder } from '../tests/support/order-fixtures.js';
import { type LatencyAtConcurrency, request, runLoad, startStack } from './api.js';
import { ORDER_REP } from './order-users.js';
import type { OrderCost, OrderSeed } from './orders-child.js';
import { costPer1000Orders, type CostRow } from './pricing.js';
import { round } from './stats.js';
import { type BenchStock, perOrderText, receivedText } from './stock.js';

export const ORDER_AIMS = {
  createP50Ms: 50,
  /**
   * State transitions of one order with no finding, submission → GOODS_RESERVED. The aim was 12
   * when the path ended with the review (5 states: PreCheck → RouteSpecialApprovals →
   * OrderDeskReview → AfterOrderDesk → FinishApproved). The credit stage then joined the path and
   * added exactly 6 states (Start, AfterReview, CreditStart, CreditCheck, RouteCredit, Done: 11 in
   * all), so the aim moved by those 6 to 18. The stock stage now follows credit (RouteCredit on
   * RESERVED goes to StockStart instead of Done) and adds exactly 3 states to the happy path
   * (StockStart, ReserveStock, RouteStock: 14 in all), so the aim moves by those 3 and no more,
   * to 21: review and credit keep the allowance they had, and a state added anywhere else on the
   * path still counts against it.
   */
  maxStateTransitions: 21,
} as const;

export interface OrderRouteResult extends LatencyAtConcurrency {
  route: string;
  user: string;
  expectedStatus: number;
}

export interface OrdersResult {
  settings: { requests: number; concurrency: number; warmupRequests: number; costOrders: number; costWarmupOrders: number };
  /** The customer every order is for: its credit limit fits all of them. */
  customer: { customerId: string; limitMinor: number; plannedOrders: number };
  /** Stock received before any order: what one order takes × every order placed. */
  stock: BenchStock;
  latency: OrderRouteResult[];
  cost: OrderCost;
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
  log: (line: string) => void;
}

export const CREATE_ROUTE = 'POST /orders';
export const SUBMIT_ROUTE = 'POST /orders/{id}/submission';

export async function benchOrders(options: OrdersBenchOptions): Promise<OrdersResult> {
  // ORDER_REP is the only caller over HTTP from here; the seeding users act inside the child.
  const stack = await startStack([ORDER_REP], options.concurrency);
  try {
    const { base, agent } = stack;
    const token = stack.tokens[ORDER_REP];
    // Every order placed here, so the customer's credit limit and the stock fit them all (only
    // the usage orders reach the credit check and the stock stage; the load's submissions wait for
    // the order desk).
    const plannedOrders = options.costWarmupOrders + 2 * options.costOrders + options.warmupRequests + options.requests;
    const { customerId, limitMinor, stock } = await stack.call<OrderSeed>('seed', { orders: plannedOrders });
    options.log(
      `orders: seeded catalogue, approved price list, stock (${receivedText(stock)}: ${perOrderText(stock)} per order) and customer ${customerId} (credit limit ${limitMinor / 100} CNY) for ${plannedOrders} orders`,
    );

    const cost = await stack.call<OrderCost>('cost', { customerId, orders: options.costOrders, warmupOrders: options.costWarmupOrders });
    options.log(
      `orders: one order submission → GOODS_RESERVED (review, credit and stock): ${cost.perOrder.stateTransitions} state transitions (${cost.visitedStates.join(' → ')}), ` +
        `${cost.perOrder.lambdaInvocations} Lambda invocations, ${cost.perOrder.writeRequestUnits} WRU, ${cost.perOrder.readRequestUnits} RRU`,
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
      },
      customer: { customerId, limitMinor, plannedOrders },
      stock,
      latency: [
        { route: CREATE_ROUTE, user: ORDER_REP, expectedStatus: 201, ...createResult },
        { route: SUBMIT_ROUTE, user: ORDER_REP, expectedStatus: 202, ...submitResult },
      ],
      cost,
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
