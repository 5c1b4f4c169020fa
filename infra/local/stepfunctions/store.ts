/**
 * Durable state of the local Step Functions service: one JSON file per execution under
 * `<dataDir>/executions/<machine>/<execution name>.json`, holding the execution record, the
 * pinned definition, the journal of settled Task/Wait states and the pending tokens and waits.
 * Each write replaces the file atomically (temporary file + rename; no fsync: it survives a
 * crashed process, not a power cut) and writes to one execution are serialized.
 */
import { mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AslDefinition, Json } from './definition.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A settled Task attempt or Wait state: the `occurrence`-th time (0-based) `state` ran in this execution. */
export interface JournalEntry {
  state: string;
  occurrence: number;
  outcome: 'succeeded' | 'failed';
  /** The raw task result (before ResultSelector/ResultPath); null for a Wait. */
  output?: Json;
  error?: string;
  cause?: string;
  at: string;
}

export interface PendingToken {
  kind: 'token';
  token: string;
  state: string;
  occurrence: number;
  enteredAt: string;
  /** enteredAt + TimeoutSeconds; absent when the state has no TimeoutSeconds. */
  deadline?: string;
  heartbeatSeconds?: number;
  heartbeatDeadline?: string;
  /** The function that receives the token has returned; if not, a resume invokes it again with the same token. */
  invoked: boolean;
}

export interface PendingWait {
  kind: 'wait';
  state: string;
  occurrence: number;
  enteredAt: string;
  deadline: string;
}

export type Pending = PendingToken | PendingWait;

export interface ExecutionRecord {
  version: 1;
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  /** The input exactly as given to StartExecution (a JSON text). */
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  /** JSON text, like DescribeExecution's output. */
  output?: string;
  error?: string;
  cause?: string;
  /** startDate + the definition's TimeoutSeconds. */
  deadline?: string;
  visitedStates: string[];
  definition: AslDefinition;
  journal: JournalEntry[];
  pending: Pending[];
  /** Tokens no longer pending: how they ended (TaskTimedOut vs TaskDoesNotExist). */
  closedTokens: Record<string, 'completed' | 'timedOut'>;
}

export class ExecutionStore {
  private readonly dir: string;
  private readonly chains = new Map<string, Promise<void>>();
  private tmpCounter = 0;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'executions');
  }

  private fileOf(record: Pick<ExecutionRecord, 'stateMachineName' | 'name'>): string {
    return path.join(this.dir, encodeURIComponent(record.stateMachineName), `${encodeURIComponent(record.name)}.json`);
  }

  async loadAll(): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    let machines: string[];
    try {
      machines = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return records;
      throw error;
    }
    for (const machine of machines) {
      const machineDir = path.join(this.dir, machine);
      for (const file of await readdir(machineDir)) {
        if (!file.endsWith('.json')) continue; // leftovers of an interrupted write end in .tmp
        const record = JSON.parse(await readFile(path.join(machineDir, file), 'utf8')) as ExecutionRecord;
        if (record.version !== 1) throw new Error(`${file}: unknown execution record version ${String(record.version)}`);
        records.push(record);
      }
    }
    return records;
  }

  /** Writes the record's current state; resolves once it (or a later state) is on disk. */
  save(record: ExecutionRecord): Promise<void> {
    const file = this.fileOf(record);
    const previous = this.chains.get(file) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.${++this.tmpCounter}.tmp`;
        try {
          await writeFile(tmp, JSON.stringify(record, null, 1));
          await rename(tmp, file);
        } catch (error) {
          await unlink(tmp).catch(() => undefined);
          throw error;
        }
      });
    this.chains.set(file, next);
    void next.finally(() => {
      if (this.chains.get(file) === next) this.chains.delete(file);
    }).catch(() => undefined);
    return next;
  }

  /** Resolves when every write started so far has finished. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }
}
