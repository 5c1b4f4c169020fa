/**
 * The receivables ledger (R-BILL-5): per customer, append-only entries numbered 1, 2, 3 … and one
 * BALANCE item. Every write puts its entries (each conditional on its number being free) and moves
 * the balance in the same transaction, conditional on the balance's last number being the one read,
 * so entries never collide, never leave a gap, and the balance always equals their sum. Nothing is
 * updated in place: a mistake is reversed by a new entry.
 *
 * Customer credit (paid and not yet allocated, R-BILL-3) is kept per receipt as CREDIT# items and
 * in the balance's `creditMinor`; open invoices are the INVOICE open items of the credit account
 * (they carry the exposure, R-CREDIT-4). So, per customer, always:
 *   balance = Σ entries = Σ open invoices − Σ customer credit.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { businessDate, nowIso } from '../shared/clock.js';
import { type TransactItem, ddb, decodeCursor, encodeCursor, tableName, transactConditional } from '../shared/dynamo.js';
import { money } from '../shared/money.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import type { LedgerEntry, LedgerEntryKind } from './schemas.js';

export const BALANCE = 'BALANCE';
const entryKey = (seq: number) => `E#${String(seq).padStart(10, '0')}`;
export const creditKey = (receiptNumber: string) => `CREDIT#${receiptNumber}`;
/** Every CREDIT# item carries it while it exists: the sparse index of unapplied credit across customers (aging, R-AR-1). */
export const UNAPPLIED = 'CREDIT';

export interface LedgerState {
  customerId: string;
  /** The last entry's number; 0 before the first. */
  seq: number;
  balanceMinor: number;
  creditMinor: number;
  currency: string;
  exists: boolean;
}

export interface CustomerCredit {
  customerId: string;
  receiptNumber: string;
  remainingMinor: number;
  currency: string;
  receivedOn: string;
  /** Paid ahead for this order: only its invoices use it until the order is invoiced to the end. */
  orderId?: string;
}

/**
 * A new customer credit (R-BILL-3: what a payment or a credit note leaves over), for the caller's
 * transaction, which moves the balance's `creditMinor` by the same amount (ledgerItems). It is in the
 * sparse index `unappliedCredits` (unappliedKey, receivedOn) until it is used up and deleted.
 */
export function newCreditPut(credit: CustomerCredit): TransactItem {
  return {
    Put: {
      TableName: tableName('ledger'),
      Item: { ...credit, entryKey: creditKey(credit.receiptNumber), unappliedKey: UNAPPLIED },
      ConditionExpression: 'attribute_not_exists(entryKey)',
    },
  };
}

export async function readLedgerState(customerId: string): Promise<LedgerState> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('ledger'), Key: { customerId, entryKey: BALANCE }, ConsistentRead: true }));
  if (!Item) return { customerId, seq: 0, balanceMinor: 0, creditMinor: 0, currency: settings().currency, exists: false };
  return { customerId, seq: Number(Item.seq), balanceMinor: Number(Item.balanceMinor), creditMinor: Number(Item.creditMinor), currency: String(Item.currency), exists: true };
}

/** The customer's credits still unallocated, oldest first (an invoice uses them in that order). */
export async function readCustomerCredits(customerId: string): Promise<CustomerCredit[]> {
  const { Items } = await ddb.send(
    new QueryCommand({
      TableName: tableName('ledger'),
      KeyConditionExpression: 'customerId = :c AND begins_with(entryKey, :p)',
      ExpressionAttributeValues: { ':c': customerId, ':p': 'CREDIT#' },
      ConsistentRead: true,
    }),
  );
  return ((Items ?? []) as CustomerCredit[]).sort((a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.receiptNumber.localeCompare(b.receiptNumber));
}

export interface NewEntry {
  kind: LedgerEntryKind;
  amountMinor: number;
  reference: string;
  description: string;
  allocations?: { invoiceId: string; amountMinor: number }[];
}

/**
 * The entries and the balance's move, first in the caller's transaction (the balance is item 0, so
 * a caller can tell a lost race on the ledger from its own conditions). `creditDelta` moves the
 * customer credit total with the CREDIT# items the caller writes.
 */
export function ledgerItems(state: LedgerState, entries: readonly NewEntry[], creditDelta: number, by: Actor): TransactItem[] {
  const at = nowIso();
  const on = businessDate();
  let balance = state.balanceMinor;
  const puts: TransactItem[] = entries.map((e, i) => {
    balance += e.amountMinor;
    const seq = state.seq + i + 1;
    return {
      Put: {
        TableName: tableName('ledger'),
        Item: {
          customerId: state.customerId,
          entryKey: entryKey(seq),
          seq,
          kind: e.kind,
          amountMinor: e.amountMinor,
          balanceAfterMinor: balance,
          currency: state.currency,
          reference: e.reference,
          description: e.description,
          ...(e.allocations ? { allocations: e.allocations } : {}),
          on,
          at,
          by,
          // For exports by period across customers (R-AR-3): entries only, by month.
          entryMonth: on.slice(0, 7),
          monthKey: `${at}#${state.customerId}#${String(seq).padStart(10, '0')}`,
        },
        ConditionExpression: 'attribute_not_exists(entryKey)',
      },
    };
  });
  const total = entries.reduce((s, e) => s + e.amountMinor, 0);
  const balanceUpdate: TransactItem = {
    Update: {
      TableName: tableName('ledger'),
      Key: { customerId: state.customerId, entryKey: BALANCE },
      UpdateExpression: 'SET seq = :seq, balanceMinor = :balance, creditMinor = :credit, currency = :currency, updatedAt = :at',
      ConditionExpression: state.exists ? 'seq = :read' : 'attribute_not_exists(entryKey)',
      ExpressionAttributeValues: {
        ':seq': state.seq + entries.length,
        ':balance': state.balanceMinor + total,
        ':credit': state.creditMinor + creditDelta,
        ':currency': state.currency,
        ':at': at,
        ...(state.exists ? { ':read': state.seq } : {}),
      },
    },
  };
  return [balanceUpdate, ...puts];
}

/**
 * Reads the ledger, builds the write from what it read, writes it; a lost race on the ledger (item 0)
 * reads and builds again. `build` answers undefined when there is nothing (left) to write.
 */
export async function writeWithLedger<T>(
  customerId: string,
  build: (state: LedgerState) => Promise<{ items: TransactItem[]; result: T } | undefined>,
  attempts = 8,
): Promise<{ ok: true; result: T | undefined } | { ok: false; reasons: string[] }> {
  let last: string[] = [];
  for (let i = 0; i < attempts; i++) {
    const built = await build(await readLedgerState(customerId));
    if (!built) return { ok: true, result: undefined };
    const written = await transactConditional(built.items);
    if (written.ok) return { ok: true, result: built.result };
    last = written.reasons;
    // The ledger or something the write was built on moved: read everything again and rebuild
    // (the builder answers undefined once there is nothing left to do, e.g. invoiced meanwhile).
    if (!written.reasons.includes('ConditionalCheckFailed')) break;
  }
  return { ok: false, reasons: last };
}

type StoredEntry = Omit<LedgerEntry, 'amount' | 'balanceAfter'> & { amountMinor: number; balanceAfterMinor: number; currency: string };

export const entryView = (e: StoredEntry): LedgerEntry => ({
  customerId: e.customerId,
  seq: e.seq,
  kind: e.kind,
  amount: money(e.amountMinor, e.currency),
  balanceAfter: money(e.balanceAfterMinor, e.currency),
  reference: e.reference,
  description: e.description,
  ...(e.allocations ? { allocations: (e.allocations as unknown as { invoiceId: string; amountMinor: number }[]).map((a) => ({ invoiceId: a.invoiceId, amount: money(a.amountMinor, e.currency) })) } : {}),
  on: e.on,
  at: e.at,
  by: e.by,
});

/** A customer's entries, newest first, a page at a time. */
export async function readEntries(customerId: string, page: { limit: number; cursor?: string | undefined }) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('ledger'),
      KeyConditionExpression: 'customerId = :c AND begins_with(entryKey, :e)',
      ExpressionAttributeValues: { ':c': customerId, ':e': 'E#' },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { entries: (result.Items ?? []).map((e) => entryView(e as StoredEntry)), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
