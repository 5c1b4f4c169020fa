/**
 * Samples, gifts and advertising goods (视同销售, R-FULFIL-10). Approved, the request waits for the
 * warehouse; the issue is one transaction: the request becomes ISSUED and every line leaves stock
 * as a SAMPLE_ISSUE movement (on the condition that it is available: goods reserved for orders
 * are never given away). No order, invoice or credit exposure is involved.
 */
import type { ApprovalOutcome } from '../approvals/workflow.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import { productsByCode } from '../orders/store.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { nowIso } from '../shared/clock.js';
import { type TransactItem, transactConditional } from '../shared/dynamo.js';
import { conflict } from '../shared/errors.js';
import { fromUnits, toUnits } from '../shared/quantity.js';
import type { Actor } from '../shared/schemas.js';
import { checkSafetyStock } from '../stock/safety.js';
import { getBalance, sampleIssueItems } from '../stock/store.js';
import type { IssueSamples, SampleRequest, SampleRequestStatus } from './schemas.js';
import { getSampleRequest, sampleReplaceItems } from './store.js';

const PURPOSE = { SAMPLE: 'samples', GIFT: 'gifts', ADVERTISING: 'advertising goods' } as const;
export const describeRequest = (r: SampleRequest) =>
  `${r.requestId}: ${PURPOSE[r.purpose]} for ${r.recipient} (${r.lines.map((l) => `${l.quantity} ${l.unit} ${l.productCode}${l.specification ? ` ${l.specification}` : ''}`).join(', ')})`;

const tellRequester = (r: SampleRequest, key: string, subject: string, body: string): TransactItem =>
  notificationPut({ dedupeKey: `${r.requestId}#${key}`, recipient: toUser(r.createdBy.userId), topic: 'sample-request', subject, body, link: `/sample-requests/${r.requestId}` });

const next = (r: SampleRequest, by: Actor, change: Partial<SampleRequest>): SampleRequest => ({ ...r, ...change, version: r.version + 1, updatedAt: nowIso(), updatedBy: by });

/** The approval machine's last step; conditional on the request still waiting, so a retry does nothing. */
export async function applySampleOutcome(requestId: string, outcome: ApprovalOutcome): Promise<void> {
  const r = await getSampleRequest(requestId, true);
  if (r.status !== 'PENDING_APPROVAL') return;
  const decisions = outcome.decisions.map((d) => ({ outcome: d.outcome, ...(d.comment ? { comment: d.comment } : {}), decidedBy: d.decidedBy, decidedAt: d.decidedAt }));
  const approved = outcome.outcome === 'APPROVED';
  const status: SampleRequestStatus = approved ? 'APPROVED' : 'REFUSED';
  const after = next(r, SYSTEM_ACTOR, { status, decisions, ...(approved ? {} : { endedAt: nowIso(), endReason: outcome.reason }) });
  await transactConditional([
    ...sampleReplaceItems(r, after, SYSTEM_ACTOR, approved ? 'sample request approved' : 'sample request refused', outcome.reason),
    tellRequester(r, status.toLowerCase(), `Sample request ${approved ? 'approved' : 'refused'}: ${r.requestId}`, `${describeRequest(r)}: ${outcome.reason}.`),
    ...(approved
      ? [notificationPut({ dedupeKey: `${r.requestId}#to-issue`, recipient: toRole('warehouse'), topic: 'sample-request', subject: `To issue: ${r.requestId}`, body: `${describeRequest(r)}, approved: issue them from ${r.warehouseId}.`, link: `/sample-requests/${r.requestId}` })]
      : []),
  ]);
}

/** The warehouse issues an approved request: every line, or nothing (a line short names itself). */
export async function issueSamples(requestId: string, input: IssueSamples, by: Actor): Promise<SampleRequest> {
  const r = await getSampleRequest(requestId, true);
  if (r.status !== 'APPROVED') throw conflict(`${r.requestId} is ${r.status}: only an approved request is issued`);
  const unknown = (input.batches ?? []).filter((b) => !r.lines.some((l) => l.lineNo === b.lineNo));
  if (unknown.length > 0) throw conflict(`${r.requestId} has no line ${unknown.map((b) => b.lineNo).join(', ')}`);
  const products = await productsByCode(r.lines.map((l) => l.productCode));
  const place = (l: SampleRequest['lines'][number]) => ({ warehouseId: r.warehouseId, ...(l.specification ? { specification: l.specification } : {}) });
  const lines = r.lines.map((l) => {
    const batch = input.batches?.find((b) => b.lineNo === l.lineNo)?.batch;
    return batch ? { ...l, batch } : l;
  });
  const after = next(r, by, { status: 'ISSUED', lines, issue: { by, at: nowIso(), ...(input.note ? { note: input.note } : {}) } });
  const written = await transactConditional([
    ...sampleReplaceItems(r, after, by, `${PURPOSE[r.purpose]} issued`, input.note),
    ...lines.flatMap((l) => {
      const product = products.get(l.productCode)!;
      return sampleIssueItems(product, place(l), toUnits(l.quantity, product.quantityScale), `${r.requestId}/${l.lineNo}`, `${r.purpose.toLowerCase()} for ${r.recipient}`, by);
    }),
    tellRequester(r, 'issued', `Issued: ${r.requestId}`, `${describeRequest(r)} left the warehouse.`),
  ]);
  if (written.ok) {
    // R-FULFIL-9: what left is no longer available; under the safety stock the replenishment alert goes.
    for (const l of r.lines) await checkSafetyStock(l.productCode, [place(l)]);
    return after;
  }
  const short: string[] = [];
  for (const l of r.lines) {
    const product = products.get(l.productCode)!;
    const available = (await getBalance(l.productCode, place(l)))?.availableUnits ?? 0;
    if (available < toUnits(l.quantity, product.quantityScale)) short.push(`line ${l.lineNo} ${l.productCode}: ${fromUnits(available, product.quantityScale)} of ${l.quantity} ${l.unit} available`);
  }
  if (short.length > 0) throw conflict(`${r.requestId} cannot be issued; goods reserved for orders are not given away: ${short.join('; ')}`);
  throw conflict(`${r.requestId} changed while it was being issued; reload and try again`);
}
