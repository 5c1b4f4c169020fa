/** Price list rules (R-PRICE-1, R-PRICE-2): pure functions, no I/O. */
import { conflict, type FieldError } from '../shared/errors.js';
import { type Money, maxAmountText, withinMaxAmount } from '../shared/money.js';
import type { Role } from '../shared/roles.js';
import type { PriceBook, PriceQuote } from './prices.js';
import { CUSTOMER_PREFIX, GENERAL, type PriceListItem, type PriceListItemInput, type PriceListKind, type PriceListStatus, type PriceListVersion } from './schemas.js';

// ---- ids ---------------------------------------------------------------------------------------

/** Path form (GENERAL, CU-000001) → stored id (GENERAL, CUSTOMER#CU-000001). */
export const storedIdOf = (ref: string) => (ref === GENERAL ? GENERAL : `${CUSTOMER_PREFIX}${ref}`);
/** Stored id → path form. */
export const refOf = (priceListId: string) => (priceListId === GENERAL ? GENERAL : priceListId.slice(CUSTOMER_PREFIX.length));
export const kindOf = (priceListId: string): PriceListKind => (priceListId === GENERAL ? 'general' : 'customer');
export const customerIdOf = (priceListId: string) => (priceListId.startsWith(CUSTOMER_PREFIX) ? priceListId.slice(CUSTOMER_PREFIX.length) : undefined);
export const customerListId = (customerId: string) => `${CUSTOMER_PREFIX}${customerId}`;

/** Execution names allow no '#': GENERAL-v3-r1, CUSTOMER-CU-000001-v2-r2. */
export const executionName = (priceListId: string, version: number, round: number) => `${priceListId.replace('#', '-')}-v${version}-r${round}`;

export const versionPath = (priceListId: string, version: number) => `/price-lists/${refOf(priceListId)}/versions/${version}`;

export function listTitle(v: Pick<PriceListVersion, 'kind' | 'customerId' | 'customerName' | 'version'>): string {
  return v.kind === 'general' ? `General price list v${v.version}` : `Price list of ${v.customerName ?? v.customerId} v${v.version}`;
}

// ---- the approval chain -------------------------------------------------------------------------

/** Only a draft, or a version returned to its drafter, can change; an approved version never does. */
export const EDITABLE: readonly PriceListStatus[] = ['DRAFT', 'RETURNED'];

export function assertEditable(v: Pick<PriceListVersion, 'status' | 'version'>): void {
  if (EDITABLE.includes(v.status)) return;
  if (v.status === 'APPROVED') throw conflict(`version ${v.version} is approved and never changes; draft a new version`);
  throw conflict(`version ${v.version} is ${v.status.toLowerCase().replace('_', ' ')}; it can change only when it is returned`);
}

/** One version at a time goes through the chain: a new version starts once the latest is approved. */
export function assertMayStartNewVersion(latest: Pick<PriceListVersion, 'status' | 'version'> | undefined): void {
  if (latest && latest.status !== 'APPROVED') {
    throw conflict(`version ${latest.version} is ${latest.status.toLowerCase().replace('_', ' ')}; finish it before drafting another`);
  }
}

/** R-PRICE-1: the general list is reviewed by the sales manager first; R-PRICE-2: a customer list goes straight to approval. */
export const submittedStatus = (kind: PriceListKind): PriceListStatus => (kind === 'general' ? 'IN_REVIEW' : 'AWAITING_APPROVAL');

export const REVIEWER_ROLE: Role = 'sales_manager';

/** R-PRICE-1: the GM approves the general list; R-PRICE-2: the sales manager approves a customer's list. */
export const approverRole = (kind: PriceListKind): Role => (kind === 'general' ? 'general_manager' : 'sales_manager');

// ---- items ---------------------------------------------------------------------------------------

export const itemKey = (productCode: string, specification?: string) => `${productCode}\u0000${specification ?? ''}`;

export interface CatalogueEntry {
  productCode: string;
  specifications: readonly string[];
  status: 'ACTIVE' | 'RETIRED';
}

/**
 * Every problem of a list of items, each named by its field: the product must be in the
 * catalogue (and not retired), the specification one of the product's, prices whole minor units
 * above zero in the company currency, the minimum price not above the list price, and no
 * (product, specification) pair twice.
 */
export function itemProblems(
  items: readonly PriceListItemInput[],
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  currency: string,
  prefix = 'body.items',
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const at = `${prefix}.${i}`;
    const product = catalogue.get(item.productCode);
    if (!product) {
      errors.push({ field: `${at}.productCode`, message: `no product ${item.productCode} in the catalogue`, code: 'unknown_product' });
    } else if (product.status === 'RETIRED') {
      errors.push({ field: `${at}.productCode`, message: `${item.productCode} is retired`, code: 'retired_product' });
    } else if (item.specification !== undefined && !product.specifications.includes(item.specification)) {
      errors.push({
        field: `${at}.specification`,
        message: `${item.specification} is not a specification of ${item.productCode} (${product.specifications.join(', ')})`,
        code: 'invalid_specification',
      });
    }
    const priceOk = (name: 'listPrice' | 'minimumPrice') => {
      const price = item[name];
      const before = errors.length;
      if (price.currency !== currency) {
        errors.push({ field: `${at}.${name}.currency`, message: `prices are in the company currency ${currency}`, code: 'currency' });
      }
      if (!Number.isInteger(price.amountMinor)) {
        errors.push({ field: `${at}.${name}.amountMinor`, message: 'a whole number of minor units (fen, cents): no fractions', code: 'too_precise' });
      } else if (price.amountMinor <= 0) {
        errors.push({ field: `${at}.${name}.amountMinor`, message: 'more than zero', code: 'not_positive' });
      } else if (!Number.isSafeInteger(price.amountMinor) || !withinMaxAmount(price.amountMinor)) {
        errors.push({ field: `${at}.${name}.amountMinor`, message: maxAmountText(currency), code: 'too_big' });
      }
      return errors.length === before;
    };
    const listOk = priceOk('listPrice');
    const minimumOk = priceOk('minimumPrice');
    if (listOk && minimumOk && item.minimumPrice.amountMinor > item.listPrice.amountMinor) {
      errors.push({ field: `${at}.minimumPrice`, message: 'the minimum price may not be above the list price', code: 'above_list_price' });
    }
    const key = itemKey(item.productCode, item.specification);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        field: at,
        message: `item ${first} prices ${item.productCode}${item.specification ? ` ${item.specification}` : ' (every specification)'} already`,
        code: 'duplicate',
      });
    } else {
      seen.set(key, i);
    }
  });
  return errors;
}

/** An effective date is today or later (company time zone). */
export function effectiveFromProblems(effectiveFrom: string, today: string, field: string): FieldError[] {
  return effectiveFrom < today ? [{ field, message: `in the past: ${effectiveFrom} is before today ${today}`, code: 'in_the_past' }] : [];
}

/** What must hold when a version is submitted, on top of the item rules. */
export function submissionProblems(v: Pick<PriceListVersion, 'items' | 'effectiveFrom'>, today: string): FieldError[] {
  return [
    ...(v.items.length === 0 ? [{ field: 'items', message: 'a price list needs at least one item', code: 'empty' }] : []),
    ...effectiveFromProblems(v.effectiveFrom, today, 'effectiveFrom'),
  ];
}

/** Stored form of items: prices as Money, no empty specification. */
export function normaliseItems(items: readonly PriceListItemInput[]): PriceListItem[] {
  return items.map((i) => ({
    productCode: i.productCode,
    ...(i.specification !== undefined ? { specification: i.specification } : {}),
    listPrice: { amountMinor: i.listPrice.amountMinor, currency: i.listPrice.currency },
    minimumPrice: { amountMinor: i.minimumPrice.amountMinor, currency: i.minimumPrice.currency },
  }));
}

/** The lines that differ, for history (R-INFO-3): removed and changed lines as they were, added and changed lines as they are. */
export function itemChanges(before: readonly PriceListItem[], after: readonly PriceListItem[]) {
  const index = (items: readonly PriceListItem[]) => new Map(items.map((i) => [itemKey(i.productCode, i.specification), i]));
  const b = index(before);
  const a = index(after);
  const same = (x: PriceListItem, y: PriceListItem) =>
    x.listPrice.amountMinor === y.listPrice.amountMinor &&
    x.listPrice.currency === y.listPrice.currency &&
    x.minimumPrice.amountMinor === y.minimumPrice.amountMinor &&
    x.minimumPrice.currency === y.minimumPrice.currency;
  const was = [...b].filter(([k, item]) => !a.has(k) || !same(item, a.get(k)!)).map(([, item]) => item);
  const now = [...a].filter(([k, item]) => !b.has(k) || !same(b.get(k)!, item)).map(([, item]) => item);
  return { before: was, after: now };
}

// ---- which version is in force, and which price applies ----------------------------------------

/**
 * R-PRICE-1: the version in force on a date is the APPROVED version with the greatest
 * effectiveFrom on or before that date; of two with the same date, the greater version.
 */
export function versionInForce<T extends { version: number; effectiveFrom: string; status: PriceListStatus }>(versions: readonly T[], onDate: string): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (v.status !== 'APPROVED' || v.effectiveFrom > onDate) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.version > best.version)) best = v;
  }
  return best;
}

export interface ListInForce {
  priceListId: string;
  version: number;
  kind: PriceListKind;
  items: readonly { productCode: string; specification?: string; listPrice: Money; minimumPrice: Money }[];
}

/**
 * R-PRICE-2: the customer's list beats the general list, item by item: a product the customer
 * list prices (for this specification, or for every specification) is priced from it; anything
 * else from the general list. Within one list, the item for the exact specification beats the
 * item without a specification.
 */
export function priceBook(lists: { general?: ListInForce; customer?: ListInForce }): PriceBook {
  const indexed = [lists.customer, lists.general]
    .filter((l): l is ListInForce => l !== undefined)
    .map((list) => ({ list, byKey: new Map(list.items.map((item) => [itemKey(item.productCode, item.specification), item])) }));
  const ref = (l?: ListInForce) => (l ? { priceListId: l.priceListId, version: l.version } : undefined);
  return {
    general: ref(lists.general),
    customer: ref(lists.customer),
    quote(productCode: string, specification: string): PriceQuote | undefined {
      for (const { list, byKey } of indexed) {
        const item = byKey.get(itemKey(productCode, specification)) ?? byKey.get(itemKey(productCode));
        if (item) {
          return {
            productCode,
            ...(item.specification !== undefined ? { specification: item.specification } : {}),
            listPrice: { ...item.listPrice },
            minimumPrice: { ...item.minimumPrice },
            source: { priceListId: list.priceListId, version: list.version, kind: list.kind },
          };
        }
      }
      return undefined;
    },
  };
}

// ---- workflow ---------------------------------------------------------------------------------

/** The workflow belongs to a round the version has left (withdrawn, or decided already). */
export class RoundSuperseded extends Error {
  constructor(priceListId: string, version: number, round: number) {
    super(`round ${round} of price list ${priceListId} v${version} is no longer waiting`);
    this.name = 'RoundSuperseded';
  }
}

/** People told about a version: its drafter, and whoever submitted this round if someone else. */
export function drafters(v: Pick<PriceListVersion, 'createdBy' | 'submittedBy'>): string[] {
  return [...new Set([v.createdBy.userId, ...(v.submittedBy ? [v.submittedBy.userId] : [])])];
}

/** What the decider sees on the task: the list, its date, and every line with its prices. */
export function taskDetails(v: PriceListVersion, formatPrice: (m: Money) => string): Record<string, unknown> {
  return {
    priceListId: v.priceListId,
    version: v.version,
    round: v.round,
    effectiveFrom: v.effectiveFrom,
    currency: v.currency,
    itemCount: v.items.length,
    basedOn: v.basedOn ?? null,
    submittedBy: v.submittedBy?.name ?? null,
    ...(v.customerId ? { customerId: v.customerId, customerName: v.customerName } : {}),
    reviewedBy: v.reviewedBy?.name ?? null,
    items: v.items.map((i) => `${i.productCode}${i.specification ? ` ${i.specification}` : ' (all specifications)'}: list ${formatPrice(i.listPrice)}, minimum ${formatPrice(i.minimumPrice)}`),
    link: versionPath(v.priceListId, v.version),
  };
}
