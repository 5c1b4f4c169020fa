/**
 * The order bench's work inside the stack process (loaded by stack-process.ts once the stack
 * runs): seeds what orders stand on through the API, as tests/support/order-fixtures.ts does
 * (imported from there), with stock received for every order placed (stock.ts) and a qualified
 * carrier (delivery.ts), and measures what one order with no finding costs from submission to
 * DELIVERED (review, credit, stock, delivery: the order desk approves, the credit stage reserves
 * the order's exposure within the customer's limit, the stock stage reserves every line from the
 * stock received, the workflow waits at WaitForDelivery while the people deliver it through the
 * API: delivery note, finance sign-off, goods issue, dispatch, proof of delivery):
 * - state transitions: the states its review execution entered (LocalStepFunctions
 *   visitedStates; Choice states count, as Step Functions bills them);
 * - Lambda invocations: the seven API calls (submission, the order desk's decision and the five
 *   calls of the delivery) and every function a Task state invoked, counted and timed by wrapping
 *   the workflow service's invoke;
 * - DynamoDB request units: DynamoMeter on the handlers' shared client `ddb`, charged to the
 *   function that made the request.
 * For the lifecycle throughput, driven over HTTP by the parent (orders.ts), it tells when a
 * workflow step that opens a person's work has finished (awaitStep: the order desk's task, the
 * wait for delivery) and when an order's execution has ended (awaitEnd), so the parent acts as
 * soon as the person could, without polling the API.
 * Nothing here changes product code; the wrappers only observe.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionDefinition } from '../functions/shared/definitions.js';
import { ddb } from '../functions/shared/dynamo.js';
import { FUNCTIONS, STATE_MACHINES, TABLE_LIST } from '../infra/definitions/index.js';
import type { LocalStack } from '../infra/local/stack.js';
import { apiAs } from '../tests/support/local-stack.js';
import { completeOrder, openTaskAbout, seedCatalogueAndPrices } from '../tests/support/order-fixtures.js';
import { type BenchCustomer, creditApprovedCustomer, creditFits } from './customers.js';
import { BENCH_CARRIER, DELIVERY_ROUTES, deliver } from './delivery.js';
import { LOGISTICS, ORDER_DESK, ORDER_REP } from './order-users.js';
import { addUsage, DynamoMeter, emptyUsage, type DynamoUsage, type MeteredClient } from './dynamo-meter.js';
import { type BenchStock, receiveBenchStock, stockFits } from './stock.js';
import { round } from './stats.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** CDK's memory for a function without memoryMb (infra/constructs/business-function.ts). */
export const DEFAULT_MEMORY_MB = 512;

export interface FunctionCost {
  functionId: string;
  trigger: 'API' | 'Task state';
  invocations: number;
  /** Local wall time, summed over the invocations; API: the HTTP round trip (an upper bound). */
  durationMs: number;
  /** Lambda bills each invocation's duration rounded up to 1 ms. */
  billedMs: number;
  memoryMb: number;
  gbSeconds: number;
  writeRequestUnits: number;
  readRequestUnits: number;
}

export interface OrderCostSample {
  orderId: string;
  visitedStates: string[];
  stateTransitions: number;
  taskStates: number;
  /** The people's API calls from submission to DELIVERED (7). */
  apiCalls: number;
  lambdaInvocations: number;
  functions: FunctionCost[];
  dynamo: DynamoUsage;
  notificationsWritten: number;
}

export interface OrderCost {
  orders: number;
  warmupOrders: number;
  /** Every sample entered the same states. */
  visitedStates: string[];
  /** The routes the people called, in order (each one Lambda invocation). */
  apiRoutes: string[];
  /** Per order: the mean over the samples. */
  perOrder: {
    stateTransitions: number;
    taskStates: number;
    apiCalls: number;
    lambdaInvocations: number;
    lambdaBilledMs: number;
    lambdaGbSeconds: number;
    writeRequestUnits: number;
    tableWriteUnits: number;
    indexWriteUnits: number;
    transactionalWriteUnits: number;
    readRequestUnits: number;
    notificationsWritten: number;
    dynamoRequests: Record<string, number>;
    itemsWritten: Record<string, number>;
  };
  functions: FunctionCost[];
  /** Check of the size rules: single-item writes computed here vs what DynamoDB Local reported. */
  singleItemWriteUnits: { computed: number; reportedByDynamoDbLocal: number };
  /** What DynamoDB Local reported for the TransactWriteItems (not by the AWS rule), per order. */
  transactionalWriteUnitsReportedByDynamoDbLocal: number;
  failedWrites: number;
  /** False if the workflow service could not be wrapped: Task functions then count from the states, untimed. */
  taskFunctionsTimed: boolean;
  /** Metered orders: states, invocations, request units (their durations include the meter's reads). */
  samples: OrderCostSample[];
  /** Unmetered orders: the durations used. */
  timingSamples: { orderId: string; functions: Pick<FunctionCost, 'functionId' | 'invocations' | 'durationMs' | 'billedMs'>[] }[];
}

export interface OrderSeed {
  customerId: string;
  limitMinor: number;
  /** Stock received for every order placed: each order's lines are checked against it. */
  stock: BenchStock;
  /** The qualified carrier logistics dispatches with (delivery.ts BENCH_CARRIER). */
  carrierId: string;
}

/** An order's execution once it ended (awaitEnd), or where it stands when the wait gave up. */
export interface ExecutionEnd {
  orderId: string;
  status: string;
  visitedStates: string[];
}

export interface OrderBench {
  /** `orders`: how many orders the bench will place for the customer; its credit limit and the stock received fit them all. */
  seed(args: { orders: number }): Promise<OrderSeed>;
  cost(args: { customerId: string; orders: number; warmupOrders: number }): Promise<OrderCost>;
  /**
   * Resolves once a Task state of the order's workflow has invoked `functionId` and the function
   * has answered (OpenOrderTask: the order desk's task is open; OpenDeliveryWait: the order waits
   * for its delivery); at once if it already has. Throws after `timeoutMs`.
   */
  awaitStep(args: { orderId: string; functionId: string; timeoutMs: number }): Promise<void>;
  /** Resolves with the order's execution once it is no longer RUNNING (checked every 2 ms in this process); after `timeoutMs`, with it as it stands. */
  awaitEnd(args: { orderId: string; timeoutMs: number }): Promise<ExecutionEnd>;
  idle(): Promise<void>;
}

type Invoke = (fn: FunctionDefinition, payload: unknown) => Promise<unknown>;

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const memoryOf = (id: string) => FUNCTIONS.find((f) => f.id === id)?.memoryMb ?? DEFAULT_MEMORY_MB;

export function createOrderBench(stack: LocalStack): OrderBench {
  const machine = STATE_MACHINES.orderReview;
  if (!machine) throw new Error('no orderReview state machine in infra/definitions');
  const asl = JSON.parse(readFileSync(path.join(REPO_ROOT, machine.file), 'utf8')) as { States: Record<string, { Type: string }> };

  const meter = new DynamoMeter({ endpoint: stack.dynamoEndpoint, tables: TABLE_LIST });
  meter.install(ddb as unknown as MeteredClient);
  const notificationsTable = TABLE_LIST.find((t) => t.id === 'notifications')?.localName ?? '';

  // Task state functions: the service calls this.invoke(fn, payload) (its constructor option;
  // the stack passes invokeLocal). Wrapped on the instance to time each call and charge its
  // DynamoDB requests to the function.
  let recording = false;
  const taskCalls: { id: string; ms: number }[] = [];
  const service = stack.stepFunctions as unknown as { invoke?: Invoke };
  const original = service.invoke;
  const taskFunctionsTimed = typeof original === 'function';
  // Which Task functions have answered for which order (awaitStep), and who waits for one.
  const answered = new Map<string, Set<string>>();
  const stepWaiters = new Map<string, (() => void)[]>();
  const stepKey = (orderId: string, functionId: string) => `${orderId}#${functionId}`;
  const markAnswered = (functionId: string, payload: unknown) => {
    const orderId = (payload as { orderId?: unknown } | undefined)?.orderId;
    if (typeof orderId !== 'string') return;
    answered.set(orderId, (answered.get(orderId) ?? new Set()).add(functionId));
    const key = stepKey(orderId, functionId);
    for (const wake of stepWaiters.get(key) ?? []) wake();
    stepWaiters.delete(key);
  };
  if (original) {
    service.invoke = (fn, payload) =>
      meter.attribute(fn.id, async () => {
        const started = performance.now();
        try {
          const value = await original(fn, payload);
          markAnswered(fn.id, payload);
          return value;
        } finally {
          if (recording) taskCalls.push({ id: fn.id, ms: performance.now() - started });
        }
      });
  }

  const rep = apiAs(stack, ORDER_REP);
  const desk = apiAs(stack, ORDER_DESK);
  let customer: BenchCustomer | undefined;
  let stock: BenchStock | undefined;
  let carrierId: string | undefined;
  const timed = async <T>(f: () => Promise<T>) => {
    const started = performance.now();
    const value = await f();
    return { value, ms: performance.now() - started };
  };
  const executionsOf = (orderId: string) =>
    stack.stepFunctions.listExecutions().filter((e) => e.stateMachineName === machine!.name && (e.input as { orderId?: string }).orderId === orderId);
  const orderText = (order: { orderId?: string; status?: string; credit?: unknown; fulfilment?: { outcome?: string; pendingTask?: unknown } | undefined; findings?: unknown }) =>
    `${order.orderId} is ${order.status} (credit ${JSON.stringify(order.credit)}, stock ${order.fulfilment?.outcome}, waiting ${JSON.stringify(order.fulfilment?.pendingTask)}) with findings ${JSON.stringify(order.findings)}`;

  /**
   * One order from draft to DELIVERED (review, credit, stock, delivery). 'units': DynamoDB metered
   * (its side reads slow the handlers, so durations are not taken from these); 'timing': durations
   * only; 'warmup': neither.
   */
  async function oneOrder(customerId: string, mode: 'warmup' | 'units' | 'timing'): Promise<OrderCostSample> {
    const draft = await rep.post('/orders', completeOrder(customerId));
    if (draft.status !== 201) throw new Error(`POST /orders: ${draft.status} ${JSON.stringify(draft.body)}`);
    const orderId = String(draft.body.orderId);
    if (customer?.customerId === customerId) creditFits(customer, Number(draft.body.totals?.gross?.amountMinor));
    if (stock) stockFits(stock, orderId, draft.body.lines);
    await stack.stepFunctions.idle();
    meter.take();
    taskCalls.length = 0;
    const apiCalls: { id: string; ms: number }[] = [];

    // Submission: the API call, then the workflow until it waits for the order desk.
    recording = mode !== 'warmup';
    meter.enabled = mode === 'units';
    meter.defaultOwner = 'SubmitOrder';
    const submitted = await timed(() => rep.post(`/orders/${orderId}/submission`));
    if (submitted.value.status !== 202) throw new Error(`POST /orders/${orderId}/submission: ${submitted.value.status} ${JSON.stringify(submitted.value.body)}`);
    apiCalls.push({ id: 'SubmitOrder', ms: submitted.ms });
    await stack.stepFunctions.idle();
    meter.enabled = false;

    // Finding the task is the desk's browsing, not this order's path: not metered.
    const task = await openTaskAbout(stack, ORDER_DESK, orderId);
    if (!task) throw new Error(`${orderId} did not reach the order desk (findings?): ${JSON.stringify((await rep.get(`/orders/${orderId}`)).body.findings)}`);

    meter.enabled = mode === 'units';
    meter.defaultOwner = 'DecideTask';
    // The decision, then the workflow until it waits for the delivery: FinishApproved, the credit stage, the stock stage, WaitForDelivery.
    const decided = await timed(() => desk.post(`/tasks/${task.taskId}/decision`, { outcome: 'APPROVED' }));
    if (decided.value.status !== 200) throw new Error(`POST /tasks/${task.taskId}/decision: ${decided.value.status} ${JSON.stringify(decided.value.body)}`);
    apiCalls.push({ id: 'DecideTask', ms: decided.ms });
    await stack.stepFunctions.idle();
    meter.enabled = false;

    // Checked between the stages (not metered): credit and goods reserved, the workflow waiting for the delivery.
    const reserved = (await rep.get(`/orders/${orderId}`)).body;
    if (reserved.status !== 'GOODS_RESERVED' || reserved.credit?.outcome !== 'RESERVED' || reserved.fulfilment?.outcome !== 'RESERVED' || reserved.fulfilment?.pendingTask?.type !== 'DELIVERY_WAIT' || reserved.findings?.length) {
      throw new Error(`${orderText(reserved)}, not GOODS_RESERVED, credit and goods reserved, waiting for delivery, with none`);
    }
    const waiting = executionsOf(orderId);
    if (waiting.length !== 1 || waiting[0]!.status !== 'RUNNING' || waiting[0]!.visitedStates.at(-1) !== 'WaitForDelivery') {
      throw new Error(`${orderId}: expected one RUNNING execution waiting at WaitForDelivery, got ${JSON.stringify(waiting.map((e) => [e.status, e.visitedStates.at(-1)]))}`);
    }

    // The delivery, by the people, each call metered and timed as the function behind its route;
    // the proof of delivery ends the wait and the workflow runs to its end.
    await deliver(orderId, carrierId!, `${process.pid}-${orderId}`, async (call) => {
      meter.enabled = mode === 'units';
      meter.defaultOwner = call.functionId;
      const answer = await timed(() => apiAs(stack, call.user).post(call.path, call.body, call.headers));
      apiCalls.push({ id: call.functionId, ms: answer.ms });
      await stack.stepFunctions.idle();
      meter.enabled = false;
      return answer.value;
    });
    recording = false;
    const usage = meter.take();

    const order = (await rep.get(`/orders/${orderId}`)).body;
    if (order.status !== 'DELIVERED' || order.credit?.outcome !== 'RESERVED' || order.findings?.length) {
      throw new Error(`${orderText(order)}, not DELIVERED with credit reserved and no finding`);
    }
    const executions = executionsOf(orderId);
    if (executions.length !== 1 || executions[0]!.status !== 'SUCCEEDED') {
      throw new Error(`${orderId}: expected one SUCCEEDED review, credit, stock and delivery execution, got ${JSON.stringify(executions.map((e) => [e.status, e.visitedStates.at(-1)]))}`);
    }
    const visitedStates = executions[0]!.visitedStates;
    const taskStates = visitedStates.filter((s) => asl.States[s]?.Type === 'Task').length;

    const calls = [
      ...apiCalls.map((c) => ({ ...c, trigger: 'API' as const })),
      ...(taskFunctionsTimed ? taskCalls.map((c) => ({ ...c, trigger: 'Task state' as const })) : []),
    ];
    const byFunction = new Map<string, FunctionCost>();
    for (const c of calls) {
      const f = byFunction.get(c.id) ?? {
        functionId: c.id,
        trigger: c.trigger,
        invocations: 0,
        durationMs: 0,
        billedMs: 0,
        memoryMb: memoryOf(c.id),
        gbSeconds: 0,
        writeRequestUnits: 0,
        readRequestUnits: 0,
      };
      f.invocations++;
      f.durationMs += c.ms;
      f.billedMs += Math.ceil(c.ms);
      f.gbSeconds += (Math.ceil(c.ms) / 1000) * (f.memoryMb / 1024);
      byFunction.set(c.id, f);
    }
    const dynamo = emptyUsage();
    for (const [owner, u] of usage) {
      addUsage(dynamo, u);
      const f = byFunction.get(owner);
      if (f) {
        f.writeRequestUnits += u.writeUnits;
        f.readRequestUnits += u.readUnits;
      }
    }
    return {
      orderId,
      visitedStates,
      stateTransitions: visitedStates.length,
      taskStates,
      apiCalls: apiCalls.length,
      lambdaInvocations: apiCalls.length + (taskFunctionsTimed ? taskCalls.length : taskStates),
      functions: [...byFunction.values()],
      dynamo,
      notificationsWritten: dynamo.itemsWritten[notificationsTable] ?? 0,
    };
  }

  return {
    async seed({ orders }) {
      // No opening stock from the fixtures: the bench receives what its orders take (stock.ts), so stockFits checks against exactly what is there.
      await seedCatalogueAndPrices(stack, { stock: false });
      stock = await receiveBenchStock(stack, orders);
      customer = await creditApprovedCustomer(stack, 'Bench Orders Co', orders);
      // Logistics registers the carrier every delivery is dispatched with, qualified until 2099 (R-FULFIL-6).
      const carrier = await apiAs(stack, LOGISTICS).post('/carriers', BENCH_CARRIER);
      if (carrier.status !== 201) throw new Error(`POST /carriers: ${carrier.status} ${JSON.stringify(carrier.body)}`);
      carrierId = String(carrier.body.carrierId);
      await stack.stepFunctions.idle();
      return { customerId: customer.customerId, limitMinor: customer.limitMinor, stock, carrierId };
    },

    async cost({ customerId, orders, warmupOrders }) {
      // Warm-up orders load every module on the path, so the timed ones are warm invocations.
      for (let i = 0; i < warmupOrders; i++) await oneOrder(customerId, 'warmup');
      const samples: OrderCostSample[] = [];
      for (let i = 0; i < orders; i++) samples.push(await oneOrder(customerId, 'units'));
      const timings: OrderCostSample[] = [];
      for (let i = 0; i < orders; i++) timings.push(await oneOrder(customerId, 'timing'));
      const first = samples[0]!;
      for (const s of [...samples, ...timings]) {
        if (s.visitedStates.join() !== first.visitedStates.join()) throw new Error(`orders took different paths: ${first.visitedStates.join()} vs ${s.visitedStates.join()}`);
      }
      const avg = (f: (s: OrderCostSample) => number, digits = 2) => round(mean(samples.map(f)), digits);
      const sumRecord = (f: (s: OrderCostSample) => Record<string, number>) => {
        const out: Record<string, number> = {};
        for (const s of samples) for (const [k, v] of Object.entries(f(s))) out[k] = (out[k] ?? 0) + v;
        return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, round(v / samples.length, 2)]));
      };
      const functionIds = [...new Set(samples.flatMap((s) => s.functions.map((f) => f.functionId)))];
      // Counts and units from the metered orders, durations from the unmetered ones.
      const functions = functionIds.map((id): FunctionCost => {
        const rows = samples.map((s) => s.functions.find((f) => f.functionId === id));
        const timed = timings.map((s) => s.functions.find((f) => f.functionId === id));
        const of = (from: (FunctionCost | undefined)[], f: (x: FunctionCost) => number, digits = 2) => round(mean(from.map((r) => (r ? f(r) : 0))), digits);
        const some = rows.find((r) => r)!;
        return {
          functionId: id,
          trigger: some.trigger,
          invocations: of(rows, (r) => r.invocations),
          durationMs: of(timed, (r) => r.durationMs),
          billedMs: of(timed, (r) => r.billedMs),
          memoryMb: some.memoryMb,
          gbSeconds: of(timed, (r) => r.gbSeconds, 6),
          writeRequestUnits: of(rows, (r) => r.writeRequestUnits),
          readRequestUnits: of(rows, (r) => r.readRequestUnits),
        };
      });
      const totals = samples.reduce((acc, s) => addUsage(acc, s.dynamo), emptyUsage());
      return {
        orders,
        warmupOrders,
        visitedStates: first.visitedStates,
        apiRoutes: ['POST /orders/{id}/submission', 'POST /tasks/{id}/decision', ...DELIVERY_ROUTES],
        perOrder: {
          stateTransitions: avg((s) => s.stateTransitions),
          taskStates: avg((s) => s.taskStates),
          apiCalls: avg((s) => s.apiCalls),
          lambdaInvocations: avg((s) => s.lambdaInvocations),
          lambdaBilledMs: round(mean(timings.map((s) => s.functions.reduce((t, f) => t + f.billedMs, 0))), 2),
          lambdaGbSeconds: round(mean(timings.map((s) => s.functions.reduce((t, f) => t + f.gbSeconds, 0))), 6),
          writeRequestUnits: avg((s) => s.dynamo.writeUnits),
          tableWriteUnits: avg((s) => s.dynamo.tableWriteUnits),
          indexWriteUnits: avg((s) => s.dynamo.indexWriteUnits),
          transactionalWriteUnits: avg((s) => s.dynamo.transactionalWriteUnits),
          readRequestUnits: avg((s) => s.dynamo.readUnits),
          notificationsWritten: avg((s) => s.notificationsWritten),
          dynamoRequests: sumRecord((s) => s.dynamo.requests),
          itemsWritten: sumRecord((s) => s.dynamo.itemsWritten),
        },
        functions,
        singleItemWriteUnits: { computed: totals.singleItemWriteUnitsComputed, reportedByDynamoDbLocal: totals.singleItemWriteUnitsReported },
        transactionalWriteUnitsReportedByDynamoDbLocal: round(totals.transactionalWriteUnitsReported / samples.length, 2),
        failedWrites: totals.failedWrites,
        taskFunctionsTimed,
        samples,
        timingSamples: timings.map((s) => ({ orderId: s.orderId, functions: s.functions.map(({ functionId, invocations, durationMs, billedMs }) => ({ functionId, invocations, durationMs: round(durationMs, 2), billedMs })) })),
      };
    },

    async awaitStep({ orderId, functionId, timeoutMs }) {
      if (!taskFunctionsTimed) throw new Error('the local workflow service has no invoke to wrap: awaitStep cannot tell when a step answered');
      if (answered.get(orderId)?.has(functionId)) return;
      const key = stepKey(orderId, functionId);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          stepWaiters.set(key, (stepWaiters.get(key) ?? []).filter((w) => w !== wake));
          const e = executionsOf(orderId);
          reject(new Error(`${orderId}: ${functionId} did not answer within ${timeoutMs} ms; execution ${JSON.stringify(e.map((x) => [x.status, x.visitedStates.at(-1)]))}`));
        }, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        stepWaiters.set(key, [...(stepWaiters.get(key) ?? []), wake]);
      });
    },

    async awaitEnd({ orderId, timeoutMs }) {
      const deadline = performance.now() + timeoutMs;
      let arn: string | undefined;
      for (;;) {
        arn ??= executionsOf(orderId)[0]?.executionArn;
        const e = arn ? stack.stepFunctions.getExecution(arn) : undefined;
        if ((e && e.status !== 'RUNNING') || performance.now() > deadline) return { orderId, status: e?.status ?? 'NOT STARTED', visitedStates: e?.visitedStates ?? [] };
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },

    idle: () => stack.stepFunctions.idle(),
  };
}
