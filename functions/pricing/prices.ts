/**
 * The price lookup for order submission (R-PRICE-1: an order uses the versions in force when it
 * is submitted; R-PRICE-2: a customer's own list takes precedence over the general list).
 * A function that calls priceBookFor needs `priceLists: 'read'` access.
 */
import type { Money } from '../shared/money.js';
import { customerListId, priceBook, versionInForce, type ListInForce } from './rules.js';
import { GENERAL } from './schemas.js';
import { getHead, getVersion, type PriceListHead } from './store.js';

export interface PriceQuote {
  productCode: string;
  specification?: string;
  listPrice: Money;
  minimumPrice: Money;
  source: { priceListId: string; version: number; kind: 'general' | 'customer' };
}

export interface PriceBook {
  general?: { priceListId: string; version: number };
  customer?: { priceListId: string; version: number };
  quote(productCode: string, specification: string): PriceQuote | undefined;
}

async function listInForce(head: PriceListHead | undefined, onDate: string): Promise<ListInForce | undefined> {
  if (!head) return undefined;
  const entry = versionInForce(
    head.approved.map((a) => ({ ...a, status: 'APPROVED' as const })),
    onDate,
  );
  if (!entry) return undefined;
  const v = await getVersion(head.priceListId, entry.version, true);
  // The head lists approved versions only, and an approved version never changes.
  if (v.status !== 'APPROVED') throw new Error(`price list ${head.priceListId} v${v.version} is listed as approved but is ${v.status}`);
  return { priceListId: v.priceListId, version: v.version, kind: v.kind, items: v.items };
}

/** The approved versions in force on `onDate` (YYYY-MM-DD, company time zone) for this customer. */
export async function priceBookFor(customerId: string, onDate: string): Promise<PriceBook> {
  // Strongly consistent: an approval a moment ago counts.
  const [generalHead, customerHead] = await Promise.all([getHead(GENERAL, true), getHead(customerListId(customerId), true)]);
  const [general, customer] = await Promise.all([listInForce(generalHead, onDate), listInForce(customerHead, onDate)]);
  return priceBook({ general, customer });
}
