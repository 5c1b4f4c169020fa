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

/**
 * Stock is counted in whole units of the product's precision (2.5 t at 3 places = 2500), so
 * DynamoDB conditions and update expressions work on exact integers.
 */
export function toUnits(text: string, scale: number): number {
  const units = new Decimal(text).times(new Decimal(10).pow(scale));
  if (!units.isInteger()) throw new Error(`${text} has more than ${scale} decimal places`);
  return units.toNumber();
}

export function fromUnits(units: number, scale: number): string {
  return new Decimal(units).dividedBy(new Decimal(10).pow(scale)).toFixed();
}
