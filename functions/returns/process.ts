/**
 * Returns (退货, R-RETURN-1..4), from the request to the credit note:
 * 1. Requested against the invoice of goods the customer signed for: customer, products,
 *    specifications and prices come from the invoice, the quantities and the reason from the
 *    requester (R-RETURN-1). The quantities are claimed on the invoice's lines in the same write, on
 *    the condition that no line passes what was invoiced (store.ts).
 * 2. A quality return waits for its inspection report (quality control of the plant, or the
 *    warehouse): findings, the defective quantity confirmed per line, root cause and responsible
 *    party (R-RETURN-2, R-RETURN-4). No defect confirmed: the return ends. Any other return names
 *    its root cause and responsible party when it is asked for.
 * 3. The sales manager approves it in the task queue (the approval machine as ReturnApproval).
 * 4. The warehouse receives what came back, per line into stock (a RECEIPT with source RETURN) or
 *    into repair (recorded, not in stock), and in the same transaction the credit note for the
 *    accepted quantity is issued through the customer's ledger, at the invoice's prices with VAT,
 *    approved by the return's approval (R-RETURN-3): it settles the invoice first, the rest is
 *    customer credit (credit-notes/issue.ts).
 */
import type { ApprovalOutcome } from '../approvals/workflow.js';
import { approvalExecutionArn, approvalStartItem } from '../approvals/workflow.js';
import { type Answer, answerItems } from '../shared/idempotency.js';
import { withdrawApproval } from '../approvals/withdraw.js';
import { getInvoice } from '../billing/invoices.js';
import { writeWithLedger } from '../billing/ledger.js';
import type { InvoiceLine } from '../billing/schemas.js';
import type { Product } from '../catalog/schemas.js';
import { returnCreditNoteWrite } from '../credit-notes/issue.js';
import { assertMayRequestFor } from '../credit-notes/rules.js';
import { creditedOnInvoice, nextCreditNoteNumber } from '../credit-notes/store.js';
import { getOpenItem } from '../credit/account.js';
import { getCustomer } from '../customers/store.js';
import { getDeliveryNote } from '../delivery/store.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { productsByCode } from '../orders/store.js';
import { changeEntryPut } from '../shared/audit.js';
import { SYSTEM_ACTOR, type User, actorOf } from '../shared/auth.js';
import { nowIso } from '../shared/clock.js';
import { type TransactItem, transactConditional } from '../shared/dynamo.js';
import { conflict, forbidden, validationFailed } from '../shared/errors.js';
import { formatMajor, money } from '../shared/money.js';
import { toUnits } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import { checkSafetyStock } from '../stock/safety.js';
import { balanceChange, movementPut } from '../stock/store.js';
import { approvedQuantity, inspectionResult, pricedLine, receiptResult, returnApprovers, returnLineProblems, tallyUnits, unclaimedUnits } from './rules.js';
import type { RecordInspection, ReceiveReturn, RequestReturn, Return, ReturnStatus } from './schemas.js';
import { claimLinesItem, getReturn, nextReturnNumber, releaseLinesItems, replaceReturn, returnedOnInvoice, returnPut, returnReplaceItems, returnSubject } from './store.js';

const money$ = (m: { amountMinor: number; currency: string }) => `${formatMajor(money(m.amountMinor, m.currency))} ${m.currency}`;
export const describeReturn = (r: Pick<Return, 'returnId' | 'kind' | 'customerName' | 'invoiceId' | 'lines' | 'value'>) =>
  `${r.returnId}: ${r.kind === 'QUALITY' ? 'quality return' : 'return'} from ${r.customerName} on ${r.invoiceId} (${r.lines
    .map((l) => `${l.quantity} ${l.unit} ${l.productName}${l.specification ? ` ${l.specification}` : ''}`)
    .join(', ')}; ${money$(r.value)})`;

const link = (r: Pick<Return, 'returnId'>) => `/returns/${r.returnId}`;

/** To people, once each per write (the requester may be the customer's rep). */
const tellUsers = (r: Return, userIds: readonly string[], key: string, subject: string, body: string): TransactItem[] =>
  [...new Set(userIds)].map((userId) => notificationPut({ dedupeKey: `${r.returnId}#${key}`, recipient: toUser(userId), topic: 'return', subject, body, link: link(r) }));
const tellRoles = (r: Return, roles: readonly Role[], key: string, subject: string, body: string): TransactItem[] =>
  roles.map((role) => notificationPut({ dedupeKey: `${r.returnId}#${key}`, recipient: toRole(role), topic: 'return', subject, body, link: link(r) }));

const next = (r: Return, by: Actor, change: Partial<Return>): Return => ({ ...r, ...change, version: r.version + 1, updatedAt: nowIso(), updatedBy: by });

/** Every line's claim on the invoice given back (the return ended without goods coming back). */
const releaseAll = (r: Return) => releaseLinesItems(r.invoiceId, r.lines.map((l) => ({ lineNo: l.lineNo, units: tallyUnits(l.quantity) })));

function scales(products: ReadonlyMap<string, Product>) {
  return (productCode: string) => products.get(productCode)?.quantityScale ?? 6;
}

/** R-RETURN-1: the return asked for, its quantities claimed on the invoice; a quality return goes to inspection, any other to the sales manager. */
export async function requestReturn(input: RequestReturn, user: User, answer?: Answer<Return>): Promise<Return> {
  const invoice = await getInvoice(input.invoiceId, true);
  if (!invoice) throw validationFailed([{ field: 'body.invoiceId', message: `no invoice ${input.invoiceId}`, code: 'unknown_invoice' }]);
  const customer = await getCustomer(invoice.customerId);
  // Who may ask: a rep for own customers; customer service and the sales clerks for any.
  assertMayRequestFor(user, customer);
  const note = await getDeliveryNote(invoice.deliveryNoteId, true);
  const products = await productsByCode(invoice.lines.map((l) => l.productCode));
  const problems = [
    ...(note.status === 'DELIVERED' ? [] : [{ field: 'body.invoiceId', message: `the goods of ${invoice.invoiceId} (${note.deliveryNoteId}, ${note.status}) have not been signed for by the customer yet`, code: 'not_delivered' }]),
    ...returnLineProblems(input.lines, invoice, await returnedOnInvoice(invoice.invoiceId), scales(products)),
  ];
  if (problems.length > 0) throw validationFailed(problems);

  const by = actorOf(user);
  const at = nowIso();
  const lines = input.lines.map((l) => {
    const invoiced = invoice.lines.find((i) => i.lineNo === l.lineNo)!;
    const priced = pricedLine(invoiced, l.quantity);
    return {
      lineNo: priced.lineNo,
      productCode: priced.productCode,
      productName: priced.productName,
      ...(priced.specification ? { specification: priced.specification } : {}),
      unit: priced.unit,
      quantity: l.quantity,
      unitPrice: priced.unitPrice,
      taxRateBasisPoints: priced.taxRateBasisPoints,
      net: priced.net,
      tax: priced.tax,
      gross: priced.gross,
    };
  });
  const currency = invoice.gross.currency;
  const quality = input.kind === 'QUALITY';
  const ret: Return = {
    returnId: await nextReturnNumber(),
    kind: input.kind,
    status: quality ? 'AWAITING_INSPECTION' : 'PENDING_APPROVAL',
    customerId: customer.customerId,
    customerName: customer.name,
    ownerRepId: customer.ownerRepId,
    invoiceId: invoice.invoiceId,
    orderId: invoice.orderId,
    deliveryNoteId: invoice.deliveryNoteId,
    ...(input.customerReference ? { customerReference: input.customerReference } : {}),
    lines,
    value: money(lines.reduce((s, l) => s + l.gross.amountMinor, 0), currency),
    reason: input.reason,
    ...(input.rootCause ? { rootCause: input.rootCause } : {}),
    ...(input.responsibleParty ? { responsibleParty: input.responsibleParty } : {}),
    approvers: returnApprovers(user.roles),
    decisions: [],
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  const written = await transactConditional([
    returnPut(ret),
    changeEntryPut(returnSubject(ret.returnId), by, 'return requested', null, ret, input.reason),
    claimLinesItem(
      invoice.invoiceId,
      lines.map((l) => ({ lineNo: l.lineNo, units: tallyUnits(l.quantity), invoicedUnits: tallyUnits(invoice.lines.find((i) => i.lineNo === l.lineNo)!.quantity) })),
    ),
    // R-RETURN-2: quality control (the plant) or the warehouse inspects before anyone decides.
    ...(quality ? tellRoles(ret, ['production', 'warehouse'], 'inspect', `To inspect: quality return ${ret.returnId}`, `${describeReturn(ret)}: ${ret.reason}. Record the inspection report (findings, root cause, responsible party) before the sales manager decides.`) : []),
    // Any other return goes to the sales manager at once: its approval's start in the same write (the outbox).
    ...(quality ? [] : [returnApprovalStart(ret)]),
    ...(answer ? answerItems(answer(ret)) : []),
  ]);
  if (!written.ok) throw conflict(`${invoice.invoiceId} was returned at the same moment: look at its returns and ask again for what is left`);
  return ret;
}

/** The start of the sales manager's approval, for the write that puts the return before them. */
const returnApprovalStart = (ret: Return) => approvalStartItem('returnApproval', ret.returnId, ret.approvers as [Role]);

/** R-RETURN-2, R-RETURN-4: the inspection report of a quality return; it confirms the defect (on to approval) or not (the return ends). */
export async function recordInspection(returnId: string, input: RecordInspection, user: User): Promise<Return> {
  const ret = await getReturn(returnId, true);
  if (ret.status !== 'AWAITING_INSPECTION') throw conflict(`${returnId} is ${ret.status}: only a quality return waiting for inspection is inspected`);
  const products = await productsByCode(ret.lines.map((l) => l.productCode));
  const { problems, confirmed } = inspectionResult(ret, input, scales(products));
  if (problems.length > 0) throw validationFailed(problems);
  const by = actorOf(user);
  const inspection = { defectConfirmed: input.defectConfirmed, findings: input.findings, rootCause: input.rootCause, responsibleParty: input.responsibleParty, by, at: nowIso() };
  const recorded = { inspection, rootCause: input.rootCause, responsibleParty: input.responsibleParty };
  if (!input.defectConfirmed) {
    const reason = `the inspection found no defect: ${input.findings}`;
    const after = next(ret, by, { ...recorded, status: 'REFUSED', endedAt: nowIso(), endReason: reason });
    const written = await transactConditional([
      ...returnReplaceItems(ret, after, by, 'inspected: no defect', input.findings),
      ...releaseAll(ret),
      ...tellUsers(ret, [ret.createdBy.userId, ret.ownerRepId], 'no-defect', `Return refused: ${ret.returnId}`, `${describeReturn(ret)}: ${reason}.`),
    ]);
    if (!written.ok) throw conflict(`${returnId} changed at the same moment; reload and try again`);
    return after;
  }
  const after = next(ret, by, { ...recorded, status: 'PENDING_APPROVAL', lines: ret.lines.map((l) => ({ ...l, confirmedQuantity: confirmed.get(l.lineNo)! })) });
  if (!(await replaceReturn(ret, after, by, 'inspected: defect confirmed', input.findings, [returnApprovalStart(after)]))) throw conflict(`${returnId} changed at the same moment; reload and try again`);
  return after;
}

/** The approval machine's last step; conditional on the return still waiting, so a retry does nothing twice. */
export async function applyReturnOutcome(returnId: string, outcome: ApprovalOutcome): Promise<void> {
  const ret = await getReturn(returnId, true);
  if (ret.status !== 'PENDING_APPROVAL') return;
  const decisions = outcome.decisions.map((d) => ({ outcome: d.outcome, ...(d.comment ? { comment: d.comment } : {}), decidedBy: d.decidedBy, decidedAt: d.decidedAt }));
  const approved = outcome.outcome === 'APPROVED';
  const status: ReturnStatus = approved ? 'APPROVED' : outcome.outcome === 'REJECTED' ? 'REFUSED' : 'EXPIRED';
  const after = next(ret, SYSTEM_ACTOR, { status, decisions, ...(approved ? {} : { endedAt: nowIso(), endReason: outcome.reason }) });
  const goods = ret.lines.map((l) => `${approvedQuantity(ret, l)} ${l.unit} ${l.productName}${l.specification ? ` ${l.specification}` : ''}`).join(', ');
  const written = await transactConditional([
    ...returnReplaceItems(ret, after, SYSTEM_ACTOR, approved ? 'return approved' : status === 'REFUSED' ? 'return refused' : 'return not decided in time', outcome.reason),
    ...(approved ? [] : releaseAll(ret)),
    ...tellUsers(ret, [ret.createdBy.userId, ret.ownerRepId], status.toLowerCase(), `Return ${approved ? 'approved' : status === 'REFUSED' ? 'refused' : 'not decided in time'}: ${ret.returnId}`, `${describeReturn(ret)}: ${outcome.reason}.`),
    ...(approved ? tellRoles(ret, ['warehouse'], 'to-receive', `Goods coming back: ${ret.returnId}`, `${ret.customerName} returns ${goods} (${ret.returnId}, approved): receive them into stock or repair.`) : []),
  ]);
  if (!written.ok) throw new Error(`${returnId} changed while its outcome was applied (${written.reasons.join(', ')})`);
}

/**
 * R-RETURN-3: the warehouse receives what came back, and the credit note for it is issued in the
 * same transaction: stock (or repair) per line, the return completed with its credit note, the
 * customer's ledger, the invoice and the credit exposure. Claims on the invoice not taken up (less
 * came back than approved) are given back.
 */
export async function receiveReturn(returnId: string, input: ReceiveReturn, user: User): Promise<Return> {
  const first = await getReturn(returnId, true);
  if (first.status !== 'APPROVED') throw conflict(`${returnId} is ${first.status}: only an approved return is received`);
  const products = await productsByCode(first.lines.map((l) => l.productCode));
  const { problems, received } = receiptResult(first, input, scales(products));
  if (problems.length > 0) throw validationFailed(problems);
  const by = actorOf(user);
  const warehouseId = input.warehouseId ?? settings().defaultWarehouseId;
  const creditNoteId = await nextCreditNoteNumber();

  const written = await writeWithLedger<Return>(first.customerId, async (ledger) => {
    const ret = await getReturn(returnId, true);
    if (ret.status !== 'APPROVED') return undefined;
    const invoice = (await getInvoice(ret.invoiceId, true))!;
    const got = (lineNo: number) => received.get(lineNo) ?? { quantity: '0', disposition: 'STOCK' as const };
    const accepted: InvoiceLine[] = ret.lines
      .filter((l) => tallyUnits(got(l.lineNo).quantity) > 0)
      .map((l) => pricedLine(invoice.lines.find((i) => i.lineNo === l.lineNo)!, got(l.lineNo).quantity));
    const credit = returnCreditNoteWrite({
      creditNoteId,
      ret,
      lines: accepted,
      invoice,
      creditedMinor: await creditedOnInvoice(ret.invoiceId),
      ledger,
      open: await getOpenItem(ret.customerId, 'INVOICE', ret.invoiceId),
      by,
    });
    const at = nowIso();
    const after = next(ret, by, {
      status: 'COMPLETED',
      lines: ret.lines.map((l) => {
        const r = got(l.lineNo);
        return { ...l, receivedQuantity: r.quantity, disposition: r.disposition, ...(r.batch ? { batch: r.batch } : {}) };
      }),
      receipt: { by, at, warehouseId, ...(input.note ? { note: input.note } : {}) },
      ...(credit ? { creditNoteId: credit.note.creditNoteId, credited: credit.note.amount } : { credited: money(0, invoice.gross.currency) }),
      endedAt: at,
    });
    // Into stock: one balance change per product and specification, one movement per line.
    const toStock = ret.lines.filter((l) => got(l.lineNo).disposition === 'STOCK' && tallyUnits(got(l.lineNo).quantity) > 0);
    const byPlace = new Map<string, { product: Product; specification?: string | undefined; units: number }>();
    for (const l of toStock) {
      const product = products.get(l.productCode)!;
      const key = `${l.productCode}#${l.specification ?? '-'}`;
      const units = toUnits(got(l.lineNo).quantity, product.quantityScale);
      byPlace.set(key, { product, specification: l.specification, units: (byPlace.get(key)?.units ?? 0) + units });
    }
    const stock: TransactItem[] = [
      ...[...byPlace.values()].map((p) => balanceChange(p.product, { warehouseId, specification: p.specification }, 'RECEIPT', p.units)),
      ...toStock.map((l) => {
        const product = products.get(l.productCode)!;
        const batch = got(l.lineNo).batch;
        return movementPut(product, {
          kind: 'RECEIPT',
          warehouseId,
          ...(l.specification ? { specification: l.specification } : {}),
          units: toUnits(got(l.lineNo).quantity, product.quantityScale),
          reference: `${ret.returnId}/${l.lineNo}`,
          source: 'RETURN',
          ...(batch ? { batch } : {}),
          by,
        });
      }),
    ];
    const repair = ret.lines.filter((l) => got(l.lineNo).disposition === 'REPAIR' && tallyUnits(got(l.lineNo).quantity) > 0);
    const creditWords = credit
      ? `credit note ${credit.note.creditNoteId}: ${money$(credit.note.amount)}${credit.note.remark ? ` (${credit.note.remark})` : ''}`
      : `no credit note: ${ret.invoiceId} has been credited in full already`;
    const body = `${describeReturn(ret)}: received by ${by.name}${repair.length > 0 ? `, ${repair.map((l) => `line ${l.lineNo}`).join(', ')} into repair` : ''}; ${creditWords}.`;
    return {
      items: [
        // The ledger's items first (writeWithLedger tells a lost race on the ledger by item 0).
        ...(credit?.items ?? []),
        ...returnReplaceItems(ret, after, by, 'goods received back', creditWords),
        ...stock,
        ...releaseLinesItems(
          ret.invoiceId,
          ret.lines.map((l) => ({ lineNo: l.lineNo, units: unclaimedUnits(l.quantity, got(l.lineNo).quantity) })),
        ),
        ...tellUsers(ret, [ret.createdBy.userId, ret.ownerRepId], 'received', `Return received and credited: ${ret.returnId}`, body),
        ...tellRoles(ret, ['finance'], 'received', `Return credited: ${ret.returnId}, ${ret.customerName}`, body),
      ],
      result: after,
    };
  });
  if (!written.ok || !written.result) throw conflict(`${returnId} could not be received: it changed at the same moment (${written.ok ? 'received already' : written.reasons.join(', ')}); reload`);
  // R-FULFIL-9: goods back in stock may lift a balance above its safety stock.
  for (const l of first.lines) if (received.get(l.lineNo)?.disposition === 'STOCK') await checkSafetyStock(l.productCode, [{ warehouseId, specification: l.specification }]);
  return written.result;
}

/** Withdrawn before the goods came back (its requester or a sales manager): the claims on the invoice are given back; a waiting approval leaves the queue. */
export async function withdrawReturn(returnId: string, reason: string, user: User): Promise<Return> {
  const ret = await getReturn(returnId, true);
  if (ret.createdBy.userId !== user.userId && !user.roles.includes('sales_manager')) throw forbidden(`${returnId} is ${ret.createdBy.name}'s request`);
  if (!['AWAITING_INSPECTION', 'PENDING_APPROVAL', 'APPROVED'].includes(ret.status)) throw conflict(`${returnId} is ${ret.status}: only a return whose goods have not come back is withdrawn`);
  const by = actorOf(user);
  const after = next(ret, by, { status: 'CANCELLED', endedAt: nowIso(), endReason: reason });
  const written = await transactConditional([
    ...returnReplaceItems(ret, after, by, 'return withdrawn', reason),
    ...releaseAll(ret),
    ...(ret.status === 'APPROVED' ? tellRoles(ret, ['warehouse'], 'withdrawn', `Not coming back: ${ret.returnId}`, `${describeReturn(ret)} was withdrawn: ${reason}.`) : []),
  ]);
  if (!written.ok) throw conflict(`${returnId} changed at the same moment; reload and try again`);
  if (ret.status === 'PENDING_APPROVAL') await withdrawApproval(approvalExecutionArn('returnApproval', returnId), reason);
  return after;
}
