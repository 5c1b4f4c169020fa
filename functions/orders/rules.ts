/**
 * Order rules (R-INTAKE-2, R-INTAKE-4, R-INTAKE-5, R-REVIEW-1..4, R-PRICE-3, R-PRICE-4): pure
 * functions over the order, its customer, the catalogue and the price book. No I/O.
 */
import type { Product } from '../catalog/schemas.js';
import type { Customer } from '../customers/schemas.js';
import { onlyOwnCustomers } from '../customers/rules.js';
import type { User } from '../shared/auth.js';
import { addDays } from '../shared/clock.js';
import { conflict, type FieldError, forbidden } from '../shared/errors.js';
import { formatMinor, lineAmounts, maxAmountText, money, sumMoney, withinMaxAmount, type Money } from '../shared/money.js';
import { isValidQuantity } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import type { Finding, Order, OrderLine, OrderLineInput, Totals } from './schemas.js';

/** What the orders need from a price book (functions/pricing/prices.ts). */
export interface PriceQuoteLike {
  listPrice: Money;
  minimumPrice: Money;
  source: { priceListId: string; version: number; kind: 'general' | 'customer' };
}
export interface PriceBookLike {
  general?: { priceListId: string; version: number };
  customer?: { priceListId: string; version: number };
  quote(productCode: string, specification: string): PriceQuoteLike | undefined;
}

/**
 * Builds order lines from what was entered, checked against the catalogue (R-INTAKE-5):
 * the product exists, the specification is one of its own, the quantity is positive and in the
 * product's precision. A line without a price takes the price list's (R-PRICE-4). Each line, and
 * the order's total, stays within the amount one document may carry (setting maxAmountMinor).
 * Every bad field of every line is named.
 */
export function buildLines(
  inputs: readonly OrderLineInput[],
  products: ReadonlyMap<string, Product>,
  book: PriceBookLike | undefined,
  currency: string,
): { lines: OrderLine[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lines: OrderLine[] = [];
  inputs.forEach((input, i) => {
    const field = (name: string) => `body.lines.${i}.${name}`;
    const product = products.get(input.productCode);
    if (!product || product.status === 'RETIRED') {
      errors.push({ field: field('productCode'), message: `no product ${input.productCode} in the catalogue`, code: 'unknown_product' });
      return;
    }
    if (input.specification !== undefined && !product.specifications.includes(input.specification)) {
      errors.push({ field: field('specification'), message: `${product.productCode} comes in ${product.specifications.join(', ')}`, code: 'invalid_specification' });
    }
    const quantityOk = input.quantity === undefined || isValidQuantity(input.quantity, product.quantityScale);
    if (!quantityOk) {
      errors.push({
        field: field('quantity'),
        message: `a positive quantity in ${product.unit} with at most ${product.quantityScale} decimal place${product.quantityScale === 1 ? '' : 's'}`,
        code: 'invalid_quantity',
      });
    }
    const currencyOk = input.unitPrice === undefined || input.unitPrice.currency === currency;
    if (!currencyOk) {
      errors.push({ field: field('unitPrice.currency'), message: `prices are in ${currency}`, code: 'currency' });
    }
    const specification = input.specification ?? (product.specifications.length === 1 ? product.specifications[0] : undefined);
    const quote = specification ? book?.quote(product.productCode, specification) : undefined;
    const unitPrice = input.unitPrice ?? quote?.listPrice;
    const line = priced({
        lineNo: i + 1,
        productCode: product.productCode,
        productName: product.name,
        ...(specification ? { specification } : {}),
        ...(input.quantity !== undefined ? { quantity: input.quantity } : {}),
        unit: product.unit,
        ...(unitPrice ? { unitPrice, priceOrigin: input.unitPrice ? 'entered' : 'list' } : {}),
        ...(quote ? { listPrice: quote.listPrice, minimumPrice: quote.minimumPrice, priceSource: quote.source } : {}),
        taxRateBasisPoints: product.taxRateBasisPoints,
        ...(input.remarks ? { remarks: input.remarks } : {}),
    });
    lines.push(line);
    // A quantity or a price already named is not named again for the amount they make.
    if (quantityOk && currencyOk) errors.push(...amountProblems([line], (path) => `body.${path}`));
  });
  if (errors.length === 0) errors.push(...amountProblems(lines, (path) => `body.${path}`));
  return { lines, errors };
}

/**
 * Line amounts: net = quantity × unit price rounded half-up; tax per line at the product's rate.
 * A line over the amount one document may carry gets none (amountProblems names it).
 */
export function priced(line: OrderLine): OrderLine {
  const { net: _n, tax: _t, gross: _g, ...rest } = line;
  if (line.quantity === undefined || line.unitPrice === undefined) return rest;
  const amounts = lineAmounts(line.quantity, line.unitPrice, line.taxRateBasisPoints);
  return amounts ? { ...rest, ...amounts } : rest;
}

/**
 * The amounts an order may not exceed (setting maxAmountMinor, 10^12 CNY by default): each line's
 * gross (its quantity is named: quantity × unit price is too much) and, when every line fits, the
 * order's gross total (the lines are named). `field` turns `lines.0.quantity` into the caller's name.
 */
export function amountProblems(lines: readonly OrderLine[], field: (path: string) => string): FieldError[] {
  const problems: FieldError[] = [];
  let total = 0n;
  for (const line of lines) {
    if (line.quantity === undefined || line.unitPrice === undefined) continue;
    if (!line.gross) {
      problems.push({ field: field(`lines.${line.lineNo - 1}.quantity`), message: `quantity × unit price with tax comes to more than the most one order may hold: ${maxAmountText(line.unitPrice.currency)}`, code: 'too_big' });
    } else total += BigInt(line.gross.amountMinor);
  }
  if (problems.length === 0 && !withinMaxAmount(total)) {
    const currency = lines.find((l) => l.gross)?.gross?.currency ?? '';
    const text = `${formatMinor(total, currency)} ${currency}`;
    problems.push({ field: field('lines'), message: `the lines come to ${text} with tax, more than the most one order may hold: ${maxAmountText(currency)}`, code: 'too_big' });
  }
  return problems;
}

/** Totals are sums of the rounded lines. */
export function totalsOf(lines: readonly OrderLine[], currency: string): Totals {
  const sum = (pick: (l: OrderLine) => Money | undefined) => sumMoney(lines.map(pick).filter((m): m is Money => m !== undefined), currency);
  return { net: sum((l) => l.net), tax: sum((l) => l.tax), gross: sum((l) => l.gross) };
}

/**
 * R-PRICE-1: an order uses the price list versions in force when it is submitted. Prices that
 * came from the list are re-quoted; prices a person entered stay and are compared again.
 */
export function requote(lines: readonly OrderLine[], book: PriceBookLike): OrderLine[] {
  return lines.map((line) => {
    const { listPrice: _l, minimumPrice: _m, priceSource: _s, ...rest } = line;
    const quote = line.specification ? book.quote(line.productCode, line.specification) : undefined;
    const next: OrderLine = quote ? { ...rest, listPrice: quote.listPrice, minimumPrice: quote.minimumPrice, priceSource: quote.source } : rest;
    if (line.priceOrigin === 'list') {
      if (quote) next.unitPrice = quote.listPrice;
      else {
        delete next.unitPrice;
        delete next.priceOrigin;
      }
    }
    return priced(next);
  });
}

/** R-INTAKE-2: what a submitted order must have; every gap is named. Its totals are not read (they come after). */
export function missingForSubmission(order: Order): FieldError[] {
  const missing: FieldError[] = [];
  const need = (field: string, message: string) => missing.push({ field, message, code: 'required' });
  if (order.lines.length === 0) need('lines', 'at least one line');
  order.lines.forEach((line, i) => {
    if (!line.specification) need(`lines.${i}.specification`, 'the specification');
    if (!line.quantity) need(`lines.${i}.quantity`, 'the quantity');
    if (!line.unitPrice) need(`lines.${i}.unitPrice`, 'a unit price: none entered and none on an approved price list');
  });
  if (!order.requestedDeliveryDate) need('requestedDeliveryDate', 'the requested delivery date');
  if (!order.delivery) need('delivery', 'a delivery address, or pickup');
  if (!order.paymentMethod) need('paymentMethod', 'the payment method');
  // Re-priced at submission, a line (or the order) may come to more than one order may hold.
  missing.push(...amountProblems(order.lines, (path) => path));
  return missing;
}

const contractValidOn = (customer: Customer, date: string) => {
  const c = customer.credit.contract;
  return c !== undefined && c.validFrom <= date && date <= c.validTo;
};

/** R-REVIEW-1/R-REVIEW-2: the pre-check of every point the order desk reviews; each finding names who may approve it. */
export function findingsFor(order: Order, customer: Customer, products: ReadonlyMap<string, Product>, book: PriceBookLike, today: string): Finding[] {
  const findings: Finding[] = [];
  const add = (code: Finding['code'], message: string, approvers: Role[], lineNo?: number) =>
    findings.push({ code, message, approvers, ...(lineNo ? { lineNo } : {}) });

  if (!customer.taxId) add('CUSTOMER_INCOMPLETE', `${customer.name} has no tax id for invoicing`, ['sales_manager']);
  if (!book.general && !book.customer) add('CUSTOMER_NOT_ON_PRICE_LIST', 'no approved price list is in force for this customer', ['sales_vp']);

  for (const line of order.lines) {
    const product = products.get(line.productCode);
    if (product && !product.sellable) add('PRODUCT_NOT_SELLABLE', `${line.productCode} is not sellable`, ['sales_manager'], line.lineNo);
    if (!line.priceSource) add('PRODUCT_NOT_ON_PRICE_LIST', `${line.productCode} ${line.specification ?? ''} is on no approved price list`.trim(), ['sales_vp'], line.lineNo);
    if (line.unitPrice && line.minimumPrice && line.unitPrice.amountMinor < line.minimumPrice.amountMinor) {
      // R-PRICE-3: below the minimum needs the GM first, then the VP sales.
      add('PRICE_BELOW_MINIMUM', `line ${line.lineNo}: ${line.unitPrice.amountMinor} below the minimum ${line.minimumPrice.amountMinor}`, ['general_manager', 'sales_vp'], line.lineNo);
    } else if (line.unitPrice && line.listPrice && line.unitPrice.amountMinor < line.listPrice.amountMinor) {
      add('PRICE_BELOW_LIST', `line ${line.lineNo}: ${line.unitPrice.amountMinor} below the list price ${line.listPrice.amountMinor}`, ['sales_vp'], line.lineNo);
    }
    if (product && order.requestedDeliveryDate && order.requestedDeliveryDate < addDays(today, product.leadTimeDays)) {
      add('LEAD_TIME_TOO_SHORT', `${line.productCode} needs ${product.leadTimeDays} days; earliest ${addDays(today, product.leadTimeDays)}`, ['sales_manager'], line.lineNo);
    }
  }

  const pickup = order.delivery?.mode === 'pickup';
  // R-INTAKE-4: a verbal order is accepted only for pickup; pickup customers collect their goods.
  if (order.channel === 'verbal' && !pickup) add('VERBAL_ORDER_FOR_DELIVERY', 'a verbal order is accepted for pickup only', ['sales_manager']);
  if (customer.fulfilmentMode === 'pickup' && !pickup) add('DELIVERY_NOT_ALLOWED', `${customer.name} is a pickup customer`, ['sales_manager']);
  // R-CREDIT-3: credit sales need approved credit and a signed contract in force.
  if (order.paymentMethod === 'credit' && (customer.credit.status !== 'APPROVED' || !contractValidOn(customer, today))) {
    add('PAYMENT_METHOD_NOT_ALLOWED', 'credit sale without approved credit and a signed contract in force', ['sales_manager']);
  }
  if (order.paymentMethod === 'cash_on_pickup' && !pickup) add('PAYMENT_METHOD_NOT_ALLOWED', 'cash on pickup needs a pickup order', ['sales_manager']);
  return findings;
}

export interface ReviewRoute {
  needsGeneralManager: boolean;
  needsSalesVp: boolean;
  needsSalesManager: boolean;
  autoApprove: boolean;
}

/**
 * R-REVIEW-2, R-REVIEW-4: special approvals needed (GM before VP, R-PRICE-3), and whether the
 * order may pass without a person: no finding and under the threshold (0 = never).
 */
export function reviewRoute(findings: readonly Finding[], totals: Totals, thresholdMinor: number): ReviewRoute {
  const roles = new Set(findings.flatMap((f) => f.approvers));
  return {
    needsGeneralManager: roles.has('general_manager'),
    needsSalesVp: roles.has('sales_vp'),
    needsSalesManager: roles.has('sales_manager'),
    autoApprove: findings.length === 0 && totals.gross.amountMinor < thresholdMinor,
  };
}

/** A sales rep works on own customers' orders; back office on any (R-INFO-2). */
export function assertMayWork(user: User, order: Pick<Order, 'ownerRepId' | 'orderId'>): void {
  if (onlyOwnCustomers(user) && order.ownerRepId !== user.userId) throw forbidden(`${order.orderId} belongs to another sales rep`);
}

/** Drafts and returned orders can be amended; after submission a change is a change request (R-INTAKE-6). */
export function assertAmendable(order: Pick<Order, 'status' | 'orderId'>): void {
  if (order.status !== 'DRAFT' && order.status !== 'RETURNED' && order.status !== 'EXCEPTION') {
    throw conflict(`${order.orderId} is ${order.status}: only a draft or a returned order can be amended`);
  }
}

export const emptyTotals = (currency: string): Totals => ({ net: money(0, currency), tax: money(0, currency), gross: money(0, currency) });
