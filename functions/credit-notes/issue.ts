/**
 * Credit notes (贷项通知单): sales allowances (R-BILL-4) and the credit for goods returned (R-RETURN-3).
 *
 * An allowance is asked for against an invoice and waits for its approver (the approval machine as
 * CreditNoteApproval): the sales manager up to the threshold, the general manager above it. While
 * it waits, its amount already counts against what the invoice can still be credited (the tally in
 * store.ts), so two requests never together credit more than the invoice's gross.
 *
 * Issued (approved, or straight from a return's receipt: the return's approval is its approval), a
 * credit note is one transaction through the customer's ledger (R-BILL-5): the CREDIT_NOTE entry
 * (−amount) and the balance, the record, and its effect: it settles its invoice's outstanding first
 * (a CREDIT_NOTE settlement on the invoice and its open item; the receivable and the credit
 * exposure go down, R-CREDIT-4), and what exceeds the outstanding stays as customer credit
 * (CREDIT#<CN number>), which the customer's next invoices use first (R-BILL-3).
 *
 * A mistaken credit note is reversed by a new entry (REVERSAL, +amount), never edited, and only
 * while its effect is still unused (rules.ts `reversalRefusal`).
 */
import { type Answer, answerItems } from '../shared/idempotency.js';
import { type ApprovalOutcome, approvalStartItem } from '../approvals/workflow.js';
import { getInvoice, useCreditItem } from '../billing/invoices.js';
import { type LedgerState, ledgerItems, newCreditPut, readCustomerCredits, writeWithLedger } from '../billing/ledger.js';
import { reopenInvoiceItems, settleInvoiceItems } from '../billing/payments.js';
import type { Invoice, InvoiceLine } from '../billing/schemas.js';
import { type OpenItem, getOpenItem, receivablesReopenedItem, receivablesSettledItem } from '../credit/account.js';
import { getCustomer } from '../customers/store.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { changeEntryPut } from '../shared/audit.js';
import { SYSTEM_ACTOR, type User, actorOf } from '../shared/auth.js';
import { businessDate, nowIso } from '../shared/clock.js';
import { type TransactItem, transactConditional } from '../shared/dynamo.js';
import { conflict, validationFailed } from '../shared/errors.js';
import { formatMajor, money } from '../shared/money.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import { allowanceProblems, assertMayRequestFor, creditNoteApprovers, creditableMinor, reversalRefusal, splitCredit } from './rules.js';
import type { CreditNote, RequestCreditNote, ReverseCreditNote } from './schemas.js';
import {
  creditInvoiceItem,
  creditNotePut,
  creditNoteReplaceItems,
  creditNoteSubject,
  creditedOnInvoice,
  getCreditNote,
  nextCreditNoteNumber,
  uncreditInvoiceItem,
} from './store.js';

const amountText = (minor: number, currency: string) => `${formatMajor(money(minor, currency))} ${currency}`;

export const describeCreditNote = (n: Pick<CreditNote, 'creditNoteId' | 'source' | 'customerName' | 'invoiceId' | 'amount' | 'returnId'>) =>
  `${n.creditNoteId}: ${n.source === 'RETURN' ? `goods returned (${n.returnId})` : 'allowance'} for ${n.customerName} on ${n.invoiceId}, ${amountText(n.amount.amountMinor, n.amount.currency)}`;

/** Notifications to people, each once per write (the requester and the customer's rep may be the same person). */
function tellUsers(userIds: readonly string[], n: { key: string; subject: string; body: string; link: string }): TransactItem[] {
  return [...new Set(userIds)].map((userId) => notificationPut({ dedupeKey: n.key, recipient: toUser(userId), topic: 'credit-note', subject: n.subject, body: n.body, link: n.link }));
}

/** The issued credit note's effect on the ledger and its invoice, for the caller's transaction (the ledger's items first). */
export function creditNoteEffects(
  ledger: LedgerState,
  open: OpenItem | undefined,
  note: { creditNoteId: string; customerId: string; invoiceId: string; amountMinor: number; currency: string },
  on: string,
  by: Actor,
  description: string,
): { items: TransactItem[]; settledMinor: number; creditMinor: number } {
  const { settleMinor, creditMinor } = splitCredit(note.amountMinor, open?.amountMinor ?? 0);
  const items: TransactItem[] = [
    ...ledgerItems(
      ledger,
      [
        {
          kind: 'CREDIT_NOTE',
          amountMinor: -note.amountMinor,
          reference: note.creditNoteId,
          description: `${description}${settleMinor > 0 ? `, paying ${note.invoiceId}` : ''}${creditMinor > 0 ? `; ${amountText(creditMinor, note.currency)} kept as customer credit` : ''}`,
          ...(settleMinor > 0 ? { allocations: [{ invoiceId: note.invoiceId, amountMinor: settleMinor }] } : {}),
        },
      ],
      creditMinor,
      by,
    ),
    ...(open && settleMinor > 0 ? [...settleInvoiceItems(note.customerId, open, settleMinor, note.creditNoteId, on, by, 'CREDIT_NOTE'), receivablesSettledItem(note.customerId, settleMinor)] : []),
    ...(creditMinor > 0 ? [newCreditPut({ customerId: note.customerId, receiptNumber: note.creditNoteId, remainingMinor: creditMinor, currency: note.currency, receivedOn: on })] : []),
  ];
  return { items, settledMinor: settleMinor, creditMinor };
}

/** R-BILL-4: an allowance asked for against an invoice; it waits for the sales manager (up to the threshold) or the general manager. */
export async function requestCreditNote(input: RequestCreditNote, user: User, answer?: Answer<CreditNote>): Promise<CreditNote> {
  const invoice = await getInvoice(input.invoiceId, true);
  if (!invoice) throw validationFailed([{ field: 'body.invoiceId', message: `no invoice ${input.invoiceId}`, code: 'unknown_invoice' }]);
  const customer = await getCustomer(invoice.customerId);
  // Who may ask: a rep for own customers, the back office for any.
  assertMayRequestFor(user, customer);
  const gross = invoice.gross;
  const problems = allowanceProblems(input.amount, { invoiceId: invoice.invoiceId, grossMinor: gross.amountMinor, currency: gross.currency }, await creditedOnInvoice(invoice.invoiceId));
  if (problems.length > 0) throw validationFailed(problems);

  // R-BILL-4: per authority, never one's own.
  const approvers = creditNoteApprovers(user, input.amount.amountMinor, settings().creditNoteGmAboveMinor);
  const by = actorOf(user);
  const at = nowIso();
  const creditNoteId = await nextCreditNoteNumber();
  const note: CreditNote = {
    creditNoteId,
    source: 'ALLOWANCE',
    customerId: customer.customerId,
    customerName: customer.name,
    ownerRepId: customer.ownerRepId,
    invoiceId: invoice.invoiceId,
    orderId: invoice.orderId,
    amount: input.amount,
    reason: input.reason,
    status: 'PENDING_APPROVAL',
    approvers,
    decisions: [],
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  const written = await transactConditional([
    creditNotePut(note),
    changeEntryPut(creditNoteSubject(creditNoteId), by, 'credit note requested', null, note),
    creditInvoiceItem(invoice.invoiceId, input.amount.amountMinor, gross.amountMinor),
    // Its approval's start (the outbox) and the creating request's answer, in the same write.
    approvalStartItem('creditNoteApproval', creditNoteId, approvers),
    ...(answer ? answerItems(answer(note)) : []),
  ]);
  if (!written.ok) {
    const left = creditableMinor(gross.amountMinor, await creditedOnInvoice(invoice.invoiceId));
    throw conflict(`${invoice.invoiceId} was credited at the same moment: ${amountText(left, gross.currency)} can still be credited`);
  }
  return note;
}

/** A credit note that never reaches the ledger ends: the invoice can be credited that much again, and its requester is told. */
async function endUnissued(note: CreditNote, status: 'REFUSED' | 'EXPIRED' | 'CANCELLED', reason: string, by: Actor, decisions = note.decisions): Promise<void> {
  const at = nowIso();
  const after: CreditNote = { ...note, status, decisions, endedAt: at, endReason: reason, version: note.version + 1, updatedAt: at, updatedBy: by };
  const words = { REFUSED: 'refused', EXPIRED: 'not decided in time', CANCELLED: 'cancelled' }[status];
  const written = await transactConditional([
    ...creditNoteReplaceItems(note, after, by, `credit note ${words}`, reason),
    uncreditInvoiceItem(note.invoiceId, note.amount.amountMinor),
    ...tellUsers([note.createdBy.userId], { key: `${note.creditNoteId}#${status.toLowerCase()}`, subject: `Credit note ${words}: ${note.creditNoteId}`, body: `${describeCreditNote(note)}: ${reason}.`, link: `/credit-notes/${note.creditNoteId}` }),
  ]);
  if (!written.ok) throw new Error(`${note.creditNoteId} changed while it was being ended (${written.reasons.join(', ')})`);
}

/** The approval machine's last step; conditional on the credit note still waiting, so a retry does nothing twice. */
export async function applyCreditNoteOutcome(creditNoteId: string, outcome: ApprovalOutcome): Promise<void> {
  const note = await getCreditNote(creditNoteId, true);
  if (note.status !== 'PENDING_APPROVAL') return;
  const decisions = outcome.decisions.map((d) => ({ outcome: d.outcome, ...(d.comment ? { comment: d.comment } : {}), decidedBy: d.decidedBy, decidedAt: d.decidedAt }));
  if (outcome.outcome !== 'APPROVED') return endUnissued(note, outcome.outcome === 'REJECTED' ? 'REFUSED' : 'EXPIRED', outcome.reason, SYSTEM_ACTOR, decisions);

  // Issued in the name of whoever approved it last.
  const by = decisions.at(-1)?.decidedBy ?? SYSTEM_ACTOR;
  const written = await writeWithLedger<CreditNote>(note.customerId, async (ledger) => {
    const current = await getCreditNote(creditNoteId, true);
    if (current.status !== 'PENDING_APPROVAL') return undefined;
    const on = businessDate();
    const currency = current.amount.currency;
    const open = await getOpenItem(current.customerId, 'INVOICE', current.invoiceId);
    const effect = creditNoteEffects(ledger, open, { ...current, amountMinor: current.amount.amountMinor, currency }, on, by, `credit note ${creditNoteId} (allowance) on ${current.invoiceId}: ${current.reason}`);
    const at = nowIso();
    const after: CreditNote = {
      ...current,
      status: 'ISSUED',
      decisions,
      issuedOn: on,
      settled: money(effect.settledMinor, currency),
      customerCredit: money(effect.creditMinor, currency),
      version: current.version + 1,
      updatedAt: at,
      updatedBy: by,
    };
    const what = `${describeCreditNote(after)}, ${outcome.reason}${effect.settledMinor > 0 ? `; ${amountText(effect.settledMinor, currency)} of ${after.invoiceId} is settled by it` : ''}${effect.creditMinor > 0 ? `; ${amountText(effect.creditMinor, currency)} is customer credit` : ''}.`;
    return {
      items: [
        ...effect.items,
        ...creditNoteReplaceItems(current, after, by, 'credit note issued', outcome.reason),
        ...tellUsers([current.createdBy.userId, current.ownerRepId], { key: `${creditNoteId}#issued`, subject: `Credit note issued: ${creditNoteId}`, body: what, link: `/credit-notes/${creditNoteId}` }),
        notificationPut({ dedupeKey: `${creditNoteId}#issued`, recipient: toRole('finance'), topic: 'credit-note', subject: `Credit note issued: ${creditNoteId}, ${current.customerName}`, body: what, link: `/credit-notes/${creditNoteId}` }),
      ],
      result: after,
    };
  });
  // The workflow retries the step; a later attempt finds it issued and does nothing.
  if (!written.ok) throw new Error(`${creditNoteId}: the credit note could not be issued (${written.reasons.join(', ')})`);
}

/**
 * R-RETURN-3: the credit note for the goods a return brought back, at the invoice's prices with VAT
 * per line, issued at once (the return's approval is its approval), for the return's ledger
 * transaction: the ledger's items first, then the record and the invoice's tally. The amount is at
 * most what the invoice can still be credited (an allowance granted since the return was asked for
 * may have taken part of it); undefined when nothing is left to credit.
 */
export function returnCreditNoteWrite(args: {
  creditNoteId: string;
  ret: { returnId: string; customerId: string; customerName: string; ownerRepId: string; invoiceId: string; orderId: string; reason: string; approvers: string[]; decisions: CreditNote['decisions'] };
  lines: InvoiceLine[];
  invoice: Pick<Invoice, 'invoiceId' | 'gross'>;
  creditedMinor: number;
  ledger: LedgerState;
  open: OpenItem | undefined;
  by: Actor;
}): { items: TransactItem[]; note: CreditNote } | undefined {
  const { creditNoteId, ret, lines, invoice, by } = args;
  const currency = invoice.gross.currency;
  const sum = (f: (l: InvoiceLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  const valueMinor = sum((l) => l.gross.amountMinor);
  const left = creditableMinor(invoice.gross.amountMinor, args.creditedMinor);
  const amountMinor = Math.min(valueMinor, left);
  if (amountMinor <= 0) return undefined;
  const on = businessDate();
  const effect = creditNoteEffects(args.ledger, args.open, { creditNoteId, customerId: ret.customerId, invoiceId: ret.invoiceId, amountMinor, currency }, on, by, `credit note ${creditNoteId} for goods returned (${ret.returnId}) on ${ret.invoiceId}`);
  const at = nowIso();
  const note: CreditNote = {
    creditNoteId,
    source: 'RETURN',
    customerId: ret.customerId,
    customerName: ret.customerName,
    ownerRepId: ret.ownerRepId,
    invoiceId: ret.invoiceId,
    orderId: ret.orderId,
    returnId: ret.returnId,
    amount: money(amountMinor, currency),
    net: money(sum((l) => l.net.amountMinor), currency),
    tax: money(sum((l) => l.tax.amountMinor), currency),
    lines,
    reason: `return ${ret.returnId}: ${ret.reason}`,
    status: 'ISSUED',
    approvers: ret.approvers,
    decisions: ret.decisions,
    issuedOn: on,
    settled: money(effect.settledMinor, currency),
    customerCredit: money(effect.creditMinor, currency),
    ...(amountMinor < valueMinor
      ? { remark: `the goods are worth ${amountText(valueMinor, currency)}; ${ret.invoiceId} could only be credited ${amountText(left, currency)} more (credit notes on it already)` }
      : {}),
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  return {
    items: [
      ...effect.items,
      creditNotePut(note),
      changeEntryPut(creditNoteSubject(creditNoteId), by, 'credit note issued', null, note, `goods returned: ${ret.returnId}, approved with the return`),
      creditInvoiceItem(ret.invoiceId, amountMinor, invoice.gross.amountMinor),
    ],
    note,
  };
}

/** R-BILL-5: finance reverses a mistaken credit note with a REVERSAL entry, while its effect is unused. */
export async function reverseCreditNote(creditNoteId: string, input: ReverseCreditNote, user: User): Promise<CreditNote> {
  const first = await getCreditNote(creditNoteId, true);
  const by = actorOf(user);
  const written = await writeWithLedger<CreditNote>(first.customerId, async (ledger) => {
    const note = await getCreditNote(creditNoteId, true);
    const settledMinor = note.settled?.amountMinor ?? 0;
    const creditMinor = note.customerCredit?.amountMinor ?? 0;
    const credit = creditMinor > 0 ? (await readCustomerCredits(note.customerId)).find((c) => c.receiptNumber === creditNoteId) : undefined;
    const invoice = (await getInvoice(note.invoiceId, true))!;
    const last = invoice.settlements.at(-1);
    const refusal = reversalRefusal(
      { creditNoteId, status: note.status, source: note.source, returnId: note.returnId, settledMinor, customerCreditMinor: creditMinor },
      { creditRemainingMinor: credit?.remainingMinor ?? 0, lastSettlement: last ? { reference: last.reference, amountMinor: last.amount.amountMinor } : undefined },
    );
    if (refusal) throw conflict(refusal);
    const on = businessDate();
    const at = nowIso();
    const currency = note.amount.currency;
    const after: CreditNote = { ...note, status: 'REVERSED', reversal: { on, at, by, reason: input.reason }, version: note.version + 1, updatedAt: at, updatedBy: by };
    const open = settledMinor > 0 ? await getOpenItem(note.customerId, 'INVOICE', note.invoiceId) : undefined;
    const what = `${describeCreditNote(note)} is reversed by ${by.name}: ${input.reason}.${settledMinor > 0 ? ` ${invoice.invoiceId} is open again by ${amountText(settledMinor, currency)}.` : ''}`;
    return {
      items: [
        // The allocation (negative) names the invoice opened again, so a statement can undo it (R-BILL-6).
        ...ledgerItems(
          ledger,
          [
            {
              kind: 'REVERSAL',
              amountMinor: note.amount.amountMinor,
              reference: creditNoteId,
              description: `credit note ${creditNoteId} reversed: ${input.reason}${settledMinor > 0 ? `; ${invoice.invoiceId} open again by ${amountText(settledMinor, currency)}` : ''}`,
              ...(settledMinor > 0 ? { allocations: [{ invoiceId: invoice.invoiceId, amountMinor: -settledMinor }] } : {}),
            },
          ],
          -creditMinor,
          by,
        ),
        ...(credit ? [useCreditItem(credit, credit.remainingMinor)] : []),
        ...(settledMinor > 0 ? [...reopenInvoiceItems(invoice, open, settledMinor, creditNoteId, 'CREDIT_NOTE', on, by), receivablesReopenedItem(note.customerId, settledMinor)] : []),
        ...creditNoteReplaceItems(note, after, by, 'credit note reversed', input.reason),
        uncreditInvoiceItem(note.invoiceId, note.amount.amountMinor),
        ...tellUsers([note.createdBy.userId, note.ownerRepId], { key: `${creditNoteId}#reversed`, subject: `Credit note reversed: ${creditNoteId}`, body: what, link: `/credit-notes/${creditNoteId}` }),
      ],
      result: after,
    };
  });
  if (!written.ok || !written.result) throw conflict(`${creditNoteId} could not be reversed: the customer's ledger kept changing; try again`);
  return written.result;
}
