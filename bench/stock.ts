/**
 * Stock for the orders the order and credit benches place: after credit passes, each order
 * reserves its lines (R-FULFIL-2, ReserveOrderStock) and becomes GOODS_RESERVED, waiting for its
 * delivery, only if every line is in stock; otherwise it raises production or purchase requests
 * and waits in AWAITING_STOCK. The order bench then delivers its usage and lifecycle orders, whose
 * goods issue takes the reserved goods out of stock (nothing more than was reserved). So the
 * warehouse (WAREHOUSE) receives, for every product and specification the bench's order
 * uses (the fixtures' complete order), its quantity × every order the bench will place, in the
 * product's precision, as POST /stock/receipts (source PURCHASE). Each order placed is checked
 * against what was received (stockFits), as creditFits checks its gross against the credit
 * limit, so a fixture order with another specification or a larger quantity fails loudly
 * instead of sending orders to wait for stock.
 */
import { fromUnits, toUnits } from '../functions/shared/quantity.js';
import type { LocalStack } from '../infra/local/stack.js';
import { apiAs } from '../tests/support/local-stack.js';
import { completeOrder } from '../tests/support/order-fixtures.js';
import { WAREHOUSE } from './order-users.js';

/** What an order line says about stock (order input or the order as read back). */
export interface StockLine {
  productCode: string;
  specification?: string;
  quantity?: string;
}

/** One product and specification the bench received. */
export interface BenchStockPlace {
  productCode: string;
  specification?: string;
  unit: string;
  /** The product's precision: quantities are counted in units of 10^-scale. */
  quantityScale: number;
  /** What one of the bench's orders takes of it. */
  perOrder: string;
  /** Received: perOrder × plannedOrders. */
  received: string;
}

export interface BenchStock {
  plannedOrders: number;
  places: BenchStockPlace[];
}

const keyOf = (l: Pick<StockLine, 'productCode' | 'specification'>) => `${l.productCode}#${l.specification ?? ''}`;

/** The lines grouped by product and specification, with their quantities summed in the product's units. */
function unitsByPlace(lines: readonly StockLine[], scaleOf: (productCode: string) => number): Map<string, { line: StockLine; units: number }> {
  const out = new Map<string, { line: StockLine; units: number }>();
  for (const line of lines) {
    const units = toUnits(line.quantity ?? '0', scaleOf(line.productCode));
    const seen = out.get(keyOf(line));
    out.set(keyOf(line), { line, units: (seen?.units ?? 0) + units });
  }
  return out;
}

/**
 * Receives stock for `plannedOrders` orders of `lines` (default: the fixtures' complete order,
 * which is what both benches place). Throws on anything but 201.
 */
export async function receiveBenchStock(stack: LocalStack, plannedOrders: number, lines: readonly StockLine[] = completeOrder('').lines): Promise<BenchStock> {
  const warehouse = apiAs(stack, WAREHOUSE);
  const products = new Map<string, { unit: string; quantityScale: number }>();
  for (const code of new Set(lines.map((l) => l.productCode))) {
    const res = await warehouse.get(`/products/${code}`);
    if (res.status !== 200) throw new Error(`GET /products/${code}: ${res.status} ${JSON.stringify(res.body)}`);
    products.set(code, { unit: String(res.body.unit), quantityScale: Number(res.body.quantityScale) });
  }
  const orders = Math.max(1, plannedOrders);
  const places: BenchStockPlace[] = [];
  for (const { line, units } of unitsByPlace(lines, (code) => products.get(code)!.quantityScale).values()) {
    const { unit, quantityScale } = products.get(line.productCode)!;
    const received = fromUnits(units * orders, quantityScale);
    const res = await warehouse.post('/stock/receipts', {
      productCode: line.productCode,
      ...(line.specification ? { specification: line.specification } : {}),
      quantity: received,
      source: 'PURCHASE',
      reference: `bench stock for ${orders} orders`,
    });
    if (res.status !== 201) throw new Error(`POST /stock/receipts ${line.productCode} ${line.specification ?? ''} ${received}: ${res.status} ${JSON.stringify(res.body)}`);
    places.push({
      productCode: line.productCode,
      ...(line.specification ? { specification: line.specification } : {}),
      unit,
      quantityScale,
      perOrder: fromUnits(units, quantityScale),
      received,
    });
  }
  return { plannedOrders: orders, places };
}

/**
 * Throws unless `plannedOrders` orders with these lines (as placed: the order read back) fit the
 * stock received: every product and specification received, and its quantity × the orders
 * planned at most what was received.
 */
export function stockFits(stock: BenchStock, orderId: string, lines: readonly StockLine[]): void {
  const places = new Map(stock.places.map((p) => [keyOf(p), p]));
  const scaleOf = (code: string) => stock.places.find((p) => p.productCode === code)?.quantityScale ?? 6;
  for (const { line, units } of unitsByPlace(lines, scaleOf).values()) {
    const place = places.get(keyOf(line));
    if (!place) {
      throw new Error(`${orderId} orders ${line.productCode} ${line.specification ?? '(no specification)'}, which the bench did not receive: its orders would wait for stock (bench/stock.ts)`);
    }
    if (units * stock.plannedOrders > toUnits(place.received, place.quantityScale)) {
      throw new Error(
        `${stock.plannedOrders} orders of ${fromUnits(units, place.quantityScale)} ${place.unit} ${line.productCode} ${line.specification ?? ''} (as ${orderId}) exceed the ${place.received} ${place.unit} the bench received: receive what the orders take (bench/stock.ts)`,
      );
    }
  }
}

/** "2.5 t PLATE-Q235 10mm + 4 pcs VALVE-DN50 PN16": what one order takes, for logs and notes. */
export const perOrderText = (stock: BenchStock) => stock.places.map((p) => `${p.perOrder} ${p.unit} ${p.productCode}${p.specification ? ` ${p.specification}` : ''}`).join(' + ');

/** "6,250 t PLATE-Q235 10mm, 10,000 pcs VALVE-DN50 PN16": what was received. */
export const receivedText = (stock: BenchStock) =>
  stock.places.map((p) => `${Number(p.received).toLocaleString('en-US', { maximumFractionDigits: p.quantityScale })} ${p.unit} ${p.productCode}${p.specification ? ` ${p.specification}` : ''}`).join(', ');
