/**
 * Business dates are calendar days in the company's time zone (default Asia/Shanghai, UTC+8);
 * timestamps are UTC. The clock is set by tests and keeps flowing from the set instant.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addMonths, businessDate, moveToday, now, nowIso, setClock } from '../../../functions/shared/clock.js';
import { settings } from '../../../functions/shared/settings.js';

afterEach(() => {
  vi.useRealTimers();
  moveToday(process.env.TEST_TODAY); // this run's today (tests/support/today.ts)
  setClock(undefined);
});

describe('businessDate in the company time zone', () => {
  it('uses Asia/Shanghai by default', () => {
    expect(settings().timeZone).toBe('Asia/Shanghai');
  });

  it('2026-11-21T16:30Z is already 2026-11-22 in Shanghai, still 2026-11-21 in UTC', () => {
    const at = new Date('2026-11-21T16:30:00Z');
    expect(businessDate(at)).toBe('2026-11-22');
    expect(businessDate(at, 'Asia/Shanghai')).toBe('2026-11-22');
    expect(businessDate(at, 'UTC')).toBe('2026-11-21');
  });

  it('the Shanghai day changes at 16:00 UTC exactly', () => {
    expect(businessDate(new Date('2026-11-21T15:59:59.999Z'))).toBe('2026-11-21');
    expect(businessDate(new Date('2026-11-21T16:00:00.000Z'))).toBe('2026-11-22');
    // Just after midnight UTC it is morning in Shanghai: same calendar day.
    expect(businessDate(new Date('2026-11-22T00:30:00Z'))).toBe('2026-11-22');
  });

  it('month end and year end fall on the Shanghai calendar', () => {
    expect(businessDate(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    expect(businessDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(businessDate(new Date('2028-02-28T16:00:00Z'))).toBe('2028-02-29');
    expect(businessDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });

  it('always equals the UTC date of the instant shifted by eight hours (Shanghai has no daylight saving)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (ms) => {
        expect(businessDate(new Date(ms))).toBe(new Date(ms + 8 * 3600_000).toISOString().slice(0, 10));
      }),
    );
  });
});

describe('addMonths clamps to the last day of the month', () => {
  it('Aug 31 + 6 months is Feb 28, or Feb 29 in a leap year', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2099-08-31', 6)).toBe('2100-02-28'); // 2100 is not a leap year
    expect(addMonths('1999-08-31', 6)).toBe('2000-02-29'); // 2000 is
  });

  it('leap day + 12 months is Feb 28; + 48 months is Feb 29 again', () => {
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2028-02-29', 48)).toBe('2032-02-29');
  });

  it('keeps the day when the month has it, crosses years, and goes backwards', () => {
    expect(addMonths('2026-05-22', 6)).toBe('2026-11-22');
    expect(addMonths('2026-11-22', 6)).toBe('2027-05-22');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-07-04', 0)).toBe('2026-07-04');
  });

  it('lands in the right month on a real day, never later than the starting day-of-month', () => {
    const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(date, fc.integer({ min: -240, max: 240 }), (d, months) => {
        const start = d.toISOString().slice(0, 10);
        const result = addMonths(start, months);
        expect(result).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const [y, m, day] = result.split('-').map(Number) as [number, number, number];
        const parsed = new Date(`${result}T00:00:00Z`);
        expect(parsed.toISOString().slice(0, 10)).toBe(result); // a real calendar day
        expect(y * 12 + m - (d.getUTCFullYear() * 12 + d.getUTCMonth() + 1)).toBe(months);
        const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
        expect(day).toBe(Math.min(d.getUTCDate(), lastDay));
      }),
    );
  });
});

describe('setClock', () => {
  it('now() continues from the set instant as real time passes', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    setClock(new Date('2026-11-21T16:30:00Z'));
    expect(nowIso()).toBe('2026-11-21T16:30:00.000Z');
    expect(businessDate()).toBe('2026-11-22');

    vi.advanceTimersByTime(90 * 60_000); // an hour and a half of machine time
    expect(now().toISOString()).toBe('2026-11-21T18:00:00.000Z');
    expect(businessDate()).toBe('2026-11-22');
  });

  it('setting it again moves it; undefined gives back the machine clock', () => {
    moveToday(undefined);
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    setClock(new Date('2026-11-21T16:30:00Z'));
    setClock(new Date('2027-03-01T01:00:00Z'));
    expect(nowIso()).toBe('2027-03-01T01:00:00.000Z');
    setClock(undefined);
    expect(nowIso()).toBe('2030-01-01T00:00:00.000Z');
    expect(businessDate()).toBe('2030-01-01');
  });
});

describe('moveToday (TEST_TODAY runs)', () => {
  it('today becomes the business day given, at the machine\'s time of day, and setClock(undefined) comes back to it', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-07T23:10:00Z') }); // 07:10 on 8 December in Shanghai
    moveToday('2027-12-31');
    expect(businessDate()).toBe('2027-12-31');
    expect(nowIso()).toBe('2027-12-30T23:10:00.000Z');
    setClock(new Date('2026-11-25T02:00:00Z'));
    expect(businessDate()).toBe('2026-11-25');
    setClock(undefined);
    expect(businessDate()).toBe('2027-12-31');
    moveToday(undefined);
    expect(nowIso()).toBe('2026-12-07T23:10:00.000Z');
  });
});

