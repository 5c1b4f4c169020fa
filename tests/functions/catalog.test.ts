/**
 * The catalogue over HTTP (R-INTAKE-5 product data, R-INFO-3 history): a local stack with
 * DynamoDB Local in memory, real requests through the local gateway as demo users.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, newProduct, snapshotTables, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let manager: ReturnType<typeof apiAs>;
let admin: ReturnType<typeof apiAs>;
let rep: ReturnType<typeof apiAs>;
let financeClerk: ReturnType<typeof apiAs>;

beforeAll(async () => {
  stack = await startTestStack();
  manager = apiAs(stack, 'liu.yang');
  admin = apiAs(stack, 'admin');
  rep = apiAs(stack, 'wang.qiang');
  financeClerk = apiAs(stack, 'wu.fang');
});
afterAll(async () => stack?.stop());

const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field).sort();

describe('maintaining the catalogue', () => {
  it('R-INTAKE-5: the sales manager adds a product with its unit, precision and specifications; defaults fill the rest', async () => {
    const res = await manager.post('/products', newProduct({ productCode: 'HRC-Q235', name: '热轧卷板 Hot-rolled coil Q235', specifications: ['2.0x1250', '3.0x1500'] }));
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('location')).toBe('/products/HRC-Q235');
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({
      productCode: 'HRC-Q235',
      name: '热轧卷板 Hot-rolled coil Q235',
      specifications: ['2.0x1250', '3.0x1500'],
      unit: 't',
      quantityScale: 3,
      productType: 'manufactured',
      taxRateBasisPoints: 1300,
      sellable: true,
      leadTimeDays: 0,
      status: 'ACTIVE',
      version: 1,
      createdBy: { userId: 'liu.yang', name: '刘洋 Liu Yang' },
    });

    const read = await rep.get('/products/HRC-Q235');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('the admin maintains the catalogue too: create, update with If-Match, retire', async () => {
    const created = await admin.post('/products', newProduct({ productCode: 'ADM-VALVE', name: 'Admin valve', unit: 'pcs', quantityScale: 0, productType: 'traded' }));
    expect(created.status).toBe(201);
    const updated = await admin.patch('/products/ADM-VALVE', { leadTimeDays: 3, specifications: ['PN16', 'PN25'] }, { 'if-match': created.headers.get('etag')! });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ leadTimeDays: 3, specifications: ['PN16', 'PN25'], version: 2, updatedBy: { userId: 'admin' } });
    expect(updated.headers.get('etag')).toBe('"2"');
    const retired = await admin.post('/products/ADM-VALVE/retirement', { reason: 'supplier discontinued it' }, { 'if-match': '"2"' });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ status: 'RETIRED', sellable: false, version: 3 });
  });

  it('a sales rep or finance gets 403 on every write, writes nothing, and can still read', async () => {
    await manager.post('/products', newProduct({ productCode: 'READ-ONLY', name: 'Read only plate' }));
    const before = await snapshotTables(stack);
    for (const [who, api] of [['sales rep', rep], ['finance', financeClerk]] as const) {
      const create = await api.post('/products', newProduct({ productCode: 'REP-MADE' }));
      expect(create.status, who).toBe(403);
      expect(create.headers.get('content-type'), who).toBe('application/problem+json');
      expect(create.body.type, who).toBe('/problems/forbidden');
      expect((await api.patch('/products/READ-ONLY', { name: 'Mine now' })).status, who).toBe(403);
      expect((await api.post('/products/READ-ONLY/retirement', { reason: 'no' })).status, who).toBe(403);

      expect((await api.get('/products/READ-ONLY')).status, who).toBe(200);
      expect((await api.get('/products?q=read only')).body.items.map((p: { productCode: string }) => p.productCode), who).toEqual(['READ-ONLY']);
      expect((await api.get('/products/READ-ONLY/history')).status, who).toBe(200);
    }
    expect(await snapshotTables(stack)).toEqual(before);
    expect((await apiAs(stack).get('/products')).status).toBe(401);
  });

  it('404 for an unknown product; 400 for a code that cannot be one', async () => {
    const missing = await rep.get('/products/NO-SUCH-THING');
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe('/problems/not-found');
    const bad = await rep.get('/products/lower-case');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['params.productCode']);
  });
});

describe('R-INTAKE-5: product data is checked', () => {
  it('R-INTAKE-5: a bad code, precision outside 0..6, repeated specifications and other bad fields are all named in one 400; nothing is written', async () => {
    const before = await snapshotTables(stack);
    const res = await manager.post('/products', {
      productCode: 'bad code!',
      name: 'Bad product',
      specifications: ['10mm', '12mm', '10mm'],
      unit: '',
      quantityScale: 7,
      productType: 'imported',
      taxRateBasisPoints: 10_001,
      weightKgPerUnit: '1.5kg',
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: '/problems/validation', status: 400 });
    expect(fields(res)).toEqual(
      [
        'body.productCode',
        'body.specifications',
        'body.unit',
        'body.quantityScale',
        'body.productType',
        'body.taxRateBasisPoints',
        'body.weightKgPerUnit',
        'body.colour',
      ].sort(),
    );
    expect(res.body.errors.find((e: { field: string }) => e.field === 'body.specifications').message).toBe('specifications must be unique');
    expect(await snapshotTables(stack)).toEqual(before);
    expect((await manager.get('/products?q=bad product')).body.items).toEqual([]);
  });

  it('R-INTAKE-5: quantityScale is a whole number from 0 to 6', async () => {
    for (const quantityScale of [-1, 7, 2.5, '3']) {
      const res = await manager.post('/products', newProduct({ productCode: 'SCALE-BAD', quantityScale }));
      expect(res.status, String(quantityScale)).toBe(400);
      expect(fields(res), String(quantityScale)).toEqual(['body.quantityScale']);
    }
    for (const quantityScale of [0, 6]) {
      const res = await manager.post('/products', newProduct({ productCode: `SCALE-${quantityScale}`, quantityScale }));
      expect(res.status, String(quantityScale)).toBe(201);
      expect(res.body.quantityScale).toBe(quantityScale);
    }
  });

  it('R-INTAKE-5: specifications are unique after trimming, and at least one is needed', async () => {
    const padded = await manager.post('/products', newProduct({ productCode: 'SPEC-PAD', specifications: ['10mm', ' 10mm '] }));
    expect(padded.status).toBe(400);
    expect(fields(padded)).toEqual(['body.specifications']);
    const none = await manager.post('/products', newProduct({ productCode: 'SPEC-NONE', specifications: [] }));
    expect(none.status).toBe(400);
    expect(fields(none)).toEqual(['body.specifications']);
    const blank = await manager.post('/products', newProduct({ productCode: 'SPEC-BLANK', specifications: ['10mm', '  '] }));
    expect(fields(blank)).toEqual(['body.specifications.1']);
  });

  it('R-INTAKE-5: product codes are capital letters, digits and dashes, 2 to 40 characters', async () => {
    for (const productCode of ['A', 'lower', '-DASH-FIRST', 'HAS SPACE', 'UNDER_SCORE', 'X'.repeat(41), '钢板']) {
      const res = await manager.post('/products', newProduct({ productCode }));
      expect(res.status, productCode).toBe(400);
      expect(fields(res), productCode).toEqual(['body.productCode']);
    }
    for (const productCode of ['AB', '9-MM', 'X'.repeat(40)]) {
      expect((await manager.post('/products', newProduct({ productCode }))).status, productCode).toBe(201);
    }
  });

  it('R-INTAKE-5: an update is checked the same way and names unknown fields; an empty update is refused', async () => {
    const created = await manager.post('/products', newProduct({ productCode: 'UPD-CHECK' }));
    const before = await snapshotTables(stack);
    const bad = await manager.patch('/products/UPD-CHECK', { quantityScale: 9, specifications: ['a', 'a'], status: 'RETIRED', version: 7 }, { 'if-match': created.headers.get('etag')! });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['body.quantityScale', 'body.specifications', 'body.status', 'body.version']);
    const empty = await manager.patch('/products/UPD-CHECK', {});
    expect(empty.status).toBe(400);
    expect(fields(empty)).toEqual(['body']);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('a product code is taken once, even by a retired product (409)', async () => {
    expect((await manager.post('/products', newProduct({ productCode: 'DUP-CODE', name: 'First' }))).status).toBe(201);
    const again = await manager.post('/products', newProduct({ productCode: 'DUP-CODE', name: 'Second' }));
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/conflict');
    expect(again.body.detail).toContain('DUP-CODE');
    expect((await rep.get('/products/DUP-CODE')).body.name).toBe('First');

    await manager.post('/products/DUP-CODE/retirement', { reason: 'replaced' });
    expect((await manager.post('/products', newProduct({ productCode: 'DUP-CODE', name: 'Third' }))).status).toBe(409);
  });
});

describe('concurrent changes', () => {
  it('an update with a stale If-Match is refused (412) and changes nothing', async () => {
    const created = await manager.post('/products', newProduct({ productCode: 'STALE-ETAG', name: 'Stale etag plate' }));
    const first = await admin.patch('/products/STALE-ETAG', { name: 'Renamed by admin' }, { 'if-match': created.headers.get('etag')! });
    expect(first.status).toBe(200);

    const stale = await manager.patch('/products/STALE-ETAG', { name: 'Renamed by manager' }, { 'if-match': created.headers.get('etag')! });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('/problems/precondition-failed');
    const staleRetire = await manager.post('/products/STALE-ETAG/retirement', { reason: 'old' }, { 'if-match': '"1"' });
    expect(staleRetire.status).toBe(412);

    const now = await rep.get('/products/STALE-ETAG');
    expect(now.body).toMatchObject({ name: 'Renamed by admin', version: 2, status: 'ACTIVE' });
    // A weak ETag of the current version is accepted.
    expect((await manager.patch('/products/STALE-ETAG', { leadTimeDays: 4 }, { 'if-match': 'W/"2"' })).status).toBe(200);
  });
});

describe('retirement', () => {
  it('needs a reason', async () => {
    await manager.post('/products', newProduct({ productCode: 'NEEDS-REASON' }));
    const noBody = await manager.request('POST', '/products/NEEDS-REASON/retirement');
    expect(noBody.status).toBe(400);
    expect(fields(noBody)).toEqual(['body']);
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const res = await manager.post('/products/NEEDS-REASON/retirement', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fields(res)).toEqual(['body.reason']);
    }
    expect((await rep.get('/products/NEEDS-REASON')).body.status).toBe('ACTIVE');
  });

  it('takes the product off the list (unless includeRetired=true), keeps it readable by code, and happens once; a retired product cannot change (409)', async () => {
    await manager.post('/products', newProduct({ productCode: 'RETIRE-ME', name: 'Retiring plate' }));
    await manager.post('/products', newProduct({ productCode: 'KEEP-ME', name: 'Retiring plate kept' }));
    const retired = await manager.post('/products/RETIRE-ME/retirement', { reason: 'replaced by Q355' });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ productCode: 'RETIRE-ME', status: 'RETIRED', sellable: false, version: 2, updatedBy: { userId: 'liu.yang' } });

    const codes = async (query: string) => (await rep.get(`/products?${query}`)).body.items.map((p: { productCode: string }) => p.productCode);
    expect(await codes('q=retiring')).toEqual(['KEEP-ME']);
    expect(await codes('q=retiring&includeRetired=false')).toEqual(['KEEP-ME']);
    expect(await codes('q=retiring&includeRetired=true')).toEqual(['KEEP-ME', 'RETIRE-ME']);

    const read = await rep.get('/products/RETIRE-ME');
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('RETIRED');

    const twice = await manager.post('/products/RETIRE-ME/retirement', { reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.type).toBe('/problems/conflict');
    const update = await admin.patch('/products/RETIRE-ME', { sellable: true });
    expect(update.status).toBe(409);
    expect((await rep.get('/products/RETIRE-ME')).body).toMatchObject({ status: 'RETIRED', sellable: false, version: 2 });
  });
});

describe('R-INFO-3: product history', () => {
  it('R-INFO-3: lists create, update and retire with who, when, before and after, and the reason', async () => {
    const created = await manager.post('/products', newProduct({ productCode: 'HIST-PLATE', name: 'History plate' }));
    await admin.patch('/products/HIST-PLATE', { name: 'History plate v2', taxRateBasisPoints: 900 }, { 'if-match': created.headers.get('etag')! });
    await manager.post('/products/HIST-PLATE/retirement', { reason: 'no longer made' });

    const history = await financeClerk.get('/products/HIST-PLATE/history');
    expect(history.status).toBe(200);
    const items = history.body.items as { at: string; by: { userId: string }; action: string; before: unknown; after: Record<string, unknown>; reason?: string }[];
    expect(items.map((e) => [e.action, e.by.userId])).toEqual([
      ['product created', 'liu.yang'],
      ['product updated', 'admin'],
      ['product retired', 'liu.yang'],
    ]);
    expect(items[0]!.before).toBeNull();
    expect(items[0]!.after).toMatchObject({ productCode: 'HIST-PLATE', name: 'History plate', status: 'ACTIVE' });
    expect(items[1]).toMatchObject({ before: { name: 'History plate', taxRateBasisPoints: 1300 }, after: { name: 'History plate v2', taxRateBasisPoints: 900 } });
    expect(items[2]).toMatchObject({ before: { status: 'ACTIVE', sellable: true }, after: { status: 'RETIRED', sellable: false }, reason: 'no longer made' });
    for (const e of items) expect(Date.parse(e.at)).not.toBeNaN();
    expect(items.map((e) => e.at)).toEqual([...items.map((e) => e.at)].sort());

    const paged = await financeClerk.get('/products/HIST-PLATE/history?limit=2');
    expect(paged.body.items).toHaveLength(2);
    const rest = await financeClerk.get(`/products/HIST-PLATE/history?limit=2&cursor=${paged.body.nextCursor}`);
    expect(rest.body.items.map((e: { action: string }) => e.action)).toEqual(['product retired']);
  });

  it('R-INFO-3: a refused change leaves no history entry', async () => {
    const created = await manager.post('/products', newProduct({ productCode: 'HIST-REFUSED' }));
    await manager.patch('/products/HIST-REFUSED', { quantityScale: 8 });
    await manager.patch('/products/HIST-REFUSED', { name: 'x' }, { 'if-match': '"9"' });
    await rep.patch('/products/HIST-REFUSED', { name: 'x' });
    const history = await manager.get('/products/HIST-REFUSED/history');
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['product created']);
    expect(created.status).toBe(201);
  });
});

describe('search', () => {
  it('finds by name prefix, case-insensitively, in name order, page by page with a cursor', async () => {
    for (const [code, name] of [
      ['PAGE-C', 'Pager Gamma'],
      ['PAGE-A', 'pager alpha'],
      ['PAGE-B', 'PAGER Beta'],
      ['PAGE-X', 'Other paging thing'],
    ]) {
      expect((await manager.post('/products', newProduct({ productCode: code, name }))).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { productCode: string }[]; nextCursor: string | null } } = await rep.get(
        `/products?q=PaGeR&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((p) => p.productCode));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['PAGE-A', 'PAGE-B', 'PAGE-C']);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect((await rep.get('/products?cursor=garbage')).status).toBe(400);
  });

  it('with includeRetired, pages through active then retired products without skipping any', async () => {
    for (const code of ['MIX-A', 'MIX-B', 'MIX-C', 'MIX-D']) {
      await manager.post('/products', newProduct({ productCode: code, name: `Mixbag ${code}` }));
    }
    for (const code of ['MIX-B', 'MIX-C', 'MIX-D']) await manager.post(`/products/${code}/retirement`, { reason: 'test' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { productCode: string }[]; nextCursor: string | null } } = await rep.get(
        `/products?q=mixbag&includeRetired=true&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((p) => p.productCode));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['MIX-A', 'MIX-B', 'MIX-C', 'MIX-D']);
  });

  it('filters by product type and sellable', async () => {
    await manager.post('/products', newProduct({ productCode: 'FLT-MADE', name: 'Filterable made', productType: 'manufactured' }));
    await manager.post('/products', newProduct({ productCode: 'FLT-TRADED', name: 'Filterable traded', productType: 'traded' }));
    await manager.post('/products', newProduct({ productCode: 'FLT-HELD', name: 'Filterable held', productType: 'traded', sellable: false }));
    const codes = async (query: string) => (await rep.get(`/products?q=filterable&${query}`)).body.items.map((p: { productCode: string }) => p.productCode);
    expect(await codes('productType=traded')).toEqual(['FLT-HELD', 'FLT-TRADED']);
    expect(await codes('sellable=true')).toEqual(['FLT-MADE', 'FLT-TRADED']);
    expect(await codes('productType=traded&sellable=false')).toEqual(['FLT-HELD']);
    const bad = await rep.get('/products?productType=imported&sellable=maybe&limit=1000');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['query.limit', 'query.productType', 'query.sellable']);
  });
});

describe('Idempotency-Key on POST /products', () => {
  it('a retry returns the same product marked as replayed; the same key with another body is refused (422)', async () => {
    const key = { 'idempotency-key': 'create-product-0001' };
    const first = await manager.post('/products', newProduct({ productCode: 'IDEM-PLATE', name: 'Idempotent plate' }), key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const again = await manager.post('/products', newProduct({ productCode: 'IDEM-PLATE', name: 'Idempotent plate' }), key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe('/products/IDEM-PLATE');

    // Key order and white space of the body do not matter.
    const sent = newProduct({ productCode: 'IDEM-PLATE', name: 'Idempotent plate' });
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(sent).reverse()), null, 2);
    expect(reordered.indexOf('"productCode"')).toBeGreaterThan(reordered.indexOf('"quantityScale"'));
    expect((await manager.post('/products', reordered, key)).headers.get('idempotent-replayed')).toBe('true');

    const other = await manager.post('/products', newProduct({ productCode: 'IDEM-OTHER', name: 'Another plate' }), key);
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
    expect((await rep.get('/products/IDEM-OTHER')).status).toBe(404);

    const history = await rep.get('/products/IDEM-PLATE/history');
    expect(history.body.items).toHaveLength(1);
  });

  it('a refused create does not use up the key', async () => {
    const key = { 'idempotency-key': 'create-product-0002' };
    await manager.post('/products', newProduct({ productCode: 'IDEM-TAKEN' }));
    const conflict = await manager.post('/products', newProduct({ productCode: 'IDEM-TAKEN' }), key);
    expect(conflict.status).toBe(409);
    const ok = await manager.post('/products', newProduct({ productCode: 'IDEM-FREE' }), key);
    expect(ok.status).toBe(201);
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
  });

  it('an Idempotency-Key that is too short is a 400 naming the header', async () => {
    const res = await manager.post('/products', newProduct({ productCode: 'IDEM-SHORT' }), { 'idempotency-key': 'short' });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['headers.idempotency-key']);
    expect((await rep.get('/products/IDEM-SHORT')).status).toBe(404);
  });
});
