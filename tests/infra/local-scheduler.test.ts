/** The local scheduler reads every schedule's EventBridge expression as EventBridge does (croner's dialect differs). */
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../infra/definitions/index.js';
import { toCronerPattern } from '../../infra/local/scheduler.js';

describe('local scheduler', () => {
  it('turns EventBridge cron into croner patterns: ? is any, days of week from 0, a/b steps as ranges', () => {
    expect(toCronerPattern('cron(30 1 * * ? *)')).toBe('30 1 * * *');
    expect(toCronerPattern('cron(0/15 * * * ? *)')).toBe('0-59/15 * * * *');
    expect(toCronerPattern('cron(0 9 ? * 2 *)')).toBe('0 9 * * 1');
  });

  it.each(SCHEDULES.filter((s) => s.expression.startsWith('cron(')).map((s) => [s.name, s] as const))('%s runs locally on its expression', (_name, s) => {
    const cron = new Cron(toCronerPattern(s.expression), { timezone: s.timeZone, paused: true });
    expect(cron.nextRun()).toBeInstanceOf(Date);
    cron.stop();
  });

  it('every 15 minutes from the hour: four runs an hour', () => {
    const cron = new Cron(toCronerPattern('cron(0/15 * * * ? *)'), { timezone: 'Asia/Shanghai', paused: true });
    const runs = cron.nextRuns(4, new Date('2026-11-22T03:00:30Z')).map((d) => d.toISOString());
    expect(runs).toEqual(['2026-11-22T03:15:00.000Z', '2026-11-22T03:30:00.000Z', '2026-11-22T03:45:00.000Z', '2026-11-22T04:00:00.000Z']);
    cron.stop();
  });
});
