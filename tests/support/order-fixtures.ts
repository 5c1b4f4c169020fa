/**
 * What orders stand on, created through the API as the people who own it: products (sales
 * manager), the general price list (clerk drafts, sales manager reviews, GM approves) and
 * customers whose credit finance approved with a contract.
 */
import { expect } from 'vitest';
import { businessDate, nowIso } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, decideTaskAbout, newCustomer, newProduct } from './local-stack.js';

export { decideTaskAbout, openTaskAbout } from './local-stack.js';

/** The states an approved order passes through credit and stock when its exposure fits the limit and its goods are in stock; then it waits for its delivery. */
export const CREDIT_PASSED_STATES = ['AfterReview', 'CreditStart', 'CreditCheck', 'RouteCredit', 'StockStart', 'ReserveStock', 'RouteStock', 'WaitForDelivery'];

/** Stock the fixtures' products start with: plenty, so orders end GOODS_RESERVED unless a test wants a shortfall. */
export const OPENING_STOCK = [
  { productCode: 'PLATE-Q235', specification: '10mm', quantity: '1000' },
  { productCode: 'PLATE-Q235', specification: '12mm', quantity: '1000' },
  { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '10000' },
];

/** The specification the fixtures' orders use for each product. */
const SPEC: Record<string, string> = { 'PLATE-Q235': '10mm', 'VALVE-DN50': 'PN16', 'CABLE-3X95': '0.6/1kV' };

/** The warehouse receives goods into stock (in the specification the fixtures' orders use). */
export async function receiveStock(stack: LocalStack, productCode: string, quantity: string, reference = 'opening stock', specification = SPEC[productCode]) {
  const res = await apiAs(stack, 'feng.lei').post('/stock/receipts', { productCode, specification, quantity, source: 'PURCHASE', reference });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

export const yuan = (major: number) => ({ amountMinor: Math.round(major * 100), currency: 'CNY' });

export const PLATE = newProduct({ productCode: 'PLATE-Q235', name: 'Steel plate Q235', specifications: ['10mm', '12mm'], unit: 't', quantityScale: 3, leadTimeDays: 3 });
export const VALVE = newProduct({ productCode: 'VALVE-DN50', name: 'Gate valve DN50', specifications: ['PN16'], unit: 'pcs', quantityScale: 0, productType: 'traded', leadTimeDays: 0 });
export const CABLE = newProduct({ productCode: 'CABLE-3X95', name: 'Power cable', specifications: ['0.6/1kV'], unit: 'm', quantityScale: 1, leadTimeDays: 0 });

/** Products with their opening stock (`stock`: false for none), and a general price list approved through its whole chain, in force from today. */
export async function seedCatalogueAndPrices(stack: LocalStack, options: { stock?: boolean } = {}): Promise<void> {
  const manager = apiAs(stack, 'liu.yang');
  for (const p of [PLATE, VALVE, CABLE]) expect((await manager.post('/products', p)).status).toBe(201);
  if (options.stock !== false) for (const { productCode, specification, quantity } of OPENING_STOCK) await receiveStock(stack, productCode, quantity, 'opening stock', specification);
  const draft = await apiAs(stack, 'zhao.min').post('/price-lists/GENERAL/versions', {
    effectiveFrom: businessDate(),
    items: [
      { productCode: 'PLATE-Q235', listPrice: yuan(4000), minimumPrice: yuan(3800) },
      { productCode: 'VALVE-DN50', specification: 'PN16', listPrice: yuan(250), minimumPrice: yuan(230) },
    ],
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const version = draft.body.version as number;
  expect((await apiAs(stack, 'zhao.min').post(`/price-lists/GENERAL/versions/${version}/submission`)).status).toBe(202);
  const priceListId = draft.body.priceListId as string;
  expect((await decideTaskAbout(stack, 'liu.yang', priceListId, { outcome: 'APPROVED' })).res.status).toBe(200);
  expect((await decideTaskAbout(stack, 'zhou.wei', priceListId, { outcome: 'APPROVED' })).res.status).toBe(200);
  const approved = await manager.get(`/price-lists/GENERAL/versions/${version}`);
  expect(approved.body.status).toBe('APPROVED');
}

/** A customer of `repId` whose credit finance approved, with a contract in force; `credit` overrides finance's decision (rating, creditLimit, …). */
export async function approvedCustomer(stack: LocalStack, repId: string, name: string, overrides: Record<string, unknown> = {}, credit: Record<string, unknown> = {}) {
  const created = await apiAs(stack, repId).post('/customers', newCustomer({ name, taxId: '91310000MA1FL9999X', ...overrides }));
  expect(created.status).toBe(201);
  const customerId = created.body.customerId as string;
  await decideTaskAbout(stack, 'wu.fang', customerId, {
    outcome: 'APPROVED',
    rating: 'A',
    creditLimit: yuan(1_000_000),
    paymentTermsDays: 30,
    contract: { number: `HT-${customerId}`, validFrom: '2026-01-01', validTo: '2099-12-31' },
    ...credit,
  });
  return customerId;
}

/** A complete order body: two lines at list prices, delivery, credit. */
export function completeOrder(customerId: string, overrides: Record<string, unknown> = {}) {
  return {
    customerId,
    channel: 'phone',
    lines: [
      { productCode: 'PLATE-Q235', specification: '10mm', quantity: '2.5' },
      { productCode: 'VALVE-DN50', specification: 'PN16', quantity: '4' },
    ],
    requestedDeliveryDate: '2099-01-15',
    delivery: { mode: 'delivery', address: { label: 'Site', line1: '1 Site Road', city: 'Shanghai', region: 'Shanghai' } },
    paymentMethod: 'credit',
    ...overrides,
  };
}

/** Expects the answer's status, lets the workflows settle, and gives the body. */
export async function expectStatus(stack: LocalStack, res: Promise<{ status: number; body: any }>, status = 200): Promise<any> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  await stack.stepFunctions.idle();
  return r.body;
}

/**
 * An order of `repId`'s customer collected at the gate: approved by the order desk, a note issued
 * by the clerk, signed off within credit by finance, its goods issued by the warehouse and (unless
 * `signedFor` is false) signed for at the gate — then DELIVERED and invoiced by its workflow.
 */
export async function shipFromGate(
  stack: LocalStack,
  repId: string,
  customerId: string,
  lines: unknown[] = completeOrder(customerId).lines,
  options: { signedFor?: boolean } = {},
): Promise<{ orderId: string; deliveryNoteId: string }> {
  const ok = (res: Promise<{ status: number; body: any }>, status?: number) => expectStatus(stack, res, status);
  const created = await ok(apiAs(stack, repId).post('/orders', completeOrder(customerId, { lines, delivery: { mode: 'pickup' } })), 201);
  const orderId = created.orderId as string;
  await ok(apiAs(stack, repId).post(`/orders/${orderId}/submission`), 202);
  expect((await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
  return { orderId, deliveryNoteId: await shipAtTheGate(stack, orderId, options) };
}

/**
 * An order with its goods reserved, collected at the gate: a note issued by the clerk, signed off
 * within credit by finance, its goods issued by the warehouse and (unless `signedFor` is false)
 * signed for at the gate. Returns the note's id.
 */
export async function shipAtTheGate(stack: LocalStack, orderId: string, options: { signedFor?: boolean } = {}): Promise<string> {
  const ok = (res: Promise<{ status: number; body: any }>, status?: number) => expectStatus(stack, res, status);
  const note = await ok(apiAs(stack, 'zhao.min').post(`/orders/${orderId}/delivery-notes`, {}), 201);
  const noteId = note.deliveryNoteId as string;
  const noteLines = note.lines as { lineNo: number; quantity: string }[];
  await ok(apiAs(stack, 'wu.fang').post(`/delivery-notes/${noteId}/sign-off`, { basis: 'CREDIT' }));
  await ok(apiAs(stack, 'feng.lei').post(`/delivery-notes/${noteId}/goods-issue`, { lines: noteLines.map((l) => ({ lineNo: l.lineNo, batch: `B-${l.lineNo}`, weightKg: '100' })) }));
  if (options.signedFor !== false) {
    await ok(
      apiAs(stack, 'feng.lei').post(`/delivery-notes/${noteId}/proof-of-delivery`, {
        signer: '李建国 Li Jianguo',
        signedAt: nowIso(),
        lines: noteLines.map((l) => ({ lineNo: l.lineNo, received: l.quantity })),
      }),
    );
  }
  return noteId;
}

/** An order collected at the gate and signed for: DELIVERED and invoiced; its id. */
export async function deliveredOrder(stack: LocalStack, repId: string, customerId: string, lines?: unknown[]): Promise<string> {
  return (await shipFromGate(stack, repId, customerId, lines)).orderId;
}
