/**
 * The receivables invariants (R-BILL-1, R-BILL-3, R-BILL-5), read straight from the tables of a local stack:
 * - every customer's ledger: entries numbered 1..n without a gap, each balance-after the running sum,
 *   the balance = Σ entries = Σ open invoices − customer credit; the credit = Σ its CREDIT# items,
 *   each with something left and in the sparse index of unapplied credit (the aging reads it);
 * - every invoice: outstanding = gross − Σ settlements, equal to its open item (none once paid),
 *   PAID exactly when nothing is outstanding; lines add up; one invoice per delivery note, and the
 *   note names it; Σ INVOICE entries = Σ gross per customer;
 * - every payment: Σ allocations + unallocated = amount; Σ PAYMENT entries = −Σ payments per customer;
 *   its invoices hold what it paid of each (nothing once it is reversed); a reversed one has one
 *   REVERSAL entry of its amount and no customer credit left (R-BILL-5);
 * - payment references (R-BILL-2): the ledger holds only BALANCE, E#, CREDIT# and REF# items; each
 *   REF#<day>#<reference> guard carries nothing of an entry, a credit or the balance, and points at
 *   a payment of that customer and day with that reference, not reversed; every payment standing
 *   with a reference has its guard (held by it, or by the first of its separate payments).
 * - credit notes (R-BILL-4, R-BILL-5): Σ CREDIT_NOTE entries = −Σ credit notes issued (ISSUED or REVERSED)
 *   per customer, Σ REVERSAL entries of credit notes = Σ reversed ones; an issued credit note's
 *   settlements + its customer credit = its amount, and its invoice names the settlement; one not
 *   issued is in no entry; per invoice the credit notes waiting or issued add up to the invoice's
 *   tally and never pass its gross.
 * - returns (R-RETURN-1, R-RETURN-3): per invoice line, what returns claim (asked while they are
 *   live, received once completed) adds up to the invoice's return tally and never passes what was
 *   invoiced; a completed return names its credit note (source RETURN) and credits what came back.
 * Tests call it after every scenario; it returns the violations, so a failure names them all.
 */
import { normaliseReference, paymentReference } from '../../functions/billing/rules.js';
import { TABLES } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { scanAll } from './scan.js';

export async function billingInvariantViolations(stack: Pick<LocalStack, 'dynamoEndpoint'>): Promise<string[]> {
  const [ledger, invoices, payments, credit, notes, creditNoteItems, returnItems] = await Promise.all([
    scanAll(stack, TABLES.ledger.localName),
    scanAll(stack, TABLES.invoices.localName),
    scanAll(stack, TABLES.payments.localName),
    scanAll(stack, TABLES.credit.localName),
    scanAll(stack, TABLES.deliveryNotes.localName),
    scanAll(stack, TABLES.creditNotes.localName),
    scanAll(stack, TABLES.returns.localName),
  ]);
  const violations: string[] = [];
  const customers = new Set([...ledger.map((l) => l.customerId as string), ...invoices.map((i) => i.customerId as string)]);
  for (const customerId of customers) {
    const mine = ledger.filter((l) => l.customerId === customerId);
    const balance = mine.find((l) => l.entryKey === 'BALANCE');
    const entries = mine.filter((l) => String(l.entryKey).startsWith('E#')).sort((a, b) => a.seq - b.seq);
    const credits = mine.filter((l) => String(l.entryKey).startsWith('CREDIT#'));
    const openInvoices = credit.filter((c) => c.customerId === customerId && c.kind === 'INVOICE');
    const sum = (items: Record<string, any>[], f: (i: Record<string, any>) => number) => items.reduce((s, i) => s + f(i), 0);
    const entriesSum = sum(entries, (e) => e.amountMinor);
    const balanceMinor = balance?.balanceMinor ?? 0;
    if (balanceMinor !== entriesSum) violations.push(`${customerId}: balance ${balanceMinor} ≠ Σ entries ${entriesSum}`);
    const openSum = sum(openInvoices, (i) => i.amountMinor) - sum(credits, (c) => c.remainingMinor);
    if (balanceMinor !== openSum) violations.push(`${customerId}: balance ${balanceMinor} ≠ Σ open invoices − customer credit ${openSum}`);
    if ((balance?.creditMinor ?? 0) !== sum(credits, (c) => c.remainingMinor)) violations.push(`${customerId}: customer credit ${balance?.creditMinor} ≠ Σ credits ${sum(credits, (c) => c.remainingMinor)}`);
    // The aging finds customer credit through the sparse index unappliedCredits: every credit is in it while it lasts (R-AR-1).
    for (const c of credits) if (c.unappliedKey !== 'CREDIT' || typeof c.receivedOn !== 'string' || !(c.remainingMinor > 0)) violations.push(`${customerId}: ${c.entryKey} (${c.remainingMinor} left) is not in the index of unapplied credit`);
    if ((balance?.seq ?? 0) !== entries.length) violations.push(`${customerId}: last entry number ${balance?.seq} but ${entries.length} entries`);
    let running = 0;
    entries.forEach((e, i) => {
      if (e.seq !== i + 1) violations.push(`${customerId}: entry ${i + 1} is numbered ${e.seq}`);
      running += e.amountMinor;
      if (e.balanceAfterMinor !== running) violations.push(`${customerId}: entry ${e.seq} balance-after ${e.balanceAfterMinor} ≠ running sum ${running}`);
    });
    const invoiced = sum(invoices.filter((i) => i.customerId === customerId), (i) => i.gross.amountMinor);
    const invoiceEntries = sum(entries.filter((e) => e.kind === 'INVOICE'), (e) => e.amountMinor);
    if (invoiced !== invoiceEntries) violations.push(`${customerId}: Σ invoices ${invoiced} ≠ Σ INVOICE entries ${invoiceEntries}`);
    const paid = sum(payments.filter((p) => p.customerId === customerId), (p) => p.amount.amountMinor);
    const paymentEntries = -sum(entries.filter((e) => e.kind === 'PAYMENT'), (e) => e.amountMinor);
    if (paid !== paymentEntries) violations.push(`${customerId}: Σ payments ${paid} ≠ −Σ PAYMENT entries ${paymentEntries}`);
    const issuedNotes = creditNoteItems.filter((n) => n.customerId === customerId && String(n.creditNoteId).startsWith('CN-') && ['ISSUED', 'REVERSED'].includes(n.status));
    const creditNoteEntries = -sum(entries.filter((e) => e.kind === 'CREDIT_NOTE'), (e) => e.amountMinor);
    if (creditNoteEntries !== sum(issuedNotes, (n) => n.amount.amountMinor)) violations.push(`${customerId}: −Σ CREDIT_NOTE entries ${creditNoteEntries} ≠ Σ credit notes issued ${sum(issuedNotes, (n) => n.amount.amountMinor)}`);
    const reversed = issuedNotes.filter((n) => n.status === 'REVERSED');
    const reversalEntries = sum(entries.filter((e) => e.kind === 'REVERSAL' && String(e.reference).startsWith('CN-')), (e) => e.amountMinor);
    if (reversalEntries !== sum(reversed, (n) => n.amount.amountMinor)) violations.push(`${customerId}: Σ REVERSAL entries of credit notes ${reversalEntries} ≠ Σ reversed ${sum(reversed, (n) => n.amount.amountMinor)}`);
  }
  // Credit notes (R-BILL-4): each issued one's effect adds up; the ones never issued left no entry; per invoice they stay within its gross.
  const creditNotes = creditNoteItems.filter((n) => String(n.creditNoteId).startsWith('CN-'));
  for (const n of creditNotes) {
    const name = n.creditNoteId;
    const inLedger = ledger.filter((e) => String(e.entryKey).startsWith('E#') && e.reference === name && e.kind === 'CREDIT_NOTE');
    if (['ISSUED', 'REVERSED'].includes(n.status)) {
      if (inLedger.length !== 1) violations.push(`${name}: ${n.status} with ${inLedger.length} CREDIT_NOTE entries`);
      const settled = n.settled?.amountMinor ?? -1;
      const kept = n.customerCredit?.amountMinor ?? -1;
      if (settled < 0 || kept < 0 || settled + kept !== n.amount.amountMinor) violations.push(`${name}: settled ${settled} + customer credit ${kept} ≠ amount ${n.amount.amountMinor}`);
      const invoice = invoices.find((i) => i.invoiceId === n.invoiceId);
      const onInvoice = (invoice?.settlements ?? []).filter((x: { kind: string; reference: string }) => x.kind === 'CREDIT_NOTE' && x.reference === name);
      const onInvoiceSum = onInvoice.reduce((s: number, x: { amount: { amountMinor: number } }) => s + x.amount.amountMinor, 0);
      if (onInvoiceSum !== (n.status === 'REVERSED' ? 0 : settled)) violations.push(`${name}: its invoice ${n.invoiceId} holds ${onInvoiceSum} of it, not ${n.status === 'REVERSED' ? 0 : settled}`);
      if (n.status === 'ISSUED' && kept > 0 && !ledger.some((c) => c.entryKey === `CREDIT#${name}`) && !invoices.some((i) => i.settlements.some((x: { kind: string; reference: string }) => x.kind === 'CUSTOMER_CREDIT' && x.reference === name))) {
        violations.push(`${name}: ${kept} customer credit neither kept nor used`);
      }
    } else if (inLedger.length > 0) violations.push(`${name}: ${n.status} but in the ledger`);
  }
  for (const tally of creditNoteItems.filter((n) => String(n.creditNoteId).startsWith('INVOICE#'))) {
    const invoice = invoices.find((i) => i.invoiceId === tally.invoiceId);
    const counted = creditNotes.filter((n) => n.invoiceId === tally.invoiceId && ['PENDING_APPROVAL', 'ISSUED'].includes(n.status)).reduce((s, n) => s + n.amount.amountMinor, 0);
    if (tally.creditedMinor !== counted) violations.push(`${tally.invoiceId}: credited ${tally.creditedMinor} ≠ Σ credit notes waiting or issued ${counted}`);
    if (invoice && tally.creditedMinor > invoice.gross.amountMinor) violations.push(`${tally.invoiceId}: credited ${tally.creditedMinor} over its gross ${invoice.gross.amountMinor}`);
  }
  // Returns: claims per invoice line (millionths of the unit), credit notes of completed returns.
  const millionths = (q: string) => Math.round(Number(q) * 1_000_000);
  const returns = returnItems.filter((r) => String(r.returnId).startsWith('RT-'));
  for (const tally of returnItems.filter((r) => String(r.returnId).startsWith('INVOICE#'))) {
    const invoice = invoices.find((i) => i.invoiceId === tally.invoiceId);
    for (const line of invoice?.lines ?? []) {
      const claimed = returns
        .filter((r) => r.invoiceId === tally.invoiceId)
        .flatMap((r) => r.lines.filter((l: { lineNo: number }) => l.lineNo === line.lineNo).map((l: { quantity: string; receivedQuantity?: string }) => ({ r, l })))
        .reduce((sum: number, { r, l }: { r: Record<string, any>; l: { quantity: string; receivedQuantity?: string } }) => sum + (r.status === 'COMPLETED' ? millionths(l.receivedQuantity ?? '0') : ['AWAITING_INSPECTION', 'PENDING_APPROVAL', 'APPROVED'].includes(r.status) ? millionths(l.quantity) : 0), 0);
      const counted = Number(tally[`l${line.lineNo}`] ?? 0);
      if (counted !== claimed) violations.push(`${tally.invoiceId} line ${line.lineNo}: returns counted ${counted} ≠ Σ claims of returns ${claimed}`);
      if (counted > millionths(line.quantity)) violations.push(`${tally.invoiceId} line ${line.lineNo}: ${counted} returned of ${line.quantity} invoiced`);
    }
  }
  for (const r of returns.filter((x) => x.status === 'COMPLETED')) {
    const cn = creditNotes.find((n) => n.creditNoteId === r.creditNoteId);
    if (r.credited.amountMinor > 0 && (cn?.source !== 'RETURN' || cn.returnId !== r.returnId || cn.amount.amountMinor !== r.credited.amountMinor)) violations.push(`${r.returnId}: credited ${r.credited.amountMinor} but its credit note is ${JSON.stringify(cn && { source: cn.source, returnId: cn.returnId, amount: cn.amount })}`);
    if (!r.rootCause || !r.responsibleParty) violations.push(`${r.returnId}: completed without root cause and responsible party (R-RETURN-4)`);
  }
  const byNote = new Map<string, string[]>();
  for (const i of invoices) {
    const name = i.invoiceId;
    const settled = i.settlements.reduce((s: number, x: { amount: { amountMinor: number } }) => s + x.amount.amountMinor, 0);
    if (i.outstanding.amountMinor !== i.gross.amountMinor - settled) violations.push(`${name}: outstanding ${i.outstanding.amountMinor} ≠ gross ${i.gross.amountMinor} − settled ${settled}`);
    if ((i.status === 'PAID') !== (i.outstanding.amountMinor === 0)) violations.push(`${name}: ${i.status} with ${i.outstanding.amountMinor} outstanding`);
    if (i.outstanding.amountMinor < 0) violations.push(`${name}: outstanding ${i.outstanding.amountMinor} is negative`);
    const item = credit.find((c) => c.kind === 'INVOICE' && c.reference === i.invoiceId);
    if ((item?.amountMinor ?? 0) !== i.outstanding.amountMinor) violations.push(`${name}: open item ${item?.amountMinor ?? 'none'} ≠ outstanding ${i.outstanding.amountMinor}`);
    const lines = i.lines.reduce((s: number, l: { gross: { amountMinor: number } }) => s + l.gross.amountMinor, 0);
    if (lines !== i.gross.amountMinor || i.net.amountMinor + i.tax.amountMinor !== i.gross.amountMinor) violations.push(`${name}: lines ${lines}, net ${i.net.amountMinor} + tax ${i.tax.amountMinor} ≠ gross ${i.gross.amountMinor}`);
    byNote.set(i.deliveryNoteId, [...(byNote.get(i.deliveryNoteId) ?? []), i.invoiceId]);
    const note = notes.find((n) => n.deliveryNoteId === i.deliveryNoteId);
    if (note?.invoiceId !== i.invoiceId) violations.push(`${name}: its delivery note ${i.deliveryNoteId} names ${note?.invoiceId ?? 'no invoice'}`);
  }
  for (const [note, ids] of byNote) if (ids.length > 1) violations.push(`${note}: invoiced ${ids.length} times (${ids.join(', ')})`);
  for (const p of payments) {
    const allocated = p.allocations.reduce((s: number, a: { amount: { amountMinor: number } }) => s + a.amount.amountMinor, 0);
    if (allocated + p.unallocated.amountMinor !== p.amount.amountMinor) violations.push(`${p.receiptNumber}: allocated ${allocated} + unallocated ${p.unallocated.amountMinor} ≠ ${p.amount.amountMinor}`);
    // What the payment paid of each invoice is on that invoice, and nothing of it once reversed (R-BILL-5).
    for (const a of p.allocations as { invoiceId: string; amount: { amountMinor: number } }[]) {
      const invoice = invoices.find((i) => i.invoiceId === a.invoiceId);
      const held = (invoice?.settlements ?? []).filter((x: { kind: string; reference: string }) => x.kind === 'PAYMENT' && x.reference === p.receiptNumber).reduce((s: number, x: { amount: { amountMinor: number } }) => s + x.amount.amountMinor, 0);
      if (held !== (p.reversal ? 0 : a.amount.amountMinor)) violations.push(`${p.receiptNumber}: ${a.invoiceId} holds ${held} of it, not ${p.reversal ? 0 : a.amount.amountMinor}`);
    }
    const reversals = ledger.filter((e) => String(e.entryKey).startsWith('E#') && e.kind === 'REVERSAL' && e.reference === p.receiptNumber);
    if (reversals.length !== (p.reversal ? 1 : 0) || (p.reversal && reversals[0]!.amountMinor !== p.amount.amountMinor)) violations.push(`${p.receiptNumber}: ${p.reversal ? 'reversed' : 'standing'} with REVERSAL entries ${JSON.stringify(reversals.map((e) => e.amountMinor))}`);
    if (p.reversal && ledger.some((c) => c.customerId === p.customerId && c.entryKey === `CREDIT#${p.receiptNumber}`)) violations.push(`${p.receiptNumber}: reversed but its customer credit is still there`);
  }
  violations.push(...referenceGuardViolations(ledger, payments));
  return violations;
}

/** Attributes of ledger entries, customer credits and the balance (and the ledger's index keys) that a reference guard must not carry. */
const NOT_ON_A_GUARD = ['seq', 'kind', 'amountMinor', 'balanceAfterMinor', 'currency', 'reference', 'description', 'allocations', 'on', 'at', 'by', 'entryMonth', 'monthKey', 'receiptNumber', 'remainingMinor', 'receivedOn', 'orderId', 'unappliedKey', 'balanceMinor', 'creditMinor', 'updatedAt'];

/** R-BILL-2: one guard per customer, day and reference, pointing at a payment standing with it; every such payment guarded. */
function referenceGuardViolations(ledger: Record<string, any>[], payments: Record<string, any>[]): string[] {
  const violations: string[] = [];
  for (const item of ledger) {
    if (!/^(BALANCE$|E#|CREDIT#|REF#)/.test(String(item.entryKey))) violations.push(`${item.customerId}: unknown ledger item ${item.entryKey}`);
  }
  const guards = ledger.filter((l) => String(l.entryKey).startsWith('REF#'));
  for (const g of guards) {
    const name = `${g.customerId} ${g.entryKey}`;
    const carried = NOT_ON_A_GUARD.filter((a) => a in g);
    if (carried.length > 0) violations.push(`${name}: a reference guard carries ${carried.join(', ')}`);
    const p = payments.find((x) => x.receiptNumber === g.heldBy);
    const ref = p && paymentReference(p as { method: string });
    if (!p || p.customerId !== g.customerId || !ref || `REF#${p.receivedOn}#${normaliseReference(ref.text)}` !== g.entryKey) violations.push(`${name}: held by ${g.heldBy}, which is no payment of that customer, day and reference`);
    else if (p.reversal) violations.push(`${name}: held by ${g.heldBy}, which is reversed`);
  }
  for (const p of payments) {
    const ref = paymentReference(p as { method: string });
    if (!ref || p.reversal) continue;
    const key = `REF#${p.receivedOn}#${normaliseReference(ref.text)}`;
    if (!guards.some((g) => g.customerId === p.customerId && g.entryKey === key)) violations.push(`${p.receiptNumber}: its reference ${ref.text} has no guard ${key}`);
    if (p.sameReferenceAs && !payments.some((x) => x.receiptNumber === p.sameReferenceAs && x.customerId === p.customerId)) violations.push(`${p.receiptNumber}: same reference as ${p.sameReferenceAs}, which is no payment of ${p.customerId}`);
  }
  return violations;
}
