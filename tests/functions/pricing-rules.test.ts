/**
 * The pure price list rules: which version is in force (R-PRICE-1), which price applies
 * (R-PRICE-2), what a valid list is, and the approval chain's statuses and approvers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approverRole,
  assertEditable,
  assertMayStartNewVersion,
  executionName,
  itemChanges,
  itemProblems,
  priceBook,
  refOf,
  storedIdOf,
  submissionProblems,
  submittedStatus,
  versionInForce,
  type CatalogueEntry,
  type ListInForce,
} from '../../functions/pricing/rules.js';
import type { PriceListItemInput, PriceListStatus } from '../../functions/pricing/schemas.js';
import { HttpError } from '../../functions/shared/errors.js';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const item = (productCode: string, list: number, min: number, specification?: string) => ({
  productCode,
  ...(specification ? { specification } : {}),
  listPrice: cny(list),
  minimumPrice: cny(min),
});

const general: ListInForce = {
  priceListId: 'GENERAL',
  version: 3,
  kind: 'general',
  items: [item('PLATE', 400_000, 380_000), item('PLATE', 410_000, 390_000, '12mm'), item('VALVE', 25_000, 23_000, 'PN16'), item('CABLE', 9_000, 8_500)],
};
const customer: ListInForce = {
  priceListId: 'CUSTOMER#CU-000001',
  version: 2,
  kind: 'customer',
  items: [item('PLATE', 395_000, 380_000), item('PLATE', 392_000, 380_000, '10mm'), item('VALVE', 24_000, 23_000, 'PN25')],
};

describe('R-PRICE-2: which price applies', () => {
  const book = priceBook({ general, customer });

  it('R-PRICE-2: the customer list beats the general list, item by item', () => {
    // PLATE 12mm: the general list has an exact item, but the customer list prices every PLATE specification.
    expect(book.quote('PLATE', '12mm')).toEqual({
      productCode: 'PLATE',
      listPrice: cny(395_000),
      minimumPrice: cny(380_000),
      source: { priceListId: 'CUSTOMER#CU-000001', version: 2, kind: 'customer' },
    });
    // CABLE is not on the customer list: the general list prices it.
    expect(book.quote('CABLE', '0.6/1kV')).toMatchObject({ listPrice: cny(9_000), source: { kind: 'general', version: 3 } });
    // VALVE PN16: the customer list prices PN25 only.
    expect(book.quote('VALVE', 'PN16')).toMatchObject({ specification: 'PN16', listPrice: cny(25_000), source: { kind: 'general' } });
    expect(book.quote('VALVE', 'PN25')).toMatchObject({ specification: 'PN25', listPrice: cny(24_000), source: { kind: 'customer' } });
    expect(book.general).toEqual({ priceListId: 'GENERAL', version: 3 });
    expect(book.customer).toEqual({ priceListId: 'CUSTOMER#CU-000001', version: 2 });
  });

  it('R-PRICE-2: within a list, the item for the exact specification beats the item without one', () => {
    expect(book.quote('PLATE', '10mm')).toMatchObject({ specification: '10mm', listPrice: cny(392_000), source: { kind: 'customer' } });
    const generalOnly = priceBook({ general });
    expect(generalOnly.quote('PLATE', '12mm')).toMatchObject({ specification: '12mm', listPrice: cny(410_000) });
    expect(generalOnly.quote('PLATE', '10mm')).toMatchObject({ listPrice: cny(400_000) });
    expect(generalOnly.quote('PLATE', '10mm')!.specification).toBeUndefined();
    expect(generalOnly.customer).toBeUndefined();
  });

  it('R-PRICE-2: a product on no list in force has no quote (R-PRICE-3 decides what then)', () => {
    expect(book.quote('GLOVES', 'M')).toBeUndefined();
    expect(book.quote('VALVE', 'PN40')).toBeUndefined();
    expect(priceBook({}).quote('PLATE', '10mm')).toBeUndefined();
  });

  it('R-PRICE-2: a quote is a copy; changing it changes nothing in the book', () => {
    const q = book.quote('PLATE', '10mm')!;
    q.listPrice.amountMinor = 1;
    expect(book.quote('PLATE', '10mm')!.listPrice.amountMinor).toBe(392_000);
  });
});

describe('R-PRICE-1: the version in force', () => {
  const v = (version: number, effectiveFrom: string, status: PriceListStatus = 'APPROVED') => ({ version, effectiveFrom, status });

  it('R-PRICE-1: the approved version with the greatest effective date on or before the day', () => {
    const versions = [v(1, '2026-01-01'), v(2, '2026-06-01'), v(3, '2026-12-01')];
    expect(versionInForce(versions, '2025-12-31')).toBeUndefined();
    expect(versionInForce(versions, '2026-01-01')?.version).toBe(1);
    expect(versionInForce(versions, '2026-05-31')?.version).toBe(1);
    expect(versionInForce(versions, '2026-06-01')?.version).toBe(2);
    expect(versionInForce(versions, '2026-11-30')?.version).toBe(2);
    expect(versionInForce(versions, '2027-01-01')?.version).toBe(3);
  });

  it('R-PRICE-1: versions not approved are never in force, whatever their date', () => {
    const versions = [v(1, '2026-01-01'), v(2, '2026-02-01', 'DRAFT'), v(3, '2026-02-01', 'IN_REVIEW'), v(4, '2026-02-01', 'AWAITING_APPROVAL'), v(5, '2026-02-01', 'RETURNED')];
    expect(versionInForce(versions, '2026-03-01')?.version).toBe(1);
  });

  it('R-PRICE-1: of two approved versions with the same date, the newer one', () => {
    expect(versionInForce([v(2, '2026-06-01'), v(1, '2026-06-01')], '2026-06-01')?.version).toBe(2);
  });

  it('R-PRICE-1: property — the version in force is approved, not in the future, and no other approved version beats it', () => {
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
    const status = fc.constantFrom<PriceListStatus>('DRAFT', 'IN_REVIEW', 'AWAITING_APPROVAL', 'APPROVED', 'RETURNED');
    fc.assert(
      fc.property(fc.array(fc.record({ effectiveFrom: day, status }), { maxLength: 12 }), day, (raw, onDate) => {
        const versions = raw.map((r, i) => ({ ...r, version: i + 1 }));
        const found = versionInForce(versions, onDate);
        const eligible = versions.filter((x) => x.status === 'APPROVED' && x.effectiveFrom <= onDate);
        if (eligible.length === 0) return found === undefined;
        if (!found || found.status !== 'APPROVED' || found.effectiveFrom > onDate) return false;
        return eligible.every((x) => x.effectiveFrom < found.effectiveFrom || (x.effectiveFrom === found.effectiveFrom && x.version <= found.version));
      }),
    );
  });
});

describe('R-PRICE-1: a valid list of items', () => {
  const catalogue = new Map<string, CatalogueEntry>([
    ['PLATE', { productCode: 'PLATE', specifications: ['10mm', '12mm'], status: 'ACTIVE' }],
    ['VALVE', { productCode: 'VALVE', specifications: ['PN16'], status: 'ACTIVE' }],
    ['OLD', { productCode: 'OLD', specifications: ['x'], status: 'RETIRED' }],
  ]);
  const fields = (items: PriceListItemInput[]) => itemProblems(items, catalogue, 'CNY').map((e) => `${e.field} ${e.code}`);

  it('R-PRICE-1: a good list has no problem; a price for every specification or for one', () => {
    expect(fields([item('PLATE', 400_000, 380_000), item('PLATE', 410_000, 410_000, '12mm'), item('VALVE', 25_000, 23_000, 'PN16')])).toEqual([]);
  });

  it('R-PRICE-1: every problem is named with its field, at once', () => {
    expect(
      fields([
        item('PLATE', 400_000, 400_001), // minimum above list
        item('NOPE', 100, 100), // unknown product
        item('VALVE', 100, 100, 'PN99'), // not a specification of the product
        { productCode: 'VALVE', listPrice: cny(100.5), minimumPrice: { amountMinor: 90, currency: 'USD' } }, // over-precise, other currency
        item('PLATE', 1, 1), // duplicates item 0
        item('OLD', 0, -1, 'x'), // retired; prices not above zero
      ]),
    ).toEqual([
      'body.items.0.minimumPrice above_list_price',
      'body.items.1.productCode unknown_product',
      'body.items.2.specification invalid_specification',
      'body.items.3.listPrice.amountMinor too_precise',
      'body.items.3.minimumPrice.currency currency',
      'body.items.4 duplicate',
      'body.items.5.productCode retired_product',
      'body.items.5.listPrice.amountMinor not_positive',
      'body.items.5.minimumPrice.amountMinor not_positive',
    ]);
  });

  it('R-PRICE-1: a version is submitted with at least one item and an effective date not in the past', () => {
    expect(submissionProblems({ items: [], effectiveFrom: '2026-11-21' }, '2026-11-22').map((e) => e.field)).toEqual(['items', 'effectiveFrom']);
    expect(submissionProblems({ items: [item('PLATE', 1, 1)], effectiveFrom: '2026-11-22' }, '2026-11-22')).toEqual([]);
  });

  it('R-INFO-3: the history of an edit keeps the changed lines, as they were and as they are', () => {
    const before = [item('PLATE', 400_000, 380_000), item('VALVE', 25_000, 23_000, 'PN16'), item('CABLE', 9_000, 8_500)];
    const after = [item('PLATE', 400_000, 380_000), item('VALVE', 26_000, 23_000, 'PN16'), item('GLOVES', 1_000, 900)];
    expect(itemChanges(before, after)).toEqual({
      before: [item('VALVE', 25_000, 23_000, 'PN16'), item('CABLE', 9_000, 8_500)],
      after: [item('VALVE', 26_000, 23_000, 'PN16'), item('GLOVES', 1_000, 900)],
    });
    expect(itemChanges(before, before)).toEqual({ before: [], after: [] });
  });
});

describe('R-PRICE-1, R-PRICE-2: the approval chain', () => {
  it('R-PRICE-1: the general list is reviewed by the sales manager and approved by the GM; R-PRICE-2: a customer list is approved by the sales manager', () => {
    expect(submittedStatus('general')).toBe('IN_REVIEW');
    expect(approverRole('general')).toBe('general_manager');
    expect(submittedStatus('customer')).toBe('AWAITING_APPROVAL');
    expect(approverRole('customer')).toBe('sales_manager');
  });

  it('R-PRICE-1: only drafts and returned versions change; a new version starts once the latest is approved', () => {
    for (const status of ['DRAFT', 'RETURNED'] as const) expect(() => assertEditable({ status, version: 1 })).not.toThrow();
    for (const status of ['IN_REVIEW', 'AWAITING_APPROVAL', 'APPROVED'] as const) {
      expect(() => assertEditable({ status, version: 1 })).toThrow(HttpError);
    }
    expect(() => assertEditable({ status: 'APPROVED', version: 4 })).toThrow(/never changes; draft a new version/);
    expect(() => assertMayStartNewVersion(undefined)).not.toThrow();
    expect(() => assertMayStartNewVersion({ status: 'APPROVED', version: 1 })).not.toThrow();
    expect(() => assertMayStartNewVersion({ status: 'RETURNED', version: 2 })).toThrow(/version 2 is returned/);
  });

  it('ids: path form and stored form, and execution names without #', () => {
    expect(storedIdOf('GENERAL')).toBe('GENERAL');
    expect(storedIdOf('CU-000001')).toBe('CUSTOMER#CU-000001');
    expect(refOf('CUSTOMER#CU-000001')).toBe('CU-000001');
    expect(executionName('CUSTOMER#CU-000001', 2, 3)).toBe('CUSTOMER-CU-000001-v2-r3');
    expect(executionName('GENERAL', 1, 1)).toBe('GENERAL-v1-r1');
  });
});
