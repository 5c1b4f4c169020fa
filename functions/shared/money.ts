/**
 * Money is an integer number of minor units (fen, cents) with an ISO 4217 currency code.
 * Never a float. Quantities are decimal strings computed with decimal.js.
 */
import { Decimal } from 'decimal.js';
import * as z from 'zod';

/**
 * decimal.js rounds every result to 20 significant digits by default; a line of up to 2^53 minor
 * units with a six-place quantity needs 22 before the final rounding, so compute exactly first.
 */
const Exact = Decimal.clone({ precision: 60 });

/** Minor-unit exponent per currency; ISO 4217 defaults to 2. */
const MINOR_UNIT_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, BHD: 3, KWD: 3, OMR: 3 };

export function minorDigits(currency: string): number {
  return MINOR_UNIT_DIGITS[currency] ?? 2;
}

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code, e.g. CNY');

export const Money = z
  .object({
    amountMinor: z.int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).meta({ description: 'integer minor units (fen, cents)' }),
    currency: CurrencyCode,
  })
  .meta({ id: 'Money', description: 'An amount of money as integer minor units with its currency' });
export type Money = z.infer<typeof Money>;

export const NonNegativeMoney = Money.extend({ amountMinor: z.int().min(0).max(Number.MAX_SAFE_INTEGER) });

export function money(amountMinor: number, currency: string): Money {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`money must be a safe integer of minor units, got ${amountMinor}`);
  return { amountMinor, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce((acc, m) => addMoney(acc, m), money(0, currency));
}

/** Parses a decimal major-unit string ("1234.56") into minor units exactly; rejects extra digits. */
export function parseMajor(text: string, currency: string): Money {
  const digits = minorDigits(currency);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a decimal amount: ${text}`);
  const d = new Decimal(text);
  if (d.decimalPlaces() > digits) throw new RangeError(`${text} has more than ${digits} decimal places for ${currency}`);
  return money(d.times(new Decimal(10).pow(digits)).toNumber(), currency);
}

/** Formats minor units as a plain major-unit decimal string ("1234.56"), for exports and logs. */
export function formatMajor(m: Money): string {
  const digits = minorDigits(m.currency);
  return new Decimal(m.amountMinor).dividedBy(new Decimal(10).pow(digits)).toFixed(digits);
}

/**
 * Line amount = quantity × unit price, rounded half-up to the minor unit (DESIGN.md).
 * quantity is a decimal string in the product's precision.
 */
export function lineAmount(quantity: string, unitPrice: Money): Money {
  const amount = new Exact(quantity).times(unitPrice.amountMinor).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return money(amount.toNumber(), unitPrice.currency);
}

/** Tax on a net amount at a rate in basis points (1300 = 13%), rounded half-up to the minor unit. */
export function taxAmount(net: Money, rateBasisPoints: number): Money {
  const tax = new Exact(net.amountMinor).times(rateBasisPoints).dividedBy(10_000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return money(tax.toNumber(), net.currency);
}
