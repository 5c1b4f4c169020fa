/** Receipts and adjustments by the warehouse: the balance and its movement in one transaction. */
import { type Answer, answerItems } from '../shared/idempotency.js';
import { getProduct } from '../catalog/store.js';
import { transactConditional } from '../shared/dynamo.js';
import type { Actor } from '../shared/schemas.js';
import { type FieldError, conflict, validationFailed } from '../shared/errors.js';
import { isValidQuantity, toUnits } from '../shared/quantity.js';
import { settings } from '../shared/settings.js';
import type { StockAdjustment, StockMovement, StockReceipt } from './schemas.js';
import { checkSafetyStock } from './safety.js';
import { balanceChange, movementPut } from './store.js';

type Entry = { kind: 'RECEIPT'; input: StockReceipt } | { kind: 'ADJUSTMENT'; input: StockAdjustment };

export async function recordMovement(entry: Entry, by: Actor, answer?: Answer<StockMovement>): Promise<StockMovement> {
  const { input } = entry;
  const product = await getProduct(input.productCode);
  const magnitude = input.quantity.replace(/^-/, '');
  const problems: FieldError[] = [];
  // R-INTAKE-5: quantities in the product's precision, specifications from the catalogue.
  if (!isValidQuantity(magnitude, product.quantityScale)) {
    problems.push({ field: 'body.quantity', message: `a positive quantity with at most ${product.quantityScale} decimal places for ${product.productCode} (${product.unit})`, code: 'quantity_precision' });
  }
  const specs = product.specifications ?? [];
  if (specs.length > 0 ? !input.specification || !specs.includes(input.specification) : input.specification !== undefined) {
    problems.push({ field: 'body.specification', message: specs.length > 0 ? `one of ${specs.join(', ')}` : `${product.productCode} has no specifications`, code: 'specification' });
  }
  if (problems.length > 0) throw validationFailed(problems);
  const warehouseId = input.warehouseId ?? settings().defaultWarehouseId;
  const place = { warehouseId, ...(input.specification ? { specification: input.specification } : {}) };
  const units = toUnits(input.quantity, product.quantityScale);
  const movement = movementPut(product, {
    kind: entry.kind,
    ...place,
    units,
    ...(entry.kind === 'RECEIPT'
      ? { reference: entry.input.reference, source: entry.input.source, ...(entry.input.batch ? { batch: entry.input.batch } : {}) }
      : { reference: 'stock count', reason: entry.input.reason }),
    by,
  });
  const item = movement.Put!.Item as Record<string, unknown>;
  const recorded: StockMovement = {
    kind: entry.kind,
    ...place,
    quantity: input.quantity,
    reference: String(item.reference),
    ...(item.reason ? { reason: String(item.reason) } : {}),
    ...(item.source ? { source: item.source as StockMovement['source'] } : {}),
    ...(item.batch ? { batch: String(item.batch) } : {}),
    at: String(item.at),
    by,
  };
  const written = await transactConditional([balanceChange(product, place, entry.kind, units), movement, ...(answer ? answerItems(answer(recorded)) : [])]);
  if (!written.ok) {
    throw conflict(`${product.productCode}${input.specification ? ` ${input.specification}` : ''} has less available in ${warehouseId} than ${magnitude} ${product.unit}: reserved stock cannot be adjusted away; release or issue it first`);
  }
  // R-FULFIL-9: under its safety stock now (a loss), or back above it (a receipt).
  await checkSafetyStock(product.productCode, [place]);
  return recorded;
}
