/**
 * The stock invariants (R-FULFIL-2), read straight from the tables of a local stack:
 * - every balance (product, specification, warehouse): on hand + issued = received + adjustments; available = on hand − reserved;
 *   reserved = Σ its reservation items; nothing negative;
 * - the movements add up to the balance's totals (receipts, adjustments, reservations − releases − issues);
 * - every reservation item belongs to an order that may hold goods, and reserved + still to reserve
 *   + issued = the line's ordered quantity;
 * - every hold (goods held for a customer, R-FULFIL-8) belongs to a HELD goods reservation, and
 *   still held + taken by orders = held = the reservation line's quantity; a HELD reservation has a
 *   hold for every line.
 * Tests call it after every scenario; it returns the violations, so a failure names them all.
 */
import { Decimal } from 'decimal.js';
import { TABLES } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { scanAll } from './scan.js';

/** Orders that may hold reserved goods: waiting for the rest, reserved, or re-checked by credit meanwhile (R-CREDIT-7). */
const HOLDING = ['AWAITING_STOCK', 'GOODS_RESERVED', 'PARTIALLY_SHIPPED', 'CREDIT_REVIEW', 'CREDIT_APPROVED'];

export async function stockInvariantViolations(stack: Pick<LocalStack, 'dynamoEndpoint'>): Promise<string[]> {
  const [items, orders, goodsReservations] = await Promise.all([
    scanAll(stack, TABLES.stock.localName),
    scanAll(stack, TABLES.orders.localName),
    scanAll(stack, TABLES.goodsReservations.localName),
  ]);
  const ordersById = new Map(orders.map((o) => [o.orderId as string, o]));
  const violations: string[] = [];
  const balances = items.filter((i) => String(i.itemKey).startsWith('WH#'));
  const reservations = items.filter((i) => String(i.itemKey).startsWith('RES#'));
  const holds = items.filter((i) => String(i.itemKey).startsWith('HOLD#'));
  const movements = items.filter((i) => String(i.itemKey).startsWith('MOVE#'));
  for (const b of balances) {
    const spec = b.specification ?? '-';
    const name = `${b.productCode} ${spec}@${b.warehouseId}`;
    if (b.onHandUnits + b.issuedUnits !== b.receivedUnits + b.adjustedUnits) violations.push(`${name}: on hand ${b.onHandUnits} + issued ${b.issuedUnits} ≠ received ${b.receivedUnits} + adjusted ${b.adjustedUnits}`);
    if (b.availableUnits !== b.onHandUnits - b.reservedUnits) violations.push(`${name}: available ${b.availableUnits} ≠ on hand ${b.onHandUnits} − reserved ${b.reservedUnits}`);
    for (const f of ['onHandUnits', 'reservedUnits', 'availableUnits']) if (b[f] < 0) violations.push(`${name}: ${f} ${b[f]} is negative`);
    const mine = [...reservations, ...holds].filter((r) => r.productCode === b.productCode && r.warehouseId === b.warehouseId && r.specKey === spec);
    const reservedSum = mine.reduce((s, r) => s + Number(r.reservedUnits), 0);
    if (b.reservedUnits !== reservedSum) violations.push(`${name}: reserved ${b.reservedUnits} ≠ Σ reservations and holds ${reservedSum}`);
    const moves = movements.filter((m) => m.productCode === b.productCode && m.warehouseId === b.warehouseId && (m.specification ?? '-') === spec);
    const sum = (...kinds: string[]) => moves.filter((m) => kinds.includes(m.kind)).reduce((s, m) => s + Number(m.units), 0);
    if (sum('RECEIPT') !== b.receivedUnits) violations.push(`${name}: Σ receipts ${sum('RECEIPT')} ≠ received ${b.receivedUnits}`);
    if (sum('ISSUE', 'SAMPLE_ISSUE') !== b.issuedUnits) violations.push(`${name}: Σ issues and sample issues ${sum('ISSUE', 'SAMPLE_ISSUE')} ≠ issued ${b.issuedUnits}`);
    if (sum('ADJUSTMENT') !== b.adjustedUnits) violations.push(`${name}: Σ adjustments ${sum('ADJUSTMENT')} ≠ adjusted ${b.adjustedUnits}`);
    if (sum('RESERVATION', 'RELEASE') - sum('ISSUE') !== b.reservedUnits) violations.push(`${name}: Σ reservations − releases − issues ${sum('RESERVATION', 'RELEASE') - sum('ISSUE')} ≠ reserved ${b.reservedUnits}`);
  }
  for (const r of reservations) {
    const order = ordersById.get(r.orderId);
    const name = `${r.orderId}/${r.lineNo} (${r.productCode})`;
    if (!order) {
      violations.push(`${name}: reservation of an order that does not exist`);
      continue;
    }
    if (r.reservedUnits > 0 && !HOLDING.includes(order.status)) violations.push(`${name}: ${r.reservedUnits} reserved while the order is ${order.status}`);
    const line = order.lines.find((l: { lineNo: number }) => l.lineNo === r.lineNo);
    const balance = balances.find((b) => b.productCode === r.productCode && b.warehouseId === r.warehouseId && (b.specification ?? '-') === r.specKey);
    if (line && balance) {
      const ordered = new Decimal(line.quantity).times(new Decimal(10).pow(balance.scale)).toNumber();
      const issued = Number(r.issuedUnits ?? 0);
      if (r.reservedUnits + issued + r.remainingUnits !== ordered) violations.push(`${name}: reserved ${r.reservedUnits} + issued ${issued} + still to reserve ${r.remainingUnits} ≠ ordered ${ordered}`);
    }
  }
  const reservationsById = new Map(goodsReservations.map((r) => [r.reservationId as string, r]));
  for (const h of holds) {
    const name = `hold ${h.reservationId}/${h.lineNo} (${h.productCode})`;
    const r = reservationsById.get(h.reservationId);
    if (r?.status !== 'HELD') violations.push(`${name}: the goods reservation is ${r?.status ?? 'missing'}, yet goods are held`);
    if (h.reservedUnits + h.takenUnits !== h.heldUnits) violations.push(`${name}: held ${h.reservedUnits} + taken ${h.takenUnits} ≠ held at first ${h.heldUnits}`);
    if (h.reservedUnits < 0) violations.push(`${name}: ${h.reservedUnits} held is negative`);
    const line = r?.lines.find((l: { lineNo: number }) => l.lineNo === h.lineNo);
    const balance = balances.find((b) => b.productCode === h.productCode && b.warehouseId === h.warehouseId && (b.specification ?? '-') === h.specKey);
    if (line && balance) {
      const wanted = new Decimal(line.quantity).times(new Decimal(10).pow(balance.scale)).toNumber();
      if (h.heldUnits !== wanted) violations.push(`${name}: held ${h.heldUnits} ≠ the line's ${wanted}`);
    }
  }
  for (const r of goodsReservations.filter((g) => g.status === 'HELD')) {
    for (const line of r.lines as { lineNo: number }[]) {
      if (!holds.some((h) => h.reservationId === r.reservationId && h.lineNo === line.lineNo)) violations.push(`${r.reservationId}/${line.lineNo}: HELD without its hold`);
    }
  }
  return violations;
}
