/**
 * The carrier register over HTTP (R-FULFIL-6 pre-qualified carriers, R-INFO-3 history) and the
 * qualification check dispatch calls (assertCarrierQualified), on one local stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertCarrierQualified } from '../../functions/logistics/qualification.js';
import { addDays, businessDate, setClock } from '../../functions/shared/clock.js';
import { HttpError } from '../../functions/shared/errors.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let logistics: ReturnType<typeof apiAs>;
let admin: ReturnType<typeof apiAs>;
let warehouse: ReturnType<typeof apiAs>;

beforeAll(async () => {
  stack = await startTestStack();
  logistics = apiAs(stack, 'he.jun');
  admin = apiAs(stack, 'admin');
  warehouse = apiAs(stack, 'feng.lei');
});
afterAll(async () => stack?.stop());
afterEach(() => setClock(undefined));

const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field).sort();
const put = (api: ReturnType<typeof apiAs>, path: string, body: unknown, headers?: Record<string, string>) => api.request('PUT', path, body, headers);

function newCarrier(overrides: Record<string, unknown> = {}) {
  return {
    name: '顺达物流 Shunda Logistics',
    contact: { name: '赵刚 Zhao Gang', phone: '+86 21 6000 1234' },
    vehicleTypes: ['flatbed 13 m', 'box truck 7.6 m'],
    serviceNotes: 'East China, steel coils up to 30 t',
    ...overrides,
  };
}

const inAYear = () => addDays(businessDate(), 365);

/** What assertCarrierQualified throws, as { status, type, code, message }. */
async function refusal(carrierId: string, onDate: string, field?: string) {
  try {
    await assertCarrierQualified(carrierId, onDate, field ? { field } : {});
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { status: err.status, type: err.type, detail: err.message, errors: err.errors };
  }
  return undefined;
}

describe('R-FULFIL-6: the carrier register', () => {
  it('R-FULFIL-6: logistics adds a carrier; it gets its number and starts not qualified', async () => {
    const res = await logistics.post('/carriers', newCarrier());
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body.carrierId).toMatch(/^CR-\d{6}$/);
    expect(res.headers.get('location')).toBe(`/carriers/${res.body.carrierId}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({
      name: '顺达物流 Shunda Logistics',
      contact: { name: '赵刚 Zhao Gang', phone: '+86 21 6000 1234' },
      vehicleTypes: ['flatbed 13 m', 'box truck 7.6 m'],
      qualified: false,
      qualifiedUntil: null,
      qualificationRemark: 'not qualified yet',
      qualificationDecidedBy: { userId: 'he.jun' },
      version: 1,
      createdBy: { userId: 'he.jun', name: '何军 He Jun' },
    });

    const read = await warehouse.get(`/carriers/${res.body.carrierId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('R-FULFIL-6: the admin adds a carrier qualified from the start, with the date and the reason', async () => {
    const until = inAYear();
    const res = await admin.post('/carriers', newCarrier({ name: 'Qualified Haulage', vehicleTypes: [], qualification: { qualified: true, qualifiedUntil: until, reason: 'audit 2026-11 passed, licences checked' } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ qualified: true, qualifiedUntil: until, qualificationRemark: 'audit 2026-11 passed, licences checked', qualificationDecidedBy: { userId: 'admin' } });
    expect(res.body.qualification).toBeUndefined();
    const history = await logistics.get(`/carriers/${res.body.carrierId}/history`);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({ action: 'carrier created', before: null, after: { qualified: true, qualificationRemark: 'audit 2026-11 passed, licences checked' } });
  });

  it('R-FULFIL-6: every reader role reads the register; the rest get 403, and only logistics and the admin write (nothing written)', async () => {
    const created = await logistics.post('/carriers', newCarrier({ name: 'Roles Test Transport' }));
    const id = created.body.carrierId as string;
    for (const reader of ['he.jun', 'feng.lei', 'zhao.min', 'chen.jie', 'admin', 'gao.shan']) {
      const api = apiAs(stack, reader);
      expect((await api.get(`/carriers/${id}`)).status, reader).toBe(200);
      expect((await api.get('/carriers?q=roles test')).body.items.map((c: { carrierId: string }) => c.carrierId), reader).toEqual([id]);
      expect((await api.get(`/carriers/${id}/history`)).status, reader).toBe(200);
    }
    for (const outsider of ['wang.qiang', 'wu.fang', 'liu.yang', 'xu.gang', 'ma.lin']) {
      const res = await apiAs(stack, outsider).get(`/carriers/${id}`);
      expect(res.status, outsider).toBe(403);
      expect(res.body.type, outsider).toBe('/problems/forbidden');
      expect((await apiAs(stack, outsider).get('/carriers')).status, outsider).toBe(403);
    }

    const before = await snapshotTables(stack);
    for (const writer of ['feng.lei', 'zhao.min', 'chen.jie', 'gao.shan', 'wang.qiang']) {
      const api = apiAs(stack, writer);
      expect((await api.post('/carriers', newCarrier({ name: 'Not mine to add' }))).status, writer).toBe(403);
      expect((await api.patch(`/carriers/${id}`, { name: 'Renamed' })).status, writer).toBe(403);
      expect((await put(api, `/carriers/${id}/qualification`, { qualified: true, qualifiedUntil: inAYear(), reason: 'looks fine' })).status, writer).toBe(403);
    }
    expect(await snapshotTables(stack)).toEqual(before);
    expect((await apiAs(stack).get('/carriers')).status).toBe(401);
  });

  it('404 for an unknown carrier; 400 for a number that cannot be one', async () => {
    const missing = await logistics.get('/carriers/CR-999999');
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe('/problems/not-found');
    const bad = await logistics.get('/carriers/shunda');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['params.carrierId']);
  });
});

describe('R-FULFIL-6: carrier data is checked', () => {
  it('R-FULFIL-6: a new carrier with bad fields gets one 400 naming every one, and nothing is written', async () => {
    const before = await snapshotTables(stack);
    const res = await logistics.post('/carriers', {
      name: '  ',
      contact: { name: 'Zhao Gang', phone: 'call me' },
      vehicleTypes: ['flatbed', 'flatbed'],
      qualification: { qualified: true, reason: '' },
      rating: 5,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: '/problems/validation', status: 400 });
    expect(fields(res)).toEqual(
      ['body.name', 'body.contact.phone', 'body.vehicleTypes', 'body.qualification.reason', 'body.qualification.qualifiedUntil', 'body.rating'].sort(),
    );
    const missing = await logistics.post('/carriers', {});
    expect(fields(missing)).toEqual(['body.contact', 'body.name']);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-FULFIL-6: a qualification needs a date from today on and a reason; a disqualification has no date', async () => {
    const created = await logistics.post('/carriers', newCarrier({ name: 'Checked Freight' }));
    const id = created.body.carrierId as string;
    const before = await snapshotTables(stack);
    const yesterday = addDays(businessDate(), -1);
    const cases: [unknown, string[]][] = [
      [{ qualified: true, reason: 'ok' }, ['body.qualifiedUntil']],
      [{ qualified: true, qualifiedUntil: yesterday, reason: 'ok' }, ['body.qualifiedUntil']],
      [{ qualified: true, qualifiedUntil: '2099-02-30', reason: 'ok' }, ['body.qualifiedUntil']],
      [{ qualified: false, qualifiedUntil: inAYear(), reason: 'accident' }, ['body.qualifiedUntil']],
      [{ qualified: false }, ['body.reason']],
      [{ qualified: 'yes', reason: '   ', until: inAYear() }, ['body.qualified', 'body.reason', 'body.until']],
    ];
    for (const [body, expected] of cases) {
      const res = await put(logistics, `/carriers/${id}/qualification`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fields(res), JSON.stringify(body)).toEqual(expected.sort());
    }
    expect((await put(logistics, `/carriers/${id}/qualification`, { qualified: true, qualifiedUntil: yesterday, reason: 'ok' })).body.errors[0].message).toBe(
      `must be today (${businessDate()}) or later`,
    );
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('an update is checked the same way and cannot change the qualification; an empty update is refused', async () => {
    const created = await logistics.post('/carriers', newCarrier({ name: 'Patch Check Lines' }));
    const id = created.body.carrierId as string;
    const before = await snapshotTables(stack);
    const bad = await logistics.patch(`/carriers/${id}`, { contact: { name: '' }, qualified: true, qualifiedUntil: inAYear(), version: 3 }, { 'if-match': '"1"' });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['body.contact.name', 'body.contact.phone', 'body.qualified', 'body.qualifiedUntil', 'body.version']);
    const empty = await logistics.patch(`/carriers/${id}`, {});
    expect(empty.status).toBe(400);
    expect(fields(empty)).toEqual(['body']);
    expect(await snapshotTables(stack)).toEqual(before);
  });
});

describe('R-FULFIL-6 and R-INFO-3: qualification decisions', () => {
  it('R-INFO-3: qualifying and disqualifying are kept in the history with who, when, before, after and the reason', async () => {
    const created = await logistics.post('/carriers', newCarrier({ name: 'History Haulage' }));
    const id = created.body.carrierId as string;
    const until = inAYear();
    const qualified = await put(logistics, `/carriers/${id}/qualification`, { qualified: true, qualifiedUntil: until, reason: 'site audit passed' }, { 'if-match': '"1"' });
    expect(qualified.status).toBe(200);
    expect(qualified.headers.get('etag')).toBe('"2"');
    expect(qualified.body).toMatchObject({ qualified: true, qualifiedUntil: until, qualificationRemark: 'site audit passed', version: 2, updatedBy: { userId: 'he.jun' } });

    const edited = await admin.patch(`/carriers/${id}`, { contact: { name: '钱勇 Qian Yong', phone: '+86 21 6000 9999' } }, { 'if-match': '"2"' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ qualified: true, contact: { name: '钱勇 Qian Yong' }, version: 3 });

    const disqualified = await put(admin, `/carriers/${id}/qualification`, { qualified: false, reason: 'load lost on 2026-11-20, insurance lapsed' });
    expect(disqualified.status).toBe(200);
    expect(disqualified.body).toMatchObject({ qualified: false, qualifiedUntil: null, qualificationRemark: 'load lost on 2026-11-20, insurance lapsed', qualificationDecidedBy: { userId: 'admin' }, version: 4 });

    const history = await apiAs(stack, 'gao.shan').get(`/carriers/${id}/history`);
    expect(history.status).toBe(200);
    const items = history.body.items as { action: string; by: { userId: string }; before: any; after: any; reason?: string; at: string }[];
    expect(items.map((e) => [e.action, e.by.userId])).toEqual([
      ['carrier created', 'he.jun'],
      ['carrier qualified', 'he.jun'],
      ['carrier updated', 'admin'],
      ['carrier disqualified', 'admin'],
    ]);
    expect(items[1]).toMatchObject({
      reason: 'site audit passed',
      before: { qualified: false, qualifiedUntil: null, qualificationRemark: 'not qualified yet' },
      after: { qualified: true, qualifiedUntil: until, qualificationRemark: 'site audit passed' },
    });
    expect(items[2]!.reason).toBeUndefined();
    expect(items[2]!.after).toEqual({ contact: { name: '钱勇 Qian Yong', phone: '+86 21 6000 9999' } });
    expect(items[3]).toMatchObject({
      reason: 'load lost on 2026-11-20, insurance lapsed',
      before: { qualified: true, qualifiedUntil: until },
      after: { qualified: false, qualifiedUntil: null, qualificationRemark: 'load lost on 2026-11-20, insurance lapsed' },
    });
    expect(items.map((e) => e.at)).toEqual([...items.map((e) => e.at)].sort());
  });

  it('a change or decision on a stale If-Match is refused (412) and leaves no trace', async () => {
    const created = await logistics.post('/carriers', newCarrier({ name: 'Stale Etag Express' }));
    const id = created.body.carrierId as string;
    expect((await admin.patch(`/carriers/${id}`, { serviceNotes: 'night runs too' }, { 'if-match': '"1"' })).status).toBe(200);
    const before = await snapshotTables(stack);
    const stalePatch = await logistics.patch(`/carriers/${id}`, { name: 'Mine' }, { 'if-match': '"1"' });
    expect(stalePatch.status).toBe(412);
    expect(stalePatch.body.type).toBe('/problems/precondition-failed');
    const staleDecision = await put(logistics, `/carriers/${id}/qualification`, { qualified: true, qualifiedUntil: inAYear(), reason: 'ok' }, { 'if-match': '"1"' });
    expect(staleDecision.status).toBe(412);
    expect(await snapshotTables(stack)).toEqual(before);
    expect((await put(logistics, `/carriers/${id}/qualification`, { qualified: true, qualifiedUntil: inAYear(), reason: 'ok' }, { 'if-match': 'W/"2"' })).status).toBe(200);
  });

  it('R-FULFIL-6: qualified=true lists the carriers qualified today — through their last day; expired, disqualified and never qualified ones are not', async () => {
    const make = async (name: string, qualification?: Record<string, unknown>) =>
      (await logistics.post('/carriers', newCarrier({ name, ...(qualification ? { qualification } : {}) }))).body.carrierId as string;
    setClock(new Date('2026-11-21T03:00:00Z'));
    const expired = await make('Listing Expired', { qualified: true, qualifiedUntil: '2026-11-21', reason: 'one day trial' });
    setClock(new Date('2026-11-22T03:00:00Z'));
    expect(businessDate()).toBe('2026-11-22');
    const longTerm = await make('Listing Long Term', { qualified: true, qualifiedUntil: '2027-11-30', reason: 'annual audit' });
    const endsToday = await make('Listing Ends Today', { qualified: true, qualifiedUntil: '2026-11-22', reason: 'one day trial' });
    const never = await make('Listing Never');
    const dropped = await make('Listing Dropped', { qualified: true, qualifiedUntil: '2027-11-30', reason: 'annual audit' });
    expect((await put(logistics, `/carriers/${dropped}/qualification`, { qualified: false, reason: 'damaged goods twice' })).status).toBe(200);

    const ids = async (query: string) => (await warehouse.get(`/carriers?q=listing&${query}`)).body.items.map((c: { carrierId: string }) => c.carrierId).sort();
    expect(await ids('qualified=true')).toEqual([longTerm, endsToday].sort());
    expect(await ids('qualified=false')).toEqual([expired, never, dropped].sort());
    expect(await ids('')).toHaveLength(5);

    // The next business day in Shanghai (UTC+8), the one-day qualification has run out too.
    setClock(new Date('2026-11-22T16:30:00Z'));
    expect(businessDate()).toBe('2026-11-23');
    expect(await ids('qualified=true')).toEqual([longTerm]);
    expect(await ids('qualified=false')).toEqual([expired, endsToday, never, dropped].sort());

    const bad = await warehouse.get('/carriers?qualified=yes&limit=0');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['query.limit', 'query.qualified']);
  });

  it('lists by name page by page with a cursor', async () => {
    for (const name of ['Pager Gamma Freight', 'pager alpha freight', 'PAGER Beta Freight']) await logistics.post('/carriers', newCarrier({ name }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { name: string }[]; nextCursor: string | null } } = await logistics.get(`/carriers?q=PaGeR&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((c) => c.name));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['pager alpha freight', 'PAGER Beta Freight', 'Pager Gamma Freight']);
    expect(pages).toBeGreaterThanOrEqual(2);
  });
});

describe('R-FULFIL-6: assertCarrierQualified, the check at dispatch', () => {
  it('R-FULFIL-6: passes a carrier qualified on the day, through its last qualified day, and returns it', async () => {
    const until = addDays(businessDate(), 30);
    const id = (await logistics.post('/carriers', newCarrier({ name: 'Dispatch Ready', qualification: { qualified: true, qualifiedUntil: until, reason: 'audit passed' } }))).body.carrierId as string;
    expect(await assertCarrierQualified(id, businessDate())).toMatchObject({ carrierId: id, name: 'Dispatch Ready', qualified: true });
    expect(await refusal(id, until)).toBeUndefined();
  });

  it('R-FULFIL-6: refuses an unknown carrier, one not qualified and one whose qualification has run out, each with a 422 saying why', async () => {
    const until = addDays(businessDate(), 10);
    const expiring = (await logistics.post('/carriers', newCarrier({ name: 'Dispatch Expiring', qualification: { qualified: true, qualifiedUntil: until, reason: 'audit passed' } }))).body.carrierId as string;
    const never = (await logistics.post('/carriers', newCarrier({ name: 'Dispatch Never' }))).body.carrierId as string;
    const dropped = (await logistics.post('/carriers', newCarrier({ name: 'Dispatch Dropped', qualification: { qualified: true, qualifiedUntil: until, reason: 'audit passed' } }))).body.carrierId as string;
    await put(logistics, `/carriers/${dropped}/qualification`, { qualified: false, reason: 'driver without licence' });

    const unknown = await refusal('CR-999998', businessDate());
    expect(unknown).toMatchObject({ status: 422, type: '/problems/carrier-not-qualified', errors: [{ field: 'body.carrierId', code: 'unknown_carrier' }] });
    expect(unknown!.detail).toContain('no carrier CR-999998');

    const notQualified = await refusal(never, businessDate());
    expect(notQualified).toMatchObject({ status: 422, errors: [{ code: 'carrier_not_qualified' }] });
    expect(notQualified!.detail).toContain('not a qualified carrier');

    const disqualified = await refusal(dropped, businessDate(), 'body.dispatch.carrierId');
    expect(disqualified).toMatchObject({ status: 422, errors: [{ field: 'body.dispatch.carrierId', code: 'carrier_not_qualified' }] });
    expect(disqualified!.detail).toContain('driver without licence');

    const dayAfter = addDays(until, 1);
    const expired = await refusal(expiring, dayAfter);
    expect(expired).toMatchObject({ status: 422, errors: [{ code: 'carrier_qualification_expired' }] });
    expect(expired!.detail).toContain(`ended on ${until}, before ${dayAfter}`);
  });
});

describe('Idempotency-Key on POST /carriers', () => {
  it('a retry returns the same carrier and number, marked as replayed; another body with the key is refused (422)', async () => {
    const key = { 'idempotency-key': 'create-carrier-0001' };
    const first = await logistics.post('/carriers', newCarrier({ name: 'Idempotent Carriers' }), key);
    expect(first.status).toBe(201);
    const again = await logistics.post('/carriers', newCarrier({ name: 'Idempotent Carriers' }), key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await logistics.post('/carriers', newCarrier({ name: 'Another Carrier' }), key);
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
    expect((await logistics.get('/carriers?q=idempotent')).body.items).toHaveLength(1);
    expect((await logistics.get('/carriers?q=another carrier')).body.items).toHaveLength(0);
  });
});
