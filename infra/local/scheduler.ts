/**
 * The local EventBridge Scheduler: the same expressions in the same time zones, on a local
 * cron (croner). Each firing invokes the job function as the scheduler would.
 */
import { Cron } from 'croner';
import type { FunctionDefinition, ScheduleDefinition } from '../../functions/shared/definitions.js';

/**
 * EventBridge cron has six fields (minutes hours day-of-month month day-of-week year), `?` for
 * "any", and numbers days 1-7 from Sunday; croner takes five fields with days 0-6 from Sunday.
 */
export function toCronerPattern(expression: string): string {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  if (!m) throw new Error(`not a cron expression: ${expression}`);
  const fields = m[1]!.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`EventBridge cron needs six fields: ${expression}`);
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if (year !== '*') throw new Error(`year-restricted schedules are not supported locally: ${expression}`);
  const days = dow.replace(/\d+/g, (d) => String(Number(d) - 1));
  // EventBridge writes "every 15 minutes from 0" as 0/15; croner wants the range spelled out (0-59/15).
  const FIELD_MAX = [59, 23, 31, 12, 6];
  return [minutes, hours, dom, month, days]
    .map((f, i) => (f === '?' ? '*' : f.replace(/^(\d+)\/(\d+)$/, (_m, start: string, step: string) => `${start}-${FIELD_MAX[i]}/${step}`)))
    .join(' ');
}

export function rateMilliseconds(expression: string): number | undefined {
  const m = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!m) return undefined;
  const unit = m[2]!.startsWith('minute') ? 60_000 : m[2]!.startsWith('hour') ? 3_600_000 : 86_400_000;
  return Number(m[1]) * unit;
}

export interface LocalSchedule {
  name: string;
  expression: string;
  timeZone: string;
  job: string;
  nextRun: Date | null;
}

export class LocalScheduler {
  private readonly crons: Cron[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly schedules: readonly ScheduleDefinition[],
    private readonly invoke: (fn: FunctionDefinition, event: unknown) => Promise<unknown>,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  start(): void {
    for (const s of this.schedules) {
      const every = rateMilliseconds(s.expression);
      if (every) {
        this.timers.push(setInterval(() => void this.fire(s), every));
      } else {
        this.crons.push(new Cron(toCronerPattern(s.expression), { timezone: s.timeZone, name: s.name, protect: true }, () => this.fire(s)));
      }
    }
  }

  /** Runs a schedule's job now, as the command `npm run job` does. */
  async runNow(name: string, input: Record<string, unknown> = {}): Promise<unknown> {
    const schedule = this.schedules.find((s) => s.name === name);
    if (!schedule) throw new Error(`no schedule ${name}; known: ${this.schedules.map((s) => s.name).join(', ')}`);
    return this.invoke(schedule.job, { source: 'local.manual', schedule: name, ...input });
  }

  private async fire(s: ScheduleDefinition): Promise<void> {
    try {
      const result = await this.invoke(s.job, { source: 'aws.scheduler', schedule: s.name, time: new Date().toISOString() });
      this.log(`[scheduler] ${s.name}: ${JSON.stringify(result)}`);
    } catch (err) {
      this.log(`[scheduler] ${s.name} failed: ${(err as Error).message}`);
    }
  }

  describe(): LocalSchedule[] {
    return this.schedules.map((s) => ({
      name: s.name,
      expression: s.expression,
      timeZone: s.timeZone,
      job: s.job.id,
      nextRun: this.crons.find((c) => c.name === s.name)?.nextRun() ?? null,
    }));
  }

  stop(): void {
    for (const c of this.crons) c.stop();
    for (const t of this.timers) clearInterval(t);
  }
}
