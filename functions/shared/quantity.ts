/** Quantities are decimal strings with the product's precision (e.g. 3 places for tonnes). */
import { Decimal } from 'decimal.js';
import * as z from 'zod';

/**
 * At most 9 digits before the point and 6 after (a product's precision is at most 6 places): a
 * quantity counted in whole units of its precision (toUnits) stays below 10^15, a safe integer, and
 * quantity × a unit price within the cap is computed exactly. The product's own precision is checked
 * against the catalogue (R-INTAKE-5), together with the other fields of the line.
 */
export const QUANTITY_PATTERN = /^\d{1,9}(\.\d{1,6})?$/;
export const Quantity = z.string().regex(QUANTITY_PATTERN, 'a positive decimal number such as 12.5, as a string: at most 9 digits before the point and 6 after');

/** A change of stock either way (an adjustment): a quantity with an optional minus sign. */
export const SignedQuantity = z
  .string()
  .regex(/^-?\d{1,9}(\.\d{1,6})?$/, 'a decimal number such as -2.5 or 12, as a string: at most 9 digits before the point and 6 after');

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
