/**
 * The fault switch of the local Step Functions service, for tests only: makes a Task state of a
 * state machine fail, once, a few times or for good, so the tests can prove what the ASL's Retry
 * and Catch blocks and the steps' idempotency do about it. It exists only here (infra/local): the
 * cloud has nothing like it, and `npm start` offers no way to reach it (no route, no environment
 * variable); a test holds the LocalStack and calls `stack.faults.failTask(...)`.
 *
 * A fault strikes a live attempt of the state (never one replayed from the journal after a
 * restart: what struck before is in the journal and replays as it happened):
 * - `when: 'before'` (default): the function is not invoked, as when Lambda refuses the call;
 * - `when: 'after'`: the function runs and does its writes, then the attempt fails anyway, as
 *   when its answer is lost or it times out after committing. For a .waitForTaskToken state the
 *   function has stored its token; the attempt fails before anybody answers it.
 * The state then sees the error named (`States.TaskFailed` by default, or a Lambda service error
 * such as `Lambda.ServiceException`; `States.Timeout` is raised as a real timeout), so its Retry
 * and Catch decide what happens next, exactly as for a real failure.
 */

export type FaultTimes = number | 'always';

export interface TaskFaultOptions {
  /** How many attempts fail (the first ones to come), or 'always'. */
  times: FaultTimes;
  /** The error name the state sees. Default 'States.TaskFailed'. */
  error?: string;
  /** The cause the state sees. Default: 'injected fault: <machine>.<state>'. */
  cause?: string;
  /** Fail instead of invoking the function ('before', default), or after it ran ('after'). */
  when?: 'before' | 'after';
  /** Only executions whose input has these top-level values (e.g. `{ orderId }`); default every execution of the machine. */
  input?: Record<string, unknown>;
}

/** One attempt a fault made fail. */
export interface InjectedFailure {
  stateMachine: string;
  state: string;
  executionArn: string;
  /** The n-th attempt (0-based) of the state in its execution, retries included. */
  occurrence: number;
  error: string;
  when: 'before' | 'after';
  /** When it struck (ISO 8601, the real time). */
  at: string;
}

/** A registered fault: how often it struck, and a way to take it away. */
export interface TaskFault {
  readonly stateMachine: string;
  readonly state: string;
  readonly options: Readonly<TaskFaultOptions>;
  /** The attempts it made fail, oldest first. */
  readonly hits: readonly InjectedFailure[];
  /** Still to strike ('always', or how many attempts are left). */
  readonly remaining: FaultTimes;
  clear(): void;
}

interface Registered extends TaskFault {
  hits: InjectedFailure[];
  remaining: FaultTimes;
  cleared: boolean;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class TaskFaults {
  private faults: Registered[] = [];
  private readonly log: InjectedFailure[] = [];

  /** Makes `state` of `stateMachine` (its name, e.g. 'OrderReview') fail as `options` says; the newest matching fault strikes first. */
  failTask(stateMachine: string, state: string, options: TaskFaultOptions): TaskFault {
    if (options.times !== 'always' && !(Number.isInteger(options.times) && options.times > 0)) {
      throw new Error(`failTask: times must be a positive integer or 'always', not ${String(options.times)}`);
    }
    const fault: Registered = {
      stateMachine,
      state,
      options: { ...options },
      hits: [],
      remaining: options.times,
      cleared: false,
      clear: () => {
        fault.cleared = true;
        this.faults = this.faults.filter((f) => f !== fault);
      },
    };
    this.faults.push(fault);
    return fault;
  }

  /** Removes every fault (what struck stays in `injected`). */
  clear(): void {
    for (const fault of [...this.faults]) fault.clear();
  }

  /** Every attempt a fault made fail, oldest first. */
  get injected(): readonly InjectedFailure[] {
    return this.log;
  }

  /**
   * Called by the service for a live attempt: the failure to raise now, if a fault strikes.
   * @internal
   */
  strike(
    at: { stateMachine: string; state: string; executionArn: string; input: string; occurrence: number },
    when: 'before' | 'after',
  ): { error: string; cause: string } | undefined {
    if (this.faults.length === 0) return undefined;
    let input: Record<string, unknown> | undefined;
    for (const fault of [...this.faults].reverse()) {
      if (fault.stateMachine !== at.stateMachine || fault.state !== at.state || (fault.options.when ?? 'before') !== when) continue;
      if (fault.options.input) {
        input ??= JSON.parse(at.input) as Record<string, unknown>;
        const wanted = Object.entries(fault.options.input);
        if (!wanted.every(([key, value]) => sameJson(input?.[key], value))) continue;
      }
      if (fault.remaining !== 'always') {
        fault.remaining -= 1;
        if (fault.remaining === 0) fault.clear();
      }
      const error = fault.options.error ?? 'States.TaskFailed';
      const hit: InjectedFailure = { stateMachine: at.stateMachine, state: at.state, executionArn: at.executionArn, occurrence: at.occurrence, error, when, at: new Date().toISOString() };
      fault.hits.push(hit);
      this.log.push(hit);
      return { error, cause: fault.options.cause ?? `injected fault: ${at.stateMachine}.${at.state}` };
    }
    return undefined;
  }
}
