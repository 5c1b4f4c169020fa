/**
 * The replenishment alert of R-FULFIL-9: stock under its approved safety stock raises one alert
 * per crossing. Every write that lowers or raises available stock (an order's reservation, a
 * release, a receipt, an adjustment, a completed supply request, an approved safety stock) calls
 * `checkSafetyStock` after it committed:
 * - available < safety and the balance not flagged → the flag `belowSafetySince` is set on the
 *   condition that it is still unset and still under (so two writers never alert twice), and in
 *   the same transaction the alert goes to the warehouse, the sales clerks and whoever replenishes
 *   the product (production for manufactured goods, the warehouse for traded goods); its dedupe
 *   key holds the crossing time, so a later crossing alerts again;
 * - back at or above it → the flag is removed (conditionally), no notification.
 * The check never fails the write that called it: an error is logged, and the next write checks again.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getProduct } from '../catalog/store.js';
import { notificationPut, toRole } from '../notifications/outbox.js';
import { nowIso } from '../shared/clock.js';
import { ddb, isConditionalFailure, tableName, transactConditional } from '../shared/dynamo.js';
import { logger } from '../shared/logger.js';
import { fromUnits } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import { settings } from '../shared/settings.js';
import { departmentFor } from './departments.js';
import { safetyStockAction } from './safety-rules.js';
import { type BalanceItem, type StockPlace, balanceKey, getBalance } from './store.js';

/** Checks each balance of the product at these places; never throws. */
export async function checkSafetyStock(productCode: string, places: readonly StockPlace[]): Promise<void> {
  const unique = new Map(places.map((p) => [balanceKey(p), p]));
  for (const place of unique.values()) {
    try {
      await checkBalance(productCode, place);
    } catch (err) {
      logger.warn('safety stock check failed; the next stock write checks again', { productCode, ...place, error: err as Error });
    }
  }
}

/** The balances of an order's lines (or any product lines) in one warehouse; never throws. */
export async function checkSafetyStockOfLines(lines: readonly { productCode: string; specification?: string | undefined }[], warehouseId = settings().defaultWarehouseId): Promise<void> {
  const byProduct = new Map<string, StockPlace[]>();
  for (const line of lines) {
    byProduct.set(line.productCode, [...(byProduct.get(line.productCode) ?? []), { warehouseId, ...(line.specification ? { specification: line.specification } : {}) }]);
  }
  for (const [productCode, places] of byProduct) await checkSafetyStock(productCode, places);
}

async function checkBalance(productCode: string, place: StockPlace): Promise<void> {
  const balance = await getBalance(productCode, place);
  if (!balance) return;
  const action = safetyStockAction(balance);
  if (action === 'CLEAR') {
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName('stock'),
          Key: { productCode, itemKey: balanceKey(place) },
          UpdateExpression: 'REMOVE belowSafetySince',
          ConditionExpression: 'attribute_exists(belowSafetySince) AND (attribute_not_exists(safetyUnits) OR availableUnits >= safetyUnits)',
        }),
      );
    } catch (err) {
      // Cleared by another writer, or under again meanwhile: that writer's check decides.
      if (!isConditionalFailure(err)) throw err;
    }
  } else if (action === 'RAISE') {
    await raiseAlert(balance, place);
  }
}

async function raiseAlert(balance: BalanceItem, place: StockPlace): Promise<void> {
  const product = await getProduct(balance.productCode);
  const since = nowIso();
  const replenisher = departmentFor(product);
  const recipients = [...new Set<Role>(['warehouse', 'sales_clerk', replenisher.role])];
  const q = (units: number) => `${fromUnits(units, balance.scale)} ${balance.unit}`;
  const what = `${balance.productCode}${place.specification ? ` ${place.specification}` : ''} in ${place.warehouseId}`;
  const dedupeKey = `${balance.productCode}#${balanceKey(place)}#below-safety-stock#${since}`;
  const written = await transactConditional([
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: balance.productCode, itemKey: balanceKey(place) },
        UpdateExpression: 'SET belowSafetySince = :since',
        // Unflagged and under it right now: of two writers crossing at once, one alerts.
        ConditionExpression: 'attribute_not_exists(belowSafetySince) AND availableUnits < safetyUnits',
        ExpressionAttributeValues: { ':since': since },
      },
    },
    ...recipients.map((role) =>
      notificationPut({
        dedupeKey,
        recipient: toRole(role),
        topic: 'safety-stock',
        subject: `Below safety stock: ${what}`,
        body:
          `${product.name} (${what}): ${q(balance.availableUnits)} available, under its safety stock of ${q(balance.safetyUnits ?? 0)} ` +
          `(R-FULFIL-9). Replenish it: ${replenisher.kind === 'PRODUCTION' ? 'production makes' : 'the warehouse buys in'} ${product.productType} goods.`,
        link: `/stock/${balance.productCode}/safety-stock`,
      }),
    ),
  ]);
  if (!written.ok) logger.info('safety stock alert not raised: flagged by another writer, or no longer under', { productCode: balance.productCode, ...place });
}
