/**
 * Statement rules (R-BILL-6, R-BILL-5, R-AR-1). Pure: no I/O.
 *
 * A statement is the customer's ledger for one month, read on the ledger's own dates (the day an
 * entry was booked): the opening balance is the balance after the last entry before the month,
 * the lines are the month's entries with their running balance, the closing balance the balance
 * after the last one. The open items at the month's end come from the same books: today's open
 * invoices with every later entry's allocations undone (what was paid after the month end was still
 * open at it) and the invoices booked after it left out. So, on every statement,
 *   closing = opening + Σ lines = Σ open items − customer credit,
 * and nothing older than the month is read: the work grows with what happened since, not with
 * the customer's history.
 */
import { agingBucket, bucketLabels, daysBetween } from '../billing/rules.js';
import type { LedgerEntryKind } from '../billing/schemas.js';
import { addDays, addMonths } from '../shared/clock.js';
import type { FieldError } from '../shared/errors.js';
import { money } from '../shared/money.js';
import type { RecordStatementAnswer, Statement, StatementLine, StatementOpenItem, StatementStatus, StatementTotals } from './schemas.js';

export const statementIdOf = (customerId: string, month: string) => `ST-${customerId}-${month}`;

/** The month before the one `date` (YYYY-MM-DD) is in. */
export const previousMonth = (date: string) => addMonths(`${date.slice(0, 7)}-01`, -1).slice(0, 7);

/** First and last day of a month (YYYY-MM). */
export function monthBounds(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  return { from, to: addDays(addMonths(from, 1), -1) };
}

/** A ledger entry as the store keeps it. */
export interface BookedEntry {
  seq: number;
  kind: LedgerEntryKind;
  amountMinor: number;
  balanceAfterMinor: number;
  currency: string;
  reference: string;
  description: string;
  allocations?: { invoiceId: string; amountMinor: number }[];
  on: string;
}

/**
 * The customer's entries, newest first, split around the month: the last one before it (the
 * opening), the month's (oldest first) and the later ones. Entries are read newest first until
 * the first one before the month: nothing older is needed.
 */
export function splitAroundMonth(newestFirst: readonly BookedEntry[], month: string) {
  const { from, to } = monthBounds(month);
  const before = newestFirst.find((e) => e.on < from);
  const during = newestFirst.filter((e) => e.on >= from && e.on <= to).sort((a, b) => a.seq - b.seq);
  const after = newestFirst.filter((e) => e.on > to);
  return { before, during, after };
}

/**
 * The invoices open at the month's end, from those open now (`openNow`: invoice → outstanding) and
 * the entries booked after the month: each allocation to an invoice after the month end is given
 * back (a reversal that re-opens an invoice carries a negative allocation and is taken back the
 * same way); an invoice booked after the month did not exist at its end. Returns invoice →
 * outstanding at the month's end (more than zero only).
 */
export function outstandingAtMonthEnd(openNow: ReadonlyMap<string, number>, after: readonly BookedEntry[]): Map<string, number> {
  const outstanding = new Map(openNow);
  const bookedAfter = new Set<string>();
  for (const entry of after) {
    if (entry.kind === 'INVOICE') bookedAfter.add(entry.reference);
    for (const a of entry.allocations ?? []) outstanding.set(a.invoiceId, (outstanding.get(a.invoiceId) ?? 0) + a.amountMinor);
  }
  for (const id of bookedAfter) outstanding.delete(id);
  for (const [id, minor] of outstanding) if (minor <= 0) outstanding.delete(id);
  return outstanding;
}

export function totalsOf(lines: readonly Pick<StatementLine, 'kind' | 'amount'>[], currency: string): StatementTotals {
  const sum = (kind: LedgerEntryKind, sign: 1 | -1) => money(sign * lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amount.amountMinor, 0), currency);
  return { invoiced: sum('INVOICE', 1), paid: sum('PAYMENT', -1), credited: sum('CREDIT_NOTE', -1), reversed: sum('REVERSAL', 1) };
}

export interface StatementInput {
  customer: { customerId: string; name: string; ownerRepId: string };
  month: string;
  currency: string;
  /** Newest first, at least down to the first entry before the month (or all of them). */
  entries: readonly BookedEntry[];
  /** The open items at the month end with what is known of each invoice. */
  openItems: readonly { invoiceId: string; issuedOn: string; dueDate: string; outstandingMinor: number }[];
  bounds: readonly number[];
  at: string;
}

/** R-BILL-6: the statement of a month, as generated (status GENERATED). */
export function buildStatement(input: StatementInput): Statement {
  const { customer, month, currency, bounds, at } = input;
  const { from, to } = monthBounds(month);
  const { before, during } = splitAroundMonth(input.entries, month);
  const openingMinor = before?.balanceAfterMinor ?? (during[0] ? during[0].balanceAfterMinor - during[0].amountMinor : 0);
  const lines: StatementLine[] = during.map((e) => ({
    seq: e.seq,
    on: e.on,
    kind: e.kind,
    reference: e.reference,
    description: e.description,
    amount: money(e.amountMinor, currency),
    balanceAfter: money(e.balanceAfterMinor, currency),
  }));
  const closingMinor = during.at(-1)?.balanceAfterMinor ?? openingMinor;
  const openItems: StatementOpenItem[] = [...input.openItems]
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceId.localeCompare(b.invoiceId))
    .map((i) => {
      const daysPastDue = daysBetween(i.dueDate, to);
      return { invoiceId: i.invoiceId, issuedOn: i.issuedOn, dueDate: i.dueDate, outstanding: money(i.outstandingMinor, currency), daysPastDue, bucket: agingBucket(daysPastDue, bounds) };
    });
  const aging = bucketLabels(bounds).map((bucket) => {
    const inBucket = openItems.filter((i) => i.bucket === bucket);
    return { bucket, amount: money(inBucket.reduce((s, i) => s + i.outstanding.amountMinor, 0), currency), invoices: inBucket.length };
  });
  const openTotalMinor = openItems.reduce((s, i) => s + i.outstanding.amountMinor, 0);
  return {
    statementId: statementIdOf(customer.customerId, month),
    customerId: customer.customerId,
    customerName: customer.name,
    ownerRepId: customer.ownerRepId,
    month,
    periodFrom: from,
    periodTo: to,
    currency,
    opening: money(openingMinor, currency),
    lines,
    totals: totalsOf(lines, currency),
    closing: money(closingMinor, currency),
    openItems,
    aging,
    openTotal: money(openTotalMinor, currency),
    customerCredit: money(openTotalMinor - closingMinor, currency),
    status: 'GENERATED',
    generatedAt: at,
    version: 1,
    updatedAt: at,
  };
}

/** Every figure of a statement agrees with the others (R-BILL-5): the lines add up, the open items and credit make the closing balance. */
export function statementProblems(s: Statement): string[] {
  const problems: string[] = [];
  let running = s.opening.amountMinor;
  for (const line of s.lines) {
    running += line.amount.amountMinor;
    if (running !== line.balanceAfter.amountMinor) problems.push(`line ${line.seq}: running balance ${running} ≠ ${line.balanceAfter.amountMinor}`);
  }
  if (running !== s.closing.amountMinor) problems.push(`opening + lines = ${running} ≠ closing ${s.closing.amountMinor}`);
  const t = s.totals;
  const byTotals = s.opening.amountMinor + t.invoiced.amountMinor - t.paid.amountMinor - t.credited.amountMinor + t.reversed.amountMinor;
  if (byTotals !== s.closing.amountMinor) problems.push(`opening + totals = ${byTotals} ≠ closing ${s.closing.amountMinor}`);
  if (s.openTotal.amountMinor - s.customerCredit.amountMinor !== s.closing.amountMinor) problems.push('open items − customer credit ≠ closing');
  if (s.customerCredit.amountMinor < 0) problems.push(`customer credit ${s.customerCredit.amountMinor} < 0: the open items at the month end are more than the closing balance`);
  return problems;
}

/** The references a customer can dispute: every line's and every open item's. */
export const referencesIn = (s: Pick<Statement, 'lines' | 'openItems'>) => new Set([...s.lines.map((l) => l.reference), ...s.openItems.map((i) => i.invoiceId)]);

/** Where a statement may go from where it is: GENERATED → SENT → CONFIRMED | DISPUTED; a dispute settled later is confirmed. */
export const ANSWERABLE: readonly StatementStatus[] = ['SENT', 'DISPUTED'];

/**
 * R-BILL-6: what finance records of the customer's answer must fit the statement and the customer:
 * the contact is one of the customer's, the day is neither before the statement was sent nor in
 * the future, disputed items are references in the statement. Every problem is named.
 */
export function answerProblems(
  answer: RecordStatementAnswer,
  statement: Pick<Statement, 'statementId' | 'lines' | 'openItems' | 'sending'>,
  contacts: readonly { name: string }[],
  today: string,
): FieldError[] {
  const problems: FieldError[] = [];
  const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
  if (!contacts.some((c) => norm(c.name) === norm(answer.confirmedBy))) {
    problems.push({ field: 'body.confirmedBy', message: `not a contact of the customer (${contacts.map((c) => c.name).join(', ')})`, code: 'unknown_contact' });
  }
  if (answer.on > today) problems.push({ field: 'body.on', message: 'the customer cannot answer in the future', code: 'future' });
  const sentOn = statement.sending?.on;
  if (sentOn && answer.on < sentOn) problems.push({ field: 'body.on', message: `the statement was sent on ${sentOn}: the answer cannot be earlier`, code: 'before_sent' });
  const known = referencesIn(statement);
  (answer.disputedItems ?? []).forEach((ref, i) => {
    if (!known.has(ref)) problems.push({ field: `body.disputedItems.${i}`, message: `${ref} is not in ${statement.statementId}`, code: 'not_in_statement' });
  });
  if (answer.disputedItems && new Set(answer.disputedItems).size !== answer.disputedItems.length) problems.push({ field: 'body.disputedItems', message: 'each item once', code: 'duplicate' });
  return problems;
}

/** Bilingual labels of the ledger's kinds, as the printed statement shows them. */
export const KIND_LABELS: Record<LedgerEntryKind, string> = {
  INVOICE: '发票 Invoice',
  PAYMENT: '收款 Payment',
  ALLOCATION: '余款冲抵 Credit applied',
  CREDIT_NOTE: '红字/折让 Credit note',
  REVERSAL: '冲销 Reversal',
};

/** "1234567.80" → "1,234,567.80" (the sign kept). */
export function grouped(major: string): string {
  const [whole = '', fraction] = major.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}`;
}
