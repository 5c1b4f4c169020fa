/**
 * Stock per product and warehouse (R-FULFIL-2). One balance item per product and warehouse holds
 * on hand, reserved and available (= on hand − reserved, kept by the same update expressions, since
 * DynamoDB conditions cannot subtract) plus the running totals received, adjusted and issued; one
 * reservation item per order line holds what is reserved for it and what it still needs; every
 * change appends a movement in the same transaction. Quantities are whole units of the product's
 * precision (shared/quantity.ts), so conditions compare exact integers:
 * - a reservation is conditional on `availableUnits >= q` (two orders never reserve the same unit)
 *   and on the line's `remainingUnits >= q` (a retried reservation never reserves a line twice);
 * - on hand = received + adjusted − issued, and reserved = Σ reservation items, always.
 */
import { GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Product } from '../catalog/schemas.js';
import { nowIso } from '../shared/clock.js';
import { ddb, decodeCursor, encodeCursor, tableName } from '../shared/dynamo.js';
import { fromUnits } from '../shared/quantity.js';
import type { Actor } from '../shared/schemas.js';
import type { TransactItem } from '../shared/versioned.js';
import type { StockBalance, StockMovement } from './schemas.js';

const ulid = monotonicFactory();

/**
 * Where a stock balance is: a warehouse, and the product's specification (Φ12 and Φ25 rebar are
 * different goods); a product without specifications has one balance per warehouse.
 */
export interface StockPlace {
  warehouseId: string;
  specification?: string | undefined;
}

/** The specification part of keys and names: '-' for a product without specifications. */
export const specKey = (specification: string | undefined) => specification ?? '-';
export const balanceKey = (place: StockPlace) => `WH#${place.warehouseId}#${specKey(place.specification)}`;
export const reservationKey = (orderId: string, lineNo: number) => `RES#${orderId}#${String(lineNo).padStart(4, '0')}`;

export interface BalanceItem {
  productCode: string;
  warehouseId: string;
  specification?: string;
  unit: string;
  scale: number;
  onHandUnits: number;
  reservedUnits: number;
  availableUnits: number;
  receivedUnits: number;
  adjustedUnits: number;
  issuedUnits: number;
  updatedAt?: string;
  /** R-FULFIL-9 (stock/safety.ts): the approved safety stock, the proposal it came from, who approved it, when. */
  safetyUnits?: number;
  safetyProposalId?: string;
  safetyApprovedBy?: Actor;
  safetyApprovedAt?: string;
  /** The proposal waiting for approval: one at a time per balance. */
  pendingSafetyProposalId?: string;
  /** Set while available is under the safety stock and the alert was raised; removed when it is back. */
  belowSafetySince?: string;
}

export interface ReservationItem {
  productCode: string;
  orderId: string;
  lineNo: number;
  warehouseId: string;
  specification?: string;
  reservedUnits: number;
  remainingUnits: number;
}

type ProductUnits = Pick<Product, 'productCode' | 'unit' | 'quantityScale'>;

export function balanceView(b: BalanceItem): StockBalance {
  const q = (units: number) => fromUnits(units, b.scale);
  return {
    productCode: b.productCode,
    ...(b.specification ? { specification: b.specification } : {}),
    warehouseId: b.warehouseId,
    unit: b.unit,
    onHand: q(b.onHandUnits),
    reserved: q(b.reservedUnits),
    available: q(b.availableUnits),
    received: q(b.receivedUnits),
    adjusted: q(b.adjustedUnits),
    issued: q(b.issuedUnits),
    ...(b.safetyUnits !== undefined ? { safetyStock: q(b.safetyUnits) } : {}),
    belowSafetyStock: b.belowSafetySince !== undefined,
    ...(b.belowSafetySince ? { belowSafetySince: b.belowSafetySince } : {}),
    ...(b.updatedAt ? { updatedAt: b.updatedAt } : {}),
  };
}

export async function getBalance(productCode: string, place: StockPlace): Promise<BalanceItem | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('stock'), Key: { productCode, itemKey: balanceKey(place) }, ConsistentRead: true }));
  return Item as BalanceItem | undefined;
}

/** A product's balances (every warehouse), reservations and newest movements: one partition. */
export async function readProductStock(productCode: string, movementLimit = 50) {
  const query = (prefix: string, newestFirst = false, limit?: number) =>
    ddb.send(
      new QueryCommand({
        TableName: tableName('stock'),
        KeyConditionExpression: 'productCode = :p AND begins_with(itemKey, :prefix)',
        ExpressionAttributeValues: { ':p': productCode, ':prefix': prefix },
        ConsistentRead: true,
        ScanIndexForward: !newestFirst,
        ...(limit ? { Limit: limit } : {}),
      }),
    );
  const [balances, movements] = await Promise.all([query('WH#'), query('MOVE#', true, movementLimit)]);
  return {
    balances: (balances.Items ?? []) as BalanceItem[],
    movements: (movements.Items ?? []).map((m) => movementView(m as StoredMovement)),
  };
}

/** A warehouse's balances by product code, a page at a time. */
export async function listBalances(warehouseId: string, page: { limit: number; cursor?: string }) {
  const result: QueryCommandOutput = await ddb.send(
    new QueryCommand({
      TableName: tableName('stock'),
      IndexName: 'balancesByWarehouse',
      KeyConditionExpression: 'balanceWarehouseId = :w',
      ExpressionAttributeValues: { ':w': warehouseId },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map((b) => balanceView(b as BalanceItem)), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

type StoredMovement = Omit<StockMovement, 'quantity'> & { productCode: string; units: number; scale: number };

const movementView = (m: StoredMovement): StockMovement => ({
  kind: m.kind,
  warehouseId: m.warehouseId,
  ...(m.specification ? { specification: m.specification } : {}),
  quantity: fromUnits(m.units, m.scale),
  reference: m.reference,
  ...(m.reason ? { reason: m.reason } : {}),
  ...(m.source ? { source: m.source } : {}),
  ...(m.batch ? { batch: m.batch } : {}),
  at: m.at,
  by: m.by,
});

export function movementPut(product: ProductUnits, m: Omit<StoredMovement, 'productCode' | 'scale' | 'at'>): TransactItem {
  const at = new Date(nowIso());
  return {
    Put: {
      TableName: tableName('stock'),
      Item: { ...m, productCode: product.productCode, scale: product.quantityScale, at: at.toISOString(), itemKey: `MOVE#${at.toISOString()}#${ulid(at.getTime())}` },
      ConditionExpression: 'attribute_not_exists(itemKey)',
    },
  };
}

/**
 * Stock in (a receipt) or a counted difference (an adjustment, either sign): on hand and available
 * move together, the balance is created on first use. Stock that is reserved cannot be adjusted away.
 */
export function balanceChange(product: ProductUnits, place: StockPlace, kind: 'RECEIPT' | 'ADJUSTMENT', units: number): TransactItem {
  const total = kind === 'RECEIPT' ? 'receivedUnits' : 'adjustedUnits';
  const other = kind === 'RECEIPT' ? 'adjustedUnits' : 'receivedUnits';
  return {
    Update: {
      TableName: tableName('stock'),
      Key: { productCode: product.productCode, itemKey: balanceKey(place) },
      UpdateExpression:
        `SET onHandUnits = if_not_exists(onHandUnits, :zero) + :q, availableUnits = if_not_exists(availableUnits, :zero) + :q, ${total} = if_not_exists(${total}, :zero) + :q, ` +
        `${other} = if_not_exists(${other}, :zero), reservedUnits = if_not_exists(reservedUnits, :zero), issuedUnits = if_not_exists(issuedUnits, :zero), ` +
        `warehouseId = :w, balanceWarehouseId = :w, stockKey = :stockKey, #unit = :unit, scale = :scale, updatedAt = :at${place.specification ? ', specification = :spec' : ''}`,
      ...(units < 0 ? { ConditionExpression: 'availableUnits >= :minus' } : {}),
      ExpressionAttributeNames: { '#unit': 'unit' },
      ExpressionAttributeValues: {
        ':q': units,
        ':zero': 0,
        ':w': place.warehouseId,
        ':stockKey': `${product.productCode}#${specKey(place.specification)}`,
        ...(place.specification ? { ':spec': place.specification } : {}),
        ':unit': product.unit,
        ':scale': product.quantityScale,
        ':at': nowIso(),
        ...(units < 0 ? { ':minus': -units } : {}),
      },
    },
  };
}

/** The balance's side of a reservation: reserved up, available down, on the condition that it is there. */
function balanceReserveUpdate(product: ProductUnits, place: StockPlace, units: number): TransactItem {
  return {
    Update: {
      TableName: tableName('stock'),
      Key: { productCode: product.productCode, itemKey: balanceKey(place) },
      UpdateExpression: 'SET reservedUnits = reservedUnits + :q, availableUnits = availableUnits - :q, updatedAt = :at',
      ConditionExpression: 'availableUnits >= :q',
      ExpressionAttributeValues: { ':q': units, ':at': nowIso() },
    },
  };
}

/** The order line's side: its reservation up, what it still needs down, never below zero (never reserved twice). */
function lineReservationUpdate(product: ProductUnits, line: OrderLineRef, place: StockPlace, units: number): TransactItem {
  return {
    Update: {
      TableName: tableName('stock'),
      Key: { productCode: product.productCode, itemKey: reservationKey(line.orderId, line.lineNo) },
      UpdateExpression:
        'SET reservedUnits = if_not_exists(reservedUnits, :zero) + :q, remainingUnits = if_not_exists(remainingUnits, :ordered) - :q, orderId = :o, lineNo = :l, customerId = :c, warehouseId = :w, specKey = :spec',
      ConditionExpression: 'attribute_not_exists(remainingUnits) OR remainingUnits >= :q',
      ExpressionAttributeValues: {
        ':q': units,
        ':zero': 0,
        ':ordered': line.orderedUnits,
        ':o': line.orderId,
        ':l': line.lineNo,
        ':c': line.customerId,
        ':w': place.warehouseId,
        ':spec': specKey(place.specification),
      },
    },
  };
}

type OrderLineRef = { orderId: string; lineNo: number; customerId: string; orderedUnits: number };
const placeOf = (place: StockPlace) => ({ warehouseId: place.warehouseId, ...(place.specification ? { specification: place.specification } : {}) });

/** Reserves `units` of the balance for one order line (R-FULFIL-2): the balance, the line's reservation and the movement. */
export function reserveLineItems(product: ProductUnits, line: OrderLineRef, place: StockPlace, units: number, by: Actor): TransactItem[] {
  return [
    balanceReserveUpdate(product, place, units),
    lineReservationUpdate(product, line, place, units),
    movementPut(product, { kind: 'RESERVATION', ...placeOf(place), units, reference: `${line.orderId}/${line.lineNo}`, by }),
  ];
}

/** Goods held for a customer without an order yet (留货, R-FULFIL-8): one item per reservation line. */
export interface HoldItem {
  productCode: string;
  reservationId: string;
  lineNo: number;
  customerId: string;
  warehouseId: string;
  specKey: string;
  specification?: string;
  /** Still held: what the customer's orders have not taken. */
  reservedUnits: number;
  heldUnits: number;
  takenUnits: number;
}

export const holdKey = (reservationId: string, lineNo: number) => `HOLD#${reservationId}#${String(lineNo).padStart(4, '0')}`;
const holdReference = (h: Pick<HoldItem, 'reservationId' | 'lineNo'>) => `${h.reservationId}/${h.lineNo}`;

/** Holds `units` for a customer's goods reservation line: the balance (conditional on available), the hold item, the movement. */
export function holdLineItems(product: ProductUnits, hold: Pick<HoldItem, 'reservationId' | 'lineNo' | 'customerId'>, place: StockPlace, units: number, by: Actor): TransactItem[] {
  return [
    balanceReserveUpdate(product, place, units),
    {
      Put: {
        TableName: tableName('stock'),
        Item: {
          productCode: product.productCode,
          itemKey: holdKey(hold.reservationId, hold.lineNo),
          reservationId: hold.reservationId,
          lineNo: hold.lineNo,
          customerId: hold.customerId,
          ...placeOf(place),
          specKey: specKey(place.specification),
          reservedUnits: units,
          heldUnits: units,
          takenUnits: 0,
        },
        ConditionExpression: 'attribute_not_exists(itemKey)',
      },
    },
    movementPut(product, { kind: 'RESERVATION', ...placeOf(place), units, reference: holdReference(hold), reason: 'held for the customer', by }),
  ];
}

/**
 * An order of the customer takes goods held for it: the hold goes down and the order line's
 * reservation up by the same units; the balance does not change (they stay reserved).
 */
export function takeFromHoldItems(product: ProductUnits, hold: HoldItem, line: OrderLineRef, units: number, by: Actor): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: product.productCode, itemKey: holdKey(hold.reservationId, hold.lineNo) },
        UpdateExpression: 'SET reservedUnits = reservedUnits - :q, takenUnits = takenUnits + :q',
        ConditionExpression: 'reservedUnits >= :q',
        ExpressionAttributeValues: { ':q': units },
      },
    },
    lineReservationUpdate(product, line, hold, units),
    movementPut(product, { kind: 'RELEASE', ...placeOf(hold), units: -units, reference: holdReference(hold), reason: `taken by order ${line.orderId}`, by }),
    movementPut(product, { kind: 'RESERVATION', ...placeOf(hold), units, reference: `${line.orderId}/${line.lineNo}`, reason: `from goods reservation ${hold.reservationId}`, by }),
  ];
}

/** Gives what a hold still has back to available stock and removes the hold (conditional on it as read). */
export function releaseHoldItems(product: ProductUnits, hold: HoldItem, by: Actor, reason: string): TransactItem[] {
  const remove: TransactItem = {
    Delete: {
      TableName: tableName('stock'),
      Key: { productCode: product.productCode, itemKey: holdKey(hold.reservationId, hold.lineNo) },
      ConditionExpression: 'reservedUnits = :q',
      ExpressionAttributeValues: { ':q': hold.reservedUnits },
    },
  };
  if (hold.reservedUnits === 0) return [remove];
  return [
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: product.productCode, itemKey: balanceKey(hold) },
        UpdateExpression: 'SET reservedUnits = reservedUnits - :q, availableUnits = availableUnits + :q, updatedAt = :at',
        ConditionExpression: 'reservedUnits >= :q',
        ExpressionAttributeValues: { ':q': hold.reservedUnits, ':at': nowIso() },
      },
    },
    remove,
    movementPut(product, { kind: 'RELEASE', ...placeOf(hold), units: -hold.reservedUnits, reference: holdReference(hold), reason, by }),
  ];
}

/** The hold items of a goods reservation, read by key. */
export async function holdsOf(reservationId: string, lines: readonly { lineNo: number; productCode: string; specification?: string | undefined }[]): Promise<Map<number, HoldItem>> {
  const found = new Map<number, HoldItem>();
  await Promise.all(
    lines.map(async (line) => {
      const { Item } = await ddb.send(new GetCommand({ TableName: tableName('stock'), Key: { productCode: line.productCode, itemKey: holdKey(reservationId, line.lineNo) }, ConsistentRead: true }));
      if (Item) found.set(line.lineNo, Item as HoldItem);
    }),
  );
  return found;
}

/**
 * Goods leave against a delivery note (R-FULFIL-4): on hand and reserved go down, issued up, on the
 * balance and on the line's reservation, with the movement. Only reserved goods are issued.
 */
export function issueLineItems(product: ProductUnits, place: StockPlace, line: { orderId: string; lineNo: number }, units: number, reference: string, by: Actor): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: product.productCode, itemKey: balanceKey(place) },
        UpdateExpression: 'SET onHandUnits = onHandUnits - :q, reservedUnits = reservedUnits - :q, issuedUnits = issuedUnits + :q, updatedAt = :at',
        ConditionExpression: 'reservedUnits >= :q AND onHandUnits >= :q',
        ExpressionAttributeValues: { ':q': units, ':at': nowIso() },
      },
    },
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: product.productCode, itemKey: reservationKey(line.orderId, line.lineNo) },
        UpdateExpression: 'SET reservedUnits = reservedUnits - :q, issuedUnits = if_not_exists(issuedUnits, :zero) + :q',
        ConditionExpression: 'reservedUnits >= :q',
        ExpressionAttributeValues: { ':q': units, ':zero': 0 },
      },
    },
    movementPut(product, { kind: 'ISSUE', warehouseId: place.warehouseId, ...(place.specification ? { specification: place.specification } : {}), units, reference, by }),
  ];
}

/**
 * Goods leave as samples, gifts or advertising (视同销售, R-FULFIL-10), not against an order: on hand
 * and available go down, issued up, on the condition that they are available (never reserved goods).
 */
export function sampleIssueItems(product: ProductUnits, place: StockPlace, units: number, reference: string, reason: string, by: Actor): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: product.productCode, itemKey: balanceKey(place) },
        UpdateExpression: 'SET onHandUnits = onHandUnits - :q, availableUnits = availableUnits - :q, issuedUnits = issuedUnits + :q, updatedAt = :at',
        ConditionExpression: 'availableUnits >= :q',
        ExpressionAttributeValues: { ':q': units, ':at': nowIso() },
      },
    },
    movementPut(product, { kind: 'SAMPLE_ISSUE', ...placeOf(place), units, reference, reason, by }),
  ];
}

/** Gives a line's reservation back to available stock (cancelled, returned, changed): the balance, the line's item, the movement. */
export function releaseLineItems(product: ProductUnits, reservation: ReservationItem, by: Actor, reason: string): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: product.productCode, itemKey: balanceKey(reservation) },
        UpdateExpression: 'SET reservedUnits = reservedUnits - :q, availableUnits = availableUnits + :q, updatedAt = :at',
        ConditionExpression: 'reservedUnits >= :q',
        ExpressionAttributeValues: { ':q': reservation.reservedUnits, ':at': nowIso() },
      },
    },
    {
      Delete: {
        TableName: tableName('stock'),
        Key: { productCode: product.productCode, itemKey: reservationKey(reservation.orderId, reservation.lineNo) },
        ConditionExpression: 'reservedUnits = :q',
        ExpressionAttributeValues: { ':q': reservation.reservedUnits },
      },
    },
    movementPut(product, {
      kind: 'RELEASE',
      warehouseId: reservation.warehouseId,
      ...(reservation.specification ? { specification: reservation.specification } : {}),
      units: -reservation.reservedUnits,       reference: `${reservation.orderId}/${reservation.lineNo}`,
      reason,
      by,
    }),
  ];
}

/** The reservations of an order's lines, read by key (the order names its products). */
export async function reservationsOf(orderId: string, lines: readonly { lineNo: number; productCode: string; specification?: string | undefined }[]): Promise<Map<number, ReservationItem>> {
  const found = new Map<number, ReservationItem>();
  await Promise.all(
    lines.map(async (line) => {
      const { Item } = await ddb.send(
        new GetCommand({ TableName: tableName('stock'), Key: { productCode: line.productCode, itemKey: reservationKey(orderId, line.lineNo) }, ConsistentRead: true }),
      );
      if (Item) found.set(line.lineNo, { ...(Item as ReservationItem), productCode: line.productCode, ...(line.specification ? { specification: line.specification } : {}) });
    }),
  );
  return found;
}
