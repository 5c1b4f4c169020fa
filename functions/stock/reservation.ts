/**
 * Stock for an order (R-FULFIL-2), run by the order's state machine once credit passed (states
 * Stock*). Each line takes what is available, up to what it still needs, in its own conditional
 * transaction (balance, line reservation, movement); a shortfall raises a production request
 * (manufactured goods) or a purchase request (traded goods) and the order waits in AWAITING_STOCK
 * until the request is completed, then reserves again. Reservations are numbered per order
 * (`fulfilment.attempt`): a retried step answers what it did, a step of an older attempt does nothing.
 *
 * Lines are reserved one transaction each, not all in one: an order has up to 200 lines and a
 * transaction 100 items. Each line's own condition (`remainingUnits >= q`) keeps a repeated or
 * concurrent reservation from ever reserving a line twice; the order records the outcome last.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { assignmentFor } from '../assignment/rules.js';
import { loadAssignmentRules } from '../assignment/store.js';
import type { Product } from '../catalog/schemas.js';
import { getCustomer } from '../customers/store.js';
import { notificationPut, notifyOnce, toRole, toUser } from '../notifications/outbox.js';
import type { FulfilmentLine, Order, OrderFulfilment, OrderStatus } from '../orders/schemas.js';
import { getOrder, orderReplaceItems, productsByCode } from '../orders/store.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { businessDate, nowIso } from '../shared/clock.js';
import { ddb, isConditionalFailure, tableName, transactConditional } from '../shared/dynamo.js';
import { fromUnits, toUnits } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import type { TransactItem } from '../shared/versioned.js';
import { departmentFor } from './departments.js';
import { checkSafetyStock, checkSafetyStockOfLines } from './safety.js';
import { takeHeldGoods } from '../reservations/holding.js';
import { heldFor } from '../reservations/store.js';
import type { SupplyRequest } from './schemas.js';
import { getRequest } from './requests.js';
import { type ReservationItem, type StockPlace, getBalance, releaseLineItems, reservationsOf, reserveLineItems } from './store.js';

/** Orders that may reserve: just through credit, or waiting for stock. */
const RESERVABLE: readonly OrderStatus[] = ['CREDIT_APPROVED', 'AWAITING_STOCK'];

export const requestIdFor = (orderId: string, lineNo: number, attempt: number) => `PR-${orderId}-L${lineNo}-${attempt}`;

export { departmentFor };

export interface StockStepResult {
  attempt: number;
  outcome: 'RESERVED' | 'SHORTFALL' | 'SUPERSEDED';
}

/** Workflow step ReserveOrderStock. */
export async function reserveOrderStock(input: { orderId: string; attempt: number }): Promise<StockStepResult> {
  const order = await getOrder(input.orderId, true);
  const current = order.fulfilment?.attempt ?? 0;
  if (current === input.attempt + 1) return { attempt: current, outcome: order.fulfilment!.outcome ?? 'SUPERSEDED' };
  if (current !== input.attempt || !RESERVABLE.includes(order.status)) return { attempt: current, outcome: 'SUPERSEDED' };

  const warehouseId = order.fulfilment?.warehouseId ?? settings().defaultWarehouseId;
  const products = await productsByCode(order.lines.map((l) => l.productCode));
  const reserved = await reservationsOf(order.orderId, order.lines);
  // R-FULFIL-8: goods held for the customer (留货) go to its order first.
  const held = await heldFor(order.customerId);
  const attempt = input.attempt + 1;
  const lines: FulfilmentLine[] = [];
  const shortfalls: SupplyRequest[] = [];
  for (const line of order.lines) {
    const product = products.get(line.productCode)!;
    const scale = product.quantityScale;
    const orderedUnits = toUnits(line.quantity ?? '0', scale);
    let have = reserved.get(line.lineNo)?.reservedUnits ?? 0;
    const place = { warehouseId, ...(line.specification ? { specification: line.specification } : {}) };
    const lineRef = { orderId: order.orderId, lineNo: line.lineNo, customerId: order.customerId, orderedUnits };
    if (held.length > 0 && have < orderedUnits) have += await takeHeldGoods(held, product, lineRef, place, orderedUnits - have);
    have += await reserveWhatIsThere(product, lineRef, place, orderedUnits - have);
    const previous = order.fulfilment?.lines.find((l) => l.lineNo === line.lineNo);
    const q = (units: number) => fromUnits(units, scale);
    lines.push({
      lineNo: line.lineNo,
      productCode: line.productCode,
      unit: line.unit,
      ordered: q(orderedUnits),
      reserved: q(have),
      shipped: previous?.shipped ?? '0',
      delivered: previous?.delivered ?? '0',
      remaining: previous?.remaining ?? q(orderedUnits),
    });
    if (have < orderedUnits) {
      // A request of an earlier attempt still being worked on covers the line; no second one.
      const open = await openRequestFor(order, line.lineNo);
      if (open) {
        shortfalls.push(open);
        continue;
      }
      const department = departmentFor(product);
      shortfalls.push({
        requestId: requestIdFor(order.orderId, line.lineNo, attempt),
        kind: department.kind,
        status: 'OPEN',
        department: department.role,
        productCode: line.productCode,
        ...(line.specification ? { specification: line.specification } : {}),
        quantity: q(orderedUnits - have),
        unit: line.unit,
        warehouseId,
        orderId: order.orderId,
        lineNo: line.lineNo,
        ...(order.requestedDeliveryDate ? { neededBy: order.requestedDeliveryDate } : {}),
        createdAt: nowIso(),
      });
    }
  }
  for (const request of shortfalls) if (request.createdAt && !order.fulfilment?.requests.includes(request.requestId)) await raiseRequest(request, order);

  const outcome = shortfalls.length > 0 ? 'SHORTFALL' : 'RESERVED';
  const reason =
    outcome === 'RESERVED'
      ? `all goods reserved in ${warehouseId}`
      : `short of ${shortfalls.map((r) => `${r.quantity} ${r.unit} ${r.productCode} (${r.kind === 'PRODUCTION' ? 'production' : 'purchase'} request ${r.requestId})`).join('; ')}: the order waits for them`;
  // R-FULFIL-1: at its first reservation the order is assigned, per product type, by the admin's rules.
  const assignments = order.fulfilment?.assignments ?? (await assign(order, products));
  const fulfilment: OrderFulfilment = {
    attempt,
    outcome,
    warehouseId,
    lines,
    requests: shortfalls.map((r) => r.requestId),
    reason,
    assignments,
    ...(outcome === 'RESERVED' ? { reservedAt: nowIso() } : {}),
  };
  const status: OrderStatus = outcome === 'RESERVED' ? 'GOODS_RESERVED' : 'AWAITING_STOCK';
  const after: Order = { ...order, status, fulfilment, version: order.version + 1, updatedAt: nowIso(), updatedBy: SYSTEM_ACTOR };
  const written = await transactConditional([
    ...orderReplaceItems(order, after, SYSTEM_ACTOR, `stock reservation ${attempt}: ${outcome === 'RESERVED' ? 'goods reserved' : 'waiting for stock'}`, reason),
    notificationPut({
      dedupeKey: `${order.orderId}#stock-${attempt}`,
      recipient: toUser(order.ownerRepId),
      topic: 'order-fulfilment',
      subject: outcome === 'RESERVED' ? `Order ${order.orderId}: goods reserved` : `Order ${order.orderId}: waiting for stock`,
      body: `${order.orderId} for ${order.customerName}: ${reason}.`,
      link: `/orders/${order.orderId}`,
    }),
    ...(order.fulfilment?.assignments ? [] : assignmentNotes(order, assignments)),
  ]);
  // R-FULFIL-9: what this order reserved may take a balance under its safety stock.
  await checkSafetyStockOfLines(order.lines, warehouseId);
  if (!written.ok) {
    // The order moved meanwhile (cancelled, changed): what this step reserved goes back, and the step is stale.
    const latest = await getOrder(order.orderId, true);
    if (!RESERVABLE.includes(latest.status)) await releaseOrderStock(latest, SYSTEM_ACTOR, `order ${latest.status.toLowerCase()} while its stock was being reserved`);
    return { attempt: latest.fulfilment?.attempt ?? current, outcome: 'SUPERSEDED' };
  }
  return { attempt, outcome };
}

type Assignments = NonNullable<OrderFulfilment['assignments']>;

async function assign(order: Order, products: Map<string, Product>): Promise<Assignments> {
  const customer = await getCustomer(order.customerId);
  const productTypes = [...new Set(order.lines.map((l) => products.get(l.productCode)!.productType))];
  const decided = assignmentFor({ region: customer.region, productTypes }, await loadAssignmentRules(), businessDate());
  return productTypes.map((productType) => ({ productType, ...(decided[productType] ?? {}) }));
}

/** Each assignee hears of the order with its due date; without a matching rule the order desk assigns it by hand. */
function assignmentNotes(order: Order, assignments: Assignments): TransactItem[] {
  return assignments.map((a) =>
    notificationPut({
      dedupeKey: `${order.orderId}#assigned-${a.productType}`,
      recipient: a.assigneeUserId ? toUser(a.assigneeUserId) : toRole('order_desk'),
      topic: 'order-assignment',
      subject: a.assigneeUserId ? `Assigned to you: ${order.orderId} (${a.productType} goods), due ${a.dueDate}` : `No assignment rule: ${order.orderId} (${a.productType} goods)`,
      body: a.assigneeUserId
        ? `${order.orderId} for ${order.customerName}: you (${a.department}) are responsible for its ${a.productType} goods, due ${a.dueDate} (rule ${a.ruleId}).`
        : `${order.orderId} for ${order.customerName}: no assignment rule matches its ${a.productType} goods; assign it by hand (R-FULFIL-1).`,
      link: `/orders/${order.orderId}`,
    }),
  );
}

/** Reserves up to `needUnits` of what is available; a lost race reads the balance again. Returns what it reserved. */
async function reserveWhatIsThere(
  product: Product,
  line: { orderId: string; lineNo: number; customerId: string; orderedUnits: number },
  place: StockPlace,
  needUnits: number,
): Promise<number> {
  for (let tries = 0; needUnits > 0 && tries < 20; tries++) {
    const available = (await getBalance(product.productCode, place))?.availableUnits ?? 0;
    const take = Math.min(needUnits, available);
    if (take <= 0) return 0;
    const result = await transactConditional(reserveLineItems(product, line, place, take, SYSTEM_ACTOR));
    if (result.ok) return take;
    // reasons[1]: the line has its reservation already (a repeated step) — nothing more to take.
    if (result.reasons[1] === 'ConditionalCheckFailed') return 0;
  }
  return 0;
}

async function openRequestFor(order: Order, lineNo: number): Promise<SupplyRequest | undefined> {
  const earlier = (order.fulfilment?.requests ?? []).filter((id) => id.startsWith(`PR-${order.orderId}-L${lineNo}-`));
  for (const requestId of earlier) {
    const request = await getRequest(requestId);
    if (request?.status === 'OPEN') return request;
  }
  return undefined;
}

/** Raises the request once (its id names the order line and attempt) and tells its department. */
async function raiseRequest(request: SupplyRequest, order: Order): Promise<void> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('requests'),
        Item: { ...request, queueKey: request.department, createdKey: `${request.createdAt}#${request.requestId}` },
        ConditionExpression: 'attribute_not_exists(requestId)',
      }),
    );
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    return;
  }
  await notifyOnce({
    dedupeKey: `${request.requestId}#raised`,
    recipient: toRole(request.department as Role),
    topic: 'supply-request',
    subject: `${request.kind === 'PRODUCTION' ? 'Production' : 'Purchase'} request ${request.requestId}`,
    body: `${request.quantity} ${request.unit} ${request.productCode}${request.specification ? ` ${request.specification}` : ''} for ${order.orderId} (${order.customerName})${request.neededBy ? `, needed by ${request.neededBy}` : ''}.`,
    link: `/supply-requests/${request.requestId}`,
  });
}

/**
 * Gives back every unit reserved for the order (R-FULFIL-2, item 9 of the fulfilment issue: cancelling
 * before issue releases reservations). One transaction per line; each is conditional on the line's
 * reservation as read, so running it twice releases nothing twice.
 */
export async function releaseOrderStock(order: Pick<Order, 'orderId' | 'lines'>, by: Actor, reason: string): Promise<number> {
  const products = await productsByCode(order.lines.map((l) => l.productCode));
  const reservations = await reservationsOf(order.orderId, order.lines);
  let released = 0;
  for (const reservation of reservations.values()) {
    if (reservation.reservedUnits <= 0) continue;
    const result = await transactConditional(releaseLineItems(products.get(reservation.productCode)!, reservation, by, reason));
    if (result.ok) released++;
  }
  // R-FULFIL-9: stock given back may lift a balance over its safety stock again.
  for (const r of reservations.values()) await checkSafetyStock(r.productCode, [r]);
  return released;
}

/** The release of an order's reservations as items for the caller's transaction, when they fit in one. */
export async function releaseItemsFor(order: Pick<Order, 'orderId' | 'lines'>, by: Actor, reason: string, room: number): Promise<TransactItem[] | undefined> {
  const reservations = [...(await reservationsOf(order.orderId, order.lines)).values()].filter((r: ReservationItem) => r.reservedUnits > 0);
  if (reservations.length * 3 > room) return undefined;
  const products = await productsByCode(reservations.map((r) => r.productCode));
  return reservations.flatMap((r) => releaseLineItems(products.get(r.productCode)!, r, by, reason));
}
