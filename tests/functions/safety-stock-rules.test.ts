/**
 * Safety stock (R-FULFIL-9), the pure part: the suggestion from recent sales and what a balance's
 * numbers mean for its replenishment alert.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBelowSafetyStock, safetyStockAction, salesWindow, suggestSafetyStock } from '../../functions/stock/safety-rules.js';

describe('the suggested safety stock', () => {
  it('R-FULFIL-9: is the average issued per day over the window times the cover days, rounded up to the product’s precision', () => {
    // 10 t issued in 90 days (3 places: 10 000 units): 0.111 t a day; 14 days of it is 1.5555… t → 1.556 t.
    expect(suggestSafetyStock(10_000, 90, 14, 3)).toEqual({ issuedUnits: 10_000, days: 90, coverDays: 14, averagePerDay: '0.111111', suggestedUnits: 1556 });
    // An exact quotient is not rounded: 9 t in 90 days, 14 days → 1.4 t.
    expect(suggestSafetyStock(9_000, 90, 14, 3).suggestedUnits).toBe(1400);
    // Whole pieces round up to a whole piece: 5 valves in 90 days, 14 days → 0.78 → 1.
    expect(suggestSafetyStock(5, 90, 14, 0)).toMatchObject({ averagePerDay: '0.056', suggestedUnits: 1 });
    // Nothing sold, nothing suggested.
    expect(suggestSafetyStock(0, 90, 14, 3)).toMatchObject({ averagePerDay: '0', suggestedUnits: 0 });
  });

  it('R-FULFIL-9: never falls short of the sales it stands for, and exceeds them by less than one unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 1, max: 365 }), fc.integer({ min: 0, max: 365 }), (issued, days, cover) => {
        const { suggestedUnits } = suggestSafetyStock(issued, days, cover, 3);
        expect(Number.isInteger(suggestedUnits)).toBe(true);
        // suggested × days ≥ issued × cover > (suggested − 1) × days, in exact integers.
        expect(BigInt(suggestedUnits) * BigInt(days) >= BigInt(issued) * BigInt(cover)).toBe(true);
        expect((BigInt(suggestedUnits) - 1n) * BigInt(days) < BigInt(issued) * BigInt(cover)).toBe(true);
      }),
    );
  });

  it('refuses a window or figures that are not whole and positive', () => {
    expect(() => suggestSafetyStock(1.5, 90, 14, 3)).toThrow(/whole/);
    expect(() => suggestSafetyStock(1, 0, 14, 3)).toThrow(/window/);
    expect(() => suggestSafetyStock(1, 90, -1, 3)).toThrow(/cover/);
  });

  it('R-FULFIL-9: the window is the given number of days up to now', () => {
    expect(salesWindow(new Date('2026-11-22T08:00:00.000Z'), 90)).toEqual({ from: '2026-08-24T08:00:00.000Z', to: '2026-11-22T08:00:00.000Z' });
  });
});

describe('the replenishment alert', () => {
  it('R-FULFIL-9: raises once when available falls under the safety stock, not again while it stays under, and clears when it is back', () => {
    expect(safetyStockAction({ availableUnits: 4_999, safetyUnits: 5_000 })).toBe('RAISE');
    expect(safetyStockAction({ availableUnits: 1_000, safetyUnits: 5_000, belowSafetySince: '2026-11-22T08:00:00Z' })).toBe('NONE');
    expect(safetyStockAction({ availableUnits: 5_000, safetyUnits: 5_000, belowSafetySince: '2026-11-22T08:00:00Z' })).toBe('CLEAR');
    expect(safetyStockAction({ availableUnits: 5_000, safetyUnits: 5_000 })).toBe('NONE');
    // No safety stock (never approved, or removed): nothing to alert, and an old flag goes.
    expect(safetyStockAction({ availableUnits: 0 })).toBe('NONE');
    expect(safetyStockAction({ availableUnits: 0, belowSafetySince: '2026-11-22T08:00:00Z' })).toBe('CLEAR');
    expect(isBelowSafetyStock({ availableUnits: 0, safetyUnits: 1 })).toBe(true);
  });
});
