/**
 * Money (DESIGN.md "Money and quantities"): integer minor units with a currency, line amount =
 * quantity × unit price rounded half-up to the minor unit, tax per line, totals as sums of
 * rounded lines. The properties compare the implementation with an exact BigInt model.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addMoney,
  NonNegativeMoney,
  formatMajor,
  lineAmount,
  lineAmounts,
  minorDigits,
  money,
  moneyInput,
  parseMajor,
  subtractMoney,
  sumMoney,
  taxAmount,
  type Money,
} from '../../../functions/shared/money.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const cny = (amountMinor: number): Money => money(amountMinor, 'CNY');

/** A decimal string with 0..6 places, and its exact value as units / 10^scale. */
interface ExactDecimal {
  text: string;
  units: bigint;
  scale: number;
}

const decimalString = (maxUnits: bigint): fc.Arbitrary<ExactDecimal> =>
  fc.record({ units: fc.bigInt({ min: 1n, max: maxUnits }), scale: fc.integer({ min: 0, max: 6 }) }).map(({ units, scale }) => {
    const digits = units.toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return { text, units, scale };
  });

/** Exact half-up rounding of numerator / denominator for non-negative values. */
const roundHalfUp = (numerator: bigint, denominator: bigint) => (2n * numerator + denominator) / (2n * denominator);

/** The exact model of a line: quantity × price in minor units, rounded half-up. */
const exactLine = (q: ExactDecimal, priceMinor: bigint) => roundHalfUp(q.units * priceMinor, 10n ** BigInt(q.scale));

describe('lineAmount: quantity × unit price, rounded half-up to the minor unit', () => {
  it('worked example: 2.345 t × ¥3,999.99 = ¥9,379.98 (937,997.655 fen rounds up to 937,998)', () => {
    expect(lineAmount('2.345', parseMajor('3999.99', 'CNY'))).toEqual({ amountMinor: 937_998, currency: 'CNY' });
    expect(formatMajor(lineAmount('2.345', parseMajor('3999.99', 'CNY')))).toBe('9379.98');
  });

  it('worked examples at the half: exactly half a fen rounds up, just under half rounds down', () => {
    expect(lineAmount('0.005', cny(100)).amountMinor).toBe(1); // 0.5 fen
    expect(lineAmount('0.004999', cny(100)).amountMinor).toBe(0); // 0.4999 fen
    expect(lineAmount('1.5', cny(1)).amountMinor).toBe(2);
    expect(lineAmount('2.5', cny(1)).amountMinor).toBe(3); // half-up, not banker's rounding
    expect(lineAmount('12', cny(350)).amountMinor).toBe(4200);
    expect(lineAmount('1.000001', money(1_000_000, 'JPY'))).toEqual({ amountMinor: 1_000_001, currency: 'JPY' });
  });

  it('equals the exact BigInt model for any quantity with 0..6 places and any price whose line fits a safe integer', () => {
    fc.assert(
      fc.property(decimalString(10n ** 13n), fc.bigInt({ min: 0n, max: 10n ** 12n }), (q, price) => {
        const expected = exactLine(q, price);
        fc.pre(expected <= MAX_SAFE);
        const got = lineAmount(q.text, cny(Number(price)));
        expect(got.currency).toBe('CNY');
        expect(Number.isSafeInteger(got.amountMinor)).toBe(true);
        expect(BigInt(got.amountMinor)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('equals the exact model for large lines too (more than 20 significant digits before rounding)', () => {
    // ≥ 10^14 fen with six quantity decimals: the exact product has 21–22 significant digits.
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 12n, max: 10n ** 13n }), fc.bigInt({ min: 10n ** 8n, max: 9n * 10n ** 8n }), (units, price) => {
        const q: ExactDecimal = { units, scale: 6, text: `${units / 10n ** 6n}.${(units % 10n ** 6n).toString().padStart(6, '0')}` };
        const expected = exactLine(q, price);
        fc.pre(expected <= MAX_SAFE);
        expect(BigInt(lineAmount(q.text, cny(Number(price))).amountMinor)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
    // A case found by the property: 1432221.657338 × 775379136 = 1110514791227226.499999…
    expect(lineAmount('1432221.657338', cny(775_379_136)).amountMinor).toBe(1_110_514_791_227_226);
  });

  it('is never a float: a line that cannot be a safe integer is refused, not rounded silently', () => {
    expect(() => lineAmount('10000000', cny(1_000_000_000_000))).toThrow(RangeError);
  });
});

describe('taxAmount: net × rate in basis points, rounded half-up', () => {
  it('worked examples at 13% VAT', () => {
    expect(taxAmount(cny(937_998), 1300)).toEqual({ amountMinor: 121_940, currency: 'CNY' }); // 121,939.74
    expect(taxAmount(cny(50), 1300).amountMinor).toBe(7); // 6.5 → 7
    expect(taxAmount(cny(150), 1300).amountMinor).toBe(20); // 19.5 → 20
    expect(taxAmount(cny(3), 1300).amountMinor).toBe(0); // 0.39 → 0
    expect(taxAmount(cny(12_345), 0).amountMinor).toBe(0);
    expect(taxAmount(cny(12_345), 10_000).amountMinor).toBe(12_345);
  });

  it('equals the exact model for every net amount and rate from 0 to 100%', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_SAFE }), fc.integer({ min: 0, max: 10_000 }), (net, rate) => {
        const got = taxAmount(cny(Number(net)), rate);
        expect(BigInt(got.amountMinor)).toBe(roundHalfUp(net * BigInt(rate), 10_000n));
        expect(got.currency).toBe('CNY');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseMajor and formatMajor', () => {
  const currencies = fc.constantFrom('CNY', 'USD', 'EUR', 'JPY', 'KRW', 'BHD', 'KWD');

  it('round-trip every amount in every currency exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), currencies, (amountMinor, currency) => {
        const m = money(amountMinor, currency);
        const text = formatMajor(m);
        const places = minorDigits(currency);
        expect(text).toMatch(places === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${places}}$`));
        expect(parseMajor(text, currency)).toEqual({ amountMinor, currency });
      }),
      { numRuns: 2000 },
    );
  });

  it('parses worked examples to exact minor units', () => {
    expect(parseMajor('3999.99', 'CNY')).toEqual({ amountMinor: 399_999, currency: 'CNY' });
    expect(parseMajor('0.01', 'CNY').amountMinor).toBe(1);
    expect(parseMajor('0.1', 'CNY').amountMinor).toBe(10);
    expect(parseMajor('12', 'CNY').amountMinor).toBe(1200);
    expect(parseMajor('-5.5', 'USD').amountMinor).toBe(-550);
    expect(parseMajor('1500', 'JPY').amountMinor).toBe(1500);
    expect(parseMajor('1.234', 'BHD').amountMinor).toBe(1234);
    expect(formatMajor(cny(5))).toBe('0.05');
    expect(formatMajor(cny(-5))).toBe('-0.05');
    expect(formatMajor(money(1500, 'JPY'))).toBe('1500');
  });

  it('rejects more decimals than the currency has, for any amount', () => {
    fc.assert(
      fc.property(currencies, fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 1, max: 9 }), (currency, whole, lastDigit) => {
        const places = minorDigits(currency);
        const text = `${whole}.${'0'.repeat(places)}${lastDigit}`; // one place too many, not a trailing zero
        expect(() => parseMajor(text, currency)).toThrow(RangeError);
      }),
    );
    expect(() => parseMajor('1.234', 'CNY')).toThrow(/more than 2 decimal places/);
    expect(() => parseMajor('1.5', 'JPY')).toThrow(RangeError);
  });

  it('rejects text that is not a plain decimal', () => {
    for (const text of ['', '1,000.00', '1e3', '¥12', ' 12', '12 ', '.5', '5.', '+5', 'NaN', 'Infinity', '0x10', '1.2.3']) {
      expect(() => parseMajor(text, 'CNY'), text).toThrow(RangeError);
    }
  });

  it('rejects an amount beyond safe integers instead of losing fen', () => {
    expect(parseMajor('90071992547409.91', 'CNY').amountMinor).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseMajor('90071992547409.92', 'CNY')).toThrow(RangeError);
  });
});

describe('adding and subtracting money', () => {
  const amount = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
  const twoCurrencies = fc
    .tuple(fc.constantFrom('CNY', 'USD', 'EUR', 'JPY', 'HKD'), fc.constantFrom('CNY', 'USD', 'EUR', 'JPY', 'HKD'))
    .filter(([a, b]) => a !== b);

  it('adds and subtracts exactly in one currency', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(addMoney(cny(a), cny(b))).toEqual({ amountMinor: a + b, currency: 'CNY' });
        expect(subtractMoney(cny(a), cny(b))).toEqual({ amountMinor: a - b, currency: 'CNY' });
        expect(subtractMoney(addMoney(cny(a), cny(b)), cny(b))).toEqual(cny(a));
      }),
    );
  });

  it('refuses to mix currencies in addMoney, subtractMoney and sumMoney', () => {
    fc.assert(
      fc.property(amount, amount, twoCurrencies, (a, b, [c1, c2]) => {
        expect(() => addMoney(money(a, c1), money(b, c2))).toThrow(/currency mismatch/);
        expect(() => subtractMoney(money(a, c1), money(b, c2))).toThrow(/currency mismatch/);
        expect(() => sumMoney([money(a, c1), money(b, c2)], c1)).toThrow(/currency mismatch/);
      }),
    );
    expect(() => sumMoney([money(100, 'USD')], 'CNY')).toThrow(/currency mismatch/);
  });

  it('refuses fractional minor units and unsafe integers', () => {
    expect(() => money(0.5, 'CNY')).toThrow(RangeError);
    expect(() => money(0.1 + 0.2, 'CNY')).toThrow(RangeError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 1, 'CNY')).toThrow(RangeError);
    expect(() => money(Number.NaN, 'CNY')).toThrow(RangeError);
    expect(() => addMoney(cny(Number.MAX_SAFE_INTEGER), cny(1))).toThrow(RangeError);
  });
});

describe('totals are sums of rounded lines', () => {
  it('worked example: three lines of half a fen each total 3 fen, not the 2 fen of rounding their exact sum', () => {
    const lines = ['0.005', '0.005', '0.005'].map((q) => lineAmount(q, cny(100)));
    expect(lines.map((l) => l.amountMinor)).toEqual([1, 1, 1]);
    expect(sumMoney(lines, 'CNY')).toEqual({ amountMinor: 3, currency: 'CNY' });
  });

  it('an order total is the sum of its exactly rounded lines, and its tax the sum of per-line tax', () => {
    const line = fc.record({ q: decimalString(10n ** 7n), price: fc.bigInt({ min: 0n, max: 10n ** 7n }), rate: fc.constantFrom(0, 600, 900, 1300) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 0, maxLength: 30 }), (lines) => {
        const nets = lines.map((l) => lineAmount(l.q.text, cny(Number(l.price))));
        const taxes = lines.map((l, i) => taxAmount(nets[i]!, l.rate));
        const expectedNet = lines.reduce((sum, l) => sum + exactLine(l.q, l.price), 0n);
        const expectedTax = lines.reduce((sum, l) => sum + roundHalfUp(exactLine(l.q, l.price) * BigInt(l.rate), 10_000n), 0n);
        expect(BigInt(sumMoney(nets, 'CNY').amountMinor)).toBe(expectedNet);
        expect(BigInt(sumMoney(taxes, 'CNY').amountMinor)).toBe(expectedTax);
        // Order does not matter.
        expect(sumMoney([...nets].reverse(), 'CNY')).toEqual(sumMoney(nets, 'CNY'));
      }),
      { numRuns: 500 },
    );
  });

  it('the sum of an empty order is zero in its currency', () => {
    expect(sumMoney([], 'CNY')).toEqual({ amountMinor: 0, currency: 'CNY' });
  });
});

describe('bounds: the most one document may carry (setting maxAmountMinor)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('an amount a client sends is whole minor units up to 10^12 CNY by default; more is too_big with a message a person reads, never a 500 later', () => {
    const input = moneyInput({ min: 1, minMessage: 'a payment is more than zero' });
    expect(input.safeParse(cny(100_000_000_000_000)).success).toBe(true);
    for (const amountMinor of [100_000_000_000_001, 9_000_000_000_000_000, Number.MAX_SAFE_INTEGER]) {
      const issues = input.safeParse(cny(amountMinor)).error?.issues ?? [];
      expect(issues.map((i) => [i.path.join('.'), i.code, i.message])).toEqual([['amountMinor', 'too_big', 'at most 1000000000000.00 CNY per document']]);
    }
    expect(input.safeParse(cny(0)).error?.issues.map((i) => i.message)).toEqual(['a payment is more than zero']);
    // Past 2^53 a number is not an exact count of fen: refused once, with the same words.
    expect(input.safeParse({ amountMinor: 2 ** 53, currency: 'CNY' }).error?.issues.map((i) => [i.code, i.message])).toEqual([['too_big', 'at most 1000000000000.00 CNY per document']]);
    expect(NonNegativeMoney.safeParse({ amountMinor: 1234.5, currency: 'CNY' }).error?.issues.map((i) => i.code)).toEqual(['invalid_type']);
  });

  it('the cap is a company setting, read when a request is parsed; it can never go past 2^53 − 1', async () => {
    vi.stubEnv('SETTINGS_JSON', JSON.stringify({ maxAmountMinor: 5_000_00 }));
    vi.resetModules();
    const fresh = await import('../../../functions/shared/money.js');
    expect(fresh.NonNegativeMoney.safeParse(cny(500_000)).success).toBe(true);
    expect(fresh.NonNegativeMoney.safeParse(cny(500_001)).error?.issues.map((i) => i.message)).toEqual(['at most 5000.00 CNY per document']);
    vi.stubEnv('SETTINGS_JSON', JSON.stringify({ maxAmountMinor: 1e300 }));
    vi.resetModules();
    expect((await import('../../../functions/shared/money.js')).maxAmountMinor()).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('lineAmounts: net, tax and gross exactly as lineAmount and taxAmount make them, or nothing when the gross is over the cap', () => {
    fc.assert(
      fc.property(decimalString(10n ** 15n), fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.integer({ min: 0, max: 10_000 }), (q, price, rate) => {
        const net = exactLine(q, price);
        const tax = roundHalfUp(net * BigInt(rate), 10_000n);
        const got = lineAmounts(q.text, cny(Number(price)), rate);
        if (net + tax > 100_000_000_000_000n) expect(got).toBeUndefined();
        else expect(got).toEqual({ net: cny(Number(net)), tax: cny(Number(tax)), gross: cny(Number(net + tax)) });
      }),
    );
    // Where lineAmount would throw (past 2^53), lineAmounts says "too much" instead.
    expect(lineAmounts('10000000', cny(1_000_000_000_000), 1300)).toBeUndefined();
  });
});
