/**
 * R-BILL-5: a payment recorded by mistake (wrong customer, amount keyed wrong, recorded twice) is
 * reversed by finance with a new entry, never edited, in one transaction through the customer's
 * ledger, as a credit note is (credit-notes/issue.ts `reverseCreditNote`):
 * - a REVERSAL entry (+amount) whose allocations (negative) name each invoice opened again, so a
 *   statement undoes them (R-BILL-6), and the balance;
 * - each invoice the payment paid opens again by what it paid of it (a negative PAYMENT
 *   settlement, OPEN again, its open item back in the due-date index), and the credit account's
 *   receivables and exposure go back up (R-CREDIT-4); an invoice now overdue is the daily jobs' to see;
 * - the customer credit it left (CREDIT#<receipt>) goes, on the condition that it is all there:
 *   credit an invoice has used since is not taken back (409, as for credit notes);
 * - the payment is marked reversed (on the condition that it is not yet), with its history entry
 *   (R-INFO-3); the guard of its reference is released (or handed to a separate payment with the
 *   same reference), so the correct payment can be recorded with that reference;
 * - its rep and finance are told (the outbox, in the same write).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { getOpenItem, receivablesReopenedItem } from '../credit/account.js';
import { getCustomer } from '../customers/store.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { getOrder } from '../orders/store.js';
import { changeEntryPut } from '../shared/audit.js';
import { type User, actorOf } from '../shared/auth.js';
import { businessDate, nowIso } from '../shared/clock.js';
import { type TransactItem, ddb, tableName } from '../shared/dynamo.js';
import { conflict, notFound } from '../shared/errors.js';
import { formatMajor, money } from '../shared/money.js';
import { creditsFor, getInvoice, useCreditItem } from './invoices.js';
import { type CustomerCredit, creditKey, ledgerItems, readCustomerCredits, writeWithLedger } from './ledger.js';
import { getPayment, paymentSubject, reopenInvoiceItems } from './payments.js';
import { otherPaymentsWithReference, readReferenceGuard, releaseReferenceGuardItem } from './references.js';
import { paymentReference, paymentReversalRefusal } from './rules.js';
import type { Payment, ReversePayment } from './schemas.js';

async function creditOf(payment: Payment): Promise<CustomerCredit | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('ledger'), Key: { customerId: payment.customerId, entryKey: creditKey(payment.receiptNumber) }, ConsistentRead: true }));
  return Item as CustomerCredit | undefined;
}

/** A payment ahead for an order: the order as it stands, and what covers it without this payment. */
async function prepaidOrder(payment: Payment) {
  if (!payment.orderId) return undefined;
  const order = await getOrder(payment.orderId, true).catch(() => undefined);
  if (!order) return undefined;
  const others = creditsFor(await readCustomerCredits(payment.customerId), order.orderId).filter((c) => c.receiptNumber !== payment.receiptNumber);
  return { orderId: order.orderId, status: order.status, grossMinor: order.totals.gross.amountMinor, coveredWithoutMinor: others.reduce((s, c) => s + c.remainingMinor, 0) };
}

export async function reversePayment(receiptNumber: string, input: ReversePayment, user: User): Promise<Payment> {
  const first = await getPayment(receiptNumber, true);
  if (!first) throw notFound(`no payment ${receiptNumber}`);
  const customer = await getCustomer(first.customerId);
  const by = actorOf(user);
  const written = await writeWithLedger<Payment>(first.customerId, async (ledger) => {
    const payment = (await getPayment(receiptNumber, true))!;
    const credit = payment.unallocated.amountMinor > 0 ? await creditOf(payment) : undefined;
    const refusal = paymentReversalRefusal(
      { receiptNumber, unallocatedMinor: payment.unallocated.amountMinor, reversal: payment.reversal },
      { creditRemainingMinor: credit?.remainingMinor ?? 0, order: await prepaidOrder(payment) },
    );
    if (refusal) throw conflict(refusal);

    const on = businessDate();
    const at = nowIso();
    const currency = payment.amount.currency;
    const amountText = (minor: number) => `${formatMajor(money(minor, currency))} ${currency}`;
    const settledMinor = payment.allocations.reduce((s, a) => s + a.amount.amountMinor, 0);
    const reopened = await Promise.all(
      payment.allocations.map(async (a) => ({ a, invoice: (await getInvoice(a.invoiceId, true))!, open: await getOpenItem(payment.customerId, 'INVOICE', a.invoiceId) })),
    );
    // Its reference is free again, or passes to a separate payment with the same reference still standing.
    const reference = paymentReference(payment);
    const guard = reference ? await readReferenceGuard(payment.customerId, payment.receivedOn, reference) : undefined;
    const successor = reference && guard?.heldBy === receiptNumber ? (await otherPaymentsWithReference(payment, reference))[0] : undefined;

    const reversal = { on, at, by, reason: input.reason };
    const after: Payment = { ...payment, reversal };
    const opened = payment.allocations.map((a) => `${a.invoiceId} ${amountText(a.amount.amountMinor)}`).join(', ');
    const what = `${receiptNumber} (${amountText(payment.amount.amountMinor)} from ${payment.customerName}, received ${payment.receivedOn}) is reversed by ${by.name}: ${input.reason}.${opened ? ` Open again: ${opened}.` : ''}${credit ? ` Its customer credit of ${amountText(credit.remainingMinor)} is gone.` : ''}`;
    const items: TransactItem[] = [
      ...ledgerItems(
        ledger,
        [
          {
            kind: 'REVERSAL',
            amountMinor: payment.amount.amountMinor,
            reference: receiptNumber,
            description: `payment ${receiptNumber} reversed: ${input.reason}${opened ? `; open again: ${opened}` : ''}`,
            // Negative: each invoice opened again, so a statement can undo it (R-BILL-6).
            ...(payment.allocations.length > 0 ? { allocations: payment.allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: -a.amount.amountMinor })) } : {}),
          },
        ],
        -(credit?.remainingMinor ?? 0),
        by,
      ),
      ...(credit ? [useCreditItem(credit, credit.remainingMinor)] : []),
      ...reopened.flatMap(({ a, invoice, open }) => reopenInvoiceItems(invoice, open, a.amount.amountMinor, receiptNumber, 'PAYMENT', on, by)),
      ...(settledMinor > 0 ? [receivablesReopenedItem(payment.customerId, settledMinor)] : []),
      {
        Update: {
          TableName: tableName('payments'),
          Key: { receiptNumber },
          UpdateExpression: 'SET reversal = :r',
          ConditionExpression: 'attribute_exists(receiptNumber) AND attribute_not_exists(reversal)',
          ExpressionAttributeValues: { ':r': reversal },
        },
      },
      changeEntryPut(paymentSubject(receiptNumber), by, 'payment reversed', { reversal: null }, { reversal }, input.reason),
      ...releaseReferenceGuardItem(payment, guard, successor),
      notificationPut({ dedupeKey: `${receiptNumber}#reversed`, recipient: toUser(customer.ownerRepId), topic: 'payment', subject: `Payment reversed: ${receiptNumber}, ${payment.customerName}`, body: what, link: `/payments/${receiptNumber}` }),
      notificationPut({ dedupeKey: `${receiptNumber}#reversed`, recipient: toRole('finance'), topic: 'payment', subject: `Payment reversed: ${receiptNumber}, ${payment.customerName}`, body: what, link: `/payments/${receiptNumber}` }),
    ];
    return { items, result: after };
  });
  if (!written.ok || !written.result) throw conflict(`${receiptNumber} could not be reversed: the customer's ledger kept changing; try again`);
  return written.result;
}
