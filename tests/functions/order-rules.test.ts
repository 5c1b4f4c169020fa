/** The pure order rules, with examples from RULES.md. */
import { describe, expect, it } from 'vitest';
import type { Product } from '../../functions/catalog/schemas.js';
import type { Customer } from '../../functions/customers/schemas.js';
import { buildLines, findingsFor, missingForSubmission, requote, reviewRoute, totalsOf, type PriceBookLike } from '../../functions/orders/rules.js';
import type { Order } from '../../functions/orders/schemas.js';

const cny = (major: number) => ({ amountMinor: Math.round(major * 100), currency: 'CNY' });
const actor = { userId: 'u', name: 'U' };
const product = (code: string, extra: Partial<Product> = {}): Product => ({
  productCode: code,
  name: code,
  specifications: ['A', 'B'],
  unit: 't',
  quantityScale: 3,
  productType: 'manufactured',
  taxRateBasisPoints: 1300,
  sellable: true,
  leadTimeDays: 5,
  status: 'ACTIVE',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: actor,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: actor,
  ...extra,
});
const products = new Map([
  ['STEEL', product('STEEL')],
  ['OLD', product('OLD', { sellable: false, leadTimeDays: 0 })],
]);
const book = (list = 100, min = 90): PriceBookLike => ({
  general: { priceListId: 'GENERAL', version: 3 },
  quote: (code) => (code === 'STEEL' ? { listPrice: cny(list), minimumPrice: cny(min), source: { priceListId: 'GENERAL', version: 3, kind: 'general' } } : undefined),
});
const customer = (extra: Partial<Customer> = {}): Customer =>
  ({
    customerId: 'CU-000001',
    name: 'Acme',
    taxId: '91310000MA1FL0001X',
    fulfilmentMode: 'delivery',
    credit: { status: 'APPROVED', round: 1, reason: 'NEW_CUSTOMER', contract: { number: 'HT-1', validFrom: '2026-01-01', validTo: '2026-12-31' } },
    ...extra,
  }) as Customer;

function order(lines = buildLines([{ productCode: 'STEEL', specification: 'A', quantity: '2' }], products, book(), 'CNY').lines, extra: Partial<Order> = {}): Order {
  return {
    orderId: 'SO-2026-000001',
    status: 'SUBMITTED',
    channel: 'phone',
    customerId: 'CU-000001',
    customerName: 'Acme',
    ownerRepId: 'rep',
    lines,
    requestedDeliveryDate: '2026-12-01',
    delivery: { mode: 'delivery', address: { label: 'x', line1: 'x', city: 'x', region: 'x', country: 'CN' } },
    paymentMethod: 'credit',
    currency: 'CNY',
    totals: totalsOf(lines, 'CNY'),
    findings: [],
    review: { round: 1 },
    version: 1,
    createdAt: '2026-11-22T00:00:00.000Z',
    createdBy: actor,
    updatedAt: '2026-11-22T00:00:00.000Z',
    updatedBy: actor,
    ...extra,
  };
}

describe('order lines', () => {
  it('R-INTAKE-5: the catalogue decides: unknown product, foreign specification, over-precise or zero quantity are each named', () => {
    const { errors } = buildLines(
      [
        { productCode: 'NOPE', quantity: '1' },
        { productCode: 'STEEL', specification: 'Z', quantity: '1.0001' },
        { productCode: 'STEEL', specification: 'A', quantity: '0' },
      ],
      products,
      book(),
      'CNY',
    );
    expect(errors.map((e) => e.field)).toEqual(['body.lines.0.productCode', 'body.lines.1.specification', 'body.lines.1.quantity', 'body.lines.2.quantity']);
  });

  it('R-PRICE-4: a line without a price takes the list price; an entered price stays and is compared', () => {
    const { lines } = buildLines([{ productCode: 'STEEL', specification: 'A', quantity: '1.5' }, { productCode: 'STEEL', specification: 'B', quantity: '1', unitPrice: cny(95) }], products, book(), 'CNY');
    expect(lines[0]).toMatchObject({ unitPrice: cny(100), priceOrigin: 'list', net: cny(150), tax: cny(19.5), gross: cny(169.5) });
    expect(lines[1]).toMatchObject({ unitPrice: cny(95), priceOrigin: 'entered', listPrice: cny(100) });
  });

  it('R-PRICE-1: at submission list prices follow the version in force; entered prices do not', () => {
    const { lines } = buildLines([{ productCode: 'STEEL', specification: 'A', quantity: '1' }, { productCode: 'STEEL', specification: 'B', quantity: '1', unitPrice: cny(95) }], products, book(100), 'CNY');
    const again = requote(lines, book(110, 99));
    expect(again.map((l) => l.unitPrice)).toEqual([cny(110), cny(95)]);
    expect(again[1]!.minimumPrice).toEqual(cny(99));
  });

  it('R-INTAKE-2: a submitted order names every missing field', () => {
    const { lines } = buildLines([{ productCode: 'OLD' }], products, book(), 'CNY');
    const gaps = missingForSubmission(order(lines, { requestedDeliveryDate: undefined, delivery: undefined, paymentMethod: undefined }));
    expect(gaps.map((g) => g.field)).toEqual(['lines.0.specification', 'lines.0.quantity', 'lines.0.unitPrice', 'requestedDeliveryDate', 'delivery', 'paymentMethod']);
    expect(missingForSubmission(order())).toEqual([]);
  });

  it('R-INTAKE-5: a line past the most one order may hold (setting maxAmountMinor, 10^12 CNY) is named on its quantity; lines that fit but together do not are named as the lines', () => {
    // 885,000 t × ¥1,000,000 = ¥885,000,000,000 + 13% = ¥1,000,050,000,000 with tax: one line over.
    const one = buildLines([{ productCode: 'STEEL', specification: 'A', quantity: '885000', unitPrice: cny(1_000_000) }], products, book(), 'CNY');
    expect(one.errors).toEqual([expect.objectContaining({ field: 'body.lines.0.quantity', code: 'too_big' })]);
    expect(one.lines[0]).not.toHaveProperty('net');
    // 884,955 t: ¥999,999,150,000 with tax, the line fits; two of them do not.
    const fits = { productCode: 'STEEL', specification: 'A', quantity: '884955', unitPrice: cny(1_000_000) };
    expect(buildLines([fits], products, book(), 'CNY').errors).toEqual([]);
    const two = buildLines([fits, fits], products, book(), 'CNY');
    expect(two.errors).toEqual([{ field: 'body.lines', code: 'too_big', message: 'the lines come to 1999998300000.00 CNY with tax, more than the most one order may hold: at most 1000000000000.00 CNY per document' }]);
    // Named with the other faults of the same request, each field once.
    const mixed = buildLines([{ ...fits, quantity: '885000' }, { productCode: 'STEEL', specification: 'Z', quantity: '1.0001', unitPrice: cny(95) }], products, book(), 'CNY');
    expect(mixed.errors.map((e) => `${e.field} ${e.code}`)).toEqual(['body.lines.0.quantity too_big', 'body.lines.1.specification invalid_specification', 'body.lines.1.quantity invalid_quantity']);
  });

  it('R-INTAKE-2: a list price raised before submission can take a line past the most one order may hold: the submission names it instead of failing', () => {
    const { lines } = buildLines([{ productCode: 'STEEL', specification: 'A', quantity: '884955' }], products, book(1_000_000, 900_000), 'CNY');
    expect(lines[0]!.gross).toEqual(cny(999_999_150_000));
    const repriced = requote(lines, book(2_000_000, 1_900_000));
    expect(repriced[0]).not.toHaveProperty('gross');
    expect(missingForSubmission(order(repriced)).map((g) => `${g.field} ${g.code}`)).toEqual(['lines.0.quantity too_big']);
  });
});

describe('pre-check findings and routing', () => {
  const today = '2026-11-22';
  it('R-REVIEW-2: a conforming order has no finding and goes to the order desk; under the threshold it passes without a person', () => {
    const o = order();
    expect(findingsFor(o, customer(), products, book(), today)).toEqual([]);
    expect(reviewRoute([], o.totals, 0)).toEqual({ needsGeneralManager: false, needsSalesVp: false, needsSalesManager: false, autoApprove: false });
    expect(reviewRoute([], o.totals, o.totals.gross.amountMinor + 1).autoApprove).toBe(true);
    expect(reviewRoute([], o.totals, o.totals.gross.amountMinor).autoApprove).toBe(false);
  });

  it('R-PRICE-3: below the list needs the VP sales; below the minimum needs the GM, then the VP', () => {
    const below = (price: number) => findingsFor(order(buildLines([{ productCode: 'STEEL', specification: 'A', quantity: '1', unitPrice: cny(price) }], products, book(), 'CNY').lines), customer(), products, book(), today);
    expect(below(95).map((f) => [f.code, f.approvers])).toEqual([['PRICE_BELOW_LIST', ['sales_vp']]]);
    expect(below(89.99).map((f) => [f.code, f.approvers])).toEqual([['PRICE_BELOW_MINIMUM', ['general_manager', 'sales_vp']]]);
    expect(below(90)).toEqual([expect.objectContaining({ code: 'PRICE_BELOW_LIST' })]);
    const route = reviewRoute(below(50), order().totals, 1_000_000_000);
    expect(route).toMatchObject({ needsGeneralManager: true, needsSalesVp: true, autoApprove: false });
  });

  it('R-REVIEW-1, R-INTAKE-4, R-CREDIT-3: non-conformities the sales manager must approve', () => {
    const codes = (o: Order, c = customer()) => findingsFor(o, c, products, book(), today).map((f) => f.code);
    expect(codes(order(undefined, { channel: 'verbal' }))).toEqual(['VERBAL_ORDER_FOR_DELIVERY']);
    expect(codes(order(undefined, { channel: 'verbal', delivery: { mode: 'pickup' } }))).toEqual([]);
    expect(codes(order(), customer({ fulfilmentMode: 'pickup' }))).toEqual(['DELIVERY_NOT_ALLOWED']);
    expect(codes(order(), customer({ credit: { status: 'APPROVED', round: 1, reason: 'NEW_CUSTOMER' } }))).toEqual(['PAYMENT_METHOD_NOT_ALLOWED']);
    expect(codes(order(), customer({ credit: { status: 'APPROVED', round: 1, reason: 'NEW_CUSTOMER', contract: { number: 'x', validFrom: '2025-01-01', validTo: '2025-12-31' } } }))).toEqual(['PAYMENT_METHOD_NOT_ALLOWED']);
    expect(codes(order(undefined, { paymentMethod: 'cash_on_pickup' }))).toEqual(['PAYMENT_METHOD_NOT_ALLOWED']);
    expect(codes(order(undefined, { requestedDeliveryDate: '2026-11-26' }))).toEqual(['LEAD_TIME_TOO_SHORT']);
    expect(codes(order(undefined, { requestedDeliveryDate: '2026-11-27' }))).toEqual([]);
    expect(codes(order(), customer({ taxId: undefined }))).toEqual(['CUSTOMER_INCOMPLETE']);
    const oldLine = buildLines([{ productCode: 'OLD', specification: 'A', quantity: '1', unitPrice: cny(5) }], products, book(), 'CNY').lines;
    expect(codes(order(oldLine))).toEqual(['PRODUCT_NOT_SELLABLE', 'PRODUCT_NOT_ON_PRICE_LIST']);
    expect(codes(order(), customer())).toEqual([]);
    const noLists: PriceBookLike = { quote: () => undefined };
    expect(findingsFor(order(), customer(), products, noLists, today).map((f) => f.code)).toContain('CUSTOMER_NOT_ON_PRICE_LIST');
  });
});
