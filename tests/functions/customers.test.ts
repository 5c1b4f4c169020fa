import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, newCustomer, snapshotTables, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let rep: ReturnType<typeof apiAs>;
let otherRep: ReturnType<typeof apiAs>;
let clerk: ReturnType<typeof apiAs>;
let manager: ReturnType<typeof apiAs>;
let auditor: ReturnType<typeof apiAs>;

beforeAll(async () => {
  stack = await startTestStack();
  rep = apiAs(stack, 'wang.qiang');
  otherRep = apiAs(stack, 'li.na');
  clerk = apiAs(stack, 'zhao.min');
  manager = apiAs(stack, 'liu.yang');
  auditor = apiAs(stack, 'gao.shan');
});
afterAll(async () => stack?.stop());

describe('customer archive over HTTP', () => {
  it('R-INFO-1: a sales rep creates a customer with its archive fields and owns it; R-CREDIT-2: it starts in credit review', async () => {
    const res = await rep.post('/customers', newCustomer({ name: 'Archive Fields Ltd', industry: 'steel', size: 'medium', purchaseFrequency: 'monthly', taxId: '91310000MA1FL0001X' }));
    expect(res.status).toBe(201);
    expect(res.body.customerId).toMatch(/^CU-\d{6}$/);
    expect(res.headers.get('location')).toBe(`/customers/${res.body.customerId}`);
    expect(res.body).toMatchObject({ name: 'Archive Fields Ltd', ownerRepId: 'wang.qiang', industry: 'steel', size: 'medium', class: 'regular', version: 1 });
    expect(res.body.createdBy).toEqual({ userId: 'wang.qiang', name: '王强 Wang Qiang' });
    expect(['REQUESTED', 'IN_REVIEW']).toContain(res.body.credit.status);
    expect(res.body.credit.limit).toBeUndefined();

    const read = await rep.get(`/customers/${res.body.customerId}`);
    expect(read.status).toBe(200);
    expect(read.body.contacts).toEqual(newCustomer().contacts);
    expect(read.headers.get('etag')).toBe('"' + read.body.version + '"');
  });

  it('gives each new customer its own number, never reused', async () => {
    const a = await rep.post('/customers', newCustomer({ name: 'Numbering A' }));
    const b = await rep.post('/customers', newCustomer({ name: 'Numbering B' }));
    expect(a.body.customerId).not.toBe(b.body.customerId);
    expect(Number(b.body.customerId.slice(3))).toBeGreaterThan(Number(a.body.customerId.slice(3)));
  });

  it('R-INFO-2: a sales rep cannot read, change or list another rep\'s customer (403)', async () => {
    const mine = (await rep.post('/customers', newCustomer({ name: 'Private Customer' }))).body;
    expect((await otherRep.get(`/customers/${mine.customerId}`)).status).toBe(403);
    expect((await otherRep.get(`/customers/${mine.customerId}/history`)).status).toBe(403);
    const edit = await otherRep.patch(`/customers/${mine.customerId}`, { remarks: 'mine now' });
    expect(edit.status).toBe(403);
    expect(edit.headers.get('content-type')).toBe('application/problem+json');
    expect((await otherRep.get('/customers?ownerRepId=wang.qiang')).status).toBe(403);
    const list = await otherRep.get('/customers?limit=100');
    expect(list.body.items.map((c: { customerId: string }) => c.customerId)).not.toContain(mine.customerId);
  });

  it('R-INFO-2: reads by anyone but the owner are logged with who and when; the owner\'s own reads are not', async () => {
    const c = (await rep.post('/customers', newCustomer({ name: 'Logged Reads Ltd' }))).body;
    await rep.get(`/customers/${c.customerId}`);
    await clerk.get(`/customers/${c.customerId}`);
    await apiAs(stack, 'wu.fang').get(`/customers/${c.customerId}/history`);
    const log = await auditor.get(`/customers/${c.customerId}/access-log`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { by: { userId: string }; what: string; outcome: string }) => [e.by.userId, e.what, e.outcome])).toEqual([
      ['zhao.min', 'customer', 'ALLOWED'],
      ['wu.fang', 'customerHistory', 'ALLOWED'],
    ]);
    expect((await clerk.get(`/customers/${c.customerId}/access-log`)).status).toBe(403);
  });

  it('a sales clerk creates a customer for a named rep and must name one', async () => {
    const missing = await clerk.post('/customers', newCustomer());
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'body.ownerRepId' }));
    const ok = await clerk.post('/customers', newCustomer({ name: 'Clerk Entered', ownerRepId: 'li.na' }));
    expect(ok.status).toBe(201);
    expect(ok.body.ownerRepId).toBe('li.na');
    expect((await otherRep.get(`/customers/${ok.body.customerId}`)).status).toBe(200);
  });

  it('R-INFO-3: every change keeps who, when, before and after', async () => {
    const c = (await rep.post('/customers', newCustomer({ name: 'History Ltd' }))).body;
    await stack.stepFunctions.idle();
    const read = await rep.get(`/customers/${c.customerId}`);
    const changed = await rep.patch(`/customers/${c.customerId}`, { class: 'key', remarks: 'grew fast' }, { 'if-match': read.headers.get('etag')! });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(read.body.version + 1);
    const history = await rep.get(`/customers/${c.customerId}/history`);
    const update = history.body.items.find((e: { action: string }) => e.action === 'customer updated');
    expect(update.by.userId).toBe('wang.qiang');
    expect(update.before).toEqual({ class: 'regular', remarks: null });
    expect(update.after).toEqual({ class: 'key', remarks: 'grew fast' });
    expect(Date.parse(update.at)).not.toBeNaN();
    expect(history.body.items[0].action).toBe('customer created');
  });

  it('refuses a change made on an old version (412) and never loses a concurrent edit', async () => {
    const c = (await rep.post('/customers', newCustomer({ name: 'Concurrent Ltd' }))).body;
    await stack.stepFunctions.idle(); // the credit review workflow changes the customer too
    const etag = (await rep.get(`/customers/${c.customerId}`)).headers.get('etag')!;
    const stale = await rep.patch(`/customers/${c.customerId}`, { remarks: 'late' }, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => rep.patch(`/customers/${c.customerId}`, { remarks: `edit ${i}` }, { 'if-match': etag })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 412)).toBe(true);
    const history = await rep.get(`/customers/${c.customerId}/history?limit=100`);
    expect(history.body.items.filter((e: { action: string }) => e.action === 'customer updated')).toHaveLength(1);
  });

  it('only the sales manager reassigns a customer to another rep', async () => {
    const c = (await rep.post('/customers', newCustomer({ name: 'Reassigned Ltd' }))).body;
    await stack.stepFunctions.idle(); // the credit review workflow changes the customer too
    expect((await rep.patch(`/customers/${c.customerId}`, { ownerRepId: 'li.na' })).status).toBe(403);
    const moved = await manager.patch(`/customers/${c.customerId}`, { ownerRepId: 'li.na' });
    expect(moved.status).toBe(200);
    expect((await rep.get(`/customers/${c.customerId}`)).status).toBe(403);
    expect((await otherRep.get(`/customers/${c.customerId}`)).status).toBe(200);
  });

  it('R-INTAKE-4: a delivery customer needs an address; a pickup customer does not', async () => {
    const noAddress = await rep.post('/customers', newCustomer({ addresses: [] }));
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.errors).toContainEqual(expect.objectContaining({ field: 'body.addresses' }));
    const pickup = await rep.post('/customers', newCustomer({ name: 'Pickup Shop', addresses: [], fulfilmentMode: 'pickup' }));
    expect(pickup.status).toBe(201);
  });

  it('lists and searches by name prefix, case-insensitively, with a cursor', async () => {
    for (const name of ['Searchable Alpha', 'searchable Beta', 'Searchable Gamma']) await rep.post('/customers', newCustomer({ name }));
    const first = await rep.get('/customers?q=SEARCHABLE&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).not.toHaveProperty('contacts');
    const second = await rep.get(`/customers?q=searchable&limit=2&cursor=${first.body.nextCursor}`);
    const names = [...first.body.items, ...second.body.items].map((c: { name: string }) => c.name);
    expect(names).toEqual(['Searchable Alpha', 'searchable Beta', 'Searchable Gamma']);
    expect((await rep.get('/customers?cursor=not-a-cursor')).status).toBe(400);
  });

  it('filters the list by class and by credit status (back office sees every rep\'s customers)', async () => {
    await rep.post('/customers', newCustomer({ name: 'Filter Key Account', class: 'key' }));
    await otherRep.post('/customers', newCustomer({ name: 'Filter Potential', class: 'potential' }));
    await stack.stepFunctions.idle();
    const keys = await clerk.get('/customers?q=filter&class=key');
    expect(keys.body.items.map((c: { name: string }) => c.name)).toEqual(['Filter Key Account']);
    const inReview = await clerk.get('/customers?q=filter&creditStatus=IN_REVIEW&limit=100');
    expect(inReview.body.items.map((c: { name: string }) => c.name).sort()).toEqual(['Filter Key Account', 'Filter Potential']);
    expect((await clerk.get('/customers?q=filter&creditStatus=APPROVED')).body.items).toEqual([]);
    const bad = await clerk.get('/customers?class=vip&limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.class', 'query.limit']);
  });
});

describe('refusals', () => {
  it('401 without a token, as the JWT authorizer answers; 401 with a forged one', async () => {
    const anonymous = await apiAs(stack).get('/customers');
    expect(anonymous.status).toBe(401);
    const forged = await apiAs(stack).get('/customers', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
    expect(forged.status).toBe(401);
  });

  it('403 for a role that may not read customers (warehouse)', async () => {
    const res = await apiAs(stack, 'feng.lei').get('/customers');
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/forbidden');
  });

  it('400 problem+json naming every bad field, and nothing is written', async () => {
    const before = await snapshotTables(stack);
    const res = await rep.post('/customers', {
      name: '',
      contacts: [{ name: 'x', email: 'not-an-email' }],
      class: 'vip',
      fulfilmentMode: 'delivery',
      surprise: true,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: '/problems/validation', status: 400 });
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(
      ['body.addresses', 'body.businessScope', 'body.class', 'body.contacts.0.email', 'body.name', 'body.region', 'body.surprise'].sort(),
    );
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('400 for malformed JSON, for a wrong content type 415, for an unknown id 404', async () => {
    const bad = await rep.post('/customers', '{"name": ', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body');
    const xml = await rep.post('/customers', '<customer/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect((await rep.get('/customers/CU-999999')).status).toBe(404);
    const badId = await rep.get('/customers/not-an-id');
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('params.customerId');
  });
});

describe('Idempotency-Key on POST /customers', () => {
  it('a retried create returns the first customer; the same key with another body is refused (422)', async () => {
    const key = { 'idempotency-key': 'create-customer-0001' };
    const first = await rep.post('/customers', newCustomer({ name: 'Idempotent Ltd' }), key);
    const again = await rep.post('/customers', newCustomer({ name: 'Idempotent Ltd' }), key);
    expect(again.status).toBe(201);
    expect(again.body.customerId).toBe(first.body.customerId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await rep.post('/customers', newCustomer({ name: 'Another Ltd' }), key);
    expect(other.status).toBe(422);
    // The key is the caller's own: another user's identical key creates their own customer.
    const clerkCreate = await clerk.post('/customers', newCustomer({ name: 'Idempotent Ltd', ownerRepId: 'wang.qiang' }), key);
    expect(clerkCreate.status).toBe(201);
    expect(clerkCreate.body.customerId).not.toBe(first.body.customerId);
  });

  it('concurrent retries with one key create one customer', async () => {
    const key = { 'idempotency-key': 'create-customer-concurrent' };
    const results = await Promise.all(Array.from({ length: 10 }, () => rep.post('/customers', newCustomer({ name: 'Once Only Ltd' }), key)));
    const created = new Set(results.filter((r) => r.status === 201).map((r) => r.body.customerId));
    expect(created.size).toBe(1);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const list = await rep.get('/customers?q=once only&limit=100');
    expect(list.body.items).toHaveLength(1);
  });
});
