/** Customer rules (R-INFO-2, R-CREDIT-2): pure functions, no I/O. */
import type { User } from '../shared/auth.js';
import { forbidden, validationFailed } from '../shared/errors.js';
import type { Role } from '../shared/roles.js';
import { CUSTOMER_EDITORS, CUSTOMER_READERS } from './routes.js';
import type { CreateCustomer, Customer, UpdateCustomer } from './schemas.js';

export const isOwner = (user: User, customer: Pick<Customer, 'ownerRepId'>) => customer.ownerRepId === user.userId;

/**
 * Only a sales rep is limited to own customers; the other reader roles see every customer.
 * A sales rep who also holds another role is widened only by a role that itself has the right
 * (`wider`: reading by default, editing for changes): sales rep + warehouse still sees own
 * customers only, and sales rep + auditor reads every customer but edits own ones only.
 */
export function onlyOwnCustomers(user: User, wider: readonly Role[] = CUSTOMER_READERS): boolean {
  return user.roles.includes('sales_rep') && !user.roles.some((r) => r !== 'sales_rep' && wider.includes(r));
}

/** R-INFO-2: a sales rep sees own customers only. */
export function assertMaySee(user: User, customer: Pick<Customer, 'ownerRepId' | 'customerId'>, wider: readonly Role[] = CUSTOMER_READERS): void {
  if (onlyOwnCustomers(user, wider) && !isOwner(user, customer)) {
    throw forbidden(`${customer.customerId} belongs to another sales rep; ask the sales manager for access`);
  }
}

/** R-INFO-2: reads by anyone but the owner are logged. */
export const readNeedsLogging = (user: User, customer: Pick<Customer, 'ownerRepId'>) => !isOwner(user, customer);

/** A sales rep owns the customers they create; back-office staff must name the owner. */
export function ownerOfNewCustomer(user: User, input: CreateCustomer): string {
  if (onlyOwnCustomers(user, CUSTOMER_EDITORS)) {
    if (input.ownerRepId !== undefined && input.ownerRepId !== user.userId) {
      throw forbidden('a sales rep creates customers for themself; a sales clerk or manager can name another owner');
    }
    return user.userId;
  }
  if (!input.ownerRepId) {
    throw validationFailed([{ field: 'body.ownerRepId', message: 'required: name the owner sales rep', code: 'required' }]);
  }
  return input.ownerRepId;
}

export function assertMayEdit(user: User, customer: Customer, patch: UpdateCustomer): void {
  assertMaySee(user, customer, CUSTOMER_EDITORS);
  if (patch.ownerRepId !== undefined && patch.ownerRepId !== customer.ownerRepId && !user.roles.includes('sales_manager')) {
    throw forbidden('only the sales manager reassigns a customer to another sales rep');
  }
}

/** Applies a patch; a delivery customer keeps at least one address (R-INTAKE-4). */
export function applyPatch(customer: Customer, patch: UpdateCustomer): Customer {
  const next = { ...customer, ...patch } as Customer;
  if (next.fulfilmentMode === 'delivery' && next.addresses.length === 0) {
    throw validationFailed([{ field: 'body.addresses', message: 'a delivery customer needs at least one address', code: 'custom' }]);
  }
  return next;
}

/** Sort key for name search: case-folded, accents and spacing normalised, id appended for uniqueness. */
export function nameKey(name: string, id: string): string {
  return `${normaliseName(name)}#${id}`;
}

export function normaliseName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
