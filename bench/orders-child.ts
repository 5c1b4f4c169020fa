/**
 * The order bench's work inside the stack process (loaded by stack-process.ts once the stack
 * runs): seeds what orders stand on through the API, as tests/support/order-fixtures.ts does
 * (imported from there), with stock received for every order placed (stock.ts), and measures
 * what one order with no finding costs from submission to GOODS_RESERVED (review, credit and
 * stock: the order desk approves, the credit stage reserves the order's exposure within the
 * customer's limit, the stock stage reserves every line from the stock received):
 * - state transitions: the states its review execution entered (LocalStepFunctions
 *   visitedStates; Choice states count, as Step Functions bills them);
 * - Lambda invocations: the two API calls (submission, the order desk's decision) and every
 *   function a Task state invoked, counted and timed by wrapping the workflow service's invoke;
 * - DynamoDB request units: DynamoMeter on the handlers' shared client `ddb`, charged to the
 *   function that made the request.
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
import { ORDER_DESK, ORDER_REP } from './order-users.js';
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
  /** Per order: the mean over the samples. */
  perOrder: {
    stateTransitions: number;
    taskStates: number;
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
}

export interface OrderBench {
  /** `orders`: how many orders the bench will place for the customer; its credit limit and the stock received fit them all. */
  seed(args: { orders: number }): Promise<OrderSeed>;
  cost(args: { customerId: string; orders: number; warmupOrders: number }): Promise<OrderCost>;
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
  if (original) {
    service.invoke = (fn, payload) =>
      meter.attribute(fn.id, async () => {
        const started = performance.now();
        try {
          return await original(fn, payload);
        } finally {
          if (recording) taskCalls.push({ id: fn.id, ms: performance.now() - started });
        }
      });
  }

  const rep = apiAs(stack, ORDER_REP);
  const desk = apiAs(stack, ORDER_DESK);
  let customer: BenchCustomer | undefined;
  let stock: BenchStock | undefined;
  const timed = async <T>(f: () => Promise<T>) => {
    const started = performance.now();
    const value = await f();
    return { value, ms: performance.now() - started };
  };

  /**
   * One order from draft to GOODS_RESERVED (review, credit and stock). 'units': DynamoDB metered (its
   * side reads slow the handlers, so durations are not taken from these); 'timing': durations
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

    // Submission: the API call, then the workflow until it waits for the order desk.
    recording = mode !== 'warmup';
    meter.enabled = mode === 'units';
    meter.defaultOwner = 'SubmitOrder';
    const submitted = await timed(() => rep.post(`/orders/${orderId}/submission`));
    if (submitted.value.status !== 202) throw new Error(`POST /orders/${orderId}/submission: ${submitted.value.status} ${JSON.stringify(submitted.value.body)}`);
    await stack.stepFunctions.idle();
    meter.enabled = false;

    // Finding the task is the desk's browsing, not this order's path: not metered.
    const task = await openTaskAbout(stack, ORDER_DESK, orderId);
    if (!task) throw new Error(`${orderId} did not reach the order desk (findings?): ${JSON.stringify((await rep.get(`/orders/${orderId}`)).body.findings)}`);

    meter.enabled = mode === 'units';
    meter.defaultOwner = 'DecideTask';
    // The decision, then the workflow to its end: FinishApproved, the credit stage and the stock stage.
    const decided = await timed(() => desk.post(`/tasks/${task.taskId}/decision`, { outcome: 'APPROVED' }));
    if (decided.value.status !== 200) throw new Error(`POST /tasks/${task.taskId}/decision: ${decided.value.status} ${JSON.stringify(decided.value.body)}`);
    await stack.stepFunctions.idle();
    meter.enabled = false;
    recording = false;
    const usage = meter.take();

    const order = (await rep.get(`/orders/${orderId}`)).body;
    if (order.status !== 'GOODS_RESERVED' || order.credit?.outcome !== 'RESERVED' || order.fulfilment?.outcome !== 'RESERVED' || order.findings?.length) {
      throw new Error(
        `${orderId} is ${order.status} (credit ${JSON.stringify(order.credit)}, stock ${JSON.stringify(order.fulfilment)}) with findings ${JSON.stringify(order.findings)}, not GOODS_RESERVED, credit and goods reserved, with none`,
      );
    }
    const executions = stack.stepFunctions.listExecutions().filter((e) => e.stateMachineName === machine!.name && (e.input as { orderId?: string }).orderId === orderId);
    if (executions.length !== 1 || executions[0]!.status !== 'SUCCEEDED') throw new Error(`${orderId}: expected one SUCCEEDED review, credit and stock execution, got ${JSON.stringify(executions.map((e) => e.status))}`);
    const visitedStates = executions[0]!.visitedStates;
    const taskStates = visitedStates.filter((s) => asl.States[s]?.Type === 'Task').length;

    const calls = [
      { id: 'SubmitOrder', trigger: 'API' as const, ms: submitted.ms },
      { id: 'DecideTask', trigger: 'API' as const, ms: decided.ms },
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
      lambdaInvocations: 2 + (taskFunctionsTimed ? taskCalls.length : taskStates),
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
      await stack.stepFunctions.idle();
      return { customerId: customer.customerId, limitMinor: customer.limitMinor, stock };
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
        perOrder: {
          stateTransitions: avg((s) => s.stateTransitions),
          taskStates: avg((s) => s.taskStates),
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

    idle: () => stack.stepFunctions.idle(),
  };
}
