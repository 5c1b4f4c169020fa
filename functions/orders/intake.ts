/**
 * Shared by creating and amending an order: read what the lines need (customer, catalogue,
 * price book in force today) and build priced lines, refusing every bad field at once.
 */
import type { Customer } from '../customers/schemas.js';
import { assertMaySee } from '../customers/rules.js';
import { getCustomer } from '../customers/store.js';
import { priceBookFor } from '../pricing/prices.js';
import type { User } from '../shared/auth.js';
import { businessDate } from '../shared/clock.js';
import { HttpError, validationFailed } from '../shared/errors.js';
import { settings } from '../shared/settings.js';
import { buildLines, totalsOf } from './rules.js';
import type { OrderLine, OrderLineInput, Totals } from './schemas.js';
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
