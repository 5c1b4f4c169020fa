/**
 * Reliability (issue 8, part 3): faults in the workflow. Every Task state of every state machine is
 * made to fail by the local stack's fault switch (`stack.faults.failTask`, test-only, see
 * infra/local/stepfunctions/faults.ts), on the real ASL files, over HTTP as the people involved:
 *
 * - once: each path through a machine (review, credit, stock, delivery and billing of an order; a
 *   credit review; a price list version; each kind of approval; a finance export) runs twice, once
 *   clean and once with EVERY Task state on it failing once AFTER its function ran (its answer lost,
 *   a Lambda service error, so the ASL's Retry runs the function again). What a user sees afterwards
 *   — the subject, its history, its tasks, the notifications, invoices, ledger entries, stock
 *   movements — must be the same as in the clean run: nothing doubled, nothing missing.
 * - for good: each Task state, on the first path that reaches it, fails every attempt
 *   (States.TaskFailed, the function never runs). After its retries (as many as its Retry block
 *   says) its Catch must leave the subject in a visible state with the reason (an order in EXCEPTION
 *   with what it held given back, a credit review, price list version or request ended with the
 *   reason) and the execution failed, so operations see it too; nobody is left with an open task
 *   for it. The steps that record such a failure are themselves made to fail, once (the record is
 *   written once) and for good (the execution fails at them: the last resort).
 *
 * The Task states are read from the ASL files; a Task state without a scenario fails its test.
 * Paths of different machines (and orders, which faults find by their id) run side by side on one
 * stack; paths whose subject is known only once its execution started run one after another in the
 * lane of their machine. Time moves per execution (expireDue for that execution only); nothing sleeps.
 * At the end the credit, stock, receivables and task invariants hold over everything that ran.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // R-REVIEW-2: orders without findings under 500.00 pass review without a person (FinishAutoApproved).
  process.env.SETTINGS_JSON = JSON.stringify({ autoApprovalThresholdMinor: 50_000 });
});

import { businessDate } from '../../functions/shared/clock.js';
import type { StateMachineDefinition } from '../../functions/shared/definitions.js';
import { ddb } from '../../functions/shared/dynamo.js';
import { DEMO_USERS } from '../../infra/local/auth.js';
import { STATE_MACHINES, TABLES } from '../../infra/definitions/index.js';
import { REPO_ROOT } from '../../infra/local/lambda.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { stateMachineArn, type ExecutionInfo, type TaskFault, type TaskFaultOptions } from '../../infra/local/stepfunctions/index.js';
import { creditNoteApprovers } from '../../functions/credit-notes/rules.js';
import { returnApprovers } from '../../functions/returns/rules.js';
import { sampleApprovers } from '../../functions/samples/rules.js';
import { ROLES } from '../../functions/shared/roles.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, deliveredOrder, expectStatus, receiveStock, seedCatalogueAndPrices, shipAtTheGate, yuan } from '../support/order-fixtures.js';
import { scanAll } from '../support/scan.js';

const DAY = 24 * 60 * 60 * 1000;
const REP = 'wang.qiang';
const CLERK = 'zhao.min';
const DESK = 'chen.jie';
const MANAGER = 'liu.yang';
const VP = 'sun.li';
const GM = 'zhou.wei';
const FINANCE = 'wu.fang';
const FINANCE_MANAGER = 'zheng.hao';
const PRODUCTION = 'xu.gang';

/** Once: the function ran, then its answer was lost (a Lambda service error every Task state's Retry treats as passing). */
const ONCE: TaskFaultOptions = { times: 1, when: 'after', error: 'Lambda.ServiceException', cause: 'injected: the answer was lost' };
/** For good: every attempt fails and the function never runs (a dependency that is down). */
const FOR_GOOD: TaskFaultOptions = { times: 'always', when: 'before', error: 'States.TaskFailed', cause: 'injected: the step cannot succeed' };

// ------------------------------------------------------------------ the state machines, from their files

interface AslState {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}
const MACHINES = Object.values(STATE_MACHINES) as StateMachineDefinition[];
const files = new Map<string, { StartAt: string; States: Record<string, AslState> }>();
const aslOf = (m: StateMachineDefinition) => {
  if (!files.has(m.file)) files.set(m.file, JSON.parse(readFileSync(path.join(REPO_ROOT, m.file), 'utf8')) as { StartAt: string; States: Record<string, AslState> });
  return files.get(m.file)!;
};
const taskStatesOf = (m: StateMachineDefinition) => Object.entries(aslOf(m).States).filter(([, s]) => s.Type === 'Task').map(([name]) => name);
const machineNamed = (name: string) => MACHINES.find((m) => m.name === name)!;

/** How many attempts a Task state makes when every one fails with `error`: 1 + MaxAttempts of the first retrier that matches, as Step Functions counts. */
function attemptsFor(machine: string, state: string, error: string): number {
  const s = aslOf(machineNamed(machine)).States[state]!;
  const retrier = (s.Retry ?? []).find((r) => r.ErrorEquals.some((e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout')));
  return 1 + (retrier ? (retrier.MaxAttempts ?? 3) : 0);
}

/**
 * The Task states only a States.ALL Catch leads to: the steps that record a failure for good. No
 * clean path reaches them; their scenarios come with another step's failure.
 */
function recordersOf(machine: string): string[] {
  const asl = aslOf(machineNamed(machine));
  const reached = new Set<string>();
  const queue = [asl.StartAt];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    const s = asl.States[name]!;
    const plainCatches = (s.Catch ?? []).filter((c) => !c.ErrorEquals.includes('States.ALL'));
    queue.push(...[s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...plainCatches.map((c) => c.Next)].filter((n): n is string => !!n));
  }
  return taskStatesOf(machineNamed(machine)).filter((t) => !reached.has(t));
}

// ------------------------------------------------------------------ the stack and small helpers

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);

const ok = (res: Promise<{ status: number; body: any }>, status?: number) => expectStatus(stack, res, status);

async function decide(userId: string, subjectId: string, body: Record<string, unknown>): Promise<void> {
  const { res } = await decideTaskAbout(stack, userId, subjectId, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const inputOf = (e: ExecutionInfo) => e.input as Record<string, unknown>;
const matches = (e: ExecutionInfo, filter: Record<string, unknown>) => Object.entries(filter).every(([k, v]) => JSON.stringify(inputOf(e)[k]) === JSON.stringify(v));

/** Moves time for these executions only (others on the shared stack keep theirs), then lets them settle. */
async function passTime(executions: ExecutionInfo[], ms: number): Promise<void> {
  const running = executions.filter((e) => e.status === 'RUNNING').map((e) => e.executionArn);
  await stack.stepFunctions.expireDue(new Date(Date.now() + ms), { executionArns: running });
  await stack.stepFunctions.idle();
}

/** Items of one table that belong to a subject (a test-only scan, as the invariant checks do). */
async function itemsAbout(table: keyof typeof TABLES, about: (item: Record<string, any>) => boolean): Promise<Record<string, any>[]> {
  return (await scanAll(stack, TABLES[table].localName)).filter(about);
}

async function historyOf(subjectKey: string): Promise<{ action: string; reason?: string; at: string }[]> {
  const out: { action: string; reason?: string; at: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: TABLES.audit.localName,
        KeyConditionExpression: 'subject = :s AND begins_with(entryKey, :c)',
        ExpressionAttributeValues: { ':s': subjectKey, ':c': 'CHANGE#' },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    out.push(...(page.Items ?? []).map((i) => ({ action: String(i.action), at: String(i.at), ...(i.reason ? { reason: String(i.reason) } : {}) })));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

const mentions = (ids: string[]) => (n: Record<string, any>) => ids.some((id) => `${n.subject} ${n.body} ${n.link ?? ''}`.includes(id));
const notificationsAbout = (ids: string[]) => itemsAbout('notifications', mentions(ids));
const openTasksAbout = async (ids: string[]) => itemsAbout('tasks', (t) => t.status === 'OPEN' && ids.includes(t.subject?.id));

/** Ids, timestamps and tokens differ from run to run; what is left is what a user reads. */
function normalize(value: unknown): unknown {
  const text = JSON.stringify(value)
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/\b(TK|NT)-[0-9A-Z]{26}\b/g, '<$1>')
    .replace(/\b[A-Z]{2,3}-\d[0-9A-Z-]*/g, '<id>')
    // What else the customer or the list holds meanwhile (other paths run side by side).
    .replace(/within the limit: [\d.]+ CNY was available/g, 'within the limit: <available> CNY was available')
    .replace(/drafted from version \d+/g, 'drafted from version <n>')
    .replace(/\/(PLATE-Q235|VALVE-DN50)\/[\w-]+/g, '/$1/<proposal>');
  return JSON.parse(text);
}
const sorted = (items: unknown[]) => items.map((i) => JSON.stringify(normalize(i))).sort();

/** What people see of a subject (since its path started), besides the subject itself: history, notifications, open and closed tasks. */
async function seenAbout(subjectKeys: string[], ids: string[], since = '', taskIds = ids) {
  const history = (await Promise.all(subjectKeys.map(historyOf))).flat().filter((e) => e.at >= since);
  const notes = (await notificationsAbout(ids)).filter((n) => n.createdAt >= since).map((n) => ({ to: n.recipient, subject: n.subject, body: n.body }));
  const tasks = (await itemsAbout('tasks', (t) => taskIds.includes(t.subject?.id) && t.createdAt >= since)).map((t) => ({ type: t.type, role: t.assigneeRole, status: t.status, title: t.title }));
  return { history: sorted(history.map(({ action, reason }) => ({ action, reason }))), notifications: sorted(notes), tasks: sorted(tasks) };
}

// ------------------------------------------------------------------ paths

interface Ctx {
  [key: string]: any;
}

interface PathDef {
  machine: string;
  name: string;
  /** Paths in one lane run one after another; lanes run side by side. */
  lane: string;
  /** What the path stands on, made before its execution starts; `filter` picks its executions by input (none: every execution of the machine started meanwhile, so the lane is the machine's own). */
  prepare(): Promise<{ ctx: Ctx; filter?: Record<string, unknown> }>;
  /** What people do, in turn; the run stops once the subject's workflow failed. */
  steps: ((ctx: Ctx) => Promise<void>)[];
  /** What people see afterwards, normalized; the same for a clean run and a run with faults. */
  observe(ctx: Ctx): Promise<unknown>;
  /** Whether the subject ended visibly after a step failed for good, and the reason it shows. */
  visible(ctx: Ctx): Promise<{ ended: boolean; reason: string }>;
  /** The ids people find the subject by (tasks, notifications). */
  ids(ctx: Ctx): string[];
}

interface RunResult {
  path: PathDef;
  ctx: Ctx;
  executions: ExecutionInfo[];
  faults: TaskFault[];
}

/** Runs a path, with the faults `arm` registers for it; returns what ran. */
async function runPath(p: PathDef, arm: (filter: Record<string, unknown> | undefined) => TaskFault[]): Promise<RunResult> {
  const since = new Date().toISOString();
  const { ctx, filter } = await p.prepare();
  ctx.since = since;
  const machineArn = stateMachineArn(p.machine);
  const before = new Set(stack.stepFunctions.listExecutions(machineArn).map((e) => e.executionArn));
  const executions = () => stack.stepFunctions.listExecutions(machineArn).filter((e) => (filter ? matches(e, filter) : !before.has(e.executionArn)));
  ctx.executions = executions;
  const faults = arm(filter);
  try {
    for (const step of p.steps) {
      if (executions().some((e) => e.status === 'FAILED')) break;
      await step(ctx);
    }
    await stack.stepFunctions.idle();
  } finally {
    // Faults on a whole machine must not reach the next path of its lane.
    for (const f of faults) f.clear();
  }
  return { path: p, ctx, executions: executions(), faults };
}

const onEveryTask = (machine: string, options: TaskFaultOptions) => (filter: Record<string, unknown> | undefined) =>
  taskStatesOf(machineNamed(machine)).map((s) => stack.faults.failTask(machine, s, { ...options, ...(filter ? { input: filter } : {}) }));

// Customers and what orders stand on, made once in beforeAll.
let customerId: string;
/** The customer goods are held and samples given for: its own, since held goods go to the customer's orders first. */
let requestsCustomerId: string;
const CUSTOMER_NAME = 'Fault Tolerant Trading';
let invoiceForNotes: { invoiceId: string; customerId: string };

const orderOf = async (orderId: string) => (await as(REP).get(`/orders/${orderId}`)).body;

/** An order path: a draft of `body` for `customer()` (the shared customer unless the path needs its own), then the steps. */
function orderPath(name: string, lane: string, body: (customerId: string) => Record<string, unknown>, steps: PathDef['steps'], customer?: () => Promise<string>): PathDef {
  return {
    machine: 'OrderReview',
    name,
    lane,
    prepare: async () => {
      const forCustomer = customer ? await customer() : customerId;
      const draft = await ok(as(REP).post('/orders', body(forCustomer)), 201);
      return { ctx: { orderId: draft.orderId, customerId: forCustomer }, filter: { orderId: draft.orderId } };
    },
    steps,
    observe: async (ctx) => {
      const o = await orderOf(ctx.orderId);
      const invoices = await itemsAbout('invoices', (i) => i.orderId === ctx.orderId);
      const invoiceIds = invoices.map((i) => i.invoiceId as string);
      const ledger = await itemsAbout('ledger', (e) => invoiceIds.some((id) => JSON.stringify(e).includes(id)) || JSON.stringify(e).includes(ctx.orderId));
      const movements = await itemsAbout('stock', (m) => m.kind !== undefined && JSON.stringify(m).includes(ctx.orderId));
      const notes = await itemsAbout('deliveryNotes', (n) => n.orderId === ctx.orderId);
      return {
        order: normalize({ status: o.status, review: { round: o.review?.round, outcome: o.review?.outcome, reason: o.review?.reason }, credit: o.credit && { outcome: o.credit.outcome, basis: o.credit.basis, reserved: o.credit.reserved, attempt: o.credit.attempt }, fulfilment: o.fulfilment && { outcome: o.fulfilment.outcome, lines: o.fulfilment.lines, requests: o.fulfilment.requests?.length }, exception: o.exception?.step }),
        invoices: sorted(invoices.map((i) => ({ gross: i.gross, status: i.status, lines: i.lines?.length }))),
        ledger: sorted(ledger.map((e) => ({ kind: e.kind, amount: e.amountMinor ?? e.amount }))),
        movements: sorted(movements.map((m) => ({ kind: m.kind, quantity: m.quantity }))),
        deliveryNotes: sorted(notes.map((n) => ({ status: n.status, lines: n.lines?.length }))),
        ...(await seenAbout([`order#${ctx.orderId}`], [ctx.orderId], ctx.since)),
      };
    },
    visible: async (ctx) => {
      const o = await orderOf(ctx.orderId);
      return { ended: o.status === 'EXCEPTION', reason: o.exception ? `${o.exception.step}: ${o.exception.cause}` : `status ${o.status}` };
    },
    ids: (ctx) => [ctx.orderId],
  };
}

const submit = async (ctx: Ctx) => void (await ok(as(REP).post(`/orders/${ctx.orderId}/submission`), 202));
const deskApproves = (ctx: Ctx) => decide(DESK, ctx.orderId, { outcome: 'APPROVED' });
const approvesAs = (userId: string) => (ctx: Ctx) => decide(userId, ctx.orderId, { outcome: 'APPROVED', comment: 'fine' });
const timesOut = (days: number) => (ctx: Ctx) => passTime(ctx.executions(), days * DAY + 60_000);

const shipAtGate = (ctx: Ctx) => shipAtTheGate(stack, ctx.orderId).then(() => undefined);

/** A customer of its own, with finance's decision `credit` (limit and more), for paths that depend on the customer's credit. */
const ownCustomer = (credit: Record<string, unknown>) => () => approvedCustomer(stack, REP, CUSTOMER_NAME, {}, credit);

const PICKUP = (c: string) => completeOrder(c, { delivery: { mode: 'pickup' } });
/** R-PRICE-3 and R-REVIEW-4: below the minimum (GM, then VP sales) and taken verbally for delivery (sales manager). */
const SPECIAL = (c: string) => completeOrder(c, { channel: 'verbal', lines: [{ productCode: 'PLATE-Q235', specification: '10mm', quantity: '2', unitPrice: yuan(3700) }] });
/** One valve, no finding, under the auto-approval threshold. */
const SMALL = (c: string) => completeOrder(c, { lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }] });
/** 12 mm plate is never in stock here: a production request each time. */
const SHORT = (c: string) => completeOrder(c, { lines: [{ productCode: 'PLATE-Q235', specification: '12mm', quantity: '2' }] });

const ORDER_PATHS: PathDef[] = [
  orderPath('approved by the order desk, delivered and invoiced', 'orders-1', PICKUP, [submit, deskApproves, shipAtGate]),
  orderPath('special approvals: GM, VP sales, sales manager, order desk', 'orders-2', SPECIAL, [submit, approvesAs(GM), approvesAs(VP), approvesAs(MANAGER), deskApproves]),
  orderPath('nobody decides: escalated to the GM twice, then the sales manager, then back to the rep', 'orders-3', SPECIAL, [submit, approvesAs(GM), timesOut(2), approvesAs(GM), timesOut(2), approvesAs(GM), timesOut(2), timesOut(2)]),
  orderPath('returned by the order desk, then rejected', 'orders-4', PICKUP, [
    submit,
    (ctx) => decide(DESK, ctx.orderId, { outcome: 'RETURNED', comment: 'confirm the site' }),
    submit,
    (ctx) => decide(DESK, ctx.orderId, { outcome: 'REJECTED', comment: 'duplicate' }),
  ]),
  orderPath('approved without a person (R-REVIEW-2)', 'orders-1', SMALL, [submit]),
  orderPath('on credit hold, the GM lifts it, checked again', 'orders-2', PICKUP, [
    async (ctx) => void (await ok(as(FINANCE).post(`/customers/${ctx.customerId}/credit-hold`, { reason: 'cheque bounced' }))),
    submit,
    deskApproves,
    async (ctx) => void (await ok(as(GM).post(`/customers/${ctx.customerId}/credit-hold/lift`, { reason: 'replacement transfer arrived' }))),
  ], ownCustomer({ creditLimit: yuan(100_000) })),
  // 12,430.00 on an 11,000.00 limit is 13% over: the finance manager decides.
  orderPath('over the limit: the finance manager approves', 'orders-3', PICKUP, [submit, deskApproves, approvesAs(FINANCE_MANAGER)], ownCustomer({ creditLimit: yuan(11_000) })),
  orderPath('over the limit, nobody decides: the GM, then back to the rep', 'orders-4', PICKUP, [submit, deskApproves, timesOut(2), timesOut(2)], ownCustomer({ creditLimit: yuan(11_000) })),
  orderPath('far over the limit: the GM refuses', 'orders-1', PICKUP, [submit, deskApproves, (ctx) => decide(GM, ctx.orderId, { outcome: 'REJECTED', comment: 'prepay' })], ownCustomer({ creditLimit: yuan(5_000) })),
  orderPath('prepaid: finance records the payment', 'orders-2', (c) => completeOrder(c, { paymentMethod: 'prepaid', delivery: { mode: 'pickup' } }), [
    submit,
    deskApproves,
    async (ctx) => {
      const gross = (await orderOf(ctx.orderId)).totals.gross;
      await ok(as(FINANCE).post('/payments', { customerId: ctx.customerId, orderId: ctx.orderId, method: 'BANK_TRANSFER', bankReference: `BK-${ctx.orderId}`, amount: gross, receivedOn: businessDate() }), 201);
    },
  ]),
  orderPath('short of stock: production makes it, the order reserves it', 'orders-short', SHORT, [
    submit,
    deskApproves,
    async (ctx) => void (await ok(as(PRODUCTION).post(`/supply-requests/PR-${ctx.orderId}-L1-1/completion`, { quantity: '2', batch: `B-${ctx.orderId}` }))),
  ]),
];

/** A new round of an approved customer's credit review (R-CREDIT-1), found by { customerId, round: 2 }. */
function creditReviewPath(name: string, steps: PathDef['steps']): PathDef {
  return {
    machine: 'CreditReview',
    name,
    lane: 'credit-review',
    prepare: async () => {
      const id = await approvedCustomer(stack, REP, CUSTOMER_NAME);
      return { ctx: { customerId: id }, filter: { customerId: id, round: 2 } };
    },
    steps: [async (ctx) => void (await ok(as(FINANCE).post(`/customers/${ctx.customerId}/credit-reviews`, { comment: 'yearly check' }), 202)), ...steps],
    observe: async (ctx) => {
      const c = (await as(FINANCE).get(`/customers/${ctx.customerId}`)).body;
      return { credit: normalize({ status: c.credit.status, round: c.credit.round, rating: c.credit.rating, limit: c.credit.limit, comment: c.credit.comment }), ...(await seenAbout([`customer#${ctx.customerId}`], [ctx.customerId], ctx.since)) };
    },
    visible: async (ctx) => {
      const c = (await as(FINANCE).get(`/customers/${ctx.customerId}`)).body;
      return { ended: c.credit.status === 'EXPIRED', reason: String(c.credit.comment) };
    },
    ids: (ctx) => [ctx.customerId],
  };
}

const CREDIT_REVIEW_PATHS: PathDef[] = [
  creditReviewPath('finance decides', [
    (ctx) => decide(FINANCE, ctx.customerId, { outcome: 'APPROVED', rating: 'A', creditLimit: yuan(900_000), paymentTermsDays: 30, contract: { number: `HT-${ctx.customerId}-2`, validFrom: '2026-01-01', validTo: '2099-12-31' } }),
  ]),
  creditReviewPath('nobody decides: the finance manager, then it expires', [timesOut(3), timesOut(3)]),
];

let lastGeneralVersion: number | undefined;

/** A version of the general price list (a copy of the latest, in force only from 2099), found by { priceListId, version, round }. */
function priceListPath(name: string, steps: PathDef['steps']): PathDef {
  const ofVersion = (ctx: Ctx) => (text: string) => text.replaceAll(`version ${ctx.version}`, 'version <v>').replaceAll(`v${ctx.version}`, 'v<v>');
  return {
    machine: 'PriceListApproval',
    name,
    lane: 'price-list',
    prepare: async () => {
      // A version that came back to its drafter is submitted again (a new round); one is drafted only when none is open.
      const last = lastGeneralVersion === undefined ? undefined : (await as(CLERK).get(`/price-lists/GENERAL/versions/${lastGeneralVersion}`)).body;
      const draft = last?.status === 'RETURNED' ? last : await ok(as(CLERK).post('/price-lists/GENERAL/versions', { effectiveFrom: '2099-01-01', copyLatest: true }), 201);
      lastGeneralVersion = draft.version as number;
      const round = ((draft.round as number | undefined) ?? 0) + 1;
      return { ctx: { version: draft.version, round }, filter: { priceListId: 'GENERAL', version: draft.version, round } };
    },
    steps: [async (ctx) => void (await ok(as(CLERK).post(`/price-lists/GENERAL/versions/${ctx.version}/submission`), 202)), ...steps],
    observe: async (ctx) => {
      const v = (await as(CLERK).get(`/price-lists/GENERAL/versions/${ctx.version}`)).body;
      const mine = new RegExp(`\\b(version ${ctx.version}|v${ctx.version})\\b`);
      // Whether the path drafted its version or took one back from its drafter, and which round, depends on the path before it.
      const history = (await historyOf('priceList#GENERAL'))
        .filter((e) => e.at >= ctx.since && mine.test(e.action) && !e.action.includes(' drafted from '))
        .map(({ action, reason }) => ({ action: action.replace(/\(round \d+\)/, '(round <r>)'), reason }));
      const notes = (await itemsAbout('notifications', (n) => n.createdAt >= ctx.since && (mine.test(`${n.subject} ${n.body}`) || String(n.link ?? '').endsWith(`/versions/${ctx.version}`)))).map((n) => ({ to: n.recipient, subject: n.subject, body: n.body }));
      const tasks = (await itemsAbout('tasks', (t) => t.createdAt >= ctx.since && t.subject?.id === 'GENERAL' && mine.test(String(t.title)))).map((t) => ({ type: t.type, role: t.assigneeRole, status: t.status, title: t.title }));
      const fix = ofVersion(ctx);
      return JSON.parse(fix(JSON.stringify({ version: normalize({ status: v.status, returnReason: v.returnReason, reviewEscalated: v.reviewEscalated }), history: sorted(history), notifications: sorted(notes), tasks: sorted(tasks) })));
    },
    visible: async (ctx) => {
      const v = (await as(CLERK).get(`/price-lists/GENERAL/versions/${ctx.version}`)).body;
      return { ended: v.status === 'RETURNED', reason: String(v.returnReason) };
    },
    ids: () => ['GENERAL'],
  };
}

const reviewer = (outcome: string, comment?: string) => () => decide(MANAGER, 'GENERAL', { outcome, ...(comment ? { comment } : {}) });
const approver = (outcome: string, comment?: string) => () => decide(GM, 'GENERAL', { outcome, ...(comment ? { comment } : {}) });
const PRICE_LIST_PATHS: PathDef[] = [
  priceListPath('reviewed by the sales manager, approved by the GM', [reviewer('APPROVED'), approver('APPROVED')]),
  priceListPath('returned at review', [reviewer('RETURNED', 'check the valve prices')]),
  priceListPath('review not done: escalated to the GM; approval not given: reminded; returned by the GM', [timesOut(3), timesOut(3), approver('RETURNED', 'not this year')]),
  priceListPath('approval not given: reminded, then back to the drafter', [reviewer('APPROVED'), timesOut(3), timesOut(3)]),
];

/** A request decided through an approval machine; its id is known once it was asked for (the machine's own lane). */
function approvalPath(
  machine: string,
  name: string,
  ask: () => Promise<string>,
  read: (id: string) => Promise<any>,
  subjectKey: (id: string) => string,
  decisions: ((id: string) => Promise<void>)[],
  taskSubject: (ctx: Ctx) => string = (ctx) => ctx.id,
  noteIds: (ctx: Ctx) => string[] = () => [],
): PathDef {
  return {
    machine,
    name,
    lane: machine,
    prepare: async () => ({ ctx: {} }),
    steps: [
      async (ctx) => {
        ctx.id = await ask();
        await stack.stepFunctions.idle();
      },
      ...decisions.map((d) => (ctx: Ctx) => d(taskSubject(ctx))),
    ],
    observe: async (ctx) => {
      const r = await read(ctx.id);
      return { request: normalize({ status: r.status, endReason: r.endReason, decisions: r.decisions?.map((d: { outcome: string }) => d.outcome) }), ...(await seenAbout([subjectKey(ctx.id)], [ctx.id, ...noteIds(ctx)], ctx.since, [ctx.id, taskSubject(ctx)])) };
    },
    visible: async (ctx) => {
      const r = await read(ctx.id);
      return { ended: !['PENDING_APPROVAL', 'PENDING'].includes(r.status), reason: JSON.stringify(r) };
    },
    ids: (ctx) => [ctx.id, taskSubject(ctx)],
  };
}

const getBody = (url: string) => async () => (await as(MANAGER).get(url)).body;
const decidesAs = (userId: string) => (id: string) => decide(userId, id, { outcome: 'APPROVED', comment: 'agreed' });
const created = async (res: Promise<{ status: number; body: any }>, field: string) => (await ok(res, 202))[field] as string;

const APPROVAL_PATHS: PathDef[] = [
  approvalPath(
    'GoodsReservationApproval',
    'goods held for a customer with a deposit: finance approves',
    () => created(as(REP).post('/goods-reservations', { customerId: requestsCustomerId, lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }], deposit: { amount: yuan(100), reference: 'RC-DEP-1' }, reason: 'contract next week' }), 'reservationId'),
    (id) => getBody(`/goods-reservations/${id}`)(),
    (id) => `goodsReservation#${id}`,
    [decidesAs(FINANCE)],
  ),
  approvalPath(
    'GoodsReservationApproval',
    'goods held on the rep’s guarantee: the sales manager, then the GM',
    () => created(as(REP).post('/goods-reservations', { customerId: requestsCustomerId, lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }], guarantee: 'long-standing customer' }), 'reservationId'),
    (id) => getBody(`/goods-reservations/${id}`)(),
    (id) => `goodsReservation#${id}`,
    [decidesAs(MANAGER), decidesAs(GM)],
  ),
  approvalPath(
    'SafetyStockApproval',
    'a safety stock proposed by the clerk, approved by the sales manager',
    async () => (await ok(as(CLERK).post('/stock/PLATE-Q235/safety-stock', { specification: '10mm', quantity: '1', basis: 'steady demand' }), 202)).proposalId,
    async (proposalId) => {
      const place = (await as(CLERK).get('/stock/PLATE-Q235/safety-stock')).body.places.find((p: { specification: string }) => p.specification === '10mm');
      const entry = place.history.find((h: { proposalId: string }) => h.proposalId === proposalId) ?? (place.pending?.proposalId === proposalId ? place.pending : undefined);
      return { ...entry, status: entry?.status ?? 'PENDING', endReason: entry?.reason };
    },
    () => 'product#PLATE-Q235',
    [decidesAs(MANAGER)],
    () => 'PLATE-Q235',
    () => ['PLATE-Q235 10mm in MAIN'],
  ),
  approvalPath(
    'SampleRequestApproval',
    'samples asked by the rep, approved by the sales manager',
    () => created(as(REP).post('/sample-requests', { purpose: 'SAMPLE', customerId: requestsCustomerId, recipient: 'quality lab', lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '1' }], reason: 'trial' }), 'requestId'),
    (id) => getBody(`/sample-requests/${id}`)(),
    (id) => `sampleRequest#${id}`,
    [decidesAs(MANAGER)],
  ),
  approvalPath(
    'CreditNoteApproval',
    'an allowance asked by the rep, approved by the sales manager',
    () => created(as(REP).post('/credit-notes', { invoiceId: invoiceForNotes.invoiceId, amount: yuan(10), reason: 'late delivery' }), 'creditNoteId'),
    (id) => getBody(`/credit-notes/${id}`)(),
    (id) => `creditNote#${id}`,
    [decidesAs(MANAGER)],
  ),
  approvalPath(
    'ReturnApproval',
    'a return asked by the rep, approved by the sales manager',
    () => created(as(REP).post('/returns', { invoiceId: invoiceForNotes.invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '0.1' }], reason: 'ordered too much', rootCause: 'keyed twice', responsibleParty: 'CUSTOMER' }), 'returnId'),
    (id) => getBody(`/returns/${id}`)(),
    (id) => `return#${id}`,
    [decidesAs(MANAGER)],
  ),
];

const EXPORT_PATHS: PathDef[] = [
  {
    machine: 'FinanceExport',
    name: 'finance asks for an export',
    lane: 'FinanceExport',
    prepare: async () => ({ ctx: {} }),
    steps: [
      async (ctx) => {
        // A month with nothing in it: the same rows whatever else runs meanwhile.
        ctx.id = (await ok(as(FINANCE).post('/exports', { kind: 'ledger', from: '2020-01-01', to: '2020-01-31', format: 'csv' }), 202)).exportId;
      },
    ],
    observe: async (ctx) => {
      const e = (await as(FINANCE).get(`/exports/${ctx.id}`)).body;
      return normalize({ status: e.status, failure: e.failure, files: e.manifest?.files?.map((f: { name: string; rows: number; sha256: string }) => ({ name: f.name, rows: f.rows, sha256: f.sha256 })) });
    },
    visible: async (ctx) => {
      const e = (await as(FINANCE).get(`/exports/${ctx.id}`)).body;
      return { ended: e.status === 'FAILED', reason: String(e.failure) };
    },
    ids: (ctx) => [ctx.id],
  },
];

const ALL_PATHS = [...ORDER_PATHS, ...CREDIT_REVIEW_PATHS, ...PRICE_LIST_PATHS, ...APPROVAL_PATHS, ...EXPORT_PATHS];

// ------------------------------------------------------------------ running paths side by side

interface Outcome<T> {
  value?: T;
  error?: unknown;
}

/** Runs jobs: those of one lane one after another, the lanes side by side; every outcome kept (an error does not stop the others). */
async function inLanes<T>(jobs: { lane: string; run: () => Promise<T> }[]): Promise<Outcome<T>[]> {
  const outcomes: Outcome<T>[] = jobs.map(() => ({}));
  const lanes = new Map<string, number[]>();
  jobs.forEach((j, i) => lanes.set(j.lane, [...(lanes.get(j.lane) ?? []), i]));
  await Promise.all(
    [...lanes.values()].map(async (indexes) => {
      for (const i of indexes) {
        try {
          outcomes[i]!.value = await jobs[i]!.run();
        } catch (error) {
          outcomes[i]!.error = error;
        }
      }
    }),
  );
  return outcomes;
}

const failedExecution = (r: RunResult) => r.executions.find((e) => e.status === 'FAILED');
const key = (machine: string, state: string) => `${machine}.${state}`;

/** Per path: its clean run, and the run with every Task state failing once. */
const onceRuns = new Map<PathDef, Outcome<{ clean: RunResult; faulted: RunResult }>>();
/** Per (machine, Task state): the run in which it failed for good. */
const forGoodRuns = new Map<string, Outcome<ForGood> & { path?: PathDef }>();

/** A run in which a step failed for good, with what people saw right after it (the next path of its lane may take the subject on). */
interface ForGood extends RunResult {
  seen: { ended: boolean; reason: string };
  openTasks: Record<string, any>[];
  notifications: Record<string, any>[];
}

/** The Task states a clean run of the path went through. */
const visitedTasks = (r: RunResult) => {
  const tasks = new Set(taskStatesOf(machineNamed(r.path.machine)));
  return [...new Set(r.executions.flatMap((e) => e.visitedStates))].filter((s) => tasks.has(s));
};

/**
 * Requests of these kinds name one approver by their rules, so their machine's SecondDecision is
 * never reached (the goods reservation's is): the rule is checked for every requester instead. If a
 * rule ever names a second approver, this fails and the kind needs a path through SecondDecision.
 */
const ONE_APPROVER: Record<string, () => void> = {
  SafetyStockApproval: () => {
    // The clerk's proposal names the sales manager alone (functions/stock/handlers/propose-safety-stock.ts).
    const runs = ALL_PATHS.filter((p) => p.machine === 'SafetyStockApproval').flatMap((p) => onceRuns.get(p)?.value?.clean.executions ?? []);
    expect(runs.length).toBeGreaterThan(0);
    for (const e of runs) expect(e.input).toEqual({ subjectId: expect.any(String), firstApprover: 'sales_manager' });
  },
  SampleRequestApproval: () => {
    for (const user of DEMO_USERS) expect(sampleApprovers({ ...user, roles: user.roles } as never)).toHaveLength(1);
  },
  CreditNoteApproval: () => {
    for (const user of DEMO_USERS) for (const amount of [1, 5_000_000, 5_000_001, 1e12]) expect(creditNoteApprovers(user as never, amount, 5_000_000)).toHaveLength(1);
  },
  ReturnApproval: () => {
    for (const role of ROLES) expect(returnApprovers([role])).toHaveLength(1);
  },
};

/** The Fail state each machine ends in after a step failed for good and its failure was recorded. */
const FAILED_AS: Record<string, string> = {
  OrderReview: 'OrderException',
  CreditReview: 'CreditReviewFailed',
  PriceListApproval: 'PriceListApprovalFailed',
  FinanceExport: 'ExportFailed',
};
const failedAs = (machine: string, state: string) => (machine === 'OrderReview' && state === 'InvoiceOrder' ? 'InvoicingFailed' : (FAILED_AS[machine] ?? 'ApprovalFailed'));

describe('faults in the workflow (issue 8)', () => {
  beforeAll(async () => {
    stack = await startTestStack();
    // No opening stock of 12 mm plate: the shortfall path makes it.
    await seedCatalogueAndPrices(stack, { stock: false });
    await receiveStock(stack, 'PLATE-Q235', '1000', 'opening stock', '10mm');
    await receiveStock(stack, 'VALVE-DN50', '10000', 'opening stock', 'PN16');
    customerId = await approvedCustomer(stack, REP, CUSTOMER_NAME, {}, { creditLimit: yuan(50_000_000) });
    requestsCustomerId = await approvedCustomer(stack, REP, 'Requests Only Co');
    const orderId = await deliveredOrder(stack, REP, customerId);
    const invoices = await itemsAbout('invoices', (i) => i.orderId === orderId);
    invoiceForNotes = { invoiceId: invoices[0]!.invoiceId, customerId };
  });
  afterAll(async () => stack?.stop());

  it('every path runs clean, then with every Task state on it failing once after its function ran: retried, people see exactly what they saw in the clean run', async () => {
    const outcomes = await inLanes(
      ALL_PATHS.map((p) => ({
        lane: p.lane,
        run: async () => {
          const clean = await runPath(p, () => []);
          expect(clean.executions.length, `${p.name}: it started`).toBeGreaterThan(0);
          expect(clean.executions.map((e) => e.status).filter((s) => s === 'FAILED'), `${p.name}: the clean run`).toEqual([]);
          const seenClean = await p.observe(clean.ctx);
          const faulted = await runPath(p, onEveryTask(p.machine, ONCE));
          const seenFaulted = await p.observe(faulted.ctx);
          expect(seenFaulted, `${p.machine}: ${p.name}`).toEqual(seenClean);
          expect(faulted.executions.map((e) => e.status)).toEqual(clean.executions.map((e) => e.status));
          // Every fault struck at most once, and the same states ran as in the clean run.
          for (const f of faulted.faults) expect(f.hits.length).toBeLessThanOrEqual(1);
          expect(faulted.faults.filter((f) => f.hits.length === 1).map((f) => f.state).sort()).toEqual(visitedTasks(clean).sort());
          return { clean, faulted };
        },
      })),
    );
    ALL_PATHS.forEach((p, i) => onceRuns.set(p, outcomes[i]!));
    const failures = outcomes.flatMap((o, i) => (o.error ? [`${ALL_PATHS[i]!.machine}: ${ALL_PATHS[i]!.name}: ${(o.error as Error).message}`] : []));
    expect(failures).toEqual([]);
  }, 180_000);

  it('each Task state, on the first path that reaches it, fails for good: the runs', async () => {
    const jobs: { lane: string; run: () => Promise<ForGood>; key: string; path: PathDef }[] = [];
    for (const m of MACHINES) {
      const paths = ALL_PATHS.filter((p) => p.machine === m.name);
      const recorders = recordersOf(m.name);
      for (const state of taskStatesOf(m)) {
        const isRecorder = recorders.includes(state);
        const p = paths.find((candidate) => {
          const clean = onceRuns.get(candidate)?.value?.clean;
          return clean && (isRecorder ? visitedTasks(clean).length > 0 : visitedTasks(clean).includes(state));
        });
        if (!p) continue; // its test below says so
        // A recorder is reached when the first Task state of the path fails for good.
        const first = isRecorder ? onceRuns.get(p)!.value!.clean.executions[0]!.visitedStates.find((s) => taskStatesOf(m).includes(s))! : undefined;
        jobs.push({
          key: key(m.name, state),
          path: p,
          lane: p.lane,
          run: async () => {
            const r = await runPath(p, (filter) => {
              const input = filter ? { input: filter } : {};
              return [
                ...(first ? [stack.faults.failTask(m.name, first, { ...FOR_GOOD, ...input })] : []),
                stack.faults.failTask(m.name, state, { ...FOR_GOOD, ...input }),
                // The steps that record the failure lose their answer once: still recorded once.
                ...recorders.filter((x) => x !== state).map((x) => stack.faults.failTask(m.name, x, { ...ONCE, ...input })),
              ];
            });
            const ids = p.ids(r.ctx);
            return { ...r, seen: await p.visible(r.ctx), openTasks: await openTasksAbout(ids), notifications: await notificationsAbout(ids) };
          },
        });
      }
    }
    const outcomes = await inLanes(jobs);
    jobs.forEach((j, i) => forGoodRuns.set(j.key, { ...outcomes[i]!, path: j.path }));
    expect(jobs.length).toBeGreaterThan(0);
  }, 180_000);

  describe.each(MACHINES.map((m) => [m.name, m] as const))('%s', (machine, m) => {
    it.each(taskStatesOf(m))('%s failing once is retried; nothing is doubled or lost', (state) => {
      if (state === 'SecondDecision' && ONE_APPROVER[machine]) return ONE_APPROVER[machine]();
      if (recordersOf(machine).includes(state)) {
        // Struck once in the runs where another step failed for good (checked there: recorded once).
        const struck = [...forGoodRuns.entries()].filter(([k, r]) => k.startsWith(`${machine}.`) && r.value?.faults.some((f) => f.state === state && f.options.times === 1 && f.hits.length === 1));
        expect(struck.length, `${state} never failed once`).toBeGreaterThan(0);
        return;
      }
      const runs = ALL_PATHS.filter((p) => p.machine === machine).map((p) => [p, onceRuns.get(p)] as const);
      const covering = runs.filter(([, o]) => o?.value?.faulted.faults.some((f) => f.state === state && f.hits.length === 1));
      expect(covering.length, `no path of ${machine} reaches ${state}: add one`).toBeGreaterThan(0);
      for (const [p, o] of covering) expect(o!.error, p.name).toBeUndefined();
    });

    it.each(taskStatesOf(m))('%s failing for good ends visibly with the reason, gives back what was held, leaves no open task', async (state) => {
      if (state === 'SecondDecision' && ONE_APPROVER[machine]) return ONE_APPROVER[machine]();
      const run = forGoodRuns.get(key(machine, state));
      expect(run, `no path of ${machine} reaches ${state}: add one`).toBeDefined();
      if (run!.error) throw run!.error;
      const r = run!.value!;
      const fault = r.faults.find((f) => f.state === state && f.options.times === 'always')!;
      // Its Retry ran it as often as the ASL says, then its Catch took over.
      expect(fault.hits.length).toBe(attemptsFor(machine, state, FOR_GOOD.error!));
      const failed = failedExecution(r);
      expect(failed, 'the execution failed, for operations to see').toBeDefined();
      expect(r.executions.filter((e) => e.status === 'FAILED')).toHaveLength(1);
      const seen = r.seen;
      if (recordersOf(machine).includes(state)) {
        // The last resort: the step that records failures cannot; the failed execution says why.
        expect(failed).toMatchObject({ error: FOR_GOOD.error, cause: FOR_GOOD.cause });
        expect(failed!.visitedStates.at(-1)).toBe(state);
        expect(seen.ended).toBe(false);
        return;
      }
      expect(failed!.error).toBe(failedAs(machine, state));
      expect(failed!.visitedStates).toContain(state);
      // The step that records the failure lost its answer once, and recorded it once all the same (checked below: told once).
      for (const recorder of r.faults.filter((f) => f.options.times === 1)) expect(recorder.hits.length, `${recorder.state} lost its answer once`).toBe(failed!.visitedStates.includes(recorder.state) ? 1 : 0);
      if (machine === 'OrderReview' && state === 'InvoiceOrder') {
        // Delivered stays delivered; every note was invoiced once (at the proof of delivery, R-BILL-1).
        const order = await orderOf(r.ctx.orderId);
        expect(order.status).toBe('DELIVERED');
        expect((await itemsAbout('invoices', (i) => i.orderId === r.ctx.orderId)).length).toBe(order.fulfilment.notes?.length ?? 1);
      } else {
        expect(seen.ended, `${machine} ${state}: ${seen.reason}`).toBe(true);
        expect(seen.reason).toContain(FOR_GOOD.cause);
      }
      if (machine === 'OrderReview' && state !== 'InvoiceOrder') {
        const order = await orderOf(r.ctx.orderId);
        expect(order.exception).toMatchObject({ step: state });
        expect(order.credit?.reserved).toBeUndefined();
        expect(order.fulfilment?.lines ?? []).toEqual([]);
      }
      expect(r.openTasks).toEqual([]);
      // Told once: no notification about the failure twice.
      const struck = fault.hits[0]!.at;
      const notes = r.notifications.filter((n) => n.createdAt >= struck).map((n) => `${n.recipient} ${n.subject} ${n.body}`);
      // The order's invoicing and a finance export have no one to tell: the failed execution (an alarm) and the export's record say it.
      if (!(machine === 'OrderReview' && state === 'InvoiceOrder') && machine !== 'FinanceExport') expect(notes.length, 'somebody is told').toBeGreaterThan(0);
      expect(notes.length).toBe(new Set(notes).size);
    });
  });

  it('afterwards the credit, stock, receivables and task invariants hold', async () => {
    await expectInvariantsHold(stack);
  });
});
