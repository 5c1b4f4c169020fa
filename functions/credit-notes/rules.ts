/** Credit notes (R-BILL-4, R-BILL-5): who approves, how much an invoice can still be credited, where a credit goes. Pure: no I/O. */
import { creditUsedRefusal } from '../billing/rules.js';
import type { Customer } from '../customers/schemas.js';
import { onlyOwnCustomers } from '../customers/rules.js';
import type { User } from '../shared/auth.js';
import { type FieldError, forbidden } from '../shared/errors.js';
import { formatMajor, money } from '../shared/money.js';
import type { Role } from '../shared/roles.js';

/**
 * R-BILL-4: a credit note up to the threshold (setting creditNoteGmAboveMinor, inclusive) is
 * approved by the sales manager, above it by the general manager. Nobody approves their own: a
 * sales manager's request goes to the general manager whatever its amount.
 */
export function creditNoteApprovers(requester: Pick<User, 'roles'>, amountMinor: number, gmAboveMinor: number): [Role] {
  if (amountMinor > gmAboveMinor) return ['general_manager'];
  return requester.roles.includes('sales_manager') ? ['general_manager'] : ['sales_manager'];
}

/** A sales rep asks for own customers only (R-INFO-2); the back office for any. */
export function assertMayRequestFor(user: User, customer: Pick<Customer, 'customerId' | 'ownerRepId'>): void {
  if (onlyOwnCustomers(user) && customer.ownerRepId !== user.userId) throw forbidden(`${customer.customerId} belongs to another sales rep`);
}

/** What an invoice can still be credited: its gross less the credit notes on it already (waiting or issued). */
export const creditableMinor = (grossMinor: number, creditedMinor: number) => Math.max(0, grossMinor - creditedMinor);

/**
 * The amount of an allowance against its invoice: in the invoice's currency, more than zero (the
 * schema) and at most what the invoice can still be credited. Every problem names its field.
 */
export function allowanceProblems(amount: { amountMinor: number; currency: string }, invoice: { invoiceId: string; grossMinor: number; currency: string }, creditedMinor: number): FieldError[] {
  if (amount.currency !== invoice.currency) return [{ field: 'body.amount.currency', message: `${invoice.invoiceId} is in ${invoice.currency}`, code: 'currency' }];
  const left = creditableMinor(invoice.grossMinor, creditedMinor);
  if (amount.amountMinor > left) {
    const m = (minor: number) => `${formatMajor(money(minor, invoice.currency))} ${invoice.currency}`;
    return [
      {
        field: 'body.amount.amountMinor',
        message: `at most ${m(left)}: ${invoice.invoiceId} is ${m(invoice.grossMinor)} gross${creditedMinor > 0 ? ` and ${m(creditedMinor)} of it is credited already (or waiting for approval)` : ''}`,
        code: 'over_credited',
      },
    ];
  }
  return [];
}

/**
 * An issued credit note first settles what its invoice still has outstanding (a CREDIT_NOTE
 * settlement); whatever exceeds it stays as customer credit, used by the next invoices (R-BILL-3).
 */
export function splitCredit(amountMinor: number, outstandingMinor: number): { settleMinor: number; creditMinor: number } {
  const settleMinor = Math.min(amountMinor, Math.max(0, outstandingMinor));
  return { settleMinor, creditMinor: amountMinor - settleMinor };
}

/**
 * R-BILL-5: a mistaken credit note (an allowance) is reversed by a new entry, and only while its
 * effect is still unused: the customer credit it left is all there (no invoice used any of it), and nothing settled
 * its invoice after it (its settlement is the invoice's last), so that the reversal puts back
 * exactly what the credit note took away. Undefined when it can be reversed; otherwise why not.
 */
export function reversalRefusal(
  note: { creditNoteId: string; status: string; source: 'ALLOWANCE' | 'RETURN'; returnId?: string | undefined; settledMinor: number; customerCreditMinor: number },
  now: { creditRemainingMinor: number; lastSettlement?: { reference: string; amountMinor: number } | undefined },
): string | undefined {
  if (note.status !== 'ISSUED') return `${note.creditNoteId} is ${note.status}: only an issued credit note is reversed`;
  // The goods of a return came back into stock with it: the credit note is not undone without them.
  if (note.source === 'RETURN') return `${note.creditNoteId} credits the goods of return ${note.returnId}, which are back in stock or repair: it is not reversed on its own`;
  if (now.creditRemainingMinor !== note.customerCreditMinor) return creditUsedRefusal(note.creditNoteId, 'issue a new invoice or a correcting entry instead');
  if (note.settledMinor > 0 && (now.lastSettlement?.reference !== note.creditNoteId || now.lastSettlement.amountMinor !== note.settledMinor)) {
    return `its invoice has been settled further since ${note.creditNoteId}: the credit note's effect is used`;
  }
  return undefined;
}
