/** Quantities are decimal strings with the product's precision (e.g. 3 places for tonnes). */
import { Decimal } from 'decimal.js';

export function quantityScale(text: string): number {
  return new Decimal(text).decimalPlaces();
}

/** True when `text` is a positive decimal with at most `scale` places (R-INTAKE-5). */
export function isValidQuantity(text: string, scale: number): boolean {
  if (!/^\d+(\.\d+)?$/.test(text)) return false;
  const d = new Decimal(text);
  return d.greaterThan(0) && d.decimalPlaces() <= scale;
}
