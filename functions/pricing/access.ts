/**
 * Who reads which price list (R-INFO-2): a customer's own list is customer data, so a sales rep
 * reads the general list and own customers' lists only, and reads by anyone but the owner rep
 * (refusals too) are logged on the customer, as reads of the customer record are
 * (functions/customers/access.ts). The general list is nobody's: never logged.
 */
import { type ReadPermit, checkRead } from '../customers/access.js';
import { assertMaySee } from '../customers/rules.js';
import { getCustomer } from '../customers/store.js';
import type { User } from '../shared/auth.js';
import type { AccessRead } from '../shared/schemas.js';
import { PRICE_LIST_READERS } from './routes.js';
import { customerIdOf } from './rules.js';

const GENERAL_LIST: ReadPermit = { run: (work) => work() };

/** 404 for a customer that does not exist; 403 (logged) for a sales rep asking for another rep's customer's list. */
export async function checkPriceListRead(user: User, priceListId: string, what: AccessRead): Promise<ReadPermit> {
  const customerId = customerIdOf(priceListId);
  if (!customerId) return GENERAL_LIST;
  const customer = await getCustomer(customerId);
  return checkRead(user, customer, what, () => assertMaySee(user, customer, PRICE_LIST_READERS));
}
