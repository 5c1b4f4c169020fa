/**
 * Assignment rules over HTTP (R-FULFIL-1, R-INFO-3 history) and loadAssignmentRules feeding
 * assignmentFor, on one local stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentFor } from '../../functions/assignment/rules.js';
import { loadAssignmentRules } from '../../functions/assignment/store.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let admin: ReturnType<typeof apiAs>;

beforeAll(async () => {
  stack = await startTestStack();
  admin = apiAs(stack, 'admin');
});
afterAll(async () => stack?.stop());

const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field).sort();
const put = (api: ReturnType<typeof apiAs>, path: string, body: unknown, headers?: Record<string, string>) => api.request('PUT', path, body, headers);
const del = (api: ReturnType<typeof apiAs>, path: string, headers?: Record<string, string>) => api.request('DELETE', path, undefined, headers);

const newRule = (overrides: Record<string, unknown> = {}) => ({
  productType: 'manufactured',
  region: 'East',
  department: 'production',
  assigneeUserId: 'xu.gang',
  dueInDays: 5,
  ...overrides,
});

describe('R-FULFIL-1: the admin keeps the assignment rules', () => {
  it('R-FULFIL-1: PUT creates a rule under its id (201), then replaces it with If-Match (200); the same rule again is no new version', async () => {
    const created = await put(admin, '/assignment-rules/EAST-MADE', newRule({ remark: 'plant 1 takes East' }));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/assignment-rules/EAST-MADE');
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ ruleId: 'EAST-MADE', ...newRule(), priority: 0, remark: 'plant 1 takes East', version: 1, createdBy: { userId: 'admin' } });

    const read = await apiAs(stack, 'chen.jie').get('/assignment-rules/EAST-MADE');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const same = await put(admin, '/assignment-rules/EAST-MADE', newRule({ remark: 'plant 1 takes East' }), { 'if-match': '"1"' });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(created.body);

    // PUT replaces the whole rule: the remark it leaves out goes.
    const replaced = await put(admin, '/assignment-rules/EAST-MADE', newRule({ assigneeUserId: 'plant.two', dueInDays: 7, priority: 5 }), { 'if-match': '"1"' });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    expect(replaced.body).toMatchObject({ assigneeUserId: 'plant.two', dueInDays: 7, priority: 5, version: 2, createdAt: created.body.createdAt, updatedBy: { userId: 'admin' } });
    expect(replaced.body.remark).toBeUndefined();
  });

  it('R-INFO-3: creation, change and deletion are in the history with who, before and after; the deleted rule is gone (404)', async () => {
    await put(admin, '/assignment-rules/HIST-RULE', newRule({ productType: 'traded', department: 'warehouse', assigneeUserId: 'feng.lei', dueInDays: 2 }));
    await put(admin, '/assignment-rules/HIST-RULE', newRule({ productType: 'traded', department: 'warehouse', assigneeUserId: 'feng.lei', dueInDays: 3 }), { 'if-match': '"1"' });
    const stale = await del(admin, '/assignment-rules/HIST-RULE', { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const deleted = await del(admin, '/assignment-rules/HIST-RULE', { 'if-match': '"2"' });
    expect(deleted.status).toBe(204);
    expect((await admin.get('/assignment-rules/HIST-RULE')).status).toBe(404);
    expect((await del(admin, '/assignment-rules/HIST-RULE')).status).toBe(404);

    const history = await apiAs(stack, 'gao.shan').get('/assignment-rules/HIST-RULE/history');
    expect(history.status).toBe(200);
    const items = history.body.items as { action: string; by: { userId: string }; before: any; after: any }[];
    expect(items.map((e) => [e.action, e.by.userId])).toEqual([
      ['assignment rule created', 'admin'],
      ['assignment rule changed', 'admin'],
      ['assignment rule deleted', 'admin'],
    ]);
    expect(items[0]).toMatchObject({ before: null, after: { ruleId: 'HIST-RULE', dueInDays: 2 } });
    expect(items[1]).toMatchObject({ before: { dueInDays: 2 }, after: { dueInDays: 3 } });
    expect(items[2]).toMatchObject({ before: { ruleId: 'HIST-RULE', dueInDays: 3, version: 2 }, after: null });

    // The id can be used again; its history goes on.
    expect((await put(admin, '/assignment-rules/HIST-RULE', newRule())).status).toBe(201);
    expect((await admin.get('/assignment-rules/HIST-RULE/history')).body.items).toHaveLength(4);
  });

  it('a stale If-Match is refused (412), as is If-Match on a rule that does not exist; nothing is written', async () => {
    await put(admin, '/assignment-rules/STALE-RULE', newRule());
    await put(admin, '/assignment-rules/STALE-RULE', newRule({ dueInDays: 6 }), { 'if-match': '"1"' });
    const before = await snapshotTables(stack);
    const stale = await put(admin, '/assignment-rules/STALE-RULE', newRule({ dueInDays: 9 }), { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('/problems/precondition-failed');
    expect((await put(admin, '/assignment-rules/NEVER-MADE', newRule(), { 'if-match': '"1"' })).status).toBe(412);
    expect(await snapshotTables(stack)).toEqual(before);
    expect((await put(admin, '/assignment-rules/STALE-RULE', newRule({ dueInDays: 9 }), { 'if-match': 'W/"2"' })).status).toBe(200);
  });

  it('R-FULFIL-1: only the admin writes; the sales manager, order desk and auditor read; everybody else gets 403; nothing is written', async () => {
    await put(admin, '/assignment-rules/ROLE-RULE', newRule());
    const before = await snapshotTables(stack);
    for (const reader of ['liu.yang', 'chen.jie', 'gao.shan']) {
      const api = apiAs(stack, reader);
      expect((await api.get('/assignment-rules/ROLE-RULE')).status, reader).toBe(200);
      expect((await api.get('/assignment-rules')).status, reader).toBe(200);
      expect((await api.get('/assignment-rules/ROLE-RULE/history')).status, reader).toBe(200);
      const write = await put(api, '/assignment-rules/ROLE-RULE', newRule({ dueInDays: 1 }));
      expect(write.status, reader).toBe(403);
      expect(write.body.type, reader).toBe('/problems/forbidden');
      expect((await put(api, '/assignment-rules/NEW-RULE', newRule())).status, reader).toBe(403);
      expect((await del(api, '/assignment-rules/ROLE-RULE')).status, reader).toBe(403);
    }
    for (const outsider of ['wang.qiang', 'zhao.min', 'feng.lei', 'he.jun', 'xu.gang', 'wu.fang', 'zhou.wei']) {
      const api = apiAs(stack, outsider);
      expect((await api.get('/assignment-rules')).status, outsider).toBe(403);
      expect((await api.get('/assignment-rules/ROLE-RULE')).status, outsider).toBe(403);
      expect((await put(api, '/assignment-rules/ROLE-RULE', newRule({ dueInDays: 1 }))).status, outsider).toBe(403);
      expect((await del(api, '/assignment-rules/ROLE-RULE')).status, outsider).toBe(403);
    }
    expect(await snapshotTables(stack)).toEqual(before);
    expect((await apiAs(stack).get('/assignment-rules')).status).toBe(401);
  });
});

describe('R-FULFIL-1: rule data is checked', () => {
  it('R-FULFIL-1: bad fields and a bad rule id are all named in one 400, and nothing is written', async () => {
    const before = await snapshotTables(stack);
    const res = await put(admin, '/assignment-rules/east made', {
      productType: 'imported',
      region: '   ',
      department: 'auditor',
      assigneeUserId: 'xu gang',
      dueInDays: -1,
      priority: 'high',
      owner: 'me',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: '/problems/validation', status: 400 });
    expect(fields(res)).toEqual(
      ['params.ruleId', 'body.productType', 'body.region', 'body.department', 'body.assigneeUserId', 'body.dueInDays', 'body.priority', 'body.owner'].sort(),
    );
    const missing = await put(admin, '/assignment-rules/EMPTY-RULE', {});
    expect(fields(missing)).toEqual(['body.assigneeUserId', 'body.department', 'body.dueInDays', 'body.productType', 'body.region']);
    const noBody = await admin.request('PUT', '/assignment-rules/EMPTY-RULE');
    expect(fields(noBody)).toEqual(['body']);
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('R-FULFIL-1: dueInDays is a whole number from 0 to 365; the department is a role that can act', async () => {
    for (const dueInDays of [-1, 366, 1.5, '3']) {
      const res = await put(admin, '/assignment-rules/DUE-CHECK', newRule({ dueInDays }));
      expect(res.status, String(dueInDays)).toBe(400);
      expect(fields(res), String(dueInDays)).toEqual(['body.dueInDays']);
    }
    for (const department of ['auditor', 'boss', '']) {
      expect(fields(await put(admin, '/assignment-rules/DEPT-CHECK', newRule({ department }))), department).toEqual(['body.department']);
    }
    for (const [i, dueInDays] of [0, 365].entries()) {
      const res = await put(admin, `/assignment-rules/DUE-OK-${i}`, newRule({ dueInDays }));
      expect(res.status, String(dueInDays)).toBe(201);
      expect(res.body.dueInDays).toBe(dueInDays);
    }
    expect((await admin.get('/assignment-rules/DUE-CHECK')).status).toBe(404);
  });
});

describe('R-FULFIL-1: reading the rules', () => {
  it('lists by rule id, page by page, filtered by product type and department', async () => {
    await put(admin, '/assignment-rules/LIST-A', newRule({ productType: '*', region: '*', department: 'order_desk', assigneeUserId: 'chen.jie' }));
    await put(admin, '/assignment-rules/LIST-B', newRule({ productType: 'traded', department: 'warehouse', assigneeUserId: 'feng.lei' }));
    await put(admin, '/assignment-rules/LIST-C', newRule({ productType: 'traded', region: 'West', department: 'warehouse', assigneeUserId: 'feng.lei' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { ruleId: string }[]; nextCursor: string | null } } = await admin.get(`/assignment-rules?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((r) => r.ruleId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['LIST-A', 'LIST-B', 'LIST-C']));
    expect(pages).toBeGreaterThan(1);

    const ids = async (query: string) => (await admin.get(`/assignment-rules?limit=100&${query}`)).body.items.map((r: { ruleId: string }) => r.ruleId).filter((id: string) => id.startsWith('LIST-'));
    expect(await ids('productType=traded')).toEqual(['LIST-B', 'LIST-C']);
    expect(await ids('productType=*')).toEqual(['LIST-A']);
    expect(await ids('department=order_desk')).toEqual(['LIST-A']);
    const bad = await admin.get('/assignment-rules?productType=imported&department=boss');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['query.department', 'query.productType']);
  });

  it('R-FULFIL-1: loadAssignmentRules reads every rule the admin keeps, and assignmentFor assigns an order with them', async () => {
    // More rules than one page of the list: loadAssignmentRules reads them all.
    for (let i = 0; i < 30; i++) {
      expect((await put(admin, `/assignment-rules/BULK-${String(i).padStart(2, '0')}`, newRule({ region: `Region ${i}`, assigneeUserId: `bulk.${i}` }))).status).toBe(201);
    }
    await put(admin, '/assignment-rules/LOAD-NORTH-MADE', newRule({ region: 'North', assigneeUserId: 'north.plant', dueInDays: 4 }));
    await put(admin, '/assignment-rules/LOAD-ANY-TRADED', newRule({ productType: 'traded', region: '*', department: 'warehouse', assigneeUserId: 'feng.lei', dueInDays: 2 }));

    const rules = await loadAssignmentRules();
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { ruleId: string }[]; nextCursor: string | null } } = await admin.get(`/assignment-rules?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      listed.push(...res.body.items.map((r) => r.ruleId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(rules.map((r) => r.ruleId).sort()).toEqual(listed.sort());
    expect(rules.length).toBeGreaterThan(30);
    expect((rules[0] as Record<string, unknown>).listKey).toBeUndefined();

    const north = rules.filter((r) => r.ruleId.startsWith('LOAD-') || r.ruleId.startsWith('BULK-'));
    expect(assignmentFor({ region: 'north', productTypes: ['manufactured', 'traded'] }, north, '2026-11-22')).toEqual({
      manufactured: { department: 'production', assigneeUserId: 'north.plant', dueDate: '2026-11-26', ruleId: 'LOAD-NORTH-MADE' },
      traded: { department: 'warehouse', assigneeUserId: 'feng.lei', dueDate: '2026-11-24', ruleId: 'LOAD-ANY-TRADED' },
    });
    expect(assignmentFor({ region: 'South', productTypes: ['manufactured'] }, north, '2026-11-22')).toEqual({ manufactured: null });
  });
});
