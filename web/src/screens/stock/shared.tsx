/** Stock as the API returns it (functions/stock/schemas.ts), and the safety-stock warning shown beside a balance. */
import type { ProductSafetyStock as ApiSafety, StockBalance as ApiBalance, StockMovement as ApiMovement, SupplyRequest as ApiRequest } from '../../../../functions/stock/schemas.js';
import { useLocale, useT } from '../../i18n/index.js';
import { stockMessages as m } from './messages.js';

export type StockBalance = ApiBalance;
export type StockMovement = ApiMovement;
export type SupplyRequest = ApiRequest;
export type ProductSafetyStock = ApiSafety;
export type SafetyStockPlace = ApiSafety['places'][number];

export interface ProductStock {
  productCode: string;
  balances: StockBalance[];
  movements: StockMovement[];
}

/** Below the safety stock (R-FULFIL-9): a warning badge with since when; nothing otherwise. */
export function BelowSafety({ below, since }: { below: boolean; since?: string | undefined }) {
  const t = useT(m);
  const { fmt } = useLocale();
  if (!below) return <span className="muted">—</span>;
  return (
    <span className="badge badge-below_safety" title={since ? t('belowSafetySince', { at: fmt.dateTime(since) }) : undefined}>
      {t('belowSafety')}
    </span>
  );
}

/** "HRC-Q235 3.0x1500 @ MAIN" */
export function placeName(p: { productCode?: string; specification?: string | undefined; warehouseId: string }): string {
  return [p.productCode, p.specification, `@ ${p.warehouseId}`].filter(Boolean).join(' ');
}
