/**
 * Time. Timestamps are stored in UTC ISO 8601; business dates are calendar days in the
 * company's time zone. Tests set the clock; nothing sleeps for time to pass.
 */
import { settings } from './settings.js';

/**
 * Offset from the machine's clock; time keeps flowing from wherever a test set it. `baseOffsetMs`
 * is where "now" rests when no test holds the clock: 0, except in a test run that moved today
 * (moveToday) to prove that nothing depends on the machine's calendar.
 */
let baseOffsetMs = 0;
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

export function nowIso(): string {
  return now().toISOString();
}

/** For tests and the local stack's clock control only: now() continues from `at` (undefined: back to today). */
export function setClock(at: Date | undefined): void {
  offsetMs = at ? at.getTime() - Date.now() : baseOffsetMs;
}

/**
 * For test runs only (TEST_TODAY, tests/support/today.ts): "today" becomes the business day `day`
 * at the machine's time of day, and setClock(undefined) comes back to it; undefined: the real today.
 */
export function moveToday(day: string | undefined): void {
  const real = new Date();
  baseOffsetMs = day ? businessDayStart(day).getTime() - businessDayStart(businessDate(real)).getTime() : 0;
  offsetMs = baseOffsetMs;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function businessDate(at: Date = now(), timeZone: string = settings().timeZone): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Adds calendar months to a YYYY-MM-DD date, clamping to the month's last day (Aug 31 + 6 months = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Adds calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The UTC instant at which a business day (YYYY-MM-DD) starts in the company's time zone. */
export function businessDayStart(date: string, timeZone: string = settings().timeZone): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  // The zone's offset at that moment, e.g. "GMT+08:00"; applied once, then checked once (DST edges).
  const offsetAt = (at: Date) => {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  };
  const first = new Date(guess.getTime() - offsetAt(guess) * 60_000);
  return new Date(guess.getTime() - offsetAt(first) * 60_000);
}
