/**
 * Delivery notes from reserved goods to the customer's signature (R-FULFIL-3..5, R-FULFIL-7).
 *
 * - The sales clerk issues a note for all or part of what is reserved and not yet on a note; it is
 *   valid on the business day it is issued, and an expired one is reissued (the old one voided).
 * - Finance signs it off: paid (with the receipt), or receivable within credit — never while the
 *   customer is on credit hold (R-CREDIT-5), checked in the same write.
 * - The warehouse issues the goods against a signed-off note on its day, recording batch and weight:
 *   stock leaves (on hand, reserved and the line's reservation go down) in one transaction with the
 *   note and the order, whose lines count shipped and remaining (PARTIALLY_SHIPPED until all is).
 * - The customer signs for what was received (logistics records it; for pickup, the warehouse at the
 *   gate); when everything shipped is signed for, the order is DELIVERED and its workflow goes on.
 *
 * Each step is one conditional transaction on the note's and the order's versions, so two people
 * acting on the same note or order at once never both succeed.
 */
import { type Answer, answerItems } from '../shared/idempotency.js';
import { Decimal } from 'decimal.js';
import type { Product } from '../catalog/schemas.js';
import { assertPaidAhead } from '../billing/payments.js';
import { invoiceLines, invoiceTotals } from '../billing/rules.js';
import { getAccount, notOnHoldCheck } from '../credit/account.js';
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import type { FulfilmentLine, Order, OrderStatus } from '../orders/schemas.js';
import { getOrder, orderReplaceItems, productsByCode } from '../orders/store.js';
import { businessDate, nowIso } from '../shared/clock.js';
import { type FieldError, conflict, validationFailed } from '../shared/errors.js';
import { isValidQuantity, toUnits } from '../shared/quantity.js';
import { transactConditional } from '../shared/dynamo.js';
import type { Actor } from '../shared/schemas.js';
import type { TransactItem } from '../shared/versioned.js';
import { issueLineItems } from '../stock/store.js';
import type { DeliveryNote, DeliveryNoteStatus } from './schemas.js';
import { deliveryNoteInsertItems, deliveryNoteReplaceItems, nextDeliveryNoteNumber } from './store.js';

const SHIPPABLE: readonly OrderStatus[] = ['GOODS_RESERVED', 'PARTIALLY_SHIPPED'];
/** Notes whose goods have not left yet: what they list is spoken for. */
const NOT_YET_ISSUED: readonly DeliveryNoteStatus[] = ['ISSUED', 'SIGNED_OFF'];

const dec = (s: string | undefined) => new Decimal(s ?? '0');

type OrderNote = NonNullable<NonNullable<Order['fulfilment']>['notes']>[number];

/** Per order line: reserved and not yet on a note that has not shipped. */
export function freeToShip(order: Pick<Order, 'fulfilment'>): Map<number, Decimal> {
  const free = new Map<number, Decimal>();
  for (const line of order.fulfilment?.lines ?? []) free.set(line.lineNo, dec(line.reserved));
  for (const note of order.fulfilment?.notes ?? []) {
    if (!NOT_YET_ISSUED.includes(note.status as DeliveryNoteStatus)) continue;
    for (const l of note.lines) free.set(l.lineNo, (free.get(l.lineNo) ?? new Decimal(0)).minus(dec(l.quantity)));
  }
  return free;
}

async function write(items: TransactItem[], what: string): Promise<void> {
  const result = await transactConditional(items);
  if (!result.ok) throw conflict(`${what} changed a moment ago, or the goods are no longer reserved; reload and try again`);
}

function withNote(order: Order, note: Pick<DeliveryNote, 'deliveryNoteId' | 'status' | 'lines'>, replacing?: string): Order['fulfilment'] {
  const entry: OrderNote = { deliveryNoteId: note.deliveryNoteId, status: note.status, lines: note.lines.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })) };
  const others = (order.fulfilment!.notes ?? []).filter((n) => n.deliveryNoteId !== note.deliveryNoteId && n.deliveryNoteId !== replacing);
  return { ...order.fulfilment!, notes: note.status === 'VOIDED' ? others : [...others, entry] };
}

const bump = <T extends { version: number }>(record: T, by: Actor, change: Partial<T>): T => ({ ...record, ...change, version: record.version + 1, updatedAt: nowIso(), updatedBy: by });

function assertValidToday(note: DeliveryNote): void {
  if (note.issuedOn !== businessDate()) {
    throw conflict(`${note.deliveryNoteId} was valid on ${note.issuedOn} only (R-FULFIL-3): reissue it (POST /delivery-notes/${note.deliveryNoteId}/reissue)`);
  }
}

async function assertNotOnHold(customerId: string): Promise<void> {
  const hold = (await getAccount(customerId))?.hold;
  if (hold) throw conflict(`${customerId} is on credit hold (${hold.reason}): no goods are released (R-CREDIT-5)`);
}

/** The sales clerk issues a note for what is reserved and not yet on a note (all of it, or the lines and quantities named). */
export async function issueDeliveryNote(orderId: string, requested: { lineNo: number; quantity: string }[] | undefined, by: Actor, answer?: Answer<DeliveryNote>): Promise<DeliveryNote> {
  const order = await getOrder(orderId, true);
  if (!SHIPPABLE.includes(order.status)) throw conflict(`${orderId} is ${order.status}: delivery notes are issued for reserved goods (GOODS_RESERVED or PARTIALLY_SHIPPED)`);
  const products = await productsByCode(order.lines.map((l) => l.productCode));
  const free = freeToShip(order);
  const wanted = requested ?? [...free].filter(([, q]) => q.greaterThan(0)).map(([lineNo, q]) => ({ lineNo, quantity: q.toFixed() }));
  if (wanted.length === 0) throw conflict(`${orderId} has nothing reserved that is not on a delivery note already`);
  const problems: FieldError[] = [];
  const seen = new Set<number>();
  wanted.forEach((w, i) => {
    const line = order.lines.find((l) => l.lineNo === w.lineNo);
    if (!line || seen.has(w.lineNo)) {
      problems.push({ field: `body.lines.${i}.lineNo`, message: line ? 'named twice' : `${orderId} has no line ${w.lineNo}`, code: 'line' });
      return;
    }
    seen.add(w.lineNo);
    const product = products.get(line.productCode)!;
    if (!isValidQuantity(w.quantity, product.quantityScale)) {
      problems.push({ field: `body.lines.${i}.quantity`, message: `a positive quantity with at most ${product.quantityScale} decimal places (${product.unit})`, code: 'quantity_precision' });
    } else if (dec(w.quantity).greaterThan(free.get(w.lineNo) ?? 0)) {
      problems.push({ field: `body.lines.${i}.quantity`, message: `more than the ${(free.get(w.lineNo) ?? new Decimal(0)).toFixed()} ${product.unit} reserved and not on a note`, code: 'too_big' });
    }
  });
  if (problems.length > 0) throw validationFailed(problems);

  const at = nowIso();
  const note: DeliveryNote = {
    deliveryNoteId: await nextDeliveryNoteNumber(),
    orderId,
    customerId: order.customerId,
    customerName: order.customerName,
    ownerRepId: order.ownerRepId,
    issuedOn: businessDate(),
    status: 'ISSUED',
    mode: order.delivery?.mode ?? 'pickup',
    ...(order.delivery?.mode === 'delivery' ? { address: order.delivery.address } : {}),
    warehouseId: order.fulfilment?.warehouseId ?? 'MAIN',
    lines: wanted.map((w) => noteLine(order, products, w)),
    events: [],
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  const after = bump(order, by, { fulfilment: withNote(order, note) });
  await write(
    [
      ...orderReplaceItems(order, after, by, `delivery note ${note.deliveryNoteId} issued (${describeLines(note)})`),
      ...deliveryNoteInsertItems(note, `issued for ${orderId}, valid on ${note.issuedOn}`),
      notificationPut({
        dedupeKey: `${note.deliveryNoteId}#issued`,
        recipient: toRole('finance'),
        topic: 'delivery-note',
        subject: `Sign-off waiting: ${note.deliveryNoteId} ${order.customerName}`,
        body: `${note.deliveryNoteId} for ${orderId} (${describeLines(note)}), valid on ${note.issuedOn} only.`,
        link: `/delivery-notes/${note.deliveryNoteId}`,
      }),
      ...(answer ? answerItems(answer(note)) : []),
    ],
    orderId,
  );
  return note;
}

function noteLine(order: Order, products: Map<string, Product>, w: { lineNo: number; quantity: string }): DeliveryNote['lines'][number] {
  const line = order.lines.find((l) => l.lineNo === w.lineNo)!;
  const product = products.get(line.productCode)!;
  const weight = product.weightKgPerUnit ? dec(product.weightKgPerUnit).times(dec(w.quantity)).toDecimalPlaces(3).toFixed() : undefined;
  return {
    lineNo: w.lineNo,
    productCode: line.productCode,
    productName: line.productName,
    ...(line.specification ? { specification: line.specification } : {}),
    quantity: dec(w.quantity).toFixed(),
    unit: line.unit,
    ...(weight ? { weightKg: weight } : {}),
  };
}

const describeLines = (note: Pick<DeliveryNote, 'lines'>) => note.lines.map((l) => `${l.quantity} ${l.unit} ${l.productCode}${l.specification ? ` ${l.specification}` : ''}`).join(', ');

/** Finance releases the note (R-FULFIL-4): paid, or receivable within credit; never for a customer on hold. */
export async function signOffDeliveryNote(note: DeliveryNote, input: { basis: 'CREDIT' } | { basis: 'PAID'; reference: string }, by: Actor): Promise<DeliveryNote> {
  if (note.status !== 'ISSUED') throw conflict(`${note.deliveryNoteId} is ${note.status}, not waiting for sign-off`);
  assertValidToday(note);
  await assertNotOnHold(note.customerId);
  const order = await getOrder(note.orderId, true);
  if (input.basis === 'CREDIT' && order.credit?.basis !== 'CREDIT') {
    throw conflict(`${order.orderId} is not a credit sale (${order.credit?.basis ?? 'no credit'}): sign it off as PAID with the receipt of the payment`);
  }
  if (input.basis === 'PAID') {
    const lines = invoiceLines(note.lines, order);
    const currency = lines[0]?.gross.currency ?? order.totals?.gross?.currency ?? 'CNY';
    await assertPaidAhead(note.customerId, note.orderId, input.reference, invoiceTotals(lines, currency).gross.amountMinor, currency);
  }
  const after = bump(note, by, { status: 'SIGNED_OFF', signOff: { ...input, by, at: nowIso() } });
  const orderAfter = bump(order, by, { fulfilment: withNote(order, after) });
  await write(
    [
      ...deliveryNoteReplaceItems(note, after, by, `signed off by finance (${input.basis === 'PAID' ? `paid, ${input.reference}` : 'within credit'})`),
      ...orderReplaceItems(order, orderAfter, by, `delivery note ${note.deliveryNoteId} signed off by finance`),
      notOnHoldCheck(note.customerId),
      notificationPut({
        dedupeKey: `${note.deliveryNoteId}#signed-off`,
        recipient: toRole('warehouse'),
        topic: 'delivery-note',
        subject: `Goods to issue: ${note.deliveryNoteId}`,
        body: `${note.deliveryNoteId} (${describeLines(note)}) is signed off; issue the goods today (${note.issuedOn}).`,
        link: `/delivery-notes/${note.deliveryNoteId}/gate-pass`,
      }),
    ],
    note.deliveryNoteId,
  );
  return after;
}

/** An expired note (R-FULFIL-3) is voided and issued again for today, with the same lines; it needs a new sign-off. */
export async function reissueDeliveryNote(note: DeliveryNote, by: Actor): Promise<DeliveryNote> {
  if (!NOT_YET_ISSUED.includes(note.status)) throw conflict(`${note.deliveryNoteId} is ${note.status}: only a note whose goods have not left is reissued`);
  if (note.issuedOn >= businessDate()) throw conflict(`${note.deliveryNoteId} is valid today; it needs no reissue`);
  const order = await getOrder(note.orderId, true);
  const at = nowIso();
  const { signOff: _signOff, ...unsigned } = note;
  const fresh: DeliveryNote = {
    ...unsigned,
    deliveryNoteId: await nextDeliveryNoteNumber(),
    issuedOn: businessDate(),
    status: 'ISSUED',
    replaces: note.deliveryNoteId,
    events: [],
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  const voided = bump(note, by, { status: 'VOIDED', replacedBy: fresh.deliveryNoteId, voidReason: `expired (valid on ${note.issuedOn} only); reissued as ${fresh.deliveryNoteId}` });
  const orderAfter = bump(order, by, { fulfilment: withNote(order, fresh, note.deliveryNoteId) });
  await write(
    [
      ...deliveryNoteReplaceItems(note, voided, by, `voided: expired, reissued as ${fresh.deliveryNoteId}`),
      ...deliveryNoteInsertItems(fresh, `reissued for ${note.deliveryNoteId}, valid on ${fresh.issuedOn}`),
      ...orderReplaceItems(order, orderAfter, by, `delivery note ${note.deliveryNoteId} expired; reissued as ${fresh.deliveryNoteId}`),
    ],
    note.deliveryNoteId,
  );
  return fresh;
}

/** Lines as the warehouse or the customer reports them must name every line of the note once. */
function matchLines<T extends { lineNo: number }>(note: DeliveryNote, lines: T[]): Map<number, T> {
  const problems: FieldError[] = [];
  const byLine = new Map<number, T>();
  lines.forEach((l, i) => {
    if (!note.lines.some((n) => n.lineNo === l.lineNo)) problems.push({ field: `body.lines.${i}.lineNo`, message: `${note.deliveryNoteId} has no line ${l.lineNo}`, code: 'line' });
    else if (byLine.has(l.lineNo)) problems.push({ field: `body.lines.${i}.lineNo`, message: 'named twice', code: 'line' });
    else byLine.set(l.lineNo, l);
  });
  note.lines.forEach((n) => {
    if (!byLine.has(n.lineNo) && !problems.length) problems.push({ field: 'body.lines', message: `line ${n.lineNo} of ${note.deliveryNoteId} is missing`, code: 'line' });
  });
  if (problems.length > 0) throw validationFailed(problems);
  return byLine;
}

/** The warehouse issues the goods against a signed-off note on its day (R-FULFIL-4, R-FULFIL-5). */
export async function issueGoods(note: DeliveryNote, input: { lines: { lineNo: number; batch: string; weightKg: string }[]; vehicle?: string | undefined }, by: Actor): Promise<DeliveryNote> {
  if (note.status !== 'SIGNED_OFF') throw conflict(`${note.deliveryNoteId} is ${note.status}: the warehouse issues goods only against a note finance has signed off (R-FULFIL-4)`);
  assertValidToday(note);
  const issued = matchLines(note, input.lines);
  await assertNotOnHold(note.customerId);
  const order = await getOrder(note.orderId, true);
  const products = await productsByCode(note.lines.map((l) => l.productCode));
  const stock: TransactItem[] = [];
  const lines: FulfilmentLine[] = order.fulfilment!.lines.map((line) => {
    const shipped = note.lines.find((l) => l.lineNo === line.lineNo);
    if (!shipped) return line;
    const product = products.get(line.productCode)!;
    const place = { warehouseId: note.warehouseId, ...(shipped.specification ? { specification: shipped.specification } : {}) };
    stock.push(...issueLineItems(product, place, { orderId: order.orderId, lineNo: line.lineNo }, toUnits(shipped.quantity, product.quantityScale), note.deliveryNoteId, by));
    return {
      ...line,
      reserved: dec(line.reserved).minus(shipped.quantity).toFixed(),
      shipped: dec(line.shipped).plus(shipped.quantity).toFixed(),
      remaining: dec(line.remaining).minus(shipped.quantity).toFixed(),
    };
  });
  const after = bump(note, by, {
    status: 'GOODS_ISSUED',
    lines: note.lines.map((l) => ({ ...l, batch: issued.get(l.lineNo)!.batch, weightKg: issued.get(l.lineNo)!.weightKg })),
    goodsIssue: { by, at: nowIso(), ...(input.vehicle ? { vehicle: input.vehicle } : {}) },
  });
  const allShipped = lines.every((l) => dec(l.remaining).isZero());
  const orderAfter = bump(order, by, { status: allShipped ? 'SHIPPED' : 'PARTIALLY_SHIPPED', fulfilment: { ...withNote(order, after)!, lines } });
  await write(
    [
      ...deliveryNoteReplaceItems(note, after, by, `goods issued by the warehouse (${after.lines.map((l) => `line ${l.lineNo} batch ${l.batch}, ${l.weightKg} kg`).join('; ')})`),
      ...orderReplaceItems(order, orderAfter, by, `goods issued on ${note.deliveryNoteId}: ${allShipped ? 'everything shipped' : 'partly shipped'}`),
      ...stock,
      notOnHoldCheck(note.customerId),
      notificationPut({
        dedupeKey: `${note.deliveryNoteId}#issued-goods`,
        recipient: toUser(order.ownerRepId),
        topic: 'delivery-note',
        subject: `Goods issued: ${order.orderId} (${note.deliveryNoteId})`,
        body: `${describeLines(note)} left the warehouse for ${order.customerName}${note.mode === 'pickup' ? ' (pickup)' : ''}.`,
        link: `/orders/${order.orderId}`,
      }),
      ...(note.mode === 'delivery'
        ? [
            notificationPut({
              dedupeKey: `${note.deliveryNoteId}#to-dispatch`,
              recipient: toRole('logistics'),
              topic: 'delivery-note',
              subject: `To dispatch: ${note.deliveryNoteId}`,
              body: `${describeLines(note)} to ${note.address?.city ?? ''} for ${order.orderId}.`,
              link: `/delivery-notes/${note.deliveryNoteId}`,
            }),
          ]
        : []),
    ],
    note.deliveryNoteId,
  );
  return after;
}

/** Logistics records the carrier and tracking number (R-FULFIL-6); the carrier must be qualified on the day. */
export async function dispatchNote(note: DeliveryNote, input: { carrierId: string; trackingNumber: string }, by: Actor, assertQualified: (carrierId: string, onDate: string) => Promise<void>): Promise<DeliveryNote> {
  if (note.mode !== 'delivery') throw conflict(`${note.deliveryNoteId} is a pickup: the customer collects it at the gate`);
  if (note.status !== 'GOODS_ISSUED') throw conflict(`${note.deliveryNoteId} is ${note.status}: only issued goods are dispatched`);
  await assertQualified(input.carrierId, businessDate());
  const after = bump(note, by, { status: 'DISPATCHED', dispatch: { ...input, by, at: nowIso() } });
  await write([...deliveryNoteReplaceItems(note, after, by, `dispatched with ${input.carrierId}, tracking ${input.trackingNumber}`)], note.deliveryNoteId);
  return after;
}

/** Logistics records a delay, damage or loss on the way, with who bears a loss or damage before handover (R-FULFIL-6, R-FULFIL-7). */
export async function recordTransportEvent(note: DeliveryNote, input: { kind: 'DELAYED' | 'DAMAGED' | 'LOST'; note: string; responsibleParty?: 'CARRIER' | 'COMPANY' | 'CUSTOMER' | undefined }, by: Actor): Promise<DeliveryNote> {
  if (note.status !== 'GOODS_ISSUED' && note.status !== 'DISPATCHED') throw conflict(`${note.deliveryNoteId} is ${note.status}: events are recorded between goods issue and delivery`);
  const event = { kind: input.kind, note: input.note, ...(input.responsibleParty ? { responsibleParty: input.responsibleParty } : {}), at: nowIso(), by };
  const after = bump(note, by, { events: [...note.events, event] });
  await write(
    [
      ...deliveryNoteReplaceItems(note, after, by, `${input.kind.toLowerCase()}: ${input.note}${input.responsibleParty ? ` (charged to ${input.responsibleParty.toLowerCase()})` : ''}`),
      notificationPut({
        dedupeKey: `${note.deliveryNoteId}#event-${note.events.length + 1}`,
        recipient: toUser(note.ownerRepId),
        topic: 'delivery-note',
        subject: `${input.kind === 'DELAYED' ? 'Delayed' : input.kind === 'DAMAGED' ? 'Damaged' : 'Lost'}: ${note.deliveryNoteId} for ${note.customerName}`,
        body: input.note,
        link: `/delivery-notes/${note.deliveryNoteId}`,
      }),
    ],
    note.deliveryNoteId,
  );
  return after;
}

/**
 * The customer signs for what was received (R-FULFIL-7): logistics records it, or for a pickup the
 * warehouse at the gate. Shortfalls and damage are recorded on the delivery as its problems. The
 * order counts delivered per line and is DELIVERED once everything is shipped and signed for.
 */
export async function recordProofOfDelivery(
  note: DeliveryNote,
  input: { signer: string; signedAt: string; lines: { lineNo: number; received: string }[]; problems?: string | undefined },
  by: Actor,
): Promise<{ note: DeliveryNote; order: Order }> {
  const expected: DeliveryNoteStatus = note.mode === 'pickup' ? 'GOODS_ISSUED' : 'DISPATCHED';
  if (note.status !== expected) throw conflict(`${note.deliveryNoteId} is ${note.status}: a ${note.mode} is signed for once ${note.mode === 'pickup' ? 'its goods are issued' : 'it is dispatched'}`);
  const received = matchLines(note, input.lines);
  const problems: FieldError[] = [];
  input.lines.forEach((l, i) => {
    const shipped = note.lines.find((n) => n.lineNo === l.lineNo)!;
    if (dec(l.received).greaterThan(dec(shipped.quantity))) problems.push({ field: `body.lines.${i}.received`, message: `more than the ${shipped.quantity} ${shipped.unit} shipped`, code: 'too_big' });
  });
  const short = note.lines.filter((n) => dec(received.get(n.lineNo)!.received).lessThan(dec(n.quantity)));
  if (short.length > 0 && !input.problems) problems.push({ field: 'body.problems', message: 'less was received than shipped: record the acceptance problem', code: 'required' });
  if (problems.length > 0) throw validationFailed(problems);

  const order = await getOrder(note.orderId, true);
  const after = bump(note, by, {
    status: 'DELIVERED',
    lines: note.lines.map((l) => ({ ...l, received: dec(received.get(l.lineNo)!.received).toFixed() })),
    proofOfDelivery: { signer: input.signer, signedAt: input.signedAt, ...(input.problems ? { problems: input.problems } : {}), recordedBy: by },
  });
  const lines = order.fulfilment!.lines.map((line) => {
    const got = received.get(line.lineNo);
    return got ? { ...line, delivered: dec(line.delivered).plus(got.received).toFixed() } : line;
  });
  const fulfilment = { ...withNote(order, after)!, lines };
  const inTransit = (fulfilment.notes ?? []).some((n) => n.status !== 'DELIVERED');
  const done = order.status === 'SHIPPED' && !inTransit;
  const orderAfter = bump(order, by, { fulfilment, ...(done ? { status: 'DELIVERED' as const } : {}) });
  await write(
    [
      ...deliveryNoteReplaceItems(note, after, by, `signed for by ${input.signer}${input.problems ? `; problems: ${input.problems}` : ''}`),
      ...orderReplaceItems(order, orderAfter, by, `${note.deliveryNoteId} signed for by ${input.signer}${done ? ': order delivered' : ''}`),
      notificationPut({
        dedupeKey: `${note.deliveryNoteId}#delivered`,
        recipient: toUser(order.ownerRepId),
        topic: 'delivery-note',
        subject: `${done ? `Order ${order.orderId} delivered` : `Delivered: ${note.deliveryNoteId}`}${input.problems ? ' (with problems)' : ''}`,
        body: `${order.customerName} signed for ${note.deliveryNoteId} (${input.signer})${input.problems ? `: ${input.problems}` : ''}.`,
        link: `/orders/${order.orderId}`,
      }),
    ],
    note.deliveryNoteId,
  );
  return { note: after, order: orderAfter };
}
