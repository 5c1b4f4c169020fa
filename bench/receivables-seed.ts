/**
 * Invoices for the receivables bench (R-AR-1, R-AR-2, R-BILL-3), written straight into DynamoDB
 * Local, shaped by the builders production writes them with: the invoice record by `invoiceItem`
 * (functions/billing/invoices.ts: the Invoice plus its index attributes issuedKey, issuedMonth and,
 * once paid, paidKey) and an open invoice's credit-side open item by `invoiceExposureItems`
 * (functions/credit/account.ts: itemKey OPEN#INVOICE#<id>, dueKey INVOICE for the sparse index
 * openInvoicesByDue, who it is with and where). A paid invoice has no open item.
 *
 * - Aging: open and paid invoices over a set of customers, written with parallel BatchWriteItem
 *   (as tests/support/ledger-seed.ts does). The customers are names on the invoices only: the
 *   aging and the alerts read the invoices' open items, never the customers.
 * - Payments: a real customer's open invoices issued with the transaction production's invoicing
 *   writes for them (writeWithLedger: the INVOICE ledger entry and the balance, the invoice record,
 *   the open item and the credit account's receivable and exposure), so that POST /payments finds
 *   everything as it would in production.
 *
 * Imported by the bench process after its local stack has started (the handlers' DynamoDB client
 * reads the endpoint when it is created).
 */
import { BatchWriteCommand, type BatchWriteCommandOutput, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { invoiceExposureItems } from '../functions/credit/account.js';
import { invoiceItem } from '../functions/billing/invoices.js';
import { ledgerItems, writeWithLedger } from '../functions/billing/ledger.js';
import type { Invoice } from '../functions/billing/schemas.js';
import { SYSTEM_ACTOR } from '../functions/shared/auth.js';
import { addDays, businessDayStart } from '../functions/shared/clock.js';
import { type TransactItem, ddb, tableName } from '../functions/shared/dynamo.js';
import { money } from '../functions/shared/money.js';

const CURRENCY = 'CNY';
const TERMS_DAYS = 30;
const REPS = ['wang.qiang', 'li.na'];
const REGIONS = ['华东 East', '华南 South', '华北 North', '西南 Southwest', '东北 Northeast'];

export interface SeedCustomer {
  customerId: string;
  customerName: string;
  ownerRepId: string;
  region: string;
}

/** The aging's customers: CU-8NNNNN (no customer record; the numbers never meet the API's sequence). */
export const agingCustomers = (n: number): SeedCustomer[] =>
  Array.from({ length: n }, (_, i) => ({
    customerId: `CU-8${String(i + 1).padStart(5, '0')}`,
    customerName: `测试客户 ${i + 1} 号 Bench Customer ${i + 1}`,
    ownerRepId: REPS[i % REPS.length]!,
    region: REGIONS[i % REGIONS.length]!,
  }));

/** INV-YYYY-NNNNNNN: seven digits from 1,000,001 on, so they never meet the invoices the yearly sequence numbers. */
const invoiceNumber = (issuedOn: string, seq: number) => `INV-${issuedOn.slice(0, 4)}-${String(1_000_000 + seq).padStart(7, '0')}`;

/** An invoice as invoiceDeliveryNote builds it: one line of plate at 13 % VAT, due after the customer's 30 days. */
export function benchInvoice(customer: SeedCustomer, seq: number, issuedOn: string, netMinor: number, paidOn?: string): Invoice {
  const invoiceId = invoiceNumber(issuedOn, seq);
  const net = money(netMinor, CURRENCY);
  const tax = money(Math.round((netMinor * 1300) / 10_000), CURRENCY);
  const gross = money(net.amountMinor + tax.amountMinor, CURRENCY);
  const createdAt = new Date(businessDayStart(issuedOn).getTime() + 10 * 3_600_000).toISOString();
  const serial = String(1_000_000 + seq).padStart(7, '0');
  return {
    invoiceId,
    customerId: customer.customerId,
    customerName: customer.customerName,
    ownerRepId: customer.ownerRepId,
    region: customer.region,
    orderId: `SO-${issuedOn.slice(0, 4)}-${serial}`,
    deliveryNoteId: `DN-${issuedOn.slice(0, 4)}-${serial}`,
    issuedOn,
    dueDate: addDays(issuedOn, TERMS_DAYS),
    paymentTermsDays: TERMS_DAYS,
    lines: [
      {
        lineNo: 1,
        productCode: 'PLATE-Q235',
        productName: 'Steel plate Q235',
        specification: '10mm',
        quantity: '1.000',
        unit: 't',
        unitPrice: net,
        taxRateBasisPoints: 1300,
        net,
        tax,
        gross,
      },
    ],
    net,
    tax,
    gross,
    outstanding: money(paidOn ? 0 : gross.amountMinor, CURRENCY),
    status: paidOn ? 'PAID' : 'OPEN',
    settlements: paidOn ? [{ kind: 'PAYMENT', reference: `RC-${paidOn.slice(0, 4)}-${serial}`, amount: gross, on: paidOn }] : [],
    ...(paidOn ? { paidOn } : {}),
    version: paidOn ? 2 : 1,
    createdAt,
    createdBy: SYSTEM_ACTOR,
    updatedAt: paidOn ? new Date(businessDayStart(paidOn).getTime() + 11 * 3_600_000).toISOString() : createdAt,
    updatedBy: paidOn ? { userId: 'wu.fang', name: '吴芳 Wu Fang' } : SYSTEM_ACTOR,
  };
}

/** The issue date of an invoice due `dueInDays` after `today` (negative: past due) on the 30 days' terms. */
export const issuedForDue = (today: string, dueInDays: number) => addDays(today, dueInDays - TERMS_DAYS);

/** The open item production's invoicing puts for an invoice still outstanding (the Put of invoiceExposureItems). */
export function openItemOf(invoice: Invoice): Record<string, unknown> {
  const items = invoiceExposureItems(
    { invoiceId: invoice.invoiceId, customerId: invoice.customerId, customerName: invoice.customerName, ownerRepId: invoice.ownerRepId, region: invoice.region, orderId: invoice.orderId, grossMinor: invoice.gross.amountMinor, currency: invoice.gross.currency, issuedOn: invoice.issuedOn, dueDate: invoice.dueDate },
    0,
    invoice.outstanding.amountMinor,
  );
  const put = items.find((i) => i.Put?.TableName === tableName('credit'))?.Put;
  if (!put) throw new Error(`${invoice.invoiceId}: no open item (nothing outstanding)`);
  return put.Item!;
}

/** Puts items into their tables, 25 a request, `concurrency` requests in flight, until nothing is unprocessed. */
export async function batchPut(source: Iterable<{ table: string; item: Record<string, unknown> }>, concurrency = 8): Promise<number> {
  const iterator = source[Symbol.iterator]();
  let written = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const requests: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
      let n = 0;
      while (n < 25) {
        const next = iterator.next();
        if (next.done) break;
        (requests[next.value.table] ??= []).push({ PutRequest: { Item: next.value.item } });
        n++;
      }
      if (n === 0) return;
      let pending: BatchWriteCommandOutput['UnprocessedItems'] = requests;
      while (pending && Object.keys(pending).length > 0) pending = (await ddb.send(new BatchWriteCommand({ RequestItems: pending }))).UnprocessedItems;
      written += n;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return written;
}

/** What the aging's open invoices are: for the checks (count, amount) and the alerts expected. */
export interface OpenSeed {
  invoiceId: string;
  customerId: string;
  dueDate: string;
  amountMinor: number;
}

/**
 * `count` open invoices over `customers`, due on each of the 120 days up to `today` in turn (0 to
 * 119 days past due), 1,000.00 to 50,000.00 CNY net: an invoice record and its open item each.
 */
export async function seedOpenInvoices(today: string, customers: readonly SeedCustomer[], count: number): Promise<OpenSeed[]> {
  const open: OpenSeed[] = [];
  const invoices = tableName('invoices');
  const credit = tableName('credit');
  function* items() {
    for (let i = 0; i < count; i++) {
      const daysPastDue = Math.floor((i * 120) / count);
      const issuedOn = addDays(today, -daysPastDue - TERMS_DAYS);
      const invoice = benchInvoice(customers[i % customers.length]!, i + 1, issuedOn, 100_000 + ((i * 7919) % 4_900_000));
      open.push({ invoiceId: invoice.invoiceId, customerId: invoice.customerId, dueDate: invoice.dueDate, amountMinor: invoice.outstanding.amountMinor });
      yield { table: invoices, item: invoiceItem(invoice) as Record<string, unknown> };
      yield { table: credit, item: openItemOf(invoice) };
    }
  }
  await batchPut(items());
  return open;
}

/**
 * Paid invoices numbered `from` + 1 … `to` (after the open ones' numbers): issued 35 to 734 days
 * before `today`, each paid in full between 5 days before and 14 days after its due date (never
 * after yesterday). An invoice record each (status PAID, outstanding 0, paidOn, paidKey), no open item.
 */
export async function seedPaidInvoices(today: string, customers: readonly SeedCustomer[], from: number, to: number): Promise<number> {
  const invoices = tableName('invoices');
  const yesterday = addDays(today, -1);
  function* items() {
    for (let seq = from + 1; seq <= to; seq++) {
      const issuedOn = addDays(today, -(35 + ((seq * 7) % 700)));
      const paidOn = [addDays(issuedOn, TERMS_DAYS - 5 + (seq % 20)), yesterday].sort()[0]!;
      yield { table: invoices, item: invoiceItem(benchInvoice(customers[seq % customers.length]!, seq, issuedOn, 100_000 + ((seq * 7919) % 4_900_000), paidOn)) as Record<string, unknown> };
    }
  }
  return batchPut(items());
}

/**
 * A real customer's open invoices, issued one transaction each as production's invoicing writes
 * them (without the delivery note, order, history and notification items, which the payment does
 * not read): the INVOICE ledger entry and the balance, the invoice record, the open item and the
 * account's receivable and exposure. The account must exist (the customer's approved credit).
 */
export async function issueOpenInvoices(customer: SeedCustomer, invoices: readonly Invoice[]): Promise<void> {
  for (const invoice of invoices) {
    const written = await writeWithLedger(customer.customerId, async (ledger) => ({
      items: [
        ...ledgerItems(ledger, [{ kind: 'INVOICE', amountMinor: invoice.gross.amountMinor, reference: invoice.invoiceId, description: `invoice ${invoice.invoiceId} for ${invoice.orderId} (${invoice.deliveryNoteId}), due ${invoice.dueDate}` }], 0, SYSTEM_ACTOR),
        { Put: { TableName: tableName('invoices'), Item: invoiceItem(invoice), ConditionExpression: 'attribute_not_exists(invoiceId)' } },
        ...invoiceExposureItems(
          { invoiceId: invoice.invoiceId, customerId: invoice.customerId, customerName: invoice.customerName, ownerRepId: invoice.ownerRepId, region: invoice.region, orderId: invoice.orderId, grossMinor: invoice.gross.amountMinor, currency: invoice.gross.currency, issuedOn: invoice.issuedOn, dueDate: invoice.dueDate },
          0,
          invoice.outstanding.amountMinor,
        ),
      ] satisfies TransactItem[],
      result: invoice.invoiceId,
    }));
    if (!written.ok) throw new Error(`${invoice.invoiceId} not issued: ${written.reasons.join(', ')}`);
  }
}

/**
 * Deletes every notification of a topic (the bench's reset between runs of the alerts job, so that
 * each run finds no alert sent before). A Scan: the bench's housekeeping, never a request path.
 */
export async function deleteNotifications(topic: string): Promise<number> {
  const table = tableName('notifications');
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await ddb.send(
      new ScanCommand({ TableName: table, FilterExpression: 'topic = :t', ExpressionAttributeValues: { ':t': topic }, ProjectionExpression: 'notificationId', ExclusiveStartKey: start, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.notificationId));
    start = page.LastEvaluatedKey;
  } while (start);
  for (let i = 0; i < ids.length; i += 25) {
    let pending: BatchWriteCommandOutput['UnprocessedItems'] = { [table]: ids.slice(i, i + 25).map((notificationId) => ({ DeleteRequest: { Key: { notificationId } } })) };
    while (pending && Object.keys(pending).length > 0) pending = (await ddb.send(new BatchWriteCommand({ RequestItems: pending }))).UnprocessedItems;
  }
  return ids.length;
}
