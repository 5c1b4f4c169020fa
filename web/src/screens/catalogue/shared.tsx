/** The product as the API returns it (functions/catalog/schemas.ts), and the VAT rate as people write it. */
import type { Product as ApiProduct } from '../../../../functions/catalog/schemas.js';
import { useLocale } from '../../i18n/index.js';

export type Product = ApiProduct;

export const PRODUCT_TYPES = ['manufactured', 'traded'] as const;

/** Basis points (1300) → a percent as typed ("13", "13.5"), exactly, no floating point. */
export function basisPointsToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** A percent typed by a person ("13", "9", "13.5") → basis points, or undefined if it is not one. */
export function percentToBasisPoints(text: string): number | undefined {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/[%％]$/, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function TaxRate({ basisPoints }: { basisPoints: number }) {
  const { fmt } = useLocale();
  return <span className="num">{fmt.number(basisPointsToPercent(basisPoints))}%</span>;
}

/** The API's message for a field or any part of it (specifications.2 → specifications). */
export function fieldError(fields: Record<string, string>, name: string): string | undefined {
  if (fields[name]) return fields[name];
  const key = Object.keys(fields).find((k) => k.startsWith(`${name}.`));
  return key ? fields[key] : undefined;
}
