/**
 * The auditor (issue 8): a seeded random workload through the HTTP API, checked after EVERY step
 * against a small model of what the business rules say the books must show — per customer the
 * credit exposure, the reservations and receivables in it, the ledger balance and the customer
 * credit; per product the stock on hand, reserved, available, received, issued and adjusted; and
 * the status of the order the step touched.
 *
 * The model knows only the rules, never the code: a line's amount is quantity × unit price rounded
 * half-up to the fen, VAT per line at the product's rate, also rounded; credit is reserved at
 * approval for the order's gross when it fits the limit, otherwise the finance manager (the GM when
 * over by more than 20% of the limit) decides (R-CREDIT-4); stock is reserved at approval as far as
 * it goes, the rest waits for a production or purchase request (R-FULFIL-2); goods leave stock at
 * goods issue and are invoiced at the proof of delivery, customer credit paying the new invoice first
 * (R-BILL-1, R-BILL-3); payments pay the invoice they name or the oldest first, the rest is customer
 * credit (R-BILL-3); an allowance settles its invoice first, the rest is customer credit (R-BILL-4);
 * the ledger moves by the invoice's gross and by every payment and credit note (R-BILL-5).
 *
 * Each seed works on customers and products of its own, so a seed replays exactly on its own:
 *   AUDIT_SEED=<seed> npx vitest run tests/reliability/auditor.test.ts
 * (AUDIT_SEED=a,b,c for several, AUDIT_STEPS=<n> for longer runs, AUDIT_VERBOSE=1 to print the steps of a run that passed).
 * On a mismatch the test fails with the seed, the step and every step before it.
 */
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate, nowIso, setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, newProduct, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, yuan } from '../support/order-fixtures.js';

const DEFAULT_SEEDS = [20261101, 20261102, 20261103];
const SEEDS = process.env.AUDIT_SEED ? process.env.AUDIT_SEED.split(',').map((s) => Number(s.trim())) : DEFAULT_SEEDS;
const STEPS = Number(process.env.AUDIT_STEPS ?? 40);

const REP = 'wang.qiang';
const CLERK = 'zhao.min';
const DESK = 'chen.jie';
const MANAGER = 'liu.yang';
const FINANCE = 'wu.fang';
const WAREHOUSE = 'feng.lei';
const PRODUCTION = 'xu.gang';
const APPROVER_USER = { finance_manager: 'zheng.hao', general_manager: 'zhou.wei' } as const;

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});

// ---------------------------------------------------------------- the seeded choices

/** mulberry32: a small PRNG, the same numbers for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

// ---------------------------------------------------------------- the model: the rules, nothing else

interface MProduct {
  code: string;
  spec: string;
  scale: number;
  taxBp: number;
  /** How the product is replenished: production makes manufactured goods, the warehouse buys traded ones. */
  supplier: string;
  onHand: number;
  reserved: number;
  received: number;
  issued: number;
  adjusted: number;
}
interface MInvoice {
  id: string;
  gross: number;
  outstanding: number;
  credited: number;
}
interface MCustomer {
  name: string;
  id: string;
  limit: number;
  /** Unit price in fen per product code, from the customer's own approved price list. */
  prices: Record<string, number>;
  balance: number;
  credit: number;
  invoices: MInvoice[];
}
interface MLine {
  lineNo: number;
  product: MProduct;
  units: number;
  reserved: number;
  onNotes: number;
  shipped: number;
  delivered: number;
}
type OrderStatus = 'IN_REVIEW' | 'RETURNED' | 'REJECTED' | 'CANCELLED' | 'CREDIT_REVIEW' | 'AWAITING_STOCK' | 'GOODS_RESERVED' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'DELIVERED';
interface MOrder {
  name: string;
  id: string;
  customer: MCustomer;
  lines: MLine[];
  gross: number;
  status: OrderStatus;
  /** Credit still reserved for it (its open item): its gross at approval, less what its invoices took over. */
  creditOpen: number;
  approver?: keyof typeof APPROVER_USER;
}
interface MNote {
  id: string;
  order: MOrder;
  lines: { lineNo: number; units: number }[];
  status: 'ISSUED' | 'SIGNED_OFF' | 'GOODS_ISSUED' | 'DELIVERED';
}

/** Round half up num/den, both non-negative integers. */
const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));
const pow10 = (scale: number) => 10 ** scale;
/** Line amounts (R-BILL-1, DESIGN "Money"): net = quantity × unit price rounded half-up to the fen; VAT per line at the product's rate, rounded. */
function lineGross(units: number, product: MProduct, priceMinor: number): number {
  const net = halfUp(units * priceMinor, pow10(product.scale));
  return net + halfUp(net * product.taxBp, 10_000);
}
const quantity = (units: number, scale: number) => new Decimal(units).div(pow10(scale)).toFixed();
const unitsOf = (q: string, scale: number) => new Decimal(q).times(pow10(scale)).toNumber();
const exposureOf = (c: MCustomer, orders: readonly MOrder[]) => c.invoices.reduce((s, i) => s + i.outstanding, 0) + orders.filter((o) => o.customer === c).reduce((s, o) => s + o.creditOpen, 0);

class Model {
  readonly customers: MCustomer[] = [];
  readonly products: MProduct[] = [];
  readonly orders: MOrder[] = [];
  readonly notes: MNote[] = [];

  reservedFor(c: MCustomer) {
    return this.orders.filter((o) => o.customer === c).reduce((s, o) => s + o.creditOpen, 0);
  }
  receivables(c: MCustomer) {
    return c.invoices.reduce((s, i) => s + i.outstanding, 0);
  }

  /** R-CREDIT-4: reserve the order's gross if it fits what is left of the limit (or a decision let it over); else who decides. */
  creditCheck(o: MOrder, approved: boolean): void {
    const c = o.customer;
    const exposure = exposureOf(c, this.orders);
    if (!approved && o.gross > c.limit - exposure) {
      const overBy = exposure + o.gross - c.limit;
      o.status = 'CREDIT_REVIEW';
      o.approver = overBy * 100 > c.limit * 20 ? 'general_manager' : 'finance_manager';
      return;
    }
    o.creditOpen = o.gross;
    this.reserveStock(o);
  }

  /** R-FULFIL-2: each line takes what is available, up to what it still needs. */
  reserveStock(o: MOrder): void {
    for (const l of o.lines) {
      const take = Math.min(l.units - l.reserved - l.shipped, l.product.onHand - l.product.reserved);
      if (take > 0) {
        l.reserved += take;
        l.product.reserved += take;
      }
    }
    o.status = o.lines.every((l) => l.reserved + l.shipped === l.units) ? 'GOODS_RESERVED' : 'AWAITING_STOCK';
  }

  release(o: MOrder): void {
    for (const l of o.lines) {
      l.product.reserved -= l.reserved;
      l.reserved = 0;
    }
    o.creditOpen = 0;
  }

  /** R-BILL-1, R-BILL-3: the note's goods at the order's prices; customer credit pays it first; it takes over the order's reserved credit. */
  invoice(n: MNote, invoiceId: string): void {
    const o = n.order;
    const c = o.customer;
    const gross = n.lines.reduce((s, nl) => {
      const line = o.lines.find((l) => l.lineNo === nl.lineNo)!;
      return s + lineGross(nl.units, line.product, c.prices[line.product.code]!);
    }, 0);
    const used = Math.min(c.credit, gross);
    c.credit -= used;
    c.balance += gross;
    c.invoices.push({ id: invoiceId, gross, outstanding: gross - used, credited: 0 });
    o.creditOpen -= Math.min(o.creditOpen, gross);
  }

  /** R-BILL-3: the named invoice, or the open ones oldest first; the rest is customer credit. */
  pay(c: MCustomer, amount: number, named?: MInvoice): void {
    let left = amount;
    for (const i of named ? [named] : c.invoices) {
      const take = Math.min(left, i.outstanding);
      i.outstanding -= take;
      left -= take;
    }
    c.credit += left;
    c.balance -= amount;
  }

  /** R-BILL-4: an allowance settles its invoice's outstanding first; the rest is customer credit. */
  creditNote(c: MCustomer, i: MInvoice, amount: number): void {
    const settle = Math.min(amount, i.outstanding);
    i.outstanding -= settle;
    i.credited += amount;
    c.credit += amount - settle;
    c.balance -= amount;
  }
}

// ---------------------------------------------------------------- what the system says, and what the model says

type Books = Record<string, string | number>;

function expectedBooks(m: Model, touched: readonly MOrder[]): Books {
  const out: Books = {};
  for (const c of m.customers) {
    const exposure = exposureOf(c, m.orders);
    Object.assign(out, {
      [`${c.name} credit.limit`]: c.limit,
      [`${c.name} credit.exposure`]: exposure,
      [`${c.name} credit.reservedForOrders`]: m.reservedFor(c),
      [`${c.name} credit.receivables`]: m.receivables(c),
      [`${c.name} credit.available`]: c.limit - exposure,
      [`${c.name} ledger.balance`]: c.balance,
      [`${c.name} ledger.customerCredit`]: c.credit,
    });
    for (const i of c.invoices) Object.assign(out, { [`${i.id} gross`]: i.gross, [`${i.id} outstanding`]: i.outstanding });
  }
  for (const p of m.products) {
    Object.assign(out, {
      [`${p.code} stock.onHand`]: p.onHand,
      [`${p.code} stock.reserved`]: p.reserved,
      [`${p.code} stock.available`]: p.onHand - p.reserved,
      [`${p.code} stock.received`]: p.received,
      [`${p.code} stock.issued`]: p.issued,
      [`${p.code} stock.adjusted`]: p.adjusted,
    });
  }
  for (const o of touched) {
    out[`${o.name} status`] = o.status;
    out[`${o.name} gross`] = o.gross;
  }
  return out;
}

async function systemBooks(m: Model, touched: readonly MOrder[]): Promise<Books> {
  const out: Books = {};
  await Promise.all([
    ...m.customers.map(async (c) => {
      const [credit, ledger, invoices] = await Promise.all([
        as(FINANCE).get(`/customers/${c.id}/credit`),
        as(FINANCE).get(`/customers/${c.id}/ledger?limit=1`),
        as(FINANCE).get(`/invoices?customerId=${c.id}&limit=100`),
      ]);
      for (const i of invoices.body.items as { invoiceId: string; gross: { amountMinor: number }; outstanding: { amountMinor: number } }[]) {
        Object.assign(out, { [`${i.invoiceId} gross`]: i.gross.amountMinor, [`${i.invoiceId} outstanding`]: i.outstanding.amountMinor });
      }
      Object.assign(out, {
        [`${c.name} credit.limit`]: credit.body.limit.amountMinor,
        [`${c.name} credit.exposure`]: credit.body.exposure.amountMinor,
        [`${c.name} credit.reservedForOrders`]: credit.body.reservedForOrders.amountMinor,
        [`${c.name} credit.receivables`]: credit.body.receivables.amountMinor,
        [`${c.name} credit.available`]: credit.body.available.amountMinor,
        [`${c.name} ledger.balance`]: ledger.body.balance.amountMinor,
        [`${c.name} ledger.customerCredit`]: ledger.body.customerCredit.amountMinor,
      });
    }),
    ...m.products.map(async (p) => {
      const res = await as(WAREHOUSE).get(`/stock/${p.code}`);
      const b = (res.body.balances as Record<string, string>[]).find((x) => x.specification === p.spec);
      const u = (field: string) => (b ? unitsOf(b[field]!, p.scale) : 0);
      Object.assign(out, {
        [`${p.code} stock.onHand`]: u('onHand'),
        [`${p.code} stock.reserved`]: u('reserved'),
        [`${p.code} stock.available`]: u('available'),
        [`${p.code} stock.received`]: u('received'),
        [`${p.code} stock.issued`]: u('issued'),
        [`${p.code} stock.adjusted`]: u('adjusted'),
      });
    }),
    ...touched.map(async (o) => {
      const order = (await as(REP).get(`/orders/${o.id}`)).body;
      out[`${o.name} status`] = order.status;
      out[`${o.name} gross`] = order.totals?.gross?.amountMinor;
    }),
  ]);
  return out;
}

/** An unexpected answer of the system: the auditor stops the seed and reports it like a mismatch. */
class Unexpected extends Error {}
function expectAnswer(res: { status: number; body: unknown }, status: number, what: string): void {
  if (res.status !== status) throw new Unexpected(`${what}: expected HTTP ${status}, the system answered ${res.status} ${JSON.stringify(res.body)}`);
}

// ---------------------------------------------------------------- one seed

async function taskAbout(userId: string, subjectId: string): Promise<{ taskId: string; type: string } | undefined> {
  await stack.stepFunctions.idle();
  let cursor: string | null = null;
  do {
    const page: { items: { taskId: string; type: string; subject: { id: string } }[]; nextCursor: string | null } = (await as(userId).get(`/tasks?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).body;
    const found = page.items.find((t) => t.subject.id === subjectId);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

async function decide(userId: string, subjectId: string, body: Record<string, unknown>, what: string): Promise<void> {
  const task = await taskAbout(userId, subjectId);
  if (!task) throw new Unexpected(`${what}: ${userId} has no task about ${subjectId}`);
  expectAnswer(await as(userId).post(`/tasks/${task.taskId}/decision`, body), 200, what);
  await stack.stepFunctions.idle();
}

/** Products, customers with their own price lists and limits, opening stock: all of this seed's own. */
async function setUp(seed: number, rnd: ReturnType<typeof prng>): Promise<Model> {
  const m = new Model();
  const tag = `A${seed.toString(36).toUpperCase()}`;
  const plate: MProduct = { code: `${tag}-PLATE`, spec: '10mm', scale: 3, taxBp: 1300, supplier: PRODUCTION, onHand: 0, reserved: 0, received: 0, issued: 0, adjusted: 0 };
  const valve: MProduct = { code: `${tag}-VALVE`, spec: 'PN16', scale: 0, taxBp: 900, supplier: WAREHOUSE, onHand: 0, reserved: 0, received: 0, issued: 0, adjusted: 0 };
  m.products.push(plate, valve);
  expectAnswer(await as(MANAGER).post('/products', newProduct({ productCode: plate.code, name: `Audit plate ${tag}`, specifications: [plate.spec], unit: 't', quantityScale: 3, leadTimeDays: 0 })), 201, 'plate');
  expectAnswer(await as(MANAGER).post('/products', newProduct({ productCode: valve.code, name: `Audit valve ${tag}`, specifications: [valve.spec], unit: 'pcs', quantityScale: 0, productType: 'traded', leadTimeDays: 0, taxRateBasisPoints: valve.taxBp })), 201, 'valve');
  for (const [i, limitYuan] of [40_000, 15_000].entries()) {
    const name = `C${i + 1}`;
    const id = await approvedCustomer(stack, REP, `Audit ${tag} ${name}`, {}, { creditLimit: yuan(limitYuan), paymentTermsDays: 30 });
    // Odd prices, so that rounding to the fen matters: e.g. 0.001 t × 3,987.65 = 3.98765.
    const prices = { [plate.code]: rnd.int(380_000, 420_000) + rnd.int(1, 99), [valve.code]: rnd.int(20_000, 30_000) + rnd.int(1, 99) };
    const c: MCustomer = { name, id, limit: limitYuan * 100, prices, balance: 0, credit: 0, invoices: [] };
    m.customers.push(c);
    const draft = await as(CLERK).post(`/price-lists/${id}/versions`, {
      effectiveFrom: businessDate(),
      items: [
        { productCode: plate.code, specification: plate.spec, listPrice: { amountMinor: prices[plate.code], currency: 'CNY' }, minimumPrice: { amountMinor: prices[plate.code]! - 1_000, currency: 'CNY' } },
        { productCode: valve.code, specification: valve.spec, listPrice: { amountMinor: prices[valve.code], currency: 'CNY' }, minimumPrice: { amountMinor: prices[valve.code]! - 100, currency: 'CNY' } },
      ],
    });
    expectAnswer(draft, 201, 'price list');
    expectAnswer(await as(CLERK).post(`/price-lists/${id}/versions/${draft.body.version}/submission`), 202, 'price list submission');
    await decide(MANAGER, `CUSTOMER#${id}`, { outcome: 'APPROVED' }, 'price list approval');
  }
  for (const p of m.products) {
    const units = p === plate ? rnd.int(1_000, 4_000) : rnd.int(3, 10);
    expectAnswer(await as(WAREHOUSE).post('/stock/receipts', { productCode: p.code, specification: p.spec, quantity: quantity(units, p.scale), source: 'PURCHASE', reference: 'opening stock' }), 201, 'opening stock');
    p.onHand += units;
    p.received += units;
  }
  return m;
}

interface Action {
  weight: number;
  /** Describes the step, calls the API, moves the model; returns the orders it touched. */
  run: () => Promise<MOrder[]>;
}

function actions(m: Model, rnd: ReturnType<typeof prng>, log: string[]): Action[] {
  const step = (text: string) => log.push(text);
  const ordersIn = (...statuses: OrderStatus[]) => m.orders.filter((o) => statuses.includes(o.status));
  const notesIn = (status: MNote['status']) => m.notes.filter((n) => n.status === status);
  const shippable = (o: MOrder) => o.lines.some((l) => l.reserved - l.onNotes > 0);
  const list: Action[] = [];

  // R-INTAKE-2, R-BILL-1: an order of one or two lines at the customer's prices, submitted for review.
  list.push({
    // Fewer new orders while many wait for the order desk, so that orders also get far.
    weight: ordersIn('IN_REVIEW').length >= 3 ? 1 : 3,
    run: async () => {
      const c = rnd.pick(m.customers);
      const products = rnd.chance(0.5) ? m.products : [rnd.pick(m.products)];
      const lines: MLine[] = products.map((p, i) => ({ lineNo: i + 1, product: p, units: p.scale === 3 ? rnd.int(1, 2_500) : rnd.int(1, 10), reserved: 0, onNotes: 0, shipped: 0, delivered: 0 }));
      const gross = lines.reduce((s, l) => s + lineGross(l.units, l.product, c.prices[l.product.code]!), 0);
      const name = `order#${m.orders.length + 1}`;
      step(`${name} for ${c.name}: ${lines.map((l) => `${quantity(l.units, l.product.scale)} ${l.product.code}`).join(' + ')} (gross ${gross})`);
      const created = await as(REP).post('/orders', completeOrder(c.id, { lines: lines.map((l) => ({ productCode: l.product.code, specification: l.product.spec, quantity: quantity(l.units, l.product.scale) })), delivery: { mode: 'pickup' } }));
      expectAnswer(created, 201, name);
      const o: MOrder = { name, id: created.body.orderId, customer: c, lines, gross, status: 'IN_REVIEW', creditOpen: 0 };
      m.orders.push(o);
      expectAnswer(await as(REP).post(`/orders/${o.id}/submission`), 202, `${name} submission`);
      await stack.stepFunctions.idle();
      return [o];
    },
  });
  // R-REVIEW-3: the order desk approves (then credit and stock, R-CREDIT-4, R-FULFIL-2), returns or rejects.
  if (ordersIn('IN_REVIEW').length > 0) {
    list.push({
      weight: 3,
      run: async () => {
        const o = rnd.pick(ordersIn('IN_REVIEW'));
        const outcome = rnd.pick(['APPROVED', 'APPROVED', 'APPROVED', 'APPROVED', 'APPROVED', 'APPROVED', 'RETURNED', 'REJECTED'] as const);
        step(`order desk: ${outcome} ${o.name}`);
        await decide(DESK, o.id, outcome === 'APPROVED' ? { outcome } : { outcome, comment: 'auditor says so' }, `review of ${o.name}`);
        if (outcome === 'APPROVED') m.creditCheck(o, false);
        else o.status = outcome;
        return [o];
      },
    });
  }
  // R-CREDIT-4: over the limit, the finance manager (the GM when over by more than 20%) lets it through or refuses it.
  if (ordersIn('CREDIT_REVIEW').length > 0) {
    list.push({
      weight: 2,
      run: async () => {
        const o = rnd.pick(ordersIn('CREDIT_REVIEW'));
        const approve = rnd.chance(0.6);
        step(`${o.approver}: ${approve ? 'approves' : 'refuses'} credit for ${o.name}`);
        await decide(APPROVER_USER[o.approver!], o.id, approve ? { outcome: 'APPROVED' } : { outcome: 'REJECTED', comment: 'too much' }, `credit decision on ${o.name}`);
        if (approve) m.creditCheck(o, true);
        else o.status = 'RETURNED';
        return [o];
      },
    });
  }
  // R-REVIEW-3: the rep resubmits a returned order.
  if (ordersIn('RETURNED').length > 0) {
    list.push({
      weight: 1,
      run: async () => {
        const o = rnd.pick(ordersIn('RETURNED'));
        step(`resubmit ${o.name}`);
        expectAnswer(await as(REP).post(`/orders/${o.id}/submission`), 202, `${o.name} resubmission`);
        await stack.stepFunctions.idle();
        o.status = 'IN_REVIEW';
        return [o];
      },
    });
  }
  // R-INTAKE-6: the rep cancels any order; only a returned one or one waiting for credit or stock can be, and it gives back what it held.
  if (m.orders.length > 0) {
    list.push({
      weight: 1,
      run: async () => {
        const cancellable = ordersIn('RETURNED', 'CREDIT_REVIEW', 'AWAITING_STOCK');
        const o = cancellable.length > 0 && rnd.chance(0.6) ? rnd.pick(cancellable) : rnd.pick(m.orders);
        const allowed = ['RETURNED', 'CREDIT_REVIEW', 'AWAITING_STOCK'].includes(o.status);
        step(`cancel ${o.name} (${o.status}: ${allowed ? 'allowed' : 'refused'})`);
        expectAnswer(await as(REP).post(`/orders/${o.id}/cancellation`, { reason: 'customer changed its mind' }), allowed ? 200 : 409, `cancel ${o.name}`);
        await stack.stepFunctions.idle();
        if (allowed) {
          m.release(o);
          o.status = 'CANCELLED';
        }
        return [o];
      },
    });
  }
  // R-FULFIL-2: production or purchasing completes a request for a short line; the order reserves again.
  if (ordersIn('AWAITING_STOCK').length > 0) {
    list.push({
      weight: 2,
      run: async () => {
        const o = rnd.pick(ordersIn('AWAITING_STOCK'));
        const requests = ((await as(REP).get(`/orders/${o.id}`)).body.fulfilment?.requests ?? []) as string[];
        const short = o.lines.filter((l) => l.reserved + l.shipped < l.units).map((l) => l.lineNo);
        const lineOf = (id: string) => Number(/-L(\d+)-\d+$/.exec(id)?.[1]);
        if (JSON.stringify(requests.map(lineOf).sort()) !== JSON.stringify(short.sort())) throw new Unexpected(`${o.name}: open supply requests ${requests.join(', ')} but the short lines are ${short.join(', ')}`);
        const requestId = rnd.pick(requests);
        const line = o.lines.find((l) => l.lineNo === lineOf(requestId))!;
        const units = line.units - line.reserved - line.shipped + (rnd.chance(0.5) ? rnd.int(0, line.product.scale === 3 ? 1_000 : 3) : 0);
        step(`complete ${requestId.replace(o.id, o.name)}: ${quantity(units, line.product.scale)} ${line.product.code} received`);
        expectAnswer(await as(line.product.supplier).post(`/supply-requests/${requestId}/completion`, { quantity: quantity(units, line.product.scale), batch: 'B-AUDIT' }), 200, 'supply completion');
        await stack.stepFunctions.idle();
        line.product.onHand += units;
        line.product.received += units;
        m.reserveStock(o);
        return [o];
      },
    });
  }
  // R-FULFIL-3, R-FULFIL-5: the clerk issues a delivery note for what is reserved, all of it or part.
  const toShip = ordersIn('GOODS_RESERVED', 'PARTIALLY_SHIPPED').filter(shippable);
  if (toShip.length > 0) {
    list.push({
      weight: 3,
      run: async () => {
        const o = rnd.pick(toShip);
        const partial = rnd.chance(0.4);
        let lines = o.lines.map((l) => ({ lineNo: l.lineNo, units: l.reserved - l.onNotes })).filter((l) => l.units > 0);
        if (partial) lines = lines.map((l) => ({ ...l, units: rnd.int(1, l.units) })).filter(() => rnd.chance(0.7));
        if (lines.length === 0) lines = [o.lines.map((l) => ({ lineNo: l.lineNo, units: l.reserved - l.onNotes })).find((l) => l.units > 0)!];
        const scaleOf = (lineNo: number) => o.lines.find((l) => l.lineNo === lineNo)!.product.scale;
        step(`delivery note for ${o.name}: ${lines.map((l) => `line ${l.lineNo} ${quantity(l.units, scaleOf(l.lineNo))}`).join(', ')}`);
        const body = partial ? { lines: lines.map((l) => ({ lineNo: l.lineNo, quantity: quantity(l.units, scaleOf(l.lineNo)) })) } : {};
        const res = await as(CLERK).post(`/orders/${o.id}/delivery-notes`, body);
        expectAnswer(res, 201, `note for ${o.name}`);
        const got = (res.body.lines as { lineNo: number; quantity: string }[]).map((l) => ({ lineNo: l.lineNo, units: unitsOf(l.quantity, scaleOf(l.lineNo)) }));
        if (JSON.stringify(got) !== JSON.stringify(lines)) throw new Unexpected(`note for ${o.name}: expected lines ${JSON.stringify(lines)}, the note has ${JSON.stringify(got)}`);
        await stack.stepFunctions.idle();
        for (const nl of lines) o.lines.find((l) => l.lineNo === nl.lineNo)!.onNotes += nl.units;
        m.notes.push({ id: res.body.deliveryNoteId, order: o, lines, status: 'ISSUED' });
        return [o];
      },
    });
  }
  // R-FULFIL-4: finance signs the note off within credit.
  if (notesIn('ISSUED').length > 0) {
    list.push({
      weight: 3,
      run: async () => {
        const n = rnd.pick(notesIn('ISSUED'));
        step(`finance signs off ${n.id} (${n.order.name})`);
        expectAnswer(await as(FINANCE).post(`/delivery-notes/${n.id}/sign-off`, { basis: 'CREDIT' }), 200, `sign-off ${n.id}`);
        await stack.stepFunctions.idle();
        n.status = 'SIGNED_OFF';
        return [n.order];
      },
    });
  }
  // R-FULFIL-4, R-FULFIL-5: the warehouse issues the goods: they leave stock and their reservation.
  if (notesIn('SIGNED_OFF').length > 0) {
    list.push({
      weight: 3,
      run: async () => {
        const n = rnd.pick(notesIn('SIGNED_OFF'));
        step(`warehouse issues the goods of ${n.id} (${n.order.name})`);
        const res = await as(WAREHOUSE).post(`/delivery-notes/${n.id}/goods-issue`, { lines: n.lines.map((l) => ({ lineNo: l.lineNo, batch: 'B-AUDIT', weightKg: '100' })) });
        expectAnswer(res, 200, `goods issue ${n.id}`);
        await stack.stepFunctions.idle();
        const o = n.order;
        for (const nl of n.lines) {
          const l = o.lines.find((x) => x.lineNo === nl.lineNo)!;
          l.reserved -= nl.units;
          l.onNotes -= nl.units;
          l.shipped += nl.units;
          l.product.onHand -= nl.units;
          l.product.reserved -= nl.units;
          l.product.issued += nl.units;
        }
        o.status = o.lines.every((l) => l.shipped === l.units) ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
        n.status = 'GOODS_ISSUED';
        return [o];
      },
    });
  }
  // R-FULFIL-7, R-BILL-1: signed for in full at the gate: the note is invoiced; the last one ends the order.
  if (notesIn('GOODS_ISSUED').length > 0) {
    list.push({
      weight: 3,
      run: async () => {
        const n = rnd.pick(notesIn('GOODS_ISSUED'));
        const o = n.order;
        step(`proof of delivery for ${n.id} (${o.name})`);
        const scaleOf = (lineNo: number) => o.lines.find((l) => l.lineNo === lineNo)!.product.scale;
        const res = await as(WAREHOUSE).post(`/delivery-notes/${n.id}/proof-of-delivery`, {
          signer: '李建国 Li Jianguo',
          signedAt: nowIso(),
          lines: n.lines.map((l) => ({ lineNo: l.lineNo, received: quantity(l.units, scaleOf(l.lineNo)) })),
        });
        expectAnswer(res, 200, `proof of delivery ${n.id}`);
        await stack.stepFunctions.idle();
        const invoiceId = (await as(FINANCE).get(`/delivery-notes/${n.id}`)).body.invoiceId as string | undefined;
        if (!invoiceId) throw new Unexpected(`${n.id} signed for but not invoiced`);
        n.status = 'DELIVERED';
        for (const nl of n.lines) o.lines.find((l) => l.lineNo === nl.lineNo)!.delivered += nl.units;
        m.invoice(n, invoiceId);
        if (o.lines.every((l) => l.delivered === l.units)) {
          // The order's end (R-BILL-1): whatever credit it still held is given back.
          o.status = 'DELIVERED';
          o.creditOpen = 0;
        }
        return [o];
      },
    });
  }
  // R-BILL-2, R-BILL-3: finance records a payment, naming an open invoice or not, short or over.
  const owing = m.customers.some((c) => c.invoices.some((i) => i.outstanding > 0));
  list.push({
    weight: owing ? 3 : 1,
    run: async () => {
      const c = rnd.pick(m.customers);
      const open = c.invoices.filter((i) => i.outstanding > 0);
      const named = open.length > 0 && rnd.chance(0.35) ? rnd.pick(open) : undefined;
      const owed = named?.outstanding ?? open.reduce((s, i) => s + i.outstanding, 0);
      // Short, exact or over (the rest is customer credit); with nothing owed, paid ahead.
      const amount = owed === 0 || rnd.chance(0.25) ? owed + rnd.int(1, 300_000) : rnd.chance(0.2) ? owed : rnd.int(1, owed);
      step(`payment by ${c.name}: ${amount}${named ? ` naming ${named.id}` : ''}`);
      const res = await as(FINANCE).post('/payments', {
        customerId: c.id,
        method: 'BANK_TRANSFER',
        bankReference: `BK-AUDIT-${log.length}`,
        amount: { amountMinor: amount, currency: 'CNY' },
        receivedOn: businessDate(),
        ...(named ? { invoices: [named.id] } : {}),
      });
      expectAnswer(res, 201, 'payment');
      m.pay(c, amount, named);
      return [];
    },
  });
  // Stock receipts and counts: a negative count beyond what is available is refused (reserved goods cannot be counted away).
  list.push({
    weight: 1,
    run: async () => {
      const p = rnd.pick(m.products);
      const units = p.scale === 3 ? rnd.int(1, 3_000) : rnd.int(1, 8);
      step(`warehouse receives ${quantity(units, p.scale)} ${p.code}`);
      expectAnswer(await as(WAREHOUSE).post('/stock/receipts', { productCode: p.code, specification: p.spec, quantity: quantity(units, p.scale), source: 'PURCHASE', reference: 'supplier note' }), 201, 'receipt');
      p.onHand += units;
      p.received += units;
      return [];
    },
  });
  list.push({
    weight: 1,
    run: async () => {
      const p = rnd.pick(m.products);
      const available = p.onHand - p.reserved;
      const magnitude = p.scale === 3 ? rnd.int(1, 2_000) : rnd.int(1, 5);
      const units = rnd.chance(0.6) ? -magnitude : magnitude;
      const allowed = units > 0 || -units <= available;
      step(`stock count of ${p.code}: ${units > 0 ? '+' : ''}${quantity(units, p.scale)} (${allowed ? 'allowed' : 'refused'}: ${quantity(available, p.scale)} available)`);
      expectAnswer(await as(WAREHOUSE).post('/stock/adjustments', { productCode: p.code, specification: p.spec, quantity: quantity(units, p.scale), reason: 'stock count' }), allowed ? 201 : 409, 'adjustment');
      if (allowed) {
        p.onHand += units;
        p.adjusted += units;
      }
      return [];
    },
  });
  // R-BILL-4: a sales allowance on an invoice, approved by the sales manager, issued through the ledger.
  const creditable = m.customers.flatMap((c) => c.invoices.filter((i) => i.gross - i.credited > 0).map((i) => ({ c, i })));
  if (creditable.length > 0) {
    list.push({
      weight: 1,
      run: async () => {
        const { c, i } = rnd.pick(creditable);
        const amount = rnd.int(1, Math.min(i.gross - i.credited, 100_000));
        step(`allowance of ${amount} on ${i.id} (${c.name})`);
        const asked = await as(REP).post('/credit-notes', { invoiceId: i.id, amount: { amountMinor: amount, currency: 'CNY' }, reason: 'auditor allowance' });
        expectAnswer(asked, 202, 'allowance');
        await decide(MANAGER, asked.body.creditNoteId, { outcome: 'APPROVED' }, `allowance ${asked.body.creditNoteId}`);
        m.creditNote(c, i, amount);
        return [];
      },
    });
  }
  return list;
}

function report(seed: number, log: readonly string[], problem: string): string {
  return [
    `Auditor: seed ${seed}, step ${log.length} of ${STEPS}: ${problem}`,
    `Replay exactly this run: AUDIT_SEED=${seed} AUDIT_STEPS=${STEPS} npx vitest run tests/reliability/auditor.test.ts`,
    'Steps:',
    ...log.map((s, i) => `  ${String(i + 1).padStart(3)}. ${s}`),
  ].join('\n');
}

async function audit(seed: number): Promise<{ log: string[]; model: Model }> {
  // A fixed business day, so that every run of a seed sees the same dates (notes are valid on their day only).
  setClock(new Date('2026-11-25T02:00:00Z'));
  const rnd = prng(seed);
  const model = await setUp(seed, rnd);
  const log: string[] = [];
  const check = async (touched: readonly MOrder[]) => {
    const expected = expectedBooks(model, touched);
    const actual = await systemBooks(model, touched);
    const differences = [...new Set([...Object.keys(expected), ...Object.keys(actual)])]
      .filter((k) => expected[k] !== actual[k])
      .map((k) => `${k}: the rules say ${expected[k]}, the system says ${actual[k]}`);
    if (differences.length > 0) throw new Error(report(seed, log, `the books differ\n  ${differences.join('\n  ')}`));
  };
  await check([]);
  for (let i = 0; i < STEPS; i++) {
    const enabled = actions(model, rnd, log);
    let roll = rnd.int(1, enabled.reduce((s, a) => s + a.weight, 0));
    const action = enabled.find((a) => (roll -= a.weight) <= 0)!;
    let touched: MOrder[];
    try {
      touched = await action.run();
    } catch (err) {
      if (err instanceof Unexpected) throw new Error(report(seed, log, err.message), { cause: err });
      throw err;
    }
    await check(touched);
  }
  await check(model.orders);
  return { log, model };
}

describe('auditor: a seeded random workload checked against the rules after every step', () => {
  for (const seed of SEEDS) {
    it(`R-CREDIT-4, R-FULFIL-2, R-FULFIL-5, R-BILL-1, R-BILL-3, R-BILL-4, R-BILL-5: seed ${seed}, ${STEPS} steps: exposure, ledger balance, customer credit and stock match the model after each`, async () => {
      const { log, model } = await audit(seed);
      if (process.env.AUDIT_VERBOSE) console.log(report(seed, log, 'the books matched after every step'));
      // The books were not trivially equal: the run moved money and goods.
      expect(model.orders.length).toBeGreaterThan(0);
      await expectInvariantsHold(stack);
    }, 300_000);
  }
});
