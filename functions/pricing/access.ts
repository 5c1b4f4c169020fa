/**
 * Who reads which price list (R-INFO-2): a customer's own list is customer data, so a sales rep
 * reads the general list and own customers' lists only, and reads by anyone but the owner rep
 * are logged on the customer, as reads of the customer record are.
 */
import { assertMaySee, readNeedsLogging } from '../customers/rules.js';
import type { Customer } from '../customers/schemas.js';
import { customerSubject, getCustomer } from '../customers/store.js';
import { recordAccess } from '../shared/audit.js';
import type { User } from '../shared/auth.js';
import { PRICE_LIST_READERS } from './routes.js';
import { customerIdOf } from './rules.js';

/** Throws 403 for a sales rep asking for another rep's customer's list; returns the customer of a customer list. */
export async function assertMayRead(user: User, priceListId: string): Promise<Pick<Customer, 'customerId' | 'ownerRepId'> | undefined> {
  const customerId = customerIdOf(priceListId);
  if (!customerId) return undefined;
  const customer = await getCustomer(customerId);
  assertMaySee(user, customer, PRICE_LIST_READERS);
  return customer;
}

/** R-INFO-2: a read of a customer's prices by anyone but its owner rep is logged before the data leaves. */
export async function logCustomerListRead(user: User, customer: Pick<Customer, 'customerId' | 'ownerRepId'> | undefined, what: string): Promise<void> {
  if (customer && readNeedsLogging(user, customer)) await recordAccess(customerSubject(customer.customerId), user, what);
}
