/**
 * Local Step Functions: the ASL files of the one-definition registry executed by
 * aws-local-stepfunctions, behind an HTTP endpoint that the real `@aws-sdk/client-sfn` talks to
 * (set `AWS_ENDPOINT_URL_SFN` to `start()`'s url). Every Task state runs a local function through
 * `invoke` (default: invokeLocal); nothing calls AWS.
 *
 * Durability and resume — the replay model:
 * - An execution is a deterministic function of its input and of the outcomes of its Task and
 *   Wait states: Choice, Pass, Succeed, Fail, InputPath/Parameters/ResultSelector/ResultPath/
 *   OutputPath and Retry/Catch decisions only read data. (Exceptions, not replay-safe: the
 *   intrinsics States.UUID / States.MathRandom, and `$$.Execution.StartTime`, which the library
 *   sets to the real time the run (re)started.)
 * - So the service journals, per execution, every settled Task attempt and Wait state, keyed by
 *   state name + occurrence (the n-th call of that state in the execution, retries included):
 *   the raw result, or the error name and cause. It also records pending task tokens (token,
 *   deadline, whether the function that receives the token has returned) and pending Waits
 *   (deadline). The execution pins the definition it started with.
 * - On `start()`, every execution recorded as RUNNING is run again from the start with the same
 *   input. A Task/Wait whose occurrence is in the journal returns (or throws) the recorded outcome
 *   without invoking anything, and its retry intervals are skipped; the first occurrence not in
 *   the journal runs live. A waiting task finds its pending token: same token, same deadline,
 *   the function is not invoked again (unless it had not returned before the stop). A Wait keeps
 *   its deadline. A plain Task that was running when the service stopped is invoked again
 *   (at-least-once, as Lambda retries are).
 * - Timeouts (Task TimeoutSeconds / HeartbeatSeconds, Wait states, the execution's
 *   TimeoutSeconds) are deadlines on the service clock (`now`), fired by `expireDue` (a timer
 *   calls it every `pollIntervalMs`; tests call it with the time they want).
 */
import './polyfill.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ExecutionError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition as LibraryDefinition,
} from 'aws-local-stepfunctions';
import type { FunctionDefinition, StateMachineDefinition } from '../../../functions/shared/definitions.js';
import { invokeLocal } from '../lambda.js';
import {
  FunctionRegistry,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_WAIT,
  executionArnOf,
  loadStateMachine,
  readReferencePath,
  toLibraryDefinition,
  type AslState,
  type Json,
  type LoadedStateMachine,
} from './definition.js';
import type { TaskFaults } from './faults.js';
import { SfnServiceError, createSfnServer } from './http.js';
import {
  ExecutionStore,
  type ExecutionRecord,
  type ExecutionStatus,
  type JournalEntry,
  type Pending,
  type PendingToken,
  type PendingWait,
} from './store.js';

export interface LocalStepFunctionsOptions {
  /** Folder for execution records and journals (created if missing). */
  dataDir: string;
  stateMachines: StateMachineDefinition[];
  /** Runs a function; default invokeLocal (the handler module in this process). */
  invoke?: (fn: FunctionDefinition, payload: unknown) => Promise<unknown>;
  /** The service clock: start/stop dates and every deadline. Default: the real time. */
  now?: () => Date;
  /** Replaces every Retry interval (milliseconds), e.g. 0 in tests. Default: the ASL intervals. */
  retryIntervalMs?: number;
  /** How often a timer calls expireDue() with now(); 0 disables it. Default 1000. */
  pollIntervalMs?: number;
  /** Tests only: the fault switch that makes Task states fail (see faults.ts). */
  faults?: TaskFaults;
}

export interface ExecutionInfo {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  /** Parsed JSON. */
  input: unknown;
  /** Parsed JSON, when SUCCEEDED. */
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  /** Names of the states entered, in order (a retried state once). */
  visitedStates: string[];
}

export interface LoadedStateMachineDescription {
  name: string;
  arn: string;
  file: string;
  substitutions: Record<string, string>;
}

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LibraryJson = Awaited<ReturnType<TaskHandlers[string]>>;

/** A task failure as the library sees it: Retry and Catch match `name`. */
class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** Ends a run in memory (stop(), StopExecution, execution timeout): never retried nor caught. */
class RunInterrupted extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('execution interrupted');
    this.name = 'RunInterrupted';
  }
}

/** A runtime error of the state machine itself (bad path in a Wait): fails the execution. */
class StatesRuntimeError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // rejections are observed by whoever awaits, if anyone
  return { promise, resolve, reject };
}

interface InFlight {
  deadline: number;
  fire: () => void;
}

interface Run {
  record: ExecutionRecord;
  /** Stopped in memory: by stop() (suspended), StopExecution or the execution timeout. */
  interrupted: boolean;
  suspended: boolean;
  interruption: Deferred<never>;
  abort: () => void;
  occurrences: Map<string, number>;
  waiters: Map<string, Deferred<Json>>;
  /** Key of the token or Wait this run is blocked on; undefined while it works. */
  waitingOn: string | undefined;
  inflight: Set<InFlight>;
  /** The last Task/Wait call was answered from the journal (its retry interval is skipped). */
  replaying: boolean;
  visited: string[];
  done: Promise<void>;
}

type Settlement = Pick<JournalEntry, 'outcome' | 'output' | 'error' | 'cause'>;

const TOKEN_PATTERN = /^LSFN1[A-Za-z0-9_-]{64}$/;
const STATE_MACHINE_ARN = /^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/;
const EXECUTION_ARN = /^arn:aws:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/;
// eslint-disable-next-line no-control-regex
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;
const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

function newTaskToken(): string {
  return `LSFN1${randomBytes(48).toString('base64url')}`;
}

function toJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

function replaceInJson(value: Json, search: string, replacement: string): Json {
  if (typeof value === 'string') return value.replaceAll(search, replacement);
  if (Array.isArray(value)) return value.map((v) => replaceInJson(v, search, replacement));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceInJson(v, search, replacement)]));
  }
  return value;
}

function asObject(value: Json): Record<string, Json> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Error name and cause as Step Functions reports a failed Lambda function. */
function describeFailure(error: unknown): { error: string; cause: string } {
  if (error instanceof TaskFailure) return { error: error.name, cause: error.message };
  const errorType = error instanceof Error ? error.name || 'Error' : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
  return { error: errorType, cause: JSON.stringify({ errorType, errorMessage, trace }) };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const epochSeconds = (isoDate: string): number => Date.parse(isoDate) / 1000;

let statesTimeoutErrorClass: Promise<new () => Error> | undefined;

/**
 * The library lets `States.TaskFailed` match every error except instances of its own
 * (non-exported) StatesTimeoutError; a timeout we raise must be one, so get the class once from
 * a 1 ms probe run.
 */
function getStatesTimeoutErrorClass(): Promise<new () => Error> {
  statesTimeoutErrorClass ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'Probe',
        States: {
          Probe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:Probe', TimeoutSeconds: 0.001, End: true },
        },
      } as unknown as LibraryDefinition,
      { validationOptions: { noValidate: true } },
    );
    try {
      await probe.run({}, { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => undefined) } } }).result;
    } catch (error) {
      const cause = (error as Error).cause;
      if (cause instanceof Error && cause.name === 'States.Timeout') return cause.constructor as new () => Error;
    }
    throw new Error('aws-local-stepfunctions did not raise States.Timeout as expected');
  })();
  return statesTimeoutErrorClass;
}

export class LocalStepFunctions {
  private readonly store: ExecutionStore;
  private readonly invoke: (fn: FunctionDefinition, payload: unknown) => Promise<unknown>;
  private readonly now: () => Date;
  private readonly retryIntervalMs: number | undefined;
  private readonly pollIntervalMs: number;
  private readonly faults: TaskFaults | undefined;
  private readonly functions = new FunctionRegistry();
  private readonly machines = new Map<string, LoadedStateMachine>();
  /** `$$.Task.Token` resolves to this in the library; replaced by the real token per attempt. */
  private readonly tokenSentinel = `LOCAL_SFN_TASK_TOKEN_${randomUUID()}`;

  private records = new Map<string, ExecutionRecord>();
  /** Every token ever issued → its execution ARN. */
  private tokens = new Map<string, string>();
  private readonly runs = new Map<string, Run>();
  private starting = 0;
  private idleResolvers: Array<() => void> = [];
  private server: Server | undefined;
  private poll: NodeJS.Timeout | undefined;
  private TimeoutError: (new () => Error) | undefined;

  constructor(options: LocalStepFunctionsOptions) {
    this.store = new ExecutionStore(options.dataDir);
    this.invoke = options.invoke ?? invokeLocal;
    this.now = options.now ?? (() => new Date());
    this.retryIntervalMs = options.retryIntervalMs;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.faults = options.faults;
    for (const def of options.stateMachines) {
      const loaded = loadStateMachine(def, this.functions);
      if (this.machines.has(loaded.arn)) throw new Error(`two state machines are named ${def.name}`);
      this.machines.set(loaded.arn, loaded);
    }
  }

  /** What was loaded: the parity test compares it with the CDK template. */
  describe(): { stateMachines: LoadedStateMachineDescription[] } {
    return {
      stateMachines: [...this.machines.values()].map(({ name, arn, file, substitutions }) => ({
        name,
        arn,
        file,
        substitutions: { ...substitutions },
      })),
    };
  }

  /** Loads the executions under dataDir, resumes the RUNNING ones and listens on 127.0.0.1. */
  async start(port = 0): Promise<{ url: string; port: number }> {
    if (this.server) throw new Error('local Step Functions already started');
    this.TimeoutError = await getStatesTimeoutErrorClass();
    this.records = new Map();
    this.tokens = new Map();
    for (const record of await this.store.loadAll()) {
      this.records.set(record.executionArn, record);
      for (const pending of record.pending) if (pending.kind === 'token') this.tokens.set(pending.token, record.executionArn);
      for (const token of Object.keys(record.closedTokens)) this.tokens.set(token, record.executionArn);
    }
    const server = createSfnServer((operation, body) => this.handle(operation, body));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    for (const record of this.records.values()) if (record.status === 'RUNNING') this.launch(record);
    if (this.pollIntervalMs > 0) {
      this.poll = setInterval(() => void this.expireDue().catch(() => undefined), this.pollIntervalMs);
      this.poll.unref();
    }
    const actualPort = (server.address() as AddressInfo).port;
    return { url: `http://127.0.0.1:${actualPort}`, port: actualPort };
  }

  /**
   * Stops the server and the running executions in memory. Their records stay RUNNING on disk
   * (pending tokens kept), so the next start() resumes them.
   */
  async stop(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    const runs = [...this.runs.values()];
    for (const run of runs) this.interrupt(run, true);
    await Promise.all(runs.map((run) => run.done));
    await this.store.flush();
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.notifyIfIdle();
  }

  /**
   * Fires every deadline ≤ now: waiting Task timeouts (States.Timeout), heartbeat timeouts
   * (States.HeartbeatTimeout), elapsed Wait states, Task functions running past TimeoutSeconds,
   * and execution timeouts (TIMED_OUT). Returns how many fired. `only` limits it to some
   * executions (tests that share one service move one execution's time, not everybody's).
   */
  async expireDue(now: Date = this.now(), only?: { executionArns: readonly string[] }): Promise<number> {
    const t = now.getTime();
    let fired = 0;
    const work: Array<Promise<void>> = [];
    for (const run of [...this.runs.values()]) {
      const record = run.record;
      if (run.interrupted || record.status !== 'RUNNING') continue;
      if (only && !only.executionArns.includes(record.executionArn)) continue;
      if (record.deadline !== undefined && Date.parse(record.deadline) <= t) {
        fired++;
        const seconds = record.definition.TimeoutSeconds ?? 0;
        work.push(this.closeExecution(record, 'TIMED_OUT', 'States.Timeout', `The execution did not finish within TimeoutSeconds (${seconds})`));
        continue;
      }
      for (const pending of [...record.pending]) {
        if (pending.kind === 'wait') {
          if (Date.parse(pending.deadline) <= t) {
            fired++;
            work.push(this.settle(record, pending, { outcome: 'succeeded', output: null }));
          }
        } else if (pending.deadline !== undefined && Date.parse(pending.deadline) <= t) {
          fired++;
          const seconds = record.definition.States[pending.state]?.TimeoutSeconds ?? 0;
          work.push(this.settle(record, pending, { outcome: 'failed', error: 'States.Timeout', cause: `The task was not completed within TimeoutSeconds (${seconds})` }, 'timedOut'));
        } else if (pending.heartbeatDeadline !== undefined && Date.parse(pending.heartbeatDeadline) <= t) {
          fired++;
          work.push(this.settle(record, pending, { outcome: 'failed', error: 'States.HeartbeatTimeout', cause: `No heartbeat within HeartbeatSeconds (${pending.heartbeatSeconds ?? 0})` }, 'timedOut'));
        }
      }
      for (const flight of [...run.inflight]) {
        if (flight.deadline <= t) {
          fired++;
          run.inflight.delete(flight);
          flight.fire();
        }
      }
    }
    await Promise.all(work);
    return fired;
  }

  /**
   * Resolves when no execution does anything but wait for a task token or a Wait state
   * (running functions, retries and journal writes all count as work).
   */
  async idle(): Promise<void> {
    // Work outside that may start executions (the outbox's stream) settles too: until a round in
    // which nothing more was delivered, by this drain or by the poller meanwhile.
    let seen: number | undefined;
    for (;;) {
      await this.executionsIdle();
      if (!this.alsoSettle) return;
      const delivered = await this.alsoSettle();
      if (delivered === seen) return;
      seen = delivered;
    }
  }

  /** Set by the local stack: delivers pending outside work (stream records); answers how many were delivered in all so far. */
  alsoSettle: (() => Promise<number>) | undefined;

  private executionsIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleResolvers.push(resolve));
  }

  getExecution(executionArn: string): ExecutionInfo | undefined {
    const record = this.records.get(executionArn);
    return record ? this.info(record) : undefined;
  }

  /** Every known execution (optionally of one state machine), oldest first. */
  listExecutions(stateMachineArn?: string): ExecutionInfo[] {
    return [...this.records.values()]
      .filter((r) => stateMachineArn === undefined || r.stateMachineArn === stateMachineArn)
      .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.name.localeCompare(b.name))
      .map((r) => this.info(r));
  }

  // ---------------------------------------------------------------- running executions

  private isIdle(): boolean {
    if (this.starting > 0) return false;
    for (const run of this.runs.values()) if (run.waitingOn === undefined) return false;
    return true;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const resolvers = this.idleResolvers;
    this.idleResolvers = [];
    for (const resolve of resolvers) resolve();
  }

  private launch(record: ExecutionRecord): void {
    const run: Run = {
      record,
      interrupted: false,
      suspended: false,
      interruption: deferred<never>(),
      abort: () => undefined,
      occurrences: new Map(),
      waiters: new Map(),
      waitingOn: undefined,
      inflight: new Set(),
      replaying: false,
      visited: [],
      done: Promise.resolve(),
    };
    this.runs.set(record.executionArn, run);

    const handlers: TaskHandlers = {};
    for (const [stateName, state] of Object.entries(record.definition.States)) {
      if (state.Type === 'Task') {
        handlers[stateName] = (input) => this.runTask(run, stateName, state, input as Json) as Promise<LibraryJson>;
      } else if (state.Type === 'Wait') {
        handlers[stateName] = (input) => this.runWait(run, stateName, state, input as Json) as Promise<LibraryJson>;
      }
    }
    // Read by the library each time it decides a retry, right after the failed attempt.
    const retryIntervalOverrides = new Proxy<Record<string, number>>(
      {},
      { get: (_target, key) => (typeof key !== 'string' ? undefined : run.replaying ? 0 : this.retryIntervalMs) },
    );
    const machineName = record.stateMachineName;
    const execution = new StateMachine(toLibraryDefinition(record.definition), { validationOptions: { noValidate: true } }).run(
      JSON.parse(record.input) as LibraryJson,
      {
        overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
        noThrowOnAbort: true,
        context: {
          Execution: { Id: record.executionArn, Name: record.name, RoleArn: `arn:aws:iam::000000000000:role/${machineName}` },
          StateMachine: { Id: record.stateMachineArn, Name: machineName },
          Task: { Token: this.tokenSentinel },
        },
      },
    );
    run.abort = execution.abort;
    const events = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered' && event.index === undefined) run.visited.push(event.state.name);
      }
    })();
    run.done = execution.result
      .then(
        (output) => ({ ok: true as const, output }),
        (error: unknown) => ({ ok: false as const, error }),
      )
      .then(async (result) => {
        await events.catch(() => undefined);
        if (!run.interrupted) {
          record.stopDate = this.now().toISOString();
          if (result.ok) {
            record.status = 'SUCCEEDED';
            record.output = JSON.stringify(result.output);
          } else {
            const cause = result.error instanceof ExecutionError ? result.error.cause : result.error;
            record.status = 'FAILED';
            record.error = cause instanceof Error ? cause.name : 'States.Runtime';
            record.cause = cause instanceof Error ? cause.message : String(cause);
          }
          for (const pending of record.pending) if (pending.kind === 'token') record.closedTokens[pending.token] = 'completed';
          record.pending = [];
        }
        if (!run.suspended) await this.persist(record);
      })
      .catch(() => undefined)
      .finally(() => {
        this.syncVisited(run);
        this.runs.delete(record.executionArn);
        this.notifyIfIdle();
      });
  }

  private interrupt(run: Run, suspend: boolean): void {
    if (run.interrupted) return;
    run.interrupted = true;
    run.suspended = suspend;
    run.waitingOn = undefined;
    run.interruption.reject(new RunInterrupted());
    run.abort();
  }

  private throwIfInterrupted(run: Run): void {
    if (run.interrupted) throw new RunInterrupted();
  }

  private nextOccurrence(run: Run, stateName: string): number {
    const occurrence = run.occurrences.get(stateName) ?? 0;
    run.occurrences.set(stateName, occurrence + 1);
    return occurrence;
  }

  private journalEntry(record: ExecutionRecord, stateName: string, occurrence: number): JournalEntry | undefined {
    return record.journal.find((e) => e.state === stateName && e.occurrence === occurrence);
  }

  private addJournal(record: ExecutionRecord, state: string, occurrence: number, settlement: Settlement): JournalEntry {
    const entry: JournalEntry = { state, occurrence, ...settlement, at: this.now().toISOString() };
    record.journal.push(entry);
    return entry;
  }

  /** The error the library must see for a recorded failure. */
  private makeError(name: string | undefined, cause: string | undefined): Error {
    if (name === 'States.Timeout' && this.TimeoutError) {
      const error = new this.TimeoutError();
      error.message = cause ?? 'States.Timeout';
      return error;
    }
    return new TaskFailure(name ?? '', cause ?? '');
  }

  /** Returns a recorded result or throws a recorded error. */
  private outcome(entry: JournalEntry): Json {
    if (entry.outcome === 'succeeded') return structuredClone(entry.output ?? null);
    throw this.makeError(entry.error, entry.cause);
  }

  private syncVisited(run: Run): void {
    // A resumed run re-enters the same states in the same order: its list grows back to the recorded one.
    if (run.visited.length >= run.record.visitedStates.length) run.record.visitedStates = [...run.visited];
  }

  private persist(record: ExecutionRecord): Promise<void> {
    const run = this.runs.get(record.executionArn);
    if (run) this.syncVisited(run);
    return this.store.save(record);
  }

  /** The fault switch (tests only): the failure a fault makes of this live attempt, if any. */
  private strike(run: Run, state: string, occurrence: number, when: 'before' | 'after'): { error: string; cause: string } | undefined {
    const record = run.record;
    return this.faults?.strike({ stateMachine: record.stateMachineName, state, executionArn: record.executionArn, input: record.input, occurrence }, when);
  }

  private async runTask(run: Run, stateName: string, state: AslState, params: Json): Promise<Json> {
    this.throwIfInterrupted(run);
    const occurrence = this.nextOccurrence(run, stateName);
    const settled = this.journalEntry(run.record, stateName, occurrence);
    run.replaying = settled !== undefined;
    if (settled) return this.outcome(settled);
    // A waiting task resumed after a restart is the same attempt, not a new one: no fault strikes it.
    const resumed = run.record.pending.some((p) => p.kind === 'token' && p.state === stateName && p.occurrence === occurrence);
    const refused = resumed ? undefined : this.strike(run, stateName, occurrence, 'before');
    if (refused) {
      const entry = this.addJournal(run.record, stateName, occurrence, { outcome: 'failed', ...refused });
      await this.persist(run.record);
      this.throwIfInterrupted(run);
      return this.outcome(entry);
    }
    if (state.Resource === LAMBDA_INVOKE_WAIT) return this.runTokenTask(run, stateName, occurrence, state, asObject(params));
    if (state.Resource === LAMBDA_INVOKE) {
      const p = asObject(params);
      return this.runFunctionTask(run, stateName, occurrence, state, p['FunctionName'], p['Payload'] ?? {}, true);
    }
    return this.runFunctionTask(run, stateName, occurrence, state, state.Resource, params, false);
  }

  /** lambda:invoke (result wrapped like the optimized integration) or a function ARN as Resource. */
  private async runFunctionTask(
    run: Run,
    stateName: string,
    occurrence: number,
    state: AslState,
    functionName: unknown,
    payload: Json,
    wrap: boolean,
  ): Promise<Json> {
    const fn = this.functions.resolve(functionName);
    let settlement: Settlement;
    if (!fn) {
      settlement = { outcome: 'failed', error: 'Lambda.ResourceNotFoundException', cause: `Function not found: ${String(functionName)}` };
    } else {
      const timeout = this.taskTimer(run, state);
      try {
        const result = await Promise.race([this.invoke(fn, payload), run.interruption.promise, timeout.promise]);
        const json = toJson(result);
        const lost = this.strike(run, stateName, occurrence, 'after');
        settlement = lost
          ? { outcome: 'failed', ...lost }
          : { outcome: 'succeeded', output: wrap ? { ExecutedVersion: '$LATEST', Payload: json, StatusCode: 200 } : json };
      } catch (error) {
        this.throwIfInterrupted(run);
        settlement = { outcome: 'failed', ...describeFailure(error) };
      } finally {
        timeout.dispose();
      }
    }
    this.throwIfInterrupted(run);
    const entry = this.addJournal(run.record, stateName, occurrence, settlement);
    await this.persist(run.record);
    this.throwIfInterrupted(run);
    return this.outcome(entry);
  }

  /** A deadline for a running function (TimeoutSeconds), fired by expireDue. */
  private taskTimer(run: Run, state: AslState): { promise: Promise<never>; dispose: () => void } {
    const timer = deferred<never>();
    if (!state.TimeoutSeconds) return { promise: timer.promise, dispose: () => undefined };
    const seconds = state.TimeoutSeconds;
    const flight: InFlight = {
      deadline: this.now().getTime() + seconds * 1000,
      fire: () => timer.reject(new TaskFailure('States.Timeout', `The task did not finish within TimeoutSeconds (${seconds})`)),
    };
    run.inflight.add(flight);
    return { promise: timer.promise, dispose: () => run.inflight.delete(flight) };
  }

  /** lambda:invoke.waitForTaskToken: invoke with a fresh token, then wait for SendTask* or the deadline. */
  private async runTokenTask(
    run: Run,
    stateName: string,
    occurrence: number,
    state: AslState,
    params: Record<string, Json>,
  ): Promise<Json> {
    const record = run.record;
    const fn = this.functions.resolve(params['FunctionName']);
    if (!fn) {
      const entry = this.addJournal(record, stateName, occurrence, {
        outcome: 'failed',
        error: 'Lambda.ResourceNotFoundException',
        cause: `Function not found: ${String(params['FunctionName'])}`,
      });
      await this.persist(record);
      return this.outcome(entry);
    }
    let pending = record.pending.find(
      (p): p is PendingToken => p.kind === 'token' && p.state === stateName && p.occurrence === occurrence,
    );
    const fresh = pending === undefined;
    if (!pending) {
      const entered = this.now().getTime();
      pending = { kind: 'token', token: newTaskToken(), state: stateName, occurrence, enteredAt: iso(entered), invoked: false };
      if (state.TimeoutSeconds) pending.deadline = iso(entered + state.TimeoutSeconds * 1000);
      if (state.HeartbeatSeconds) {
        pending.heartbeatSeconds = state.HeartbeatSeconds;
        pending.heartbeatDeadline = iso(entered + state.HeartbeatSeconds * 1000);
      }
      record.pending.push(pending);
      this.tokens.set(pending.token, record.executionArn);
    }
    const token = pending.token;
    const waiter = deferred<Json>();
    run.waiters.set(token, waiter);
    try {
      // The token is stored before the function sees it, so a restart can never lose it.
      if (fresh) await this.persist(record);
      this.throwIfInterrupted(run);
      if (!pending.invoked) {
        const payload = replaceInJson(params['Payload'] ?? {}, this.tokenSentinel, token);
        const invoked = await Promise.race([
          this.invoke(fn, payload).then(
            () => ({ ok: true as const }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
          waiter.promise.then(
            () => undefined,
            () => undefined,
          ), // completed (or timed out) before the function returned: fine, as in AWS
          run.interruption.promise,
        ]);
        if (invoked && record.pending.includes(pending)) {
          const lost = invoked.ok ? this.strike(run, stateName, occurrence, 'after') : undefined;
          if (lost) {
            await this.settle(record, pending, { outcome: 'failed', ...lost }, 'completed');
          } else if (invoked.ok) {
            pending.invoked = true;
            await this.persist(record);
          } else {
            await this.settle(record, pending, { outcome: 'failed', ...describeFailure(invoked.error) }, 'completed');
          }
        }
      }
      this.throwIfInterrupted(run);
      if (record.pending.includes(pending)) {
        run.waitingOn = token;
        this.notifyIfIdle();
      }
      return await Promise.race([waiter.promise, run.interruption.promise]);
    } finally {
      if (run.waitingOn === token) run.waitingOn = undefined;
      run.waiters.delete(token);
    }
  }

  /** A Wait state: waits on the service clock until its deadline (fired by expireDue). */
  private async runWait(run: Run, stateName: string, state: AslState, input: Json): Promise<Json> {
    this.throwIfInterrupted(run);
    const occurrence = this.nextOccurrence(run, stateName);
    const record = run.record;
    const settled = this.journalEntry(record, stateName, occurrence);
    run.replaying = settled !== undefined;
    if (settled) return input;
    let pending = record.pending.find(
      (p): p is PendingWait => p.kind === 'wait' && p.state === stateName && p.occurrence === occurrence,
    );
    const now = this.now().getTime();
    if (!pending) {
      const deadline = this.waitDeadline(state, input, now);
      if (deadline <= now) {
        this.addJournal(record, stateName, occurrence, { outcome: 'succeeded', output: null });
        await this.persist(record);
        this.throwIfInterrupted(run);
        return input;
      }
      pending = { kind: 'wait', state: stateName, occurrence, enteredAt: iso(now), deadline: iso(deadline) };
      record.pending.push(pending);
    }
    const key = waitKey(pending);
    const waiter = deferred<Json>();
    run.waiters.set(key, waiter);
    try {
      await this.persist(record);
      this.throwIfInterrupted(run);
      if (record.pending.includes(pending)) {
        run.waitingOn = key;
        this.notifyIfIdle();
      }
      await Promise.race([waiter.promise, run.interruption.promise]);
      return input;
    } finally {
      if (run.waitingOn === key) run.waitingOn = undefined;
      run.waiters.delete(key);
    }
  }

  private waitDeadline(state: AslState, input: Json, now: number): number {
    try {
      if (state.Seconds !== undefined) return now + state.Seconds * 1000;
      if (state.Timestamp !== undefined) return Date.parse(state.Timestamp);
      if (state.SecondsPath !== undefined) {
        const seconds = readReferencePath(state.SecondsPath, input);
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) throw new Error(`SecondsPath ${state.SecondsPath} is not a non-negative integer`);
        return now + seconds * 1000;
      }
      if (state.TimestampPath !== undefined) {
        const timestamp = readReferencePath(state.TimestampPath, input);
        const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
        if (Number.isNaN(ms)) throw new Error(`TimestampPath ${state.TimestampPath} is not a timestamp`);
        return ms;
      }
    } catch (error) {
      throw new StatesRuntimeError((error as Error).message);
    }
    throw new StatesRuntimeError('Wait state without Seconds, Timestamp, SecondsPath or TimestampPath');
  }

  /**
   * Settles a pending token or Wait: journal first (on disk before anyone is told), then the
   * waiting run, if any, continues. Works on the record, so it also settles a token whose
   * execution is still replaying towards it.
   */
  private async settle(record: ExecutionRecord, pending: Pending, settlement: Settlement, closeAs?: 'completed' | 'timedOut'): Promise<void> {
    record.pending = record.pending.filter((p) => p !== pending);
    const entry = this.addJournal(record, pending.state, pending.occurrence, settlement);
    const key = pending.kind === 'token' ? pending.token : waitKey(pending);
    if (pending.kind === 'token') record.closedTokens[pending.token] = closeAs ?? 'completed';
    const run = this.runs.get(record.executionArn);
    const waiter = run?.waiters.get(key);
    if (run && run.waitingOn === key) run.waitingOn = undefined; // busy again from now on
    await this.persist(record);
    if (!waiter) return;
    try {
      waiter.resolve(this.outcome(entry));
    } catch (error) {
      waiter.reject(error);
    }
  }

  /** Ends an execution from outside (StopExecution, execution timeout). */
  private async closeExecution(record: ExecutionRecord, status: ExecutionStatus, error?: string, cause?: string): Promise<void> {
    record.status = status;
    record.stopDate = this.now().toISOString();
    if (error !== undefined) record.error = error;
    if (cause !== undefined) record.cause = cause;
    for (const pending of record.pending) {
      if (pending.kind === 'token') record.closedTokens[pending.token] = status === 'TIMED_OUT' ? 'timedOut' : 'completed';
    }
    record.pending = [];
    const run = this.runs.get(record.executionArn);
    if (run) this.interrupt(run, false);
    await this.persist(record);
  }

  private info(record: ExecutionRecord): ExecutionInfo {
    const run = this.runs.get(record.executionArn);
    if (run) this.syncVisited(run);
    const info: ExecutionInfo = {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      stateMachineName: record.stateMachineName,
      name: record.name,
      status: record.status,
      input: JSON.parse(record.input),
      startDate: new Date(record.startDate),
      visitedStates: [...record.visitedStates],
    };
    if (record.output !== undefined) info.output = JSON.parse(record.output);
    if (record.error !== undefined) info.error = record.error;
    if (record.cause !== undefined) info.cause = record.cause;
    if (record.stopDate !== undefined) info.stopDate = new Date(record.stopDate);
    return info;
  }

  // ---------------------------------------------------------------- API operations

  private handle(operation: string, body: Record<string, unknown>): Promise<object> {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body);
      case 'DescribeExecution':
        return Promise.resolve(this.describeExecution(body));
      case 'ListExecutions':
        return Promise.resolve(this.listExecutionsOperation(body));
      case 'StopExecution':
        return this.stopExecution(body);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(body);
      case 'SendTaskFailure':
        return this.sendTaskFailure(body);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(body);
      default:
        return Promise.reject(new SfnServiceError('UnknownOperationException', `operation ${operation} is not supported by the local Step Functions`));
    }
  }

  private async startExecution(body: Record<string, unknown>): Promise<object> {
    const machineArn = requiredString(body, 'stateMachineArn');
    if (!STATE_MACHINE_ARN.test(machineArn)) throw new SfnServiceError('InvalidArn', `Invalid Arn: '${machineArn}'`);
    const machine = this.machines.get(machineArn);
    if (!machine) throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn}'`);
    const name = optionalString(body, 'name') ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const input = optionalString(body, 'input') ?? '{}';
    try {
      JSON.parse(input);
    } catch {
      throw new SfnServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not valid JSON');
    }
    const executionArn = executionArnOf(machine.name, name);
    const existing = this.records.get(executionArn);
    if (existing) {
      // AWS: same name and input as an open execution → that execution; closed, or other input → error.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: epochSeconds(existing.startDate) };
      }
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (!this.server) throw new SfnServiceError('ServiceUnavailable', 'local Step Functions is stopped');
    const start = this.now().getTime();
    const record: ExecutionRecord = {
      version: 1,
      executionArn,
      stateMachineArn: machine.arn,
      stateMachineName: machine.name,
      name,
      input,
      status: 'RUNNING',
      startDate: iso(start),
      visitedStates: [],
      definition: machine.definition,
      journal: [],
      pending: [],
      closedTokens: {},
    };
    if (machine.definition.TimeoutSeconds) record.deadline = iso(start + machine.definition.TimeoutSeconds * 1000);
    this.records.set(executionArn, record);
    this.starting++;
    try {
      await this.store.save(record); // on disk before any function runs
      this.launch(record);
    } catch (error) {
      this.records.delete(executionArn);
      throw error;
    } finally {
      this.starting--;
    }
    return { executionArn, startDate: epochSeconds(record.startDate) };
  }

  private recordFor(body: Record<string, unknown>): ExecutionRecord {
    const executionArn = requiredString(body, 'executionArn');
    if (!EXECUTION_ARN.test(executionArn)) throw new SfnServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    const record = this.records.get(executionArn);
    if (!record) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  private describeExecution(body: Record<string, unknown>): object {
    const record = this.recordFor(body);
    const run = this.runs.get(record.executionArn);
    if (run) this.syncVisited(run);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: epochSeconds(record.startDate),
      ...(record.stopDate !== undefined && { stopDate: epochSeconds(record.stopDate) }),
      input: record.input,
      inputDetails: { included: true },
      ...(record.output !== undefined && { output: record.output, outputDetails: { included: true } }),
      ...(record.error !== undefined && { error: record.error }),
      ...(record.cause !== undefined && { cause: record.cause }),
    };
  }

  private listExecutionsOperation(body: Record<string, unknown>): object {
    const machineArn = requiredString(body, 'stateMachineArn');
    if (!STATE_MACHINE_ARN.test(machineArn)) throw new SfnServiceError('InvalidArn', `Invalid Arn: '${machineArn}'`);
    const all = [...this.records.values()].filter((r) => r.stateMachineArn === machineArn);
    if (!this.machines.has(machineArn) && all.length === 0) {
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn}'`);
    }
    const statusFilter = optionalString(body, 'statusFilter');
    if (statusFilter !== undefined && !STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw new SfnServiceError('ValidationException', `invalid statusFilter ${statusFilter}`);
    }
    const maxResults = body['maxResults'] === undefined || body['maxResults'] === 0 ? 100 : Number(body['maxResults']);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
      throw new SfnServiceError('ValidationException', 'maxResults must be between 0 and 1000');
    }
    const nextToken = optionalString(body, 'nextToken');
    const offset = nextToken === undefined ? 0 : Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new SfnServiceError('InvalidToken', 'invalid nextToken');
    const matching = all
      .filter((r) => statusFilter === undefined || r.status === statusFilter)
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name)); // newest first, as AWS
    const page = matching.slice(offset, offset + maxResults);
    return {
      executions: page.map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: epochSeconds(r.startDate),
        ...(r.stopDate !== undefined && { stopDate: epochSeconds(r.stopDate) }),
      })),
      ...(offset + maxResults < matching.length && { nextToken: Buffer.from(String(offset + maxResults)).toString('base64url') }),
    };
  }

  private async stopExecution(body: Record<string, unknown>): Promise<object> {
    const record = this.recordFor(body);
    if (record.status === 'RUNNING') {
      await this.closeExecution(record, 'ABORTED', optionalString(body, 'error'), optionalString(body, 'cause'));
    }
    return { stopDate: epochSeconds(record.stopDate ?? this.now().toISOString()) };
  }

  /** The pending token, or the error AWS gives for it. */
  private pendingToken(body: Record<string, unknown>): { record: ExecutionRecord; pending: PendingToken } {
    const token = requiredString(body, 'taskToken');
    if (!TOKEN_PATTERN.test(token)) throw new SfnServiceError('InvalidToken', 'Invalid Token: the task token is malformed');
    const executionArn = this.tokens.get(token);
    const record = executionArn === undefined ? undefined : this.records.get(executionArn);
    const pending = record?.pending.find((p): p is PendingToken => p.kind === 'token' && p.token === token);
    if (record && pending && record.status === 'RUNNING') return { record, pending };
    if (record?.closedTokens[token] === 'timedOut') throw new SfnServiceError('TaskTimedOut', 'Task Timed Out');
    throw new SfnServiceError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  private async sendTaskSuccess(body: Record<string, unknown>): Promise<object> {
    const output = requiredString(body, 'output');
    const { record, pending } = this.pendingToken(body);
    let parsed: Json;
    try {
      parsed = JSON.parse(output) as Json;
    } catch {
      throw new SfnServiceError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    await this.settle(record, pending, { outcome: 'succeeded', output: parsed }, 'completed');
    return {};
  }

  private async sendTaskFailure(body: Record<string, unknown>): Promise<object> {
    const error = optionalString(body, 'error');
    const cause = optionalString(body, 'cause');
    const { record, pending } = this.pendingToken(body);
    await this.settle(record, pending, { outcome: 'failed', error: error ?? '', cause: cause ?? '' }, 'completed');
    return {};
  }

  private async sendTaskHeartbeat(body: Record<string, unknown>): Promise<object> {
    const { record, pending } = this.pendingToken(body);
    if (pending.heartbeatSeconds) {
      pending.heartbeatDeadline = iso(this.now().getTime() + pending.heartbeatSeconds * 1000);
      await this.persist(record);
    }
    return {};
  }
}

function waitKey(pending: PendingWait): string {
  return `wait:${pending.state}:${pending.occurrence}`;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) throw new SfnServiceError('ValidationException', `${field} is required`);
  return value;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SfnServiceError('ValidationException', `${field} must be a string`);
  return value;
}
