/**
 * Goods held for a customer (留货, R-FULFIL-8). Approved, the goods are held in one transaction:
 * the reservation becomes HELD with its expiry, every line reserves its quantity on the balance on
 * the condition that it is available, with a movement each. The customer's orders take held goods
 * first (the order line's reservation grows by what the hold gives up; the balance does not move).
 * At expiry (a schedule) or when released, what is still held goes back to available stock in one
 * transaction with the reservation's end and the notifications.
 */
import { notificationPut, toRole, toUser } from '../notifications/outbox.js';
import type { Product } from '../catalog/schemas.js';
import { productsByCode } from '../orders/store.js';
import { changeEntryPut } from '../shared/audit.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { now, nowIso } from '../shared/clock.js';
import { type TransactItem, transactConditional } from '../shared/dynamo.js';
import { fromUnits, toUnits } from '../shared/quantity.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import { checkSafetyStock } from '../stock/safety.js';
import { type HoldItem, type StockPlace, getBalance, holdLineItems, holdsOf, releaseHoldItems, takeFromHoldItems } from '../stock/store.js';
import type { ApprovalOutcome } from '../approvals/workflow.js';
import { holdExpiry } from './rules.js';
import type { GoodsReservation, GoodsReservationStatus } from './schemas.js';
import { getReservation, reservationReplaceItems, reservationSubject } from './store.js';

const placeOf = (r: GoodsReservation, line: GoodsReservation['lines'][number]): StockPlace => ({
  warehouseId: r.warehouseId,
  ...(line.specification ? { specification: line.specification } : {}),
});

const describe = (r: GoodsReservation) => `${r.reservationId} for ${r.customerName} (${r.lines.map((l) => `${l.quantity} ${l.unit} ${l.productCode}${l.specification ? ` ${l.specification}` : ''}`).join(', ')})`;

const tell = (r: GoodsReservation, key: string, subject: string, body: string): TransactItem[] =>
  [...new Set([r.ownerRepId, r.createdBy.userId])].map((userId) =>
    notificationPut({ dedupeKey: `${r.reservationId}#${key}`, recipient: toUser(userId), topic: 'goods-reservation', subject, body, link: `/goods-reservations/${r.reservationId}` }),
  );

const decisionsOf = (outcome: ApprovalOutcome) => outcome.decisions.map((d) => ({ outcome: d.outcome, ...(d.comment ? { comment: d.comment } : {}), decidedBy: d.decidedBy, decidedAt: d.decidedAt }));

/** The approval machine's last step (conditional on the reservation still waiting: a retry does nothing). */
export async function applyReservationOutcome(reservationId: string, outcome: ApprovalOutcome): Promise<void> {
  for (let tries = 0; tries < 5; tries++) {
    const r = await getReservation(reservationId, true);
    if (r.status !== 'PENDING_APPROVAL') return;
    const decided = { ...r, decisions: decisionsOf(outcome) };
    if (outcome.outcome !== 'APPROVED') {
      if (await end(r, decided, 'REFUSED', outcome.reason)) return;
      continue;
    }
    const products = await productsByCode(r.lines.map((l) => l.productCode));
    const heldAt = now();
    const expiry = holdExpiry(heldAt, settings().goodsReservationDays, settings().timeZone);
    const held: GoodsReservation = { ...decided, status: 'HELD', heldAt: heldAt.toISOString(), ...expiry, ...stamp(r) };
    const written = await transactConditional([
      ...reservationReplaceItems(r, held, SYSTEM_ACTOR, 'goods held for the customer', `${outcome.reason}; held until ${expiry.expiresAt}`),
      ...r.lines.flatMap((line) => {
        const product = products.get(line.productCode)!;
        return holdLineItems(product, { reservationId: r.reservationId, lineNo: line.lineNo, customerId: r.customerId }, placeOf(r, line), toUnits(line.quantity, product.quantityScale), SYSTEM_ACTOR);
      }),
      ...tell(r, 'held', `Goods held: ${r.reservationId}`, `${describe(r)} are held until ${expiry.expiresAt} (${outcome.reason}). Orders of the customer take them first.`),
    ]);
    if (written.ok) {
      // R-FULFIL-9: held goods are no longer available; under the safety stock the replenishment alert goes.
      await checkPlaces(r);
      return;
    }
    // The reservation moved (withdrawn) or stock did: if the goods are simply not there any more, say so.
    const short = await shortLines(r, products);
    if (short.length > 0) {
      if (await end(r, decided, 'REFUSED', `approved (${outcome.reason}), but not available any more: ${short.join('; ')}`)) return;
    }
  }
  throw new Error(`${reservationId}: could not apply the approval after 5 attempts`);
}

async function shortLines(r: GoodsReservation, products: Map<string, Product>): Promise<string[]> {
  const short: string[] = [];
  for (const line of r.lines) {
    const product = products.get(line.productCode)!;
    const available = (await getBalance(line.productCode, placeOf(r, line)))?.availableUnits ?? 0;
    const wanted = toUnits(line.quantity, product.quantityScale);
    if (available < wanted) short.push(`${line.productCode}${line.specification ? ` ${line.specification}` : ''} ${fromUnits(available, product.quantityScale)} of ${line.quantity} ${line.unit} available`);
  }
  return short;
}

const checkPlaces = async (r: GoodsReservation) => {
  for (const line of r.lines) await checkSafetyStock(line.productCode, [placeOf(r, line)]);
};

const stamp = (r: GoodsReservation) => ({ version: r.version + 1, updatedAt: nowIso(), updatedBy: SYSTEM_ACTOR });

/** Ends a reservation that holds nothing (refused, withdrawn). */
async function end(r: GoodsReservation, decided: GoodsReservation, status: GoodsReservationStatus, reason: string, by: Actor = SYSTEM_ACTOR): Promise<boolean> {
  const ended: GoodsReservation = { ...decided, status, endedAt: nowIso(), endReason: reason, ...stamp(r), updatedBy: by };
  const words = status === 'REFUSED' ? 'refused' : 'withdrawn';
  const written = await transactConditional([
    ...reservationReplaceItems(r, ended, by, `goods reservation ${words}`, reason),
    ...tell(r, status.toLowerCase(), `Goods reservation ${words}: ${r.reservationId}`, `${describe(r)}: ${reason}.`),
  ]);
  return written.ok;
}

/**
 * Ends a reservation: a waiting one is withdrawn (CANCELLED); a held one gives what it still holds
 * back to stock, as RELEASED (by a person) or EXPIRED (by the schedule). Returns the reservation as
 * it ended, or undefined if it had ended already.
 */
export async function endReservation(reservationId: string, how: 'RELEASED' | 'EXPIRED', reason: string, by: Actor): Promise<GoodsReservation | undefined> {
  for (let tries = 0; tries < 5; tries++) {
    const r = await getReservation(reservationId, true);
    if (r.status === 'PENDING_APPROVAL') {
      if (how === 'EXPIRED') return undefined;
      if (await end(r, r, 'CANCELLED', reason, by)) return getReservation(reservationId, true);
      continue;
    }
    if (r.status !== 'HELD') return undefined;
    const products = await productsByCode(r.lines.map((l) => l.productCode));
    const holds = await holdsOf(r.reservationId, r.lines);
    const stillHeld = [...holds.values()].filter((h) => h.reservedUnits > 0);
    const why = stillHeld.length === 0 ? `${reason}; everything held was taken by the customer's orders` : reason;
    const ended: GoodsReservation = { ...r, status: how, endedAt: nowIso(), endReason: why, ...stamp(r), updatedBy: by };
    const words = how === 'EXPIRED' ? 'expired' : 'released';
    const written = await transactConditional([
      ...reservationReplaceItems(r, ended, by, `goods reservation ${words}`, why),
      ...[...holds.values()].flatMap((h) => releaseHoldItems(products.get(h.productCode)!, h, by, `goods reservation ${r.reservationId} ${words}: ${reason}`)),
      ...tell(
        r,
        words,
        `Goods reservation ${words}: ${r.reservationId}`,
        `${describe(r)}: ${why}. ${stillHeld.length > 0 ? 'What was still held is available stock again.' : ''}`.trim(),
      ),
      ...(how === 'EXPIRED' && stillHeld.length > 0
        ? [notificationPut({ dedupeKey: `${r.reservationId}#expired`, recipient: toRole('warehouse'), topic: 'goods-reservation', subject: `Held goods free again: ${r.reservationId}`, body: `${describe(r)} expired; the goods are available stock again.`, link: `/goods-reservations/${r.reservationId}` })]
        : []),
    ]);
    if (written.ok) {
      if (stillHeld.length > 0) await checkPlaces(r);
      return ended;
    }
  }
  throw new Error(`${reservationId}: could not end the reservation after 5 attempts (its goods kept being taken)`);
}

type OrderLineRef = { orderId: string; lineNo: number; customerId: string; orderedUnits: number };

/**
 * R-FULFIL-8: an order of the customer takes the goods held for it first (soonest to expire first),
 * up to `needUnits`; each take is one transaction with the hold's history. Returns the units taken.
 */
export async function takeHeldGoods(held: readonly GoodsReservation[], product: Product, line: OrderLineRef, place: StockPlace, needUnits: number): Promise<number> {
  let taken = 0;
  for (const r of held) {
    if (r.warehouseId !== place.warehouseId) continue;
    for (const reserved of r.lines.filter((l) => l.productCode === product.productCode && (l.specification ?? undefined) === (place.specification ?? undefined))) {
      for (let tries = 0; tries < 3 && needUnits - taken > 0; tries++) {
        const hold: HoldItem | undefined = (await holdsOf(r.reservationId, [reserved])).get(reserved.lineNo);
        if (!hold || hold.reservedUnits <= 0) break;
        const units = Math.min(hold.reservedUnits, needUnits - taken);
        const q = fromUnits(units, product.quantityScale);
        const result = await transactConditional([
          ...takeFromHoldItems(product, hold, line, units, SYSTEM_ACTOR),
          changeEntryPut(reservationSubject(r.reservationId), SYSTEM_ACTOR, `${q} ${reserved.unit} ${product.productCode} taken by order ${line.orderId}`, null, { orderId: line.orderId, lineNo: reserved.lineNo, taken: q }),
        ]);
        if (result.ok) {
          taken += units;
          break;
        }
        // reasons[1]: the order line has its reservation already (a repeated step): take nothing more.
        if (result.reasons[1] === 'ConditionalCheckFailed') return taken;
      }
      if (needUnits - taken <= 0) return taken;
    }
  }
  return taken;
}

/** The reservation as people read it: each line with what is still held and what orders took. */
export async function reservationView(r: GoodsReservation): Promise<GoodsReservation> {
  if (r.status !== 'HELD') return r;
  const products = await productsByCode(r.lines.map((l) => l.productCode));
  const holds = await holdsOf(r.reservationId, r.lines);
  return {
    ...r,
    lines: r.lines.map((l) => {
      const h = holds.get(l.lineNo);
      const scale = products.get(l.productCode)?.quantityScale ?? 0;
      return h ? { ...l, held: fromUnits(h.reservedUnits, scale), taken: fromUnits(h.takenUnits, scale) } : l;
    }),
  };
}
