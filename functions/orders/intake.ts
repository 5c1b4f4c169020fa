/**
 * Shared by creating and amending an order: read what the lines need (customer, catalogue,
 * price book in force today) and build priced lines, refusing every bad field at once.
 */
import * as z from 'zod';
import { ProductCode } from '../catalog/schemas.js';
import type { Customer } from '../customers/schemas.js';
import { assertMaySee } from '../customers/rules.js';
import { getCustomer } from '../customers/store.js';
import { priceBookFor } from '../pricing/prices.js';
import type { User } from '../shared/auth.js';
import { businessDate } from '../shared/clock.js';
import { type FieldError, HttpError, validationFailed } from '../shared/errors.js';
import { NonNegativeMoney } from '../shared/money.js';
import { Quantity } from '../shared/quantity.js';
import { settings } from '../shared/settings.js';
import { buildLines, totalsOf } from './rules.js';
import { type OrderLine, OrderLineInput, type Totals } from './schemas.js';
import { productsByCode } from './store.js';

/** The customer an order is for; an unknown one is bad input, another rep's is forbidden (R-INFO-2). */
export async function customerForOrder(user: User, customerId: string): Promise<Customer> {
  let customer: Customer;
  try {
    customer = await getCustomer(customerId);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) {
      throw validationFailed([{ field: 'body.customerId', message: `no customer ${customerId}`, code: 'unknown_customer' }]);
    }
    throw err;
  }
  assertMaySee(user, customer);
  return customer;
}

export async function priceLines(customerId: string, inputs: readonly OrderLineInput[]): Promise<{ lines: OrderLine[]; totals: Totals }> {
  const currency = settings().currency;
  const [products, book] = await Promise.all([productsByCode(inputs.map((l) => l.productCode)), priceBookFor(customerId, businessDate())]);
  const { lines, errors } = buildLines(inputs, products, book, currency);
  if (errors.length > 0) throw validationFailed(errors);
  return { lines, totals: totalsOf(lines, currency) };
}

/** A line as it was sent, with its well-formed fields only: a malformed one is the schemas' to name. */
const WellFormedLine = z.object({
  productCode: ProductCode.optional().catch(undefined),
  specification: OrderLineInput.shape.specification.catch(undefined),
  quantity: Quantity.optional().catch(undefined),
  unitPrice: NonNegativeMoney.optional().catch(undefined),
});

/**
 * For a request the schemas refused (HttpHandlerOptions.alsoCheckRefused): the lines' well-formed
 * fields checked against the catalogue as priceLines checks them (product, specification, quantity
 * in the product's precision, currency, an entered price's amount), so that one 400 names the
 * quantity "1.0005" of a 3-place product together with the price 1234.5 fen (R-INTAKE-2, R-INTAKE-5).
 * List prices come in once the request is well-formed. `at` names the lines: body.lines, body.changes.lines.
 */
export async function lineProblemsOfRefused(raw: unknown, at: string): Promise<FieldError[]> {
  if (!Array.isArray(raw)) return [];
  const lines = raw.slice(0, 200).map((line) => WellFormedLine.safeParse(line).data ?? {});
  const codes = lines.flatMap((l) => (l.productCode ? [l.productCode] : []));
  if (codes.length === 0) return [];
  const products = await productsByCode(codes);
  const inputs = lines.map((l) => ({ ...l, productCode: l.productCode ?? '' }) as OrderLineInput);
  const { errors } = buildLines(inputs, products, undefined, settings().currency);
  return errors
    .filter((e) => {
      const i = /^body\.lines\.(\d+)\./.exec(e.field)?.[1];
      return i === undefined || lines[Number(i)]!.productCode !== undefined; // a line without a product code is not checked
    })
    .map((e) => ({ ...e, field: e.field.replace(/^body\.lines/, at) }));
}
