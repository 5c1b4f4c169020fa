/**
 * Credit holds (R-CREDIT-5, 停止供货): set by finance by hand (or, by the billing area, for an invoice
 * over the overdue setting), lifted by the GM with a reason (or by payment of the overdue items).
 * The hold, the customer's history entry and the notes to the owner rep and the VP sales are one
 * transaction. Lifting it resumes every order that waited in CREDIT_HOLD.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../customers/schemas.js';
import { customerSubject } from '../customers/store.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { getOrder, listOrders } from '../orders/store.js';
import { changeEntryPut } from '../shared/audit.js';
import { nowIso } from '../shared/clock.js';
import { cancellationReasons, ddb, withTransactionRetry } from '../shared/dynamo.js';
import { conflict } from '../shared/errors.js';
import type { Actor } from '../shared/schemas.js';
import { endWait } from '../tasks/waits.js';
import { type CreditHold, getAccount, liftHoldItem, setHoldItem } from './account.js';

function notes(customer: Customer, key: string, subject: string, body: string) {
  return [toUser(customer.ownerRepId), toRole('sales_vp')].map((recipient) =>
    notificationPut({ dedupeKey: key, recipient, topic: 'credit-hold', subject, body, link: `/customers/${customer.customerId}` }),
  );
}

/** Puts the customer on hold; false if a hold is set already. */
export async function setCreditHold(customer: Customer, kind: CreditHold['kind'], reason: string, by: Actor): Promise<boolean> {
  const hold: CreditHold = { kind, reason, since: nowIso(), setBy: by };
  try {
    await withTransactionRetry(() =>
      ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            setHoldItem(customer, hold),
            changeEntryPut(customerSubject(customer.customerId), by, `credit hold set (${kind.toLowerCase()})`, { hold: null }, { hold }, reason),
            ...notes(
              customer,
              `${customer.customerId}#hold-${hold.since}#set`,
              `Credit hold: ${customer.name}`,
              `${customer.customerId} ${customer.name} is on credit hold (停止供货): ${reason}. No order passes credit and no goods are released until it is lifted.`,
            ),
          ],
        }),
      ),
    );
    return true;
  } catch (err) {
    if (cancellationReasons(err)?.[0] === 'ConditionalCheckFailed') return false;
    throw err;
  }
}

/** Lifts the hold and resumes the orders that waited for it; the ids of the orders resumed. */
export async function liftCreditHold(customer: Customer, reason: string, by: Actor): Promise<string[]> {
  const account = await getAccount(customer.customerId);
  const hold = account?.hold;
  if (!hold) throw conflict(`${customer.customerId} is not on credit hold`);
  try {
    await withTransactionRetry(() =>
      ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            liftHoldItem(customer.customerId, hold.since),
            changeEntryPut(customerSubject(customer.customerId), by, 'credit hold lifted', { hold }, { hold: null }, reason),
            ...notes(
              customer,
              `${customer.customerId}#hold-${hold.since}#lifted`,
              `Credit hold lifted: ${customer.name}`,
              `${customer.customerId} ${customer.name}: the credit hold of ${hold.since.slice(0, 10)} (${hold.reason}) is lifted by ${by.name}: ${reason}. Orders that waited are checked again.`,
            ),
          ],
        }),
      ),
    );
  } catch (err) {
    if (cancellationReasons(err)?.[0] === 'ConditionalCheckFailed') throw conflict(`the hold of ${customer.customerId} changed a moment ago; reload and try again`);
    throw err;
  }
  return resumeHeldOrders(customer.customerId);
}

/**
 * Ends the wait of every order of the customer in CREDIT_HOLD, so each is checked again. An order
 * whose wait is not stored yet finds the hold gone itself (open-credit-task re-reads the account).
 */
export async function resumeHeldOrders(customerId: string): Promise<string[]> {
  const resumed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listOrders({ customerId, status: 'CREDIT_HOLD', limit: 100, cursor });
    for (const summary of page.items) {
      if (summary.status !== 'CREDIT_HOLD') continue;
      const order = await getOrder(summary.orderId, true);
      const taskId = order.credit?.pendingTask?.taskId;
      if (order.status !== 'CREDIT_HOLD' || !taskId) continue;
      if (await endWait(taskId, { outcome: 'LIFTED' }, 'RESUMED')) resumed.push(order.orderId);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return resumed;
}
