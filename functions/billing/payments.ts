/**
 * Payments (R-BILL-2, R-BILL-3): recorded by finance with a receipt number, allocated to the
 * invoices named or to the open invoices oldest due first; what is left over stays as customer
 * credit that the next invoices use first. One transaction: the payment, its ledger entry and the
 * balance (R-BILL-5), every invoice and open item it settles, the credit account's exposure, the
 * customer credit left over. A customer on hold for overdue invoices whose overdue invoices are
 * paid comes off hold (R-CREDIT-5).
 */
import { type Answer, answerItems } from '../shared/idempotency.js';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type OpenItem, getAccount, openItemKey, receivablesSettledItem, reopenInvoiceItem, settleInvoiceItem } from '../credit/account.js';
import { liftCreditHold } from '../credit/holds.js';
import type { Customer } from '../customers/schemas.js';
import { getCustomer } from '../customers/store.js';
import { getOrder } from '../orders/store.js';
import { deliverDecision } from '../tasks/deliver.js';
import { getStoredTask } from '../tasks/store.js';
import { notificationPut, toUser } from '../notifications/outbox.js';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { addDays, businessDate, nowIso } from '../shared/clock.js';
import { type TransactItem, ddb, nextInSequence, tableName } from '../shared/dynamo.js';
import { type FieldError, conflict, validationFailed } from '../shared/errors.js';
import { formatNumber } from '../shared/ids.js';
import { logger } from '../shared/logger.js';
import { formatMajor, maxAmountText, money, withinMaxAmount } from '../shared/money.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import { creditsFor, invoiceSubject } from './invoices.js';
import { ledgerItems, newCreditPut, readCustomerCredits, writeWithLedger } from './ledger.js';
import { type ReferenceGuard, readReferenceGuard, referenceGuardPut, referenceTaken } from './references.js';
import { allocate, paymentReference } from './rules.js';
import type { Invoice, Payment, RecordPayment } from './schemas.js';

/**
 * A payment settles at most this many invoices in its one transaction (3 writes each); the rest stays
 * as customer credit. With them: the balance and the entry, the payment and its history, the
 * account, the credit left over, the reference's guard, the notification and the idempotent answer
 * (9): 84 of DynamoDB's 100. Its reversal writes as many (payments.ts `reversePayment`).
 */
export const MAX_INVOICES_PER_PAYMENT = 25;

export const paymentSubject = (receiptNumber: string) => subjectOf('payment', receiptNumber);

async function nextReceiptNumber(): Promise<string> {
  const year = businessDate().slice(0, 4);
  return formatNumber(`RC-${year}`, await nextInSequence(`receipt-${year}`));
}

/** The customer's open invoices as the credit account holds them (amount = what is still open). */
export async function openInvoicesOf(customerId: string): Promise<(OpenItem & { dueDate: string })[]> {
  const { Items } = await ddb.send(
    new QueryCommand({
      TableName: tableName('credit'),
      KeyConditionExpression: 'customerId = :c AND begins_with(itemKey, :p)',
      ExpressionAttributeValues: { ':c': customerId, ':p': openItemKey('INVOICE', '') },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as (OpenItem & { dueDate: string })[];
}

export async function getPayment(receiptNumber: string, consistent = false): Promise<Payment | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('payments'), Key: { receiptNumber }, ConsistentRead: consistent }));
  if (!Item) return undefined;
  const { receivedKey: _k, receivedMonth: _m, ...payment } = Item;
  return payment as Payment;
}

/** Named invoices must be this customer's and open; every one that is not is named. */
function namedProblems(named: readonly string[], open: readonly OpenItem[]): FieldError[] {
  return named.flatMap((invoiceId, i): FieldError[] =>
    open.some((o) => o.reference === invoiceId) ? [] : [{ field: `body.invoices.${i}`, message: `${invoiceId} is not an open invoice of this customer`, code: 'not_open' }],
  );
}

export async function recordPayment(input: RecordPayment, by: Actor, answer?: Answer<Payment>): Promise<Payment> {
  const customer = await getCustomer(input.customerId, true);
  const problems: FieldError[] = [];
  if (input.amount.currency !== settings().currency) problems.push({ field: 'body.amount.currency', message: `payments are recorded in ${settings().currency}`, code: 'currency' });
  if (input.receivedOn > businessDate()) problems.push({ field: 'body.receivedOn', message: 'a payment cannot be received in the future', code: 'future' });
  // R-BILL-2: reps do not collect cash unless the sales manager allowed it (for this customer, on that day).
  if (input.collectedBy) {
    const allowed = customer.cashCollection;
    if (input.method !== 'CASH') problems.push({ field: 'body.collectedBy', message: 'only cash is collected by a rep', code: 'not_cash' });
    else if (allowed?.repId !== input.collectedBy || input.receivedOn > allowed.until || input.receivedOn < allowed.allowedAt.slice(0, 10)) {
      problems.push({ field: 'body.collectedBy', message: `${input.collectedBy} is not allowed to collect cash from ${customer.customerId} on ${input.receivedOn}: sales reps collect cash only with the sales manager's permission (PUT /customers/{id}/cash-collection)`, code: 'not_allowed' });
    }
  }
  if (input.invoices && new Set(input.invoices).size !== input.invoices.length) problems.push({ field: 'body.invoices', message: 'each invoice once', code: 'duplicate' });
  if (input.invoices) problems.push(...namedProblems(input.invoices, await openInvoicesOf(customer.customerId)));
  if (input.orderId) {
    const order = await getOrder(input.orderId).catch(() => undefined);
    if (order?.customerId !== customer.customerId) problems.push({ field: 'body.orderId', message: `${input.orderId} is no order of ${customer.customerId}`, code: 'unknown_order' });
    else if (order.billing) problems.push({ field: 'body.orderId', message: `${input.orderId} is invoiced to the end: record the payment against its invoices`, code: 'order_billed' });
  }
  if (problems.length > 0) throw validationFailed(problems);

  // R-BILL-2: the reference is the payment's (unique per customer and day): taken already → 409, before a receipt number is spent.
  const reference = paymentReference(input);
  const referenceHeld = async () => {
    const guard = reference ? await readReferenceGuard(customer.customerId, input.receivedOn, reference) : undefined;
    if (guard && reference && !input.separatePayment) throw referenceTaken(customer.customerId, input.receivedOn, reference, guard);
    return guard;
  };
  let guard: ReferenceGuard | undefined = await referenceHeld();
  let attempt = 0;

  let numbered: string | undefined;
  const written = await writeWithLedger<Payment>(customer.customerId, async (ledger) => {
    // A failed attempt may have lost to a payment with the same reference (the guard's condition), not only to the ledger: look again.
    if (attempt++ > 0) guard = await referenceHeld();
    const open = await openInvoicesOf(customer.customerId);
    // Paid ahead for an order: nothing is allocated now; its invoices use it (R-BILL-3).
    const { allocations } = input.orderId
      ? { allocations: [] }
      : allocate(
          input.amount.amountMinor,
          open.map((o) => ({ invoiceId: o.reference, outstandingMinor: o.amountMinor, dueDate: o.dueDate })),
          input.invoices,
        );
    const settled = allocations.slice(0, MAX_INVOICES_PER_PAYMENT);
    const settledMinor = settled.reduce((s, a) => s + a.amountMinor, 0);
    const creditMinor = input.amount.amountMinor - settledMinor;
    const currency = input.amount.currency;
    // What is left over stays as customer credit: bounded like one document, so that the balance
    // and every sum over it stay exact numbers.
    if (!withinMaxAmount(ledger.creditMinor + creditMinor) || !Number.isSafeInteger(ledger.balanceMinor - input.amount.amountMinor)) {
      throw validationFailed([
        {
          field: 'body.amount.amountMinor',
          message: `${customer.customerId} holds ${formatMajor(money(ledger.creditMinor, currency))} ${currency} of unallocated payments; with ${formatMajor(money(creditMinor, currency))} ${currency} more left over from this payment it would hold more than the most one customer's credit may be (${maxAmountText(currency)}, setting maxAmountMinor)`,
          code: 'too_big',
        },
      ]);
    }
    // Numbered once the payment is known to fit, so a refused one takes no receipt number.
    const receiptNumber = (numbered ??= await nextReceiptNumber());
    const at = nowIso();
    const payment: Payment = {
      receiptNumber,
      customerId: customer.customerId,
      customerName: customer.name,
      method: input.method,
      amount: input.amount,
      receivedOn: input.receivedOn,
      ...(input.bankReference ? { bankReference: input.bankReference } : {}),
      ...(input.receiptReference ? { receiptReference: input.receiptReference } : {}),
      ...(guard ? { sameReferenceAs: guard.heldBy } : {}),
      ...(input.collectedBy ? { collectedBy: input.collectedBy } : {}),
      ...(input.remarks ? { remarks: input.remarks } : {}),
      ...(input.orderId ? { orderId: input.orderId } : {}),
      allocations: settled.map((a) => ({ invoiceId: a.invoiceId, amount: money(a.amountMinor, currency) })),
      unallocated: money(creditMinor, currency),
      recordedAt: at,
      recordedBy: by,
    };
    const amount = `${formatMajor(input.amount)} ${currency}`;
    const items: TransactItem[] = [
      ...ledgerItems(
        ledger,
        [
          {
            kind: 'PAYMENT',
            amountMinor: -input.amount.amountMinor,
            reference: receiptNumber,
            description: `${input.method === 'CASH' ? `cash${input.receiptReference ? ` (receipt ${input.receiptReference})` : ''}` : `bank transfer ${input.bankReference}`} received ${input.receivedOn}${input.orderId ? ` ahead for ${input.orderId}` : ''}${settled.length > 0 ? `, paying ${settled.map((a) => a.invoiceId).join(', ')}` : ''}${creditMinor > 0 ? `; ${formatMajor(money(creditMinor, currency))} ${currency} kept as customer credit` : ''}`,
            allocations: settled,
          },
        ],
        creditMinor,
        by,
      ),
      {
        Put: {
          TableName: tableName('payments'),
          Item: { ...payment, receivedKey: `${input.receivedOn}#${receiptNumber}`, receivedMonth: input.receivedOn.slice(0, 7) },
          ConditionExpression: 'attribute_not_exists(receiptNumber)',
        },
      },
      changeEntryPut(paymentSubject(receiptNumber), by, 'payment recorded', null, payment, guard ? `a separate payment with the reference of ${guard.heldBy}` : undefined),
      // The reference is this payment's from now on, unless another holds it (a separate payment with the same reference).
      ...(reference && !guard ? [referenceGuardPut(customer.customerId, input.receivedOn, reference, receiptNumber)] : []),
      ...settled.flatMap((a) => {
        const item = open.find((o) => o.reference === a.invoiceId)!;
        return settleInvoiceItems(customer.customerId, item, a.amountMinor, receiptNumber, input.receivedOn, by);
      }),
      ...(settledMinor > 0 ? [receivablesSettledItem(customer.customerId, settledMinor)] : []),
      ...(creditMinor > 0
        ? [newCreditPut({ customerId: customer.customerId, receiptNumber, remainingMinor: creditMinor, currency, receivedOn: input.receivedOn, ...(input.orderId ? { orderId: input.orderId } : {}) })]
        : []),
      notificationPut({
        dedupeKey: `${receiptNumber}#recorded`,
        recipient: toUser(customer.ownerRepId),
        topic: 'payment',
        subject: `Payment received: ${customer.name}, ${amount}`,
        body: `${receiptNumber}: ${amount} from ${customer.name} on ${input.receivedOn}${settled.length > 0 ? `, paying ${settled.map((a) => `${a.invoiceId} ${formatMajor(money(a.amountMinor, currency))}`).join(', ')}` : ''}${creditMinor > 0 ? `; ${formatMajor(money(creditMinor, currency))} ${currency} kept as customer credit` : ''}.`,
        link: `/payments/${receiptNumber}`,
      }),
      // The creating request's answer, in the same write as the payment (nothing twice after a crash).
      ...(answer ? answerItems(answer(payment)) : []),
    ];
    return { items, result: payment };
  });
  if (!written.ok || !written.result) throw conflict(`the payment could not be recorded: the customer's invoices kept changing (${written.ok ? 'nothing written' : written.reasons.join(', ')}); try again`);
  await liftHoldIfOverduePaid(customer, by);
  if (input.orderId) await releasePrepaidOrder(input.orderId, written.result, by);
  return written.result;
}

/**
 * R-CREDIT-6 with R-BILL-2: recording the prepayment of an order waiting for it is finance's
 * confirmation: once what was paid ahead for the order (and general credit) covers its gross, the
 * order's PREPAYMENT_CONFIRMATION task is decided with the receipt and the order goes on.
 */
async function releasePrepaidOrder(orderId: string, payment: Payment, by: Actor): Promise<void> {
  try {
    const order = await getOrder(orderId, true);
    const pending = order.credit?.pendingTask;
    if (order.status !== 'AWAITING_PREPAYMENT' || pending?.type !== 'PREPAYMENT_CONFIRMATION') return;
    const covered = creditsFor(await readCustomerCredits(order.customerId), orderId).reduce((s, c) => s + c.remainingMinor, 0);
    if (covered < order.totals.gross.amountMinor) return;
    const task = await getStoredTask(pending.taskId);
    if (task.status !== 'OPEN') return;
    await deliverDecision(
      task,
      { outcome: 'APPROVED', amount: order.totals.gross, reference: payment.receiptNumber, receivedOn: payment.receivedOn, comment: `prepayment recorded as ${payment.receiptNumber}` },
      by,
    );
  } catch (err) {
    // The payment stands; finance confirms the task with the receipt if this failed.
    logger.error('prepaid order not released after its payment', { orderId, error: err as Error });
  }
}

/**
 * R-FULFIL-4 with R-BILL-2: a note signed off as PAID names the receipt of a payment recorded for
 * the customer, and the customer's unallocated credit covers the note's gross (the invoice will
 * use it). Every problem names body.reference.
 */
export async function assertPaidAhead(customerId: string, orderId: string, reference: string, grossMinor: number, currency: string): Promise<void> {
  const payment = /^RC-\d{4}-\d{6,}$/.test(reference) ? await getPayment(reference) : undefined;
  const problem = (message: string) => validationFailed([{ field: 'body.reference', message, code: 'not_paid' }]);
  if (!payment || payment.customerId !== customerId) throw problem(`${reference} is no receipt of a payment recorded for ${customerId}: record the payment first (POST /payments), then sign off with its receipt number`);
  const creditMinor = creditsFor(await readCustomerCredits(customerId), orderId).reduce((s, c) => s + c.remainingMinor, 0);
  if (creditMinor < grossMinor) {
    throw problem(`the customer's unallocated payments (${formatMajor(money(creditMinor, currency))} ${currency}) do not cover this note (${formatMajor(money(grossMinor, currency))} ${currency}): sign it off within credit, or record the rest first`);
  }
}

/**
 * One invoice settled by a receipt: its open item (the exposure's side) and the invoice record,
 * each conditional on the outstanding amount read, and the invoice's history entry.
 */
export function settleInvoiceItems(customerId: string, open: OpenItem, amountMinor: number, reference: string, on: string, by: Actor, kind: 'PAYMENT' | 'CREDIT_NOTE' | 'CUSTOMER_CREDIT' = 'PAYMENT'): TransactItem[] {
  const remaining = open.amountMinor - amountMinor;
  const settlement = { kind, reference, amount: money(amountMinor, open.currency), on };
  return [
    settleInvoiceItem(customerId, open.reference, open.amountMinor, amountMinor),
    {
      Update: {
        TableName: tableName('invoices'),
        Key: { invoiceId: open.reference },
        UpdateExpression: `SET outstanding = :out, #status = :status, settlements = list_append(settlements, :s), version = version + :one, updatedAt = :at, updatedBy = :by${remaining === 0 ? ', paidOn = :on, paidKey = :paid' : ''}`,
        ConditionExpression: 'outstanding.amountMinor = :was',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':out': money(remaining, open.currency),
          ':status': remaining === 0 ? 'PAID' : 'OPEN',
          ':s': [settlement],
          ':one': 1,
          ':at': nowIso(),
          ':by': by,
          ':was': open.amountMinor,
          ...(remaining === 0 ? { ':on': on, ':paid': 'PAID' } : {}),
        },
      },
    },
    changeEntryPut(
      invoiceSubject(open.reference),
      by,
      `${formatMajor(settlement.amount)} ${open.currency} ${kind === 'CREDIT_NOTE' ? 'credited by' : 'paid by'} ${reference}${remaining === 0 ? `: ${kind === 'CREDIT_NOTE' ? 'settled' : 'paid'} in full` : ''}`,
      { outstanding: open.amountMinor },
      { outstanding: remaining },
    ),
  ];
}

/**
 * The counterpart of `settleInvoiceItems` (a payment or credit note reversed): the invoice opens
 * again by `amountMinor` — the invoice record (a negative settlement of the same kind and
 * reference, OPEN again, out of the paid index) and its open item in the credit account — each
 * conditional on what was read, with the invoice's history entry. The account's receivables and
 * exposure are the caller's `receivablesReopenedItem`, once per transaction.
 */
export function reopenInvoiceItems(invoice: Invoice, open: OpenItem | undefined, amountMinor: number, reference: string, kind: 'PAYMENT' | 'CREDIT_NOTE', on: string, by: Actor): TransactItem[] {
  const currency = invoice.gross.currency;
  const was = invoice.outstanding.amountMinor;
  return [
    {
      Update: {
        TableName: tableName('invoices'),
        Key: { invoiceId: invoice.invoiceId },
        UpdateExpression: 'SET outstanding = :out, #status = :open, settlements = list_append(settlements, :s), version = version + :one, updatedAt = :at, updatedBy = :by REMOVE paidOn, paidKey',
        ConditionExpression: 'outstanding.amountMinor = :was',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':out': money(was + amountMinor, currency),
          ':open': 'OPEN',
          ':s': [{ kind, reference, amount: money(-amountMinor, currency), on }],
          ':one': 1,
          ':at': nowIso(),
          ':by': by,
          ':was': was,
        },
      },
    },
    reopenInvoiceItem({ ...invoice, currency }, open, amountMinor),
    changeEntryPut(
      invoiceSubject(invoice.invoiceId),
      by,
      `${formatMajor(money(amountMinor, currency))} ${currency} open again: ${kind === 'CREDIT_NOTE' ? 'credit note' : 'payment'} ${reference} reversed`,
      { outstanding: was },
      { outstanding: was + amountMinor },
    ),
  ];
}

/**
 * R-CREDIT-5: a hold set for overdue invoices comes off when no invoice is more than the setting's
 * days past due any more. A hold set by hand stays until the GM lifts it.
 */
async function liftHoldIfOverduePaid(customer: Customer, by: Actor): Promise<void> {
  try {
    const hold = (await getAccount(customer.customerId))?.hold;
    if (hold?.kind !== 'OVERDUE') return;
    const cutoff = addDays(businessDate(), -settings().creditHoldOverdueDays);
    const stillOverdue = (await openInvoicesOf(customer.customerId)).filter((i) => i.dueDate < cutoff);
    if (stillOverdue.length > 0) return;
    await liftCreditHold(customer, `the invoices more than ${settings().creditHoldOverdueDays} days past due are paid`, by);
  } catch (err) {
    // The payment stands; finance or the GM lifts the hold by hand if this failed.
    logger.error('credit hold not lifted after payment', { customerId: customer.customerId, error: err as Error });
  }
}
