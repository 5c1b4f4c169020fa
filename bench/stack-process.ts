/**
 * Child process for the API bench: runs one local stack (as the tests do) so that the load
 * generator in the parent does not share an event loop with the gateway and the handlers.
 * Tells the parent its URL and the demo users' tokens, stops on 'stop' or when the parent goes.
 * On 'call' it runs an operation of the bench named by BENCH_KIND (orders: orders-child.ts,
 * credit: credit-child.ts) inside this process, where the handlers, the workflow service and the
 * DynamoDB client live, and replies. Company settings come from SETTINGS_JSON, as for the stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../infra/local/stack.js';
import type { CreditBench } from './credit-child.js';
import type { OrderBench } from './orders-child.js';

/** The bench a stack process serves (env BENCH_KIND): one per process, as one stack is. */
export type BenchKind = 'orders' | 'credit';
type Bench = OrderBench | CreditBench;

export interface StackReady {
  type: 'ready';
  url: string;
  tokens: Record<string, string>;
}

export interface StackCall {
  type: 'call';
  id: number;
  op: keyof OrderBench | keyof CreditBench;
  args?: unknown;
}

export type StackReply = { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; error: string };

const users = (process.env.BENCH_USERS ?? '').split(',').filter(Boolean);
const kind: BenchKind = process.env.BENCH_KIND === 'credit' ? 'credit' : 'orders';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-stack-'));
const stack = await startLocalStack({ dataDir, inMemory: true, logLevel: 'ERROR', retryIntervalMs: 0, timeoutPollMs: 0 });

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= stack
    .stop()
    .catch((err: unknown) => console.error('stopping the stack failed', err))
    .finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  return stopping;
}

// Loaded on the first call only, after the stack has set the endpoints in the environment: it
// imports the handlers' shared DynamoDB client, which reads them when it is created.
let bench: Promise<Bench> | undefined;
async function call(m: StackCall): Promise<void> {
  let reply: StackReply;
  try {
    bench ??=
      kind === 'credit'
        ? import('./credit-child.js').then(({ createCreditBench }) => createCreditBench(stack))
        : import('./orders-child.js').then(({ createOrderBench }) => createOrderBench(stack));
    const ops = (await bench) as unknown as Record<string, unknown>;
    const op = ops[m.op];
    if (typeof op !== 'function') throw new Error(`the ${kind} bench has no operation ${m.op}`);
    const value: unknown = await (op as (args: unknown) => Promise<unknown>)(m.args);
    reply = { type: 'reply', id: m.id, ok: true, value };
  } catch (err) {
    reply = { type: 'reply', id: m.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  process.send!(reply);
}

process.on('message', (m: { type?: string }) => {
  if (m?.type === 'stop') void stop();
  if (m?.type === 'call') void call(m as StackCall);
});
process.on('disconnect', () => void stop());

const tokens: Record<string, string> = {};
for (const u of users) tokens[u] = await stack.tokenFor(u);
process.send!({ type: 'ready', url: stack.url, tokens } satisfies StackReady);
