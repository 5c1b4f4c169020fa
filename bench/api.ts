/**
 * API latency over real HTTP against a local stack in a child process: per route, a few
 * warm-up requests, then N requests at each concurrency, client-side wall time per request
 * (from sending to the last byte of the response body).
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { newCustomer, newProduct } from '../tests/support/local-stack.js';
import type { BenchKind, StackCall, StackReady, StackReply } from './stack-process.js';
import { percentile, round } from './stats.js';

const REP = 'wang.qiang'; // sales_rep: reads and creates own customers
const MANAGER = 'liu.yang'; // sales_manager: maintains the catalogue
const USERS = [REP, MANAGER];

export interface LatencyAtConcurrency {
  concurrency: number;
  requests: number;
  /** Answers outside the expected status; their times are still counted. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requestsPerSecond: number;
}

export interface RouteResult {
  route: string;
  user: string | null;
  expectedStatus: number;
  results: LatencyAtConcurrency[];
  /** p50 at the highest concurrency over p50 at the lowest (10 / 1 in the full run). */
  p50Ratio: number;
}

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface RouteSpec {
  route: string;
  user: string | null;
  expectedStatus: number;
  call: (i: number) => Call;
}

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

export function request(agent: http.Agent, base: URL, token: string | undefined, call: Call): Promise<Answer> {
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      { agent, host: base.hostname, port: base.port, method: call.method, path: call.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`${call.method} ${call.path} timed out`)));
    req.end(payload);
  });
}

/** A local stack in a child process (stack-process.ts), called over HTTP and, for bench work inside it, over IPC. */
export interface StackChild {
  base: URL;
  agent: http.Agent;
  tokens: Record<string, string>;
  /** Runs an operation of the stack's bench (orders or credit) inside the stack process (see stack-process.ts). */
  call<T>(op: StackCall['op'], args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Which bench the process serves over IPC (stack-process.ts); default orders. */
  kind?: BenchKind;
  /** Company settings for this stack (merged over SETTINGS_JSON of this process), e.g. the auto-approval threshold. */
  settings?: Record<string, unknown>;
}

export async function startStack(users: readonly string[], maxSockets: number, options: StackOptions = {}): Promise<StackChild> {
  const script = fileURLToPath(new URL('./stack-process.ts', import.meta.url));
  const settings = options.settings ? { SETTINGS_JSON: JSON.stringify({ ...(process.env.SETTINGS_JSON ? (JSON.parse(process.env.SETTINGS_JSON) as object) : {}), ...options.settings }) } : {};
  const child = fork(script, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, BENCH_USERS: users.join(','), BENCH_KIND: options.kind ?? 'orders', ...settings },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<StackReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the local stack did not start within 120 s')), 120_000);
    child.once('message', (m: StackReady) => {
      clearTimeout(timer);
      resolve(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local stack process exited (${code}) before it was ready`));
    });
  });
  const base = new URL(ready.url);
  if (base.hostname !== '127.0.0.1' && base.hostname !== 'localhost') {
    await stopStack(child);
    throw new Error(`refusing to bench ${ready.url}: local only`);
  }
  base.hostname = '127.0.0.1';

  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: StackReply) => {
    if (m?.type !== 'reply') return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(`in the stack process: ${m.error}`));
  });
  child.once('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`the local stack process exited (${code})`));
    pending.clear();
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    base,
    agent,
    tokens: ready.tokens,
    call: <T>(op: StackCall['op'], args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ type: 'call', id, op, args } satisfies StackCall);
      }),
    stop: async () => {
      agent.destroy();
      await stopStack(child);
    },
  };
}

async function stopStack(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * `requests` calls of `send(i)` by `concurrency` workers; client-side time of each, errors are
 * answers other than `expectedStatus` (their times still count). `onAnswer` sees every answer.
 */
export async function runLoad(options: {
  requests: number;
  concurrency: number;
  expectedStatus: number;
  send: (i: number) => Promise<Answer>;
  onAnswer?: (answer: Answer, i: number) => void;
}): Promise<LatencyAtConcurrency> {
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.requests) {
      const i = next++;
      const a = await options.send(i);
      times.push(a.ms);
      if (a.status !== options.expectedStatus) errors++;
      options.onAnswer?.(a, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.requests) }, worker));
  const wall = performance.now() - started;
  return {
    concurrency: options.concurrency,
    requests: times.length,
    errors,
    p50Ms: round(percentile(times, 0.5)),
    p99Ms: round(percentile(times, 0.99)),
    meanMs: round(times.reduce((s, t) => s + t, 0) / times.length),
    requestsPerSecond: round((times.length / wall) * 1000, 1),
  };
}

export interface ApiBenchOptions {
  requestsPerRoute: number;
  concurrencies: readonly number[];
  warmupRequests: number;
  log: (line: string) => void;
}

export async function benchApi(options: ApiBenchOptions): Promise<RouteResult[]> {
  const stack = await startStack(USERS, Math.max(...options.concurrencies));
  try {
    const { base, agent } = stack;
    const tokenOf = (user: string | null) => (user ? stack.tokens[user] : undefined);
    const must = async (user: string, call: Call, status: number) => {
      const a = await request(agent, base, tokenOf(user), call);
      if (a.status !== status) throw new Error(`${call.method} ${call.path}: expected ${status}, got ${a.status}: ${a.body.slice(0, 500)}`);
      return JSON.parse(a.body) as Record<string, unknown>;
    };
    // Fixtures, as tests/support/local-stack.ts builds them.
    const customerIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await must(REP, { method: 'POST', path: '/customers', body: newCustomer({ name: `Bench Fixture ${i} Ltd` }) }, 201);
      customerIds.push(String(c.customerId));
    }
    for (let i = 0; i < 5; i++) {
      await must(MANAGER, { method: 'POST', path: '/products', body: newProduct({ productCode: `BENCH-${i}`, name: `Bench product ${i}` }) }, 201);
    }

    // Order drafts of the fixture customers, for the order reads (a draft needs a customer and a channel; its lines are priced later).
    const orderIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const o = await must(REP, { method: 'POST', path: '/orders', body: draftOrder(customerIds[i]!, 0) }, 201);
      orderIds.push(String(o.orderId));
    }

    let created = 0;
    let drafted = 0;
    // The creating POSTs last, so every GET sees the same data at every concurrency.
    const routes: RouteSpec[] = [
      { route: 'GET /health', user: null, expectedStatus: 200, call: () => ({ method: 'GET', path: '/health' }) },
      { route: 'GET /customers', user: REP, expectedStatus: 200, call: () => ({ method: 'GET', path: '/customers' }) },
      {
        route: 'GET /customers/{id}',
        user: REP,
        expectedStatus: 200,
        call: (i) => ({ method: 'GET', path: `/customers/${customerIds[i % customerIds.length]}` }),
      },
      { route: 'GET /products', user: REP, expectedStatus: 200, call: () => ({ method: 'GET', path: '/products' }) },
      {
        route: 'GET /customers/{id}/credit',
        user: REP,
        expectedStatus: 200,
        call: (i) => ({ method: 'GET', path: `/customers/${customerIds[i % customerIds.length]}/credit` }),
      },
      { route: 'GET /orders', user: REP, expectedStatus: 200, call: () => ({ method: 'GET', path: '/orders' }) },
      { route: 'GET /orders/{id}', user: REP, expectedStatus: 200, call: (i) => ({ method: 'GET', path: `/orders/${orderIds[i % orderIds.length]}` }) },
      { route: 'GET /tasks', user: MANAGER, expectedStatus: 200, call: () => ({ method: 'GET', path: '/tasks' }) },
      { route: 'GET /notifications', user: REP, expectedStatus: 200, call: () => ({ method: 'GET', path: '/notifications' }) },
      {
        route: 'POST /orders',
        user: REP,
        expectedStatus: 201,
        call: (i) => {
          const n = ++drafted;
          return { method: 'POST', path: '/orders', body: draftOrder(customerIds[i % customerIds.length]!, n), headers: { 'idempotency-key': `bench-order-${process.pid}-${n}` } };
        },
      },
      {
        route: 'POST /customers',
        user: REP,
        expectedStatus: 201,
        call: () => {
          const n = ++created;
          // A unique Idempotency-Key per request, as a well-behaved client sends one.
          return { method: 'POST', path: '/customers', body: newCustomer({ name: `Bench Customer ${n}` }), headers: { 'idempotency-key': `bench-${process.pid}-${n}` } };
        },
      },
    ];

    const out: RouteResult[] = [];
    for (const spec of routes) {
      for (let i = 0; i < options.warmupRequests; i++) await request(agent, base, tokenOf(spec.user), spec.call(i));
      const results: LatencyAtConcurrency[] = [];
      for (const concurrency of options.concurrencies) {
        results.push(
          await runLoad({
            requests: options.requestsPerRoute,
            concurrency,
            expectedStatus: spec.expectedStatus,
            send: (i) => request(agent, base, tokenOf(spec.user), spec.call(i)),
          }),
        );
      }
      const lo = results[0]!;
      const hi = results[results.length - 1]!;
      out.push({ route: spec.route, user: spec.user, expectedStatus: spec.expectedStatus, results, p50Ratio: round(hi.p50Ms / lo.p50Ms) });
      options.log(`${spec.route}: ${results.map((r) => `c${r.concurrency} p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms${r.errors ? ` (${r.errors} errors)` : ''}`).join(', ')}`);
    }
    return out;
  } finally {
    await stack.stop();
  }
}

/** An order draft as a rep starts one on the phone: customer, channel and a line of a fixture product. */
function draftOrder(customerId: string, n: number) {
  return { customerId, channel: 'phone', lines: [{ productCode: `BENCH-${n % 5}`, quantity: '1' }], customerReference: `BENCH-${n}` };
}
