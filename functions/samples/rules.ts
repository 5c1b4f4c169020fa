/** Samples and gifts (R-FULFIL-10): who asks, who approves. Pure. */
import type { Customer } from '../customers/schemas.js';
import { onlyOwnCustomers } from '../customers/rules.js';
import type { User } from '../shared/auth.js';
import { forbidden } from '../shared/errors.js';
import type { Role } from '../shared/roles.js';

/**
 * R-FULFIL-10: the sales manager approves a request for samples or gifts; a request the sales
 * manager makes goes to the general manager, so nobody approves their own.
 */
export function sampleApprovers(requester: User): [Role] {
  return requester.roles.includes('sales_manager') ? ['general_manager'] : ['sales_manager'];
}

/** A rep asks for own customers only (or for no customer: a fair, a campaign). */
export function assertMayAskFor(user: User, customer: Pick<Customer, 'customerId' | 'ownerRepId'> | undefined): void {
  if (customer && onlyOwnCustomers(user) && customer.ownerRepId !== user.userId) throw forbidden(`${customer.customerId} belongs to another sales rep`);
}
