/**
 * Tests only: a switch that makes a function's invocation die at a write, as a Lambda killed in the
 * middle of its work would (the process gone: nothing after that point runs, no catch, no finally,
 * no answer). Like the workflow fault switch (stepfunctions/faults.ts) it is reachable only from a
 * test holding the LocalStack object: no route, no environment variable, and the cloud has nothing
 * like it.
 *
 * Every DynamoDB write of the shared client (Put, Update, Delete, TransactWrite, BatchWrite) is
 * counted per invocation. `crash(functionId, { afterWrite: n })` lets the n-th write of the next
 * invocation of that function reach DynamoDB (or `afterWriteTo: table`: the first write touching that table), then freezes the invocation for good (its promise never
 * settles) and makes the invoker see the function die: the gateway answers 500 as API Gateway does
 * when its Lambda dies, and a workflow step fails like a crashed Lambda. `beforeWrite: n` dies just
 * before the n-th write instead (what came before it, such as a Step Functions call, went through).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ddb } from '../../functions/shared/dynamo.js';

export class LambdaCrashed extends Error {
  constructor(readonly functionId: string, readonly where: string) {
    super(`${functionId} died ${where} (injected crash)`);
    this.name = 'LambdaCrashed';
  }
}

export interface CrashOptions {
  /** Die right after the n-th write (1-based) of the invocation reached DynamoDB. */
  afterWrite?: number;
  /** Die right before the n-th write (1-based): it never reaches DynamoDB. */
  beforeWrite?: number;
  /** Die right after the first write that touches this table (its local name), e.g. the one that asks for a workflow start. */
  afterWriteTo?: string;
  /** How many invocations die (default 1). */
  times?: number;
}

interface Armed {
  functionId: string;
  afterWrite?: number;
  beforeWrite?: number;
  afterWriteTo?: string;
  left: number;
}

interface Invocation {
  functionId: string;
  writes: string[];
  armed?: Armed;
  die: (where: string) => void;
}

const WRITE_COMMAND = /^(Put|Update|Delete|TransactWrite|BatchWrite)(Item|Items)?Command$/;
const invocations = new AsyncLocalStorage<Invocation>();
let installed = false;

/** Counts each write of the shared DynamoDB client against the invocation it runs in. */
function install(): void {
  if (installed) return;
  installed = true;
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const invocation = invocations.getStore();
      const command = String((context as { commandName?: string }).commandName ?? '');
      if (!invocation || !WRITE_COMMAND.test(command)) return next(args);
      const n = invocation.writes.length + 1;
      const armed = invocation.armed;
      if (armed?.beforeWrite === n) {
        invocation.die(`before write ${n} (${command})`);
        return new Promise<never>(() => undefined);
      }
      const result = await next(args);
      invocation.writes.push(command);
      if (armed?.afterWrite === n || (armed?.afterWriteTo !== undefined && JSON.stringify(args.input).includes(`"TableName":"${armed.afterWriteTo}"`))) {
        invocation.die(`after write ${n} (${command})`);
        return new Promise<never>(() => undefined);
      }
      return result;
    },
    { step: 'initialize', name: 'localCrashSwitch' },
  );
}

export interface CrashRecord {
  functionId: string;
  where: string;
}

export class HandlerCrashes {
  private armed: Armed[] = [];
  /** The crashes that struck, in order. */
  readonly struck: CrashRecord[] = [];
  /** The last invocations' writes, newest last (for tests that count a clean run's writes). */
  readonly runs: { functionId: string; writes: string[] }[] = [];
  private static readonly KEEP_RUNS = 200;

  constructor() {
    install();
  }

  crash(functionId: string, options: CrashOptions): void {
    if ([options.afterWrite, options.beforeWrite, options.afterWriteTo].filter((o) => o !== undefined).length !== 1) throw new Error('crash: give one of afterWrite, beforeWrite, afterWriteTo');
    this.armed.push({ functionId, afterWrite: options.afterWrite, beforeWrite: options.beforeWrite, afterWriteTo: options.afterWriteTo, left: options.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  private remember(functionId: string, writes: string[]): void {
    this.runs.push({ functionId, writes });
    if (this.runs.length > HandlerCrashes.KEEP_RUNS) this.runs.splice(0, this.runs.length - HandlerCrashes.KEEP_RUNS);
  }

  /** Runs one invocation under the switch: it settles as the handler does, or rejects with LambdaCrashed. */
  run<T>(functionId: string, call: () => Promise<T>): Promise<T> {
    const armed = this.armed.find((a) => a.functionId === functionId && a.left > 0);
    if (armed) armed.left -= 1;
    return new Promise<T>((resolve, reject) => {
      const invocation: Invocation = {
        functionId,
        writes: [],
        ...(armed ? { armed } : {}),
        die: (where) => {
          this.struck.push({ functionId, where });
          this.remember(functionId, [...invocation.writes]);
          reject(new LambdaCrashed(functionId, where));
        },
      };
      invocations.run(invocation, () => {
        call().then(
          (value) => {
            this.remember(functionId, invocation.writes);
            resolve(value);
          },
          (err: unknown) => {
            this.remember(functionId, invocation.writes);
            reject(err as Error);
          },
        );
      });
    });
  }
}
