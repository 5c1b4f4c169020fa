/**
 * Invoices from delivery notes (R-BILL-1). One invoice per delivery note, never two: the note
 * records its invoice in the same transaction that creates the invoice, on the condition that it
 * has none. That transaction also appends the INVOICE entry to the customer's ledger (R-BILL-5),
 * turns the order's reserved credit exposure into a receivable with its due date (R-CREDIT-4), and
 * uses the customer's unallocated credit first (R-BILL-3: an ALLOCATION entry).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getOpenItem, invoiceExposureItems, releaseItems } from '../credit/account.js';
import { getCustomer } from '../customers/store.js';
import type { DeliveryNote, DeliveryNoteStatus } from '../delivery/schemas.js';
import { deliveryNoteReplaceItems, getDeliveryNote, listNotesOfOrder } from '../delivery/store.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { getOrder, orderReplaceItems } from '../orders/store.js';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { businessDate, nowIso } from '../shared/clock.js';
import { type TransactItem, ddb, decodeCursor, encodeCursor, nextInSequence, tableName, transactConditional, withoutKeys } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { logger } from '../shared/logger.js';
import { formatMajor, money } from '../shared/money.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import { type CustomerCredit, type LedgerState, creditKey, ledgerItems, readCustomerCredits, writeWithLedger } from './ledger.js';
import { dueDateFor, invoiceLines, invoiceTotals } from './rules.js';
import type { Invoice } from './schemas.js';

/** Notes whose goods have left: they can be invoiced. */
const INVOICEABLE: readonly DeliveryNoteStatus[] = ['GOODS_ISSUED', 'DISPATCHED', 'DELIVERED'];
const INDEX_ATTRIBUTES = ['issuedKey', 'issuedMonth', 'paidKey'] as const;

export const invoiceSubject = (invoiceId: string) => subjectOf('invoice', invoiceId);
export const invoiceItem = (i: Invoice) => ({ ...i, issuedKey: `${i.issuedOn}#${i.invoiceId}`, issuedMonth: i.issuedOn.slice(0, 7), ...(i.status === 'PAID' ? { paidKey: 'PAID' } : {}) });
export const fromInvoiceItem = (item: Record<string, unknown>) => withoutKeys(item, INDEX_ATTRIBUTES) as Invoice;

/** INV-YYYY-NNNNNN, from the year's sequence (a number lost to a failed write leaves a gap, never a duplicate). */
async function nextInvoiceNumber(): Promise<string> {
  const year = businessDate().slice(0, 4);
  return formatNumber(`INV-${year}`, await nextInSequence(`invoice-${year}`));
}

export async function getInvoice(invoiceId: string, consistent = false): Promise<Invoice | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('invoices'), Key: { invoiceId }, ConsistentRead: consistent }));
  return Item ? fromInvoiceItem(Item) : undefined;
}

/** The credits an invoice of `orderId` may use: paid ahead for that order first, then the customer's general credit, oldest first. */
export function creditsFor(credits: readonly CustomerCredit[], orderId: string): CustomerCredit[] {
  return [...credits.filter((c) => c.orderId === orderId), ...credits.filter((c) => !c.orderId)];
}

/** Customer credit used in the order given, up to `amountMinor`: what each credit gives. */
export function useCredits(credits: readonly CustomerCredit[], amountMinor: number): { credit: CustomerCredit; amountMinor: number }[] {
  const used: { credit: CustomerCredit; amountMinor: number }[] = [];
  let left = amountMinor;
  for (const credit of credits) {
    if (left <= 0) break;
    const take = Math.min(left, credit.remainingMinor);
    if (take > 0) used.push({ credit, amountMinor: take });
    left -= take;
  }
  return used;
}

/** A customer credit item goes down by what was used (and goes when nothing is left), conditional on the amount read. */
export function useCreditItem(credit: CustomerCredit, amountMinor: number): TransactItem {
  const Key = { customerId: credit.customerId, entryKey: creditKey(credit.receiptNumber) };
  if (amountMinor === credit.remainingMinor) {
    return { Delete: { TableName: tableName('ledger'), Key, ConditionExpression: 'remainingMinor = :r', ExpressionAttributeValues: { ':r': credit.remainingMinor } } };
  }
  return {
    Update: {
      TableName: tableName('ledger'),
      Key,
      UpdateExpression: 'SET remainingMinor = remainingMinor - :u',
      ConditionExpression: 'remainingMinor = :r',
      ExpressionAttributeValues: { ':r': credit.remainingMinor, ':u': amountMinor },
    },
  };
}

/**
 * Invoices a delivery note whose goods have left, once. Returns the invoice (the existing one if
 * the note has it already), or undefined if the note cannot be invoiced (not issued yet, voided).
 */
export async function invoiceDeliveryNote(deliveryNoteId: string, by: Actor = SYSTEM_ACTOR): Promise<Invoice | undefined> {
  const first = await getDeliveryNote(deliveryNoteId, true);
  if (first.invoiceId) return getInvoice(first.invoiceId, true);
  if (!INVOICEABLE.includes(first.status)) return undefined;
  const order = await getOrder(first.orderId, true);
  const customer = await getCustomer(order.customerId, true);
  const lines = invoiceLines(first.lines, order);
  if (lines.length === 0) return undefined;
  const currency = lines[0]!.gross.currency;
  const totals = invoiceTotals(lines, currency);
  const invoiceId = await nextInvoiceNumber();
  const issuedOn = businessDate();
  const paymentTermsDays = customer.credit.paymentTermsDays ?? 0;
  const dueDate = dueDateFor(issuedOn, paymentTermsDays);

  const written = await writeWithLedger<Invoice>(customer.customerId, async (ledger) => {
    const note: DeliveryNote = await getDeliveryNote(deliveryNoteId, true);
    if (note.invoiceId) return undefined;
    const orderOpen = (await getOpenItem(customer.customerId, 'ORDER', order.orderId))?.amountMinor ?? 0;
    // R-BILL-3: what the customer paid ahead (overpayment, prepayment) pays the new invoice first.
    const used = ledger.creditMinor > 0 ? useCredits(creditsFor(await readCustomerCredits(customer.customerId), order.orderId), totals.gross.amountMinor) : [];
    const usedMinor = used.reduce((s, u) => s + u.amountMinor, 0);
    const outstanding = totals.gross.amountMinor - usedMinor;
    const at = nowIso();
    const invoice: Invoice = {
      invoiceId,
      customerId: customer.customerId,
      customerName: customer.name,
      ownerRepId: customer.ownerRepId,
      region: customer.region,
      orderId: order.orderId,
      deliveryNoteId,
      issuedOn,
      dueDate,
      paymentTermsDays,
      lines,
      ...totals,
      outstanding: money(outstanding, currency),
      status: outstanding === 0 ? 'PAID' : 'OPEN',
      settlements: used.map((u) => ({ kind: 'CUSTOMER_CREDIT' as const, reference: u.credit.receiptNumber, amount: money(u.amountMinor, currency), on: issuedOn })),
      ...(outstanding === 0 ? { paidOn: issuedOn } : {}),
      version: 1,
      createdAt: at,
      createdBy: by,
      updatedAt: at,
      updatedBy: by,
    };
    const amount = `${formatMajor(totals.gross)} ${currency}`;
    const items: TransactItem[] = [
      ...ledgerEntriesFor(invoice, used, by, ledger),
      { Put: { TableName: tableName('invoices'), Item: invoiceItem(invoice), ConditionExpression: 'attribute_not_exists(invoiceId)' } },
      changeEntryPut(invoiceSubject(invoiceId), by, 'invoice issued', null, invoice),
      ...deliveryNoteReplaceItems(note, { ...note, invoiceId, version: note.version + 1, updatedAt: at, updatedBy: by }, by, `invoiced: ${invoiceId}`),
      changeEntryPut(subjectOf('order', order.orderId), by, `invoice ${invoiceId} issued for delivery note ${deliveryNoteId}: ${amount}, due ${dueDate}`, null, { invoiceId, deliveryNoteId, gross: totals.gross, dueDate }),
      ...invoiceExposureItems(
        { invoiceId, customerId: customer.customerId, customerName: customer.name, ownerRepId: customer.ownerRepId, region: customer.region, orderId: order.orderId, grossMinor: totals.gross.amountMinor, currency, issuedOn, dueDate },
        orderOpen,
        outstanding,
      ),
      ...used.map((u) => useCreditItem(u.credit, u.amountMinor)),
      notificationPut({
        dedupeKey: `${invoiceId}#issued`,
        recipient: toUser(customer.ownerRepId),
        topic: 'invoice',
        subject: `Invoice ${invoiceId}: ${customer.name}, ${amount}`,
        body: `${invoiceId} for ${order.orderId} (delivery note ${deliveryNoteId}): ${amount}, due ${dueDate}${usedMinor > 0 ? `; ${formatMajor(money(usedMinor, currency))} ${currency} paid from the customer's credit` : ''}.`,
        link: `/invoices/${invoiceId}`,
      }),
    ];
    return { items, result: invoice };
  });
  if (!written.ok) throw new Error(`${deliveryNoteId}: the invoice could not be written (${written.reasons.join(', ')})`);
  return written.result ?? getInvoice((await getDeliveryNote(deliveryNoteId, true)).invoiceId ?? invoiceId, true);
}

function ledgerEntriesFor(invoice: Invoice, used: { credit: CustomerCredit; amountMinor: number }[], by: Actor, ledger: LedgerState): TransactItem[] {
  const usedMinor = used.reduce((s, u) => s + u.amountMinor, 0);
  // The ledger: the invoice (+gross); customer credit applied to it moves no balance (an allocation, 0).
  return ledgerItems(
    ledger,
    [
      { kind: 'INVOICE', amountMinor: invoice.gross.amountMinor, reference: invoice.invoiceId, description: `invoice ${invoice.invoiceId} for ${invoice.orderId} (${invoice.deliveryNoteId}), due ${invoice.dueDate}` },
      ...(usedMinor > 0
        ? [
            {
              kind: 'ALLOCATION' as const,
              amountMinor: 0,
              reference: invoice.invoiceId,
              description: `customer credit ${used.map((u) => u.credit.receiptNumber).join(', ')} applied to ${invoice.invoiceId}`,
              allocations: [{ invoiceId: invoice.invoiceId, amountMinor: usedMinor }],
            },
          ]
        : []),
    ],
    -usedMinor,
    by,
  );
}

/**
 * The order's last workflow step (R-BILL-1): every delivery note whose goods left is invoiced (the
 * ones invoiced already are left as they are), then the order records its invoices and gives back
 * whatever credit it still had reserved (it shipped less than ordered, or lines rounded down), in
 * one transaction. A retried step finds the order billed and answers the same.
 */
export async function invoiceOrder(orderId: string): Promise<{ invoices: string[]; releasedMinor: number }> {
  // Each note's invoice read by key (consistent), not through an index that may lag the write.
  const invoices: Invoice[] = [];
  for (const note of await listNotesOfOrder(orderId)) {
    const invoice = INVOICEABLE.includes(note.status) ? await invoiceDeliveryNote(note.deliveryNoteId) : undefined;
    if (invoice) invoices.push(invoice);
  }
  for (let tries = 0; tries < 5; tries++) {
    const order = await getOrder(orderId, true);
    if (order.billing) return { invoices: order.billing.invoices, releasedMinor: order.billing.creditReleased.amountMinor };
    const currency = order.totals?.gross?.currency ?? settings().currency;
    const left = (await getOpenItem(order.customerId, 'ORDER', orderId))?.amountMinor ?? 0;
    const invoicedGross = money(invoices.reduce((s, i) => s + i.gross.amountMinor, 0), currency);
    const billing = { invoices: invoices.map((i) => i.invoiceId), invoicedGross, creditReleased: money(left, currency), at: nowIso() };
    const after = { ...order, billing, version: order.version + 1, updatedAt: billing.at, updatedBy: SYSTEM_ACTOR };
    // Paid ahead for this order and not used up (paid too much): the customer's general credit from now on.
    const leftAhead = (await readCustomerCredits(order.customerId)).filter((c) => c.orderId === orderId);
    const written = await transactConditional([
      ...orderReplaceItems(order, after, SYSTEM_ACTOR, `invoiced: ${billing.invoices.join(', ') || 'nothing shipped'}`, left > 0 ? `credit no longer needed given back: ${formatMajor(billing.creditReleased)} ${currency}` : undefined),
      ...(left > 0 ? releaseItems(order, left) : []),
      ...leftAhead.map((c) => ({
        Update: {
          TableName: tableName('ledger'),
          Key: { customerId: c.customerId, entryKey: creditKey(c.receiptNumber) },
          UpdateExpression: 'REMOVE orderId',
          ConditionExpression: 'attribute_exists(entryKey)',
        },
      })),
    ]);
    if (written.ok) return { invoices: billing.invoices, releasedMinor: left };
  }
  throw new Error(`${orderId}: the order kept changing while its invoicing was recorded`);
}

/** An order's invoices, oldest first. */
export async function invoicesOfOrder(orderId: string): Promise<Invoice[]> {
  const { Items } = await ddb.send(
    new QueryCommand({ TableName: tableName('invoices'), IndexName: 'byOrder', KeyConditionExpression: 'orderId = :o', ExpressionAttributeValues: { ':o': orderId } }),
  );
  return (Items ?? []).map(fromInvoiceItem);
}

/** The note's invoice right after the event the setting names (goods issued or delivered); the workflow's last step catches up if this fails. */
export async function invoiceSoon(deliveryNoteId: string): Promise<void> {
  try {
    await invoiceDeliveryNote(deliveryNoteId);
  } catch (err) {
    logger.error('invoice not issued yet; the order workflow will issue it', { deliveryNoteId, error: err as Error });
    await transactConditional([
      notificationPut({ dedupeKey: `${deliveryNoteId}#invoice-failed`, recipient: toRole('finance'), topic: 'invoice', subject: `Invoice not issued yet: ${deliveryNoteId}`, body: `The invoice of ${deliveryNoteId} could not be issued at once; the order's workflow issues it when it ends.`, link: `/delivery-notes/${deliveryNoteId}` }),
    ]).catch(() => undefined);
  }
}

export async function listInvoices(customerId: string, page: { limit: number; cursor?: string | undefined }, status?: Invoice['status']) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('invoices'),
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customerId = :c',
      ...(status ? { FilterExpression: '#status = :s', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':c': customerId, ...(status ? { ':s': status } : {}) },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map(fromInvoiceItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
