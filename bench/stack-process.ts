/**
 * Child process for the API bench: runs one local stack (as the tests do) so that the load
 * generator in the parent does not share an event loop with the gateway and the handlers.
 * Tells the parent its URL and the demo users' tokens, stops on 'stop' or when the parent goes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../infra/local/stack.js';

export interface StackReady {
  type: 'ready';
  url: string;
  tokens: Record<string, string>;
}

const users = (process.env.BENCH_USERS ?? '').split(',').filter(Boolean);
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
process.on('message', (m: { type?: string }) => {
  if (m?.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());

const tokens: Record<string, string> = {};
for (const u of users) tokens[u] = await stack.tokenFor(u);
process.send!({ type: 'ready', url: stack.url, tokens } satisfies StackReady);
