/**
 * Money is an integer number of minor units (fen, cents) with an ISO 4217 currency code.
 * Never a float. Quantities are decimal strings computed with decimal.js.
 */
import { Decimal } from 'decimal.js';
import * as z from 'zod';
import { settings } from './settings.js';

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

/**
 * The most one document may carry, in minor units (setting maxAmountMinor, default 10^14 = 10^12 CNY):
 * a price, an order line and its order, a payment, a credit note, a credit limit, a deposit. Never more
 * than a JavaScript number holds exactly, whatever the setting says.
 */
export function maxAmountMinor(): number {
  return Math.min(settings().maxAmountMinor, Number.MAX_SAFE_INTEGER);
}

/** What a person reads when an amount is over the cap: "at most 1000000000000.00 CNY per document". */
export function maxAmountText(currency: string = settings().currency): string {
  return `at most ${formatMajor({ amountMinor: maxAmountMinor(), currency })} ${currency} per document`;
}

/** True when an amount (minor units, exact) is within the per-document cap on both sides of zero. */
export function withinMaxAmount(amountMinor: number | bigint | Decimal): boolean {
  const max = maxAmountMinor();
  return amountMinor instanceof Decimal ? amountMinor.abs().lte(max) : (amountMinor < 0 ? -amountMinor : amountMinor) <= max;
}

/**
 * Whole minor units as a client sends them: from `min` up to the per-document cap, read at parse
 * time so a deployment's setting applies (the refusal is `too_big`, as zod's own maximum).
 */
export function amountMinorInput(min: number, minMessage?: string) {
  return z
    .int({ error: (issue) => (issue.code === 'too_big' ? maxAmountText() : undefined) }) // past 2^53 − 1: not an exact count of fen
    .min(min, minMessage)
    .superRefine((value, ctx) => {
      if (Number.isSafeInteger(value) && !withinMaxAmount(value)) {
        ctx.addIssue({ code: 'too_big', origin: 'number', maximum: maxAmountMinor(), inclusive: true, input: value, message: maxAmountText() });
      }
    })
    .meta({ description: 'integer minor units (fen, cents); at most the setting maxAmountMinor per document (default 100000000000000 = 10^12 CNY)' });
}

/** An amount a client sends (a price, a payment, a limit): a currency and whole minor units from `min` up to the cap. */
export function moneyInput(options: { min: number; minMessage?: string }) {
  return z.object({ amountMinor: amountMinorInput(options.min, options.minMessage), currency: CurrencyCode });
}

/** A price or a limit a client sends: zero or more, up to the per-document cap. */
export const NonNegativeMoney = moneyInput({ min: 0 });

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
  return formatMinor(m.amountMinor, m.currency);
}

/** formatMajor for a sum that may be beyond safe integers (a bigint), to say by how much it is too large. */
export function formatMinor(amountMinor: number | bigint, currency: string): string {
  const digits = minorDigits(currency);
  return new Decimal(String(amountMinor)).dividedBy(new Decimal(10).pow(digits)).toFixed(digits);
}

/**
 * Line amount = quantity × unit price, rounded half-up to the minor unit (DESIGN.md).
 * quantity is a decimal string in the product's precision.
 */
export function lineAmount(quantity: string, unitPrice: Money): Money {
  const amount = new Exact(quantity).times(unitPrice.amountMinor).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return money(amount.toNumber(), unitPrice.currency);
}

/**
 * A line's net (quantity × unit price, rounded half-up), tax (per line, at the rate in basis points)
 * and gross, computed exactly; undefined when the gross is over the per-document cap, so that an
 * amount no document may carry is refused by name instead of failing as a number out of range.
 */
export function lineAmounts(quantity: string, unitPrice: Money, taxRateBasisPoints: number): { net: Money; tax: Money; gross: Money } | undefined {
  const net = new Exact(quantity).times(unitPrice.amountMinor).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const tax = net.times(taxRateBasisPoints).dividedBy(10_000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const gross = net.plus(tax);
  if (!withinMaxAmount(net) || !withinMaxAmount(gross)) return undefined;
  const m = (d: Decimal) => money(d.toNumber(), unitPrice.currency);
  return { net: m(net), tax: m(tax), gross: m(gross) };
}

/** Tax on a net amount at a rate in basis points (1300 = 13%), rounded half-up to the minor unit. */
export function taxAmount(net: Money, rateBasisPoints: number): Money {
  const tax = new Exact(net.amountMinor).times(rateBasisPoints).dividedBy(10_000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return money(tax.toNumber(), net.currency);
}
