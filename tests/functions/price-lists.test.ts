/**
 * Price lists over HTTP (R-PRICE-1, R-PRICE-2, R-INFO-2, R-INFO-3): drafting, editing, input
 * validation, roles and confidentiality, against a local stack with DynamoDB Local in memory.
 * The approval chain itself is in tests/workflows/price-list-approval.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, newCustomer, newProduct, snapshotTables, startTestStack } from '../support/local-stack.js';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const line = (productCode: string, list: number, min: number, specification?: string) => ({
  productCode,
  ...(specification ? { specification } : {}),
  listPrice: cny(list),
  minimumPrice: cny(min),
});
const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field).sort();

let stack: LocalStack;
let clerk: ReturnType<typeof apiAs>;
let manager: ReturnType<typeof apiAs>;
let customerOfWang: string;
let customerOfLi: string;

beforeAll(async () => {
  setClock(new Date('2026-11-22T03:00:00Z')); // business date 2026-11-22 in Asia/Shanghai
  stack = await startTestStack();
  clerk = apiAs(stack, 'zhao.min');
  manager = apiAs(stack, 'liu.yang');
  expect((await manager.post('/products', newProduct({ productCode: 'PLATE', name: 'Plate', specifications: ['10mm', '12mm'] }))).status).toBe(201);
  expect((await manager.post('/products', newProduct({ productCode: 'VALVE', name: 'Valve', specifications: ['PN16', 'PN25'], unit: 'pcs', quantityScale: 0 }))).status).toBe(201);
  expect((await manager.post('/products', newProduct({ productCode: 'OLD-PART', name: 'Old part' }))).status).toBe(201);
  expect((await manager.post('/products/OLD-PART/retirement', { reason: 'discontinued' })).status).toBe(200);
  customerOfWang = (await apiAs(stack, 'wang.qiang').post('/customers', newCustomer({ name: 'Wang Customer' }))).body.customerId;
  customerOfLi = (await apiAs(stack, 'li.na').post('/customers', newCustomer({ name: 'Li Customer' }))).body.customerId;
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});

describe('drafting a price list', () => {
  it('R-PRICE-1: a sales clerk drafts the general list: version 1, a draft, with its location and ETag; R-INFO-3: the history records it', async () => {
    const res = await clerk.post('/price-lists/GENERAL/versions', {
      effectiveFrom: '2026-12-01',
      items: [line('PLATE', 400_000, 380_000), line('PLATE', 410_000, 390_000, '12mm'), line('VALVE', 25_000, 23_000, 'PN16')],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('location')).toBe('/price-lists/GENERAL/versions/1');
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({
      priceListId: 'GENERAL',
      kind: 'general',
      version: 1,
      status: 'DRAFT',
      effectiveFrom: '2026-12-01',
      currency: 'CNY',
      round: 0,
      revision: 1,
      createdBy: { userId: 'zhao.min' },
    });
    expect(res.body.items).toEqual([line('PLATE', 400_000, 380_000), line('PLATE', 410_000, 390_000, '12mm'), line('VALVE', 25_000, 23_000, 'PN16')]);

    const read = await apiAs(stack, 'sun.li').get('/price-lists/GENERAL/versions/1');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    expect(read.headers.get('etag')).toBe('"1"');

    const lists = await apiAs(stack, 'chen.jie').get('/price-lists');
    expect(lists.body.items).toEqual([
      expect.objectContaining({ priceListId: 'GENERAL', kind: 'general', latestVersion: 1, latestStatus: 'DRAFT', inForce: null, approvedVersions: [] }),
    ]);
    const history = await apiAs(stack, 'gao.shan').get('/price-lists/GENERAL/history');
    expect(history.body.items).toEqual([
      expect.objectContaining({ action: 'version 1 drafted', by: { userId: 'zhao.min', name: expect.any(String) }, before: null, after: expect.objectContaining({ items: res.body.items }) }),
    ]);
  });

  it('R-PRICE-1: one version at a time: another draft waits until the latest is approved (409)', async () => {
    const res = await clerk.post('/price-lists/GENERAL/versions', { effectiveFrom: '2026-12-01', copyLatest: true });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/version 1 is draft/);
  });

  it('an Idempotency-Key retry returns the first answer; the same key with another body is refused', async () => {
    const body = { effectiveFrom: '2026-12-05', items: [line('VALVE', 24_000, 23_000, 'PN16')] };
    const headers = { 'idempotency-key': 'price-list-draft-0001' };
    const first = await clerk.post(`/price-lists/${customerOfLi}/versions`, body, headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ priceListId: `CUSTOMER#${customerOfLi}`, kind: 'customer', customerId: customerOfLi, customerName: 'Li Customer', version: 1 });
    const again = await clerk.post(`/price-lists/${customerOfLi}/versions`, body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await clerk.post(`/price-lists/${customerOfLi}/versions`, { ...body, effectiveFrom: '2026-12-06' }, headers)).status).toBe(422);
  });

  it('R-PRICE-1: bad input names every bad field (minimum above list, unknown product, invalid specification, over-precise money, duplicates) and writes nothing', async () => {
    const before = await snapshotTables(stack);
    const res = await clerk.post(`/price-lists/${customerOfWang}/versions`, {
      effectiveFrom: '2026-11-21',
      items: [
        line('PLATE', 400_000, 400_001),
        line('NO-SUCH', 100, 100),
        line('VALVE', 100, 90, 'PN99'),
        { productCode: 'VALVE', specification: 'PN25', listPrice: cny(25_000.5), minimumPrice: { amountMinor: 23_000, currency: 'USD' } },
        line('PLATE', 1, 1),
        line('OLD-PART', 100, 0),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.type).toBe('/problems/validation');
    expect(fields(res)).toEqual(
      [
        'body.effectiveFrom',
        'body.items.0.minimumPrice',
        'body.items.1.productCode',
        'body.items.2.specification',
        'body.items.3.listPrice.amountMinor',
        'body.items.3.minimumPrice.currency',
        'body.items.4',
        'body.items.5.productCode',
        'body.items.5.minimumPrice.amountMinor',
      ].sort(),
    );
    expect(res.body.errors.find((e: { field: string }) => e.field === 'body.items.4').message).toMatch(/item 0 prices PLATE/);

    // Shape errors are named too: a missing price, an unknown field, a malformed path.
    const shape = await clerk.post('/price-lists/GENERAL-X/versions', { effectiveFrom: 'soon', items: [{ productCode: 'PLATE', listPrice: cny(1), extra: 1 }], copyLatest: 'yes' });
    expect(shape.status).toBe(400);
    expect(fields(shape)).toEqual(
      ['params.priceListId', 'body.effectiveFrom', 'body.items.0.minimumPrice', 'body.items.0.extra', 'body.copyLatest'].sort(),
    );
    expect((await clerk.post('/price-lists/GENERAL/versions', { effectiveFrom: '2026-12-01', copyLatest: true, items: [] })).status).toBe(400);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it("R-PRICE-2: a customer's list needs the customer in the archive (404), and nothing to copy is named", async () => {
    expect((await clerk.post('/price-lists/CU-999999/versions', { effectiveFrom: '2026-12-01' })).status).toBe(404);
    const nothing = await clerk.post(`/price-lists/${customerOfWang}/versions`, { effectiveFrom: '2026-12-01', copyLatest: true });
    expect(nothing.status).toBe(400);
    expect(fields(nothing)).toEqual(['body.copyLatest']);
  });
});

describe('editing a draft', () => {
  it('R-PRICE-1: the clerk edits a draft with If-Match; a stale ETag is refused (412); R-INFO-3: the history keeps the changed lines', async () => {
    const read = await clerk.get('/price-lists/GENERAL/versions/1');
    const edited = await clerk.patch(
      '/price-lists/GENERAL/versions/1',
      { effectiveFrom: '2026-12-02', items: [line('PLATE', 400_000, 380_000), line('PLATE', 415_000, 390_000, '12mm'), line('VALVE', 25_000, 23_000, 'PN25')] },
      { 'if-match': read.headers.get('etag')! },
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ effectiveFrom: '2026-12-02', revision: 2, status: 'DRAFT', updatedBy: { userId: 'zhao.min' } });
    expect(edited.headers.get('etag')).toBe('"2"');

    expect((await clerk.patch('/price-lists/GENERAL/versions/1', { effectiveFrom: '2026-12-03' }, { 'if-match': '"1"' })).status).toBe(412);
    const history = await clerk.get('/price-lists/GENERAL/history');
    expect(history.body.items.at(-1)).toMatchObject({
      action: 'version 1 edited',
      before: { effectiveFrom: '2026-12-01', items: [line('PLATE', 410_000, 390_000, '12mm'), line('VALVE', 25_000, 23_000, 'PN16')] },
      after: { effectiveFrom: '2026-12-02', items: [line('PLATE', 415_000, 390_000, '12mm'), line('VALVE', 25_000, 23_000, 'PN25')] },
    });
  });

  it('R-PRICE-1: an edit is checked like a draft: every bad field named, nothing written; unknown versions are 404', async () => {
    const before = await snapshotTables(stack);
    const res = await clerk.patch('/price-lists/GENERAL/versions/1', { effectiveFrom: '2020-01-01', items: [line('VALVE', 100, 200, 'PN40')] });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['body.effectiveFrom', 'body.items.0.minimumPrice', 'body.items.0.specification']);
    expect((await clerk.patch('/price-lists/GENERAL/versions/1', {})).status).toBe(400);
    expect((await clerk.patch('/price-lists/GENERAL/versions/9', { effectiveFrom: '2026-12-09' })).status).toBe(404);
    expect((await clerk.get('/price-lists/GENERAL/versions/0')).status).toBe(400);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-PRICE-1: a version with no items is not submitted: 422 names the gap', async () => {
    const empty = await clerk.post(`/price-lists/${customerOfWang}/versions`, { effectiveFrom: '2026-12-01' });
    expect(empty.status).toBe(201);
    const res = await clerk.post(`/price-lists/${customerOfWang}/versions/1/submission`);
    expect(res.status).toBe(422);
    expect(fields(res)).toEqual(['items']);
    expect((await clerk.get(`/price-lists/${customerOfWang}/versions/1`)).body.status).toBe('DRAFT');
  });
});

describe('who may do what', () => {
  it('R-PRICE-1: only the sales clerk drafts, edits and submits; everyone else gets 403 and nothing is written', async () => {
    const before = await snapshotTables(stack);
    for (const user of ['liu.yang', 'zhou.wei', 'wang.qiang', 'chen.jie', 'wu.fang', 'gao.shan', 'admin']) {
      const api = apiAs(stack, user);
      expect((await api.post('/price-lists/GENERAL/versions', { effectiveFrom: '2026-12-01', copyLatest: true })).status, user).toBe(403);
      expect((await api.patch('/price-lists/GENERAL/versions/1', { effectiveFrom: '2026-12-09' })).status, user).toBe(403);
      expect((await api.post('/price-lists/GENERAL/versions/1/submission')).status, user).toBe(403);
    }
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-PRICE-1: the readers read; roles outside sales and finance do not', async () => {
    for (const user of ['zhao.min', 'liu.yang', 'sun.li', 'zhou.wei', 'chen.jie', 'wang.qiang', 'wu.fang', 'gao.shan']) {
      expect((await apiAs(stack, user).get('/price-lists/GENERAL/versions/1')).status, user).toBe(200);
      expect((await apiAs(stack, user).get('/price-lists/GENERAL/versions')).status, user).toBe(200);
    }
    for (const user of ['feng.lei', 'he.jun', 'xu.gang', 'ma.lin', 'zheng.hao', 'admin']) {
      expect((await apiAs(stack, user).get('/price-lists')).status, user).toBe(403);
    }
  });

  it("R-INFO-2: a sales rep reads the general list and own customers' lists only; others' reads of a customer's prices are logged", async () => {
    const wang = apiAs(stack, 'wang.qiang');
    const li = apiAs(stack, 'li.na');
    expect((await wang.get(`/price-lists/${customerOfWang}/versions/1`)).status).toBe(200);
    expect((await li.get(`/price-lists/${customerOfWang}/versions/1`)).status).toBe(403);
    expect((await li.get(`/price-lists/${customerOfWang}/versions`)).status).toBe(403);
    expect((await li.get(`/price-lists/${customerOfWang}/history`)).status).toBe(403);

    const ids = async (api: ReturnType<typeof apiAs>) => ((await api.get('/price-lists')).body.items as { priceListId: string }[]).map((l) => l.priceListId).sort();
    expect(await ids(wang)).toEqual([`CUSTOMER#${customerOfWang}`, 'GENERAL']);
    expect(await ids(li)).toEqual([`CUSTOMER#${customerOfLi}`, 'GENERAL']);
    expect(await ids(clerk)).toEqual([`CUSTOMER#${customerOfLi}`, `CUSTOMER#${customerOfWang}`, 'GENERAL'].sort());
    expect(((await clerk.get('/price-lists?kind=customer')).body.items as unknown[]).length).toBe(2);
    expect((await clerk.get('/price-lists?kind=general')).body.items.map((l: { priceListId: string }) => l.priceListId)).toEqual(['GENERAL']);

    // The clerk's read of Wang's customer's prices is on that customer's access log; Wang's own read is not.
    expect((await clerk.get(`/price-lists/${customerOfWang}/versions/1`)).status).toBe(200);
    const log = await manager.get(`/customers/${customerOfWang}/access-log`);
    type Entry = { what: string; version?: number; outcome: string; by: { userId: string } };
    const reads = (log.body.items as Entry[]).filter((e) => e.outcome === 'ALLOWED' && e.what === 'priceListVersion' && e.version === 1);
    const readers = reads.map((e) => e.by.userId);
    expect(readers.length).toBeGreaterThan(0);
    expect(new Set(readers)).toEqual(new Set(['zhao.min']));
    // Li Na's refused attempts are on it too (R-INFO-2); Wang's own reads are not.
    const refused = (log.body.items as Entry[]).filter((e) => e.outcome === 'REFUSED').map((e) => `${e.by.userId} ${e.what}${e.version ? ` ${e.version}` : ''}`);
    expect(refused).toEqual(['li.na priceListVersion 1', 'li.na priceListVersions', 'li.na priceListHistory']);
    expect((log.body.items as Entry[]).map((e) => e.by.userId)).not.toContain('wang.qiang');
  });

  it('lists the versions of a list newest first, without items; an unknown list is 404', async () => {
    const versions = await clerk.get(`/price-lists/${customerOfLi}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 1, status: 'DRAFT', itemCount: 1 })]);
    expect(versions.body.items[0].items).toBeUndefined();
    expect((await clerk.get('/price-lists/CU-999999/versions')).status).toBe(404);
  });
});
