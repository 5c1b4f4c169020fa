/**
 * Safety stock (R-FULFIL-9), the pure part: the suggestion a sales clerk starts from, and what a
 * balance's numbers mean for its replenishment alert. Quantities are whole units of the product's
 * precision (shared/quantity.ts), so every comparison is between exact integers.
 */
import { Decimal } from 'decimal.js';

/** Enough significant digits that no quotient here is cut before it is rounded. */
const Exact = Decimal.clone({ precision: 40 });

export interface SafetyStockSuggestion {
  /** Units issued against delivery notes in the window. */
  issuedUnits: number;
  /** Length of the window (setting safetyStockSalesDays). */
  days: number;
  /** Days of sales the suggestion covers (setting safetyStockCoverDays). */
  coverDays: number;
  /** issued ÷ days, in the product's unit, to its precision plus three places (half-up), as a decimal string. */
  averagePerDay: string;
  /** ⌈issued × coverDays ÷ days⌉: the average per day times the cover, rounded up to a whole unit of the product's precision. */
  suggestedUnits: number;
}

/**
 * The safety stock suggested by recent sales: the average issued per day over `days`, times
 * `coverDays`, rounded up to the product's precision (never down: a suggestion below the sales it
 * stands for would let stock run out before the cover ends).
 */
export function suggestSafetyStock(issuedUnits: number, days: number, coverDays: number, scale: number): SafetyStockSuggestion {
  if (!Number.isInteger(issuedUnits) || issuedUnits < 0) throw new Error(`issued units must be a whole number ≥ 0, not ${issuedUnits}`);
  if (!Number.isInteger(days) || days < 1) throw new Error(`the sales window must be a whole number of days ≥ 1, not ${days}`);
  if (!Number.isInteger(coverDays) || coverDays < 0) throw new Error(`cover days must be a whole number ≥ 0, not ${coverDays}`);
  const issued = new Exact(issuedUnits);
  const suggestedUnits = issued.times(coverDays).dividedBy(days).ceil().toNumber();
  const averagePerDay = issued
    .dividedBy(days)
    .dividedBy(new Exact(10).pow(scale))
    .toDecimalPlaces(scale + 3, Decimal.ROUND_HALF_UP)
    .toFixed();
  return { issuedUnits, days, coverDays, averagePerDay, suggestedUnits };
}

/** The window of recent sales: `days` × 24 hours up to `at`. */
export function salesWindow(at: Date, days: number): { from: string; to: string } {
  return { from: new Date(at.getTime() - days * 24 * 60 * 60 * 1000).toISOString(), to: at.toISOString() };
}

export interface SafetyStockState {
  availableUnits: number;
  /** The approved safety stock, if any. */
  safetyUnits?: number | undefined;
  /** Set while the balance is flagged below its safety stock (the alert was raised). */
  belowSafetySince?: string | undefined;
}

/** True when available stock (on hand − reserved) is under the approved safety stock. */
export const isBelowSafetyStock = (b: SafetyStockState): boolean => b.safetyUnits !== undefined && b.availableUnits < b.safetyUnits;

/**
 * What a balance's check does: RAISE the alert when it fell under its safety stock and is not
 * flagged yet (one alert per crossing), CLEAR the flag once it is back at or above it (or the
 * safety stock is gone), otherwise nothing — a second fall while still under raises no second alert.
 */
export function safetyStockAction(b: SafetyStockState): 'RAISE' | 'CLEAR' | 'NONE' {
  const below = isBelowSafetyStock(b);
  if (below && !b.belowSafetySince) return 'RAISE';
  if (!below && b.belowSafetySince) return 'CLEAR';
  return 'NONE';
}
