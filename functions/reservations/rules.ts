/** Goods reservations for customers (留货, R-FULFIL-8): who may ask, who approves, how long goods stay held. Pure. */
import type { Product } from '../catalog/schemas.js';
import type { Customer } from '../customers/schemas.js';
import { onlyOwnCustomers } from '../customers/rules.js';
import type { User } from '../shared/auth.js';
import { addDays, businessDate, businessDayStart } from '../shared/clock.js';
import { type FieldError, forbidden } from '../shared/errors.js';
import { isValidQuantity } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import type { CreateGoodsReservation } from './schemas.js';

/**
 * R-FULFIL-8: with a deposit, finance confirms it arrived (then the goods are held); without one,
 * the rep's guarantee goes to the sales manager and then the general manager.
 */
export function approversFor(input: Pick<CreateGoodsReservation, 'deposit'>): [Role] | [Role, Role] {
  return input.deposit ? ['finance'] : ['sales_manager', 'general_manager'];
}

/** A rep asks for own customers only; only the customer's own rep can give the guarantee. */
export function assertMayRequest(user: User, customer: Pick<Customer, 'customerId' | 'ownerRepId'>, input: Pick<CreateGoodsReservation, 'guarantee'>): void {
  if (onlyOwnCustomers(user) && customer.ownerRepId !== user.userId) throw forbidden(`${customer.customerId} belongs to another sales rep`);
  if (input.guarantee !== undefined && customer.ownerRepId !== user.userId) {
    throw forbidden(`only the customer's own sales rep (${customer.ownerRepId}) can guarantee a reservation without a deposit`);
  }
}

/** Every line's product, specification and quantity precision checked against the catalogue; every bad field named. */
export function lineProblems(lines: CreateGoodsReservation['lines'], products: ReadonlyMap<string, Product>, path = 'body.lines'): FieldError[] {
  return lines.flatMap((line, i): FieldError[] => {
    const product = products.get(line.productCode);
    if (!product || product.status !== 'ACTIVE') return [{ field: `${path}.${i}.productCode`, message: `no active product ${line.productCode}`, code: 'unknown_product' }];
    const problems: FieldError[] = [];
    if (!isValidQuantity(line.quantity, product.quantityScale) || /^0+(\.0+)?$/.test(line.quantity)) {
      problems.push({ field: `${path}.${i}.quantity`, message: `more than zero, with at most ${product.quantityScale} decimal places (${product.unit})`, code: 'quantity_precision' });
    }
    const specs = product.specifications ?? [];
    if (specs.length > 0 ? !line.specification || !specs.includes(line.specification) : line.specification !== undefined) {
      problems.push({ field: `${path}.${i}.specification`, message: specs.length > 0 ? `one of ${specs.join(', ')}` : `${product.productCode} has no specifications`, code: 'specification' });
    }
    return problems;
  });
}

/** The lines of a request as its record keeps them: numbered, with the product's name and unit from the catalogue. */
export function recordLines(lines: CreateGoodsReservation['lines'], products: ReadonlyMap<string, Product>) {
  return lines.map((l, i) => {
    const product = products.get(l.productCode)!;
    return { lineNo: i + 1, productCode: l.productCode, productName: product.name, ...(l.specification ? { specification: l.specification } : {}), unit: product.unit, quantity: l.quantity };
  });
}

/**
 * R-FULFIL-8: goods stay held `days` (setting, 3) from the moment they are held, never past the end
 * of that month in the company's time zone (month-end stock counts and closing see no old holds).
 */
export function holdExpiry(heldAt: Date, days: number, timeZone: string): { expiresAt: string; expiresOn: string } {
  const heldOn = businessDate(heldAt, timeZone);
  const nextMonthFirst = addDays(`${heldOn.slice(0, 8)}01`, 32).slice(0, 8) + '01';
  const monthEnd = businessDayStart(nextMonthFirst, timeZone).getTime();
  const expires = new Date(Math.min(heldAt.getTime() + days * 24 * 60 * 60 * 1000, monthEnd));
  return { expiresAt: expires.toISOString(), expiresOn: businessDate(new Date(expires.getTime() - 1), timeZone) };
}
