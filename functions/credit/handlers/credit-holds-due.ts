/**
 * Daily job (R-CREDIT-5, 停止供货): a customer with an invoice more than `creditHoldOverdueDays`
 * (setting, 30) past its due date goes on credit hold, with the invoices named in the reason; the
 * owner rep and the VP sales are told in the same write. Reads only the sparse index of open
 * invoices due before the cut-off. A customer already on hold is left as it is, so a second run on
 * the same day changes nothing. The hold is lifted by the GM, or by payment of the overdue items
 * (billing, right after the payment); and here, each morning, for any overdue hold whose invoices are
 * no longer overdue (the payment's own lift lost to a crash, say: nothing is left on hold for nothing).
 */
import * as z from 'zod';
import { getCustomer } from '../../customers/store.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { addDays, businessDate } from '../../shared/clock.js';
import { logger } from '../../shared/logger.js';
import { formatMajor, money } from '../../shared/money.js';
import { settings } from '../../shared/settings.js';
import { stepHandler } from '../../shared/step.js';
import { type OpenItem, customersOnHold, getAccount, openInvoicesDueBefore } from '../account.js';
import { liftCreditHold, setCreditHold } from '../holds.js';
import { overdueForHold } from '../rules.js';

/** The scheduler's event is ignored except for an optional business date, for catch-up runs. */
const Input = z.looseObject({ asOf: z.iso.date().optional() }).catch({});

export const handler = stepHandler('CreditHoldsDue', Input, async (input) => {
  const asOf = input.asOf ?? businessDate();
  const days = settings().creditHoldOverdueDays;
  // Due before (asOf − days) is more than `days` past due on asOf; the rule filters again so the two can never disagree.
  const candidates = await openInvoicesDueBefore(addDays(asOf, -days));
  const overdue = overdueForHold(candidates as (OpenItem & { dueDate: string })[], asOf, days);
  // Map.groupBy is Node 21+; the code runs on Node 20 locally too.
  const byCustomer = new Map<string, OpenItem[]>();
  for (const invoice of overdue) byCustomer.set(invoice.customerId, [...(byCustomer.get(invoice.customerId) ?? []), invoice]);
  let held = 0;
  let alreadyHeld = 0;
  let failed = 0;
  for (const [customerId, invoices] of byCustomer) {
    try {
      if ((await getAccount(customerId))?.hold) {
        alreadyHeld++;
        continue;
      }
      const listed = invoices.map((i) => `${i.reference} ${formatMajor(money(i.amountMinor, i.currency))} ${i.currency} due ${i.dueDate}`).join('; ');
      const reason = `invoices more than ${days} days past due on ${asOf}: ${listed}`;
      if (await setCreditHold(await getCustomer(customerId, true), 'OVERDUE', reason, SYSTEM_ACTOR)) held++;
      else alreadyHeld++;
    } catch (err) {
      failed++;
      logger.error('could not set the credit hold', { customerId, error: err as Error });
    }
  }
  // R-CREDIT-5: an overdue hold whose invoices are all paid (or no longer past the setting) comes off.
  let lifted = 0;
  for (const customerId of await customersOnHold('OVERDUE')) {
    if (byCustomer.has(customerId)) continue;
    try {
      const account = await getAccount(customerId);
      if (account?.hold?.kind !== 'OVERDUE') continue;
      await liftCreditHold(await getCustomer(customerId, true), `no invoice is more than ${days} days past due on ${asOf} any more`, SYSTEM_ACTOR);
      lifted++;
    } catch (err) {
      failed++;
      logger.error('could not lift the credit hold', { customerId, error: err as Error });
    }
  }
  return { asOf, overdueInvoices: overdue.length, held, alreadyHeld, lifted, failed };
});
