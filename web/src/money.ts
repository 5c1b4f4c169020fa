/** Money in the console: integer minor units to exact decimal strings and back, never through a float. */

/** The minor units of a currency (2 for CNY, 0 for JPY) as Intl knows them. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Integer minor units → exact decimal string ("-1234.50"), no floating point. */
export function minorToDecimal(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = amountMinor < 0;
  const s = String(Math.abs(Math.trunc(amountMinor))).padStart(digits + 1, '0');
  const whole = digits ? s.slice(0, -digits) : s;
  const frac = digits ? `.${s.slice(-digits)}` : '';
  return `${negative ? '-' : ''}${whole}${frac}`;
}

/** A decimal string typed by a person ("1,234.5") → integer minor units, or undefined if it is not money. */
export function decimalToMinor(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const clean = text.replace(/[,\s，]/g, '');
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(clean);
  if (!m || (m[3]?.length ?? 0) > digits) return undefined;
  const minor = Number(`${m[2]}${(m[3] ?? '').padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor)) return undefined;
  return m[1] ? -minor : minor;
}
