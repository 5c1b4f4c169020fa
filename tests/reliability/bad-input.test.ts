/**
 * Reliability (issue 8): bad input on every route (DESIGN.md "API": bad input is a 4xx, never a
 * 500, and writes nothing).
 *
 * Every route of the one route table is sent CASES_PER_ROUTE requests drawn by fast-check with a
 * fixed seed, on one local stack holding the demo data (plus a credit note, a return, an export, a
 * report and a statement, so that every path parameter has real entities to point at):
 * - path parameters: real entities found in the tables, well-formed ids of nothing, hostile strings
 *   and broken percent-encoding;
 * - query strings: the schema's own parameters with good and bad values (numbers out of range,
 *   bad dates, forged cursors), unknown parameters, hostile strings;
 * - bodies: the route's known-good body (tests/support/good-bodies.ts) mutated (wrong types,
 *   missing and extra fields, 100,000-character strings, emoji, RTL, NUL, lone surrogates,
 *   negative and fractional money, bad decimals, bad dates, references to entities that do not
 *   exist, deep nesting), random JSON (`fc.jsonValue()`), text that is not JSON, other media types;
 * - callers: no token, a forged, tampered, expired or foreign token, a caller of a wrong role.
 *
 * Every case is bad in at least one way. The route's zod schemas are the oracle for what the
 * API must answer: 401 exactly as API Gateway's JWT authorizer ({"message":"Unauthorized"}),
 * 403, 415, or 400 problem+json naming every failing field (the order routes name, with them, the
 * catalogue's findings on the lines' well-formed fields: ALSO_CHECKED); what passes the schemas but points
 * at nothing must still be a 4xx problem+json. Never a 5xx. The tables are compared before and
 * after the cases of each area (the routes of one tag): nothing may be written, but for one thing:
 * a read of a customer's data refused with 403 is logged on the customer's access log (R-INFO-2),
 * so an access entry with the outcome REFUSED may appear in the audit table; nothing else may.
 *
 * Found by it and fixed: a path parameter that is not valid percent-encoding made the local
 * gateway answer 500 (API Gateway answers 400 {"message":"Bad Request"}); a forged cursor that
 * decodes to a key of the wrong attributes or types made every list and history answer 500
 * (DynamoDB refuses the start key; now a 400 naming query.cursor, pinned by the tests at the end).
 *
 * Replay: FUZZ_SEED=<seed> npx vitest run tests/reliability/bad-input.test.ts -t '<operationId>'
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, businessDate, setClock } from '../../functions/shared/clock.js';
import type { RouteDefinition } from '../../functions/shared/definitions.js';
import { fieldErrors } from '../../functions/shared/http.js';
import { ROUTES, TABLE_LIST } from '../../infra/definitions/index.js';
import { DEMO_USERS, LocalIdentity } from '../../infra/local/auth.js';
import { loadDemoData } from '../../infra/local/demo-data.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { GOOD_BODIES } from '../support/good-bodies.js';
import { apiAs, snapshotTables, startTestStack, type ApiResponse } from '../support/local-stack.js';
import { scanAll } from '../support/scan.js';

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20_261_122);
const CASES_PER_ROUTE = 200;
/** Requests in flight at once: enough to overlap DynamoDB Local with the handlers on two cores. */
const CONCURRENCY = 4;
const HUGE = 100_000;
/** Characters a URL carries as they are: long query values and ids stay long without tripping the 16 kB request-line limit. */
const URL_SAFE = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Part = 'params' | 'query' | 'body';

let stack: LocalStack;
let tables: Record<string, unknown[]>;
/** A token per demo user, and bad Authorization headers with what is wrong with each. */
const tokens = new Map<string, string>();
let badAuth: { why: string; header: string }[] = [];
/** Attribute name → every value it has anywhere in the tables (the real ids path parameters point at). */
const realValues = new Map<string, Set<string>>();
const casesRun = new Map<string, number>();

// ---------------------------------------------------------------------------------------------
// The stack and what is in it
// ---------------------------------------------------------------------------------------------

async function ok(res: Promise<ApiResponse>, ...status: number[]) {
  const r = await res;
  expect(status, JSON.stringify(r.body)).toContain(r.status);
  await stack.stepFunctions.idle();
  return r.body;
}

function collect(value: unknown, key?: string) {
  if (Array.isArray(value)) value.forEach((v) => collect(v, key));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
  else if (key && (typeof value === 'string' || typeof value === 'number')) {
    if (!realValues.has(key)) realValues.set(key, new Set());
    realValues.get(key)!.add(String(value));
  }
}

/** The demo data, and one of each thing it lacks, so that every path parameter has a real target. */
async function seed() {
  await loadDemoData(stack);
  const invoiceId = (await apiAs(stack, 'wu.fang').get('/invoices?customerId=CU-000001')).body.items[0].invoiceId as string;
  const withInvoice = (body: unknown) => ({ ...(body as object), invoiceId });
  await ok(apiAs(stack, 'wu.fang').post('/credit-notes', withInvoice(GOOD_BODIES.requestCreditNote)), 201, 202);
  await ok(apiAs(stack, 'wang.qiang').post('/returns', withInvoice(GOOD_BODIES.requestReturn)), 201, 202);
  const today = businessDate();
  await ok(apiAs(stack, 'zheng.hao').post('/exports', { kind: 'all', from: today, to: today, format: 'csv' }), 202);
  await stack.runJob('sales-summaries', { day: today });
  // This month's statements, made on the 2nd of the next month (the job refuses a month not ended).
  const month = today.slice(0, 7);
  setClock(new Date(`${addMonths(`${month}-02`, 1)}T02:00:00Z`));
  try {
    await stack.runJob('statements-due', { month });
  } finally {
    setClock(undefined);
  }
  await stack.stepFunctions.idle();
  for (const t of TABLE_LIST) collect(await scanAll(stack, t.localName));
}

async function prepareCallers() {
  for (const user of DEMO_USERS) tokens.set(user.userId, await stack.tokenFor(user));
  const anyUser = DEMO_USERS.find((u) => u.userId === 'admin')!;
  const good = tokens.get('admin')!;
  const [header, payload] = good.split('.');
  const asAdmin = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), 'cognito:groups': ['admin', 'general_manager', 'finance_manager'] })).toString('base64url');
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  badAuth = [
    { why: 'expired token', header: `Bearer ${await stack.identity.sign(anyUser, '-1h')}` },
    { why: 'token signed with another key', header: `Bearer ${await LocalIdentity.open(undefined).sign(anyUser)}` },
    { why: 'tampered claims', header: `Bearer ${header}.${asAdmin}.${good.split('.')[2]}` },
    { why: 'alg none', header: `Bearer ${none}.${payload}.` },
    { why: 'not a JWT', header: 'Bearer not-a-token' },
    { why: 'empty bearer', header: 'Bearer ' },
    { why: 'basic auth', header: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { why: 'token without scheme', header: good },
    { why: 'truncated token', header: `Bearer ${good.slice(0, -5)}` },
  ];
}

// The demo data holds six months of past: loading it takes half a minute on an idle machine, more on a busy one.
beforeAll(async () => {
  stack = await startTestStack();
  await seed();
  await prepareCallers();
  tables = await snapshotTables(stack);
}, 300_000);
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});

// ---------------------------------------------------------------------------------------------
// What bad input is made of
// ---------------------------------------------------------------------------------------------

const HOSTILE = [
  '', ' ', '😀', '👨‍👩‍👧‍👦', '\u202eمرحبا שלום', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\u200b', '\ufeff', 'e\u0301',
  '１２３', 'null', 'undefined', 'true', '0', '-1', "'; DROP TABLE orders; --", '<script>alert(1)</script>', '${jndi:ldap://x/a}',
  '../../etc/passwd', '%00', '\\', '"', '{}', '[]', '__proto__', 'constructor', '#', 'CUSTOMER#CU-000001', '\r\n', '\t',
];
const hostileShort = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
const hugeString = fc.constantFrom('a', '中', '😀', '\u202e', '\u0000', '\ud800', 'é').map((c) => c.repeat(Math.ceil(HUGE / c.length)));
const hostileString = fc.oneof({ weight: 5, arbitrary: hostileShort }, { weight: 1, arbitrary: hugeString });

const BAD_DECIMALS = ['-1', '0', '-0.5', '1e3', '1.', '.5', '١٢', '１', '1_000', '1,5', ' 1', '1 ', 'NaN', 'Infinity', '0x1A', '1.234567891', '99999999999999999999999999', '', '+1', '1/2'];
const BAD_DATES = ['2026-02-30', '2026-13-01', '2026-00-10', '20261122', '2026-11-22T00:00:00Z', '26-11-22', 'yesterday', '0000-00-00', '2026-11-22 ', '2026-W47-1', '-002026-11-22', '2026/11/22', '9999-12-32', '2026-11-22T25:00:00Z', '2026-11-22T08:00:00+08:00', '1970-01-01'];
const BAD_NUMBERS: Json[] = [-1, -100_000, 0, 0.5, 1.005, -0.01, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, '100', '', null, true];
const BAD_CURRENCIES = ['cny', 'CN', 'CNYY', '', '元', 'CNY ', 'XXX', '123'];
const CONTENT_TYPES_JSON = ['application/json', 'application/json; charset=utf-8', 'application/problem+json', 'APPLICATION/JSON'];
const CONTENT_TYPES_OTHER = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'text/html; charset=utf-8'];
const NOT_JSON = ['{', '{"a":', "{'a': 1}", '<order/>', 'undefined', 'NaN', '\u0000', '[1,2,', '{"a":1}}', 'customerId=CU-000001', '\ufeff{}', `${'['.repeat(5000)}`, ' '];
/** Body fields that name another entity; an id of nothing there is bad input even when well-formed. */
const REFERENCES = new Set(['customerId', 'invoiceId', 'orderId', 'carrierId', 'productCode', 'invoices', 'deliveryNoteId']);
/** …except where the body names the entity it creates. */
const CREATES: Record<string, string> = { createProduct: 'productCode' };
const ID_LIKE = /^(CU|INV|SO|DN|CR|GR|SR|RC|CN|RT)-[\d-]+$|^[A-Z]+-[A-Z0-9]+$/;
/**
 * Routes whose refusal also carries the catalogue's findings on the lines' well-formed fields
 * (HttpHandlerOptions.alsoCheckRefused; R-INTAKE-2: every bad field at once): their answer names every
 * field the schemas name and may name more, under the lines only and with the catalogue's codes.
 */
const LINE_FIELDS = String.raw`lines\.\d+\.(productCode|specification|quantity|unitPrice\.currency)`;
const ALSO_CHECKED: Record<string, RegExp> = {
  createOrder: new RegExp(`^body\\.${LINE_FIELDS}$`),
  updateOrder: new RegExp(`^body\\.${LINE_FIELDS}$`),
  requestOrderChange: new RegExp(`^body\\.changes\\.${LINE_FIELDS}$`),
};
const CATALOGUE_CODES = new Set(['unknown_product', 'invalid_specification', 'invalid_quantity', 'currency', 'too_big']);

/** A well-formed id of nothing: the first run of digits turned to 9s (CU-000001 → CU-999999). */
function unknownLike(real: string, pattern: RegExp | undefined, reals: Set<string>): string | undefined {
  const candidates = [real.replace(/\d+/, (d) => '9'.repeat(d.length)), `${real}-X9`, `${real}9`];
  return candidates.find((c) => c !== real && !reals.has(c) && (!pattern || pattern.test(c)));
}

const deepNest = (depth: number): Json => {
  let v: Json = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

type Op = { path: (string | number)[]; op: 'set'; value: Json; unknownRef?: boolean } | { path: (string | number)[]; op: 'delete' } | { path: (string | number)[]; op: 'extra'; key: string; value: Json };

function nodesOf(value: Json, path: (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
  const here = [{ path, value }];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => nodesOf(v, [...path, i])));
  if (value && typeof value === 'object') return here.concat(Object.entries(value).flatMap(([k, v]) => nodesOf(v, [...path, k])));
  return here;
}

const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const OTHER_TYPES: Json[] = [null, true, false, 0, -1, 1.5, '', 'x', [], {}, ['x'], { value: 'x' }];

/** The node, if it names another entity, made to name one that does not exist. */
function unknownReference(node: { path: (string | number)[]; value: Json }, operationId: string): Op | undefined {
  const { path, value } = node;
  const key = path.findLast((p) => typeof p === 'string');
  const created = path.length === 1 && CREATES[operationId] === key;
  if (typeof value !== 'string' || typeof key !== 'string' || !REFERENCES.has(key) || created || !ID_LIKE.test(value)) return undefined;
  const unknown = unknownLike(value, undefined, new Set());
  return unknown === undefined ? undefined : { path, op: 'set', value: unknown, unknownRef: true };
}

/** The ways one node of a valid body can be made wrong. */
function mutationsOf(node: { path: (string | number)[]; value: Json }, operationId: string): fc.Arbitrary<Op> {
  const { path, value } = node;
  const set = (arb: fc.Arbitrary<Json>) => arb.map((v): Op => ({ path, op: 'set', value: v }));
  const options: fc.Arbitrary<Op>[] = [
    set(fc.constantFrom(...OTHER_TYPES.filter((v) => typeOf(v) !== typeOf(value)))),
    set(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>),
  ];
  if (path.length > 0) options.push(fc.constant<Op>({ path, op: 'delete' }));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const key = fc.oneof(fc.constantFrom('surprise', '__proto__', 'constructor', 'status', 'version', 'createdBy', '$where'), hostileShort);
    options.push(fc.tuple(key, fc.jsonValue({ maxDepth: 2 })).map(([k, v]): Op => ({ path, op: 'extra', key: k, value: v as Json })));
    if ('amountMinor' in value) {
      options.push(fc.constantFrom(...BAD_NUMBERS).map((v): Op => ({ path: [...path, 'amountMinor'], op: 'set', value: v })));
      options.push(fc.constantFrom(...BAD_CURRENCIES).map((v): Op => ({ path: [...path, 'currency'], op: 'set', value: v })));
    }
  }
  if (Array.isArray(value)) {
    options.push(set(fc.constant([])), set(fc.constant(Array.from({ length: 1000 }, () => value[0] ?? 'x'))), set(fc.constant(deepNest(2000))));
  }
  if (typeof value === 'number') options.push(set(fc.constantFrom(...BAD_NUMBERS)));
  if (typeof value === 'string') {
    options.push(set(hostileString), set(hostileString.map((s) => `${value}${s}`)));
    if (/^-?\d+(\.\d+)?$/.test(value)) options.push(set(fc.constantFrom(...BAD_DECIMALS)));
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) options.push(set(fc.constantFrom(...BAD_DATES)));
    const ref = unknownReference(node, operationId);
    if (ref) options.push(fc.constant(ref));
  }
  return fc.oneof(...options);
}

function apply(body: Json, ops: Op[]): Json {
  let root = structuredClone(body);
  for (const op of ops) {
    if (op.path.length === 0) {
      if (op.op === 'set') root = op.value;
      else if (op.op === 'extra' && root && typeof root === 'object' && !Array.isArray(root)) Object.defineProperty(root, op.key, { value: op.value, enumerable: true, configurable: true, writable: true });
      continue;
    }
    let parent: Json = root;
    for (const step of op.path.slice(0, -1)) {
      parent = parent && typeof parent === 'object' ? ((parent as Record<string, Json>)[step as string] ?? null) : null;
    }
    const last = op.path.at(-1)!;
    if (!parent || typeof parent !== 'object') continue;
    const container = parent as Record<string | number, Json>;
    if (op.op === 'set') container[last] = op.value;
    else if (op.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete container[last];
    } else {
      const target = container[last];
      // defineProperty: "__proto__" becomes an own key, as JSON.parse makes it on the server.
      if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, op.key, { value: op.value, enumerable: true, configurable: true, writable: true });
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// One case: a request, and what the route's schemas say it must get
// ---------------------------------------------------------------------------------------------

type Auth = { kind: 'good' | 'wrongRole'; userId: string } | { kind: 'none' } | { kind: 'bad'; why: string; header: string };
type ParamValue = { kind: 'real' | 'unknown' | 'hostile'; value: string } | { kind: 'malformed'; raw: string };

interface Case {
  auth: Auth;
  params: Record<string, ParamValue>;
  query: [string, string][];
  body?: { text: string; contentType: string; unknownRef: boolean };
  idempotencyKey?: string;
}

interface RouteModel {
  route: RouteDefinition;
  paramNames: string[];
  /** Real and unknown values per path parameter. */
  targets: Record<string, { real: string[]; unknown: string[] }>;
  queryProps: Record<string, Record<string, any>>;
  template?: Json;
  allowed: string[];
  others: string[];
}

function jsonSchemaOf(schema: z.ZodType | undefined): Record<string, any> {
  return schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, any>) : {};
}

function modelOf(route: RouteDefinition): RouteModel {
  const paramNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const paramProps = (jsonSchemaOf(route.params).properties ?? {}) as Record<string, { pattern?: string }>;
  const targets: RouteModel['targets'] = {};
  for (const name of paramNames) {
    const pattern = paramProps[name]?.pattern ? new RegExp(paramProps[name]!.pattern!, 'u') : undefined;
    const reals = new Set([...(realValues.get(name) ?? [])].filter((v) => !pattern || pattern.test(v)));
    const real = [...reals].sort().slice(0, 8);
    const unknown = [...new Set(real.map((r) => unknownLike(r, pattern, reals)).filter((u): u is string => u !== undefined))];
    targets[name] = { real, unknown: unknown.length ? unknown : ['9999'] };
  }
  const roles = route.roles === 'public' ? [] : route.roles;
  const allowed = DEMO_USERS.filter((u) => u.roles.some((r) => roles.includes(r))).map((u) => u.userId);
  const others = DEMO_USERS.filter((u) => !u.roles.some((r) => roles.includes(r))).map((u) => u.userId);
  return { route, paramNames, targets, queryProps: jsonSchemaOf(route.query).properties ?? {}, template: GOOD_BODIES[route.operationId] as Json | undefined, allowed, others };
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url');
/** Cursors that decode to something shaped like a key, or nearly: forged, not given out by the API. */
const forgedCursor = fc.oneof(
  fc.dictionary(fc.constantFrom('pk', 'sk', 'customerId', 'orderId', 'gsi1pk', 'gsi1sk', 'id', 'createdAt', 'status'), fc.oneof(hostileShort, fc.integer(), fc.constantFrom('CU-000001', 'ORDER#SO-2026-000001')), { minKeys: 1, maxKeys: 4 }).map(b64),
  fc.jsonValue({ maxDepth: 2 }).map(b64),
  hostileShort.map(b64),
  fc.constantFrom('not-base64!!', '====', 'e30', b64('[]'), b64('{}'), b64('null'), 'x'.repeat(3000)),
);

function queryValue(prop: Record<string, any>, key: string): fc.Arbitrary<string> {
  const good: fc.Arbitrary<string>[] = [];
  if (Array.isArray(prop.enum)) good.push(fc.constantFrom(...prop.enum.map(String)));
  if (prop.type === 'boolean') good.push(fc.constantFrom('true', 'false'));
  if (prop.type === 'integer' || prop.type === 'number') good.push(fc.integer({ min: prop.minimum ?? 0, max: Math.min(prop.maximum ?? 1000, 1000) }).map(String));
  if (prop.format === 'date') good.push(fc.constant(businessDate()));
  const reals = [...(realValues.get(key) ?? [])].filter((v) => !prop.pattern || new RegExp(prop.pattern, 'u').test(v)).slice(0, 5);
  if (reals.length) good.push(fc.constantFrom(...reals));
  const bad: fc.Arbitrary<string>[] = [
    hostileShort,
    fc.constantFrom('-1', '0', '101', '1.5', '1e2', ' 5', '0x10', 'NaN', 'maybe', 'TRUE', ''),
    fc.constantFrom(...BAD_DATES),
    // Long but within the URL length API Gateway and Node accept (the request line stays under 16 kB).
    fc.string({ unit: URL_SAFE, minLength: 2049, maxLength: 2600 }),
  ];
  if (key === 'cursor') bad.push(forgedCursor);
  return good.length ? fc.oneof({ weight: 2, arbitrary: fc.oneof(...good) }, { weight: 3, arbitrary: fc.oneof(...bad) }) : fc.oneof(...bad);
}

function caseArbitrary(m: RouteModel): fc.Arbitrary<Case> {
  const { route } = m;
  const isPublic = route.roles === 'public';
  const auth: fc.Arbitrary<Auth> = isPublic
    ? fc.constant({ kind: 'none' })
    : fc.oneof(
        { weight: 7, arbitrary: fc.constantFrom(...m.allowed).map((userId): Auth => ({ kind: 'good', userId })) },
        { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'none' }) },
        { weight: 1, arbitrary: fc.constantFrom(...badAuth).map((b): Auth => ({ kind: 'bad', ...b })) },
        ...(m.others.length ? [{ weight: 1, arbitrary: fc.constantFrom(...m.others).map((userId): Auth => ({ kind: 'wrongRole', userId })) }] : []),
      );

  const paramArbs: Record<string, fc.Arbitrary<ParamValue>> = {};
  for (const name of m.paramNames) {
    const { real, unknown } = m.targets[name]!;
    paramArbs[name] = fc.oneof(
      ...(real.length ? [{ weight: 4, arbitrary: fc.constantFrom(...real).map((value): ParamValue => ({ kind: 'real', value })) }] : []),
      { weight: 2, arbitrary: fc.constantFrom(...unknown).map((value): ParamValue => ({ kind: 'unknown', value })) },
      {
        weight: 2,
        arbitrary: fc
          .oneof(hostileShort, fc.string({ unit: URL_SAFE, minLength: 300, maxLength: 1000 }), fc.constantFrom(...(real.length ? real : ['X'])).map((r) => r.toLowerCase()))
          .filter((s) => s.length > 0 && s !== '.' && s !== '..')
          .map((value): ParamValue => ({ kind: 'hostile', value })),
      },
      { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%AF', '%ED%A0%80', 'CU-%FF', '%u0041').map((raw): ParamValue => ({ kind: 'malformed', raw })) },
    );
  }
  const params = fc.record(paramArbs);

  const queryKeys = Object.keys(m.queryProps);
  const pair = fc.oneof(
    ...(queryKeys.length ? [{ weight: 4, arbitrary: fc.constantFrom(...queryKeys).chain((k) => queryValue(m.queryProps[k]!, k).map((v): [string, string] => [k, v])) }] : []),
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constantFrom('surprise', '__proto__', 'limit[]', 'status', ''), hostileShort), hostileShort) },
  );
  const query = fc.array(pair, { maxLength: 4 });

  type Body = Case['body'];
  const asJson = (v: Json, unknownRef = false) => fc.constantFrom(...CONTENT_TYPES_JSON).map((contentType): Body => ({ text: JSON.stringify(v), contentType, unknownRef }));
  const randomJson = fc.jsonValue({ maxDepth: 4 }).chain((v) => asJson(v as Json));
  const notJson = fc.oneof(fc.constantFrom(...NOT_JSON), fc.string({ unit: 'binary', minLength: 1, maxLength: 50 })).map((text): Body => ({ text, contentType: 'application/json', unknownRef: false }));
  let body: fc.Arbitrary<Body>;
  if (route.body) {
    const template = m.template!;
    const nodes = nodesOf(template);
    const mutated = fc
      .array(fc.constantFrom(...nodes).chain((node) => mutationsOf(node, route.operationId)), { minLength: 1, maxLength: 3 })
      .chain((ops) => asJson(apply(template, ops), ops.some((o) => o.op === 'set' && o.unknownRef)));
    // The valid body pointing at something that does not exist: past the schemas, into the handler.
    const references = nodes.map((node) => unknownReference(node, route.operationId)).filter((op) => op !== undefined);
    const unknownRef = references.length ? fc.constantFrom(...references).chain((op) => asJson(apply(template, [op]), true)) : undefined;
    body = fc.oneof(
      { weight: 8, arbitrary: mutated },
      { weight: 2, arbitrary: randomJson },
      { weight: 1, arbitrary: notJson },
      { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES_OTHER).map((contentType): Body => ({ text: JSON.stringify(template), contentType, unknownRef: false })) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: asJson(template) },
      ...(unknownRef ? [{ weight: 2, arbitrary: unknownRef }] : []),
    );
  } else if (route.method === 'GET') {
    body = fc.constant(undefined); // fetch, like browsers, sends no body with a GET
  } else {
    body = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: randomJson }, { weight: 1, arbitrary: notJson }, { weight: 1, arbitrary: asJson({}) });
  }

  const idempotencyKey = route.idempotent
    ? fc.option(fc.oneof(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 8, maxLength: 40 }), fc.constantFrom('short', 'k'.repeat(129), '        ', '1234567')), { nil: undefined })
    : fc.constant(undefined);

  return fc
    .record({ auth, params, query, body, idempotencyKey })
    .map((c): Case => ({ ...c, ...(c.body ? {} : { body: undefined }), ...(c.idempotencyKey === undefined ? { idempotencyKey: undefined } : {}) }))
    .filter((c) => isPublic || expectationOf(m, c).bad);
}

type Expectation =
  | { kind: 'public' }
  | { kind: 'malformedPath' }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' }
  | { kind: 'unsupportedMediaType' }
  | { kind: 'invalid'; fields: string[] }
  | { kind: 'refused' }
  | { kind: 'valid' };

/** What the server sees of a case (as the gateway decodes it), checked against the route's schemas. */
function expectationOf(m: RouteModel, c: Case): Expectation & { bad: boolean } {
  const { route } = m;
  if (Object.values(c.params).some((p) => p.kind === 'malformed')) return { kind: 'malformedPath', bad: true };
  if (route.roles === 'public') return { kind: 'public', bad: true };
  if (c.auth.kind === 'none' || c.auth.kind === 'bad') return { kind: 'unauthorized', bad: true };
  if (c.auth.kind === 'wrongRole') return { kind: 'forbidden', bad: true };
  const body = c.body && c.body.text.length > 0 ? c.body : undefined;
  if (body && !/^application\/([\w.+-]+\+)?json\b/i.test(body.contentType)) return { kind: 'unsupportedMediaType', bad: true };

  const fields: string[] = [];
  const check = (part: Part, schema: z.ZodType | undefined, input: unknown) => {
    if (!schema) return;
    const result = schema.safeParse(input);
    if (!result.success) fields.push(...fieldErrors(part, result.error).map((e) => e.field));
  };
  const params: Record<string, string> = {};
  for (const [name, p] of Object.entries(c.params)) if (p.kind !== 'malformed') params[name] = Buffer.from(p.value, 'utf8').toString('utf8');
  check('params', route.params, params);
  const query: Record<string, string> = {};
  const seen = new URLSearchParams(new URLSearchParams(c.query).toString());
  for (const key of new Set(seen.keys())) query[key] = seen.getAll(key).join(',');
  check('query', route.query, query);
  if (body) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body.text, 'utf8').toString('utf8'));
      if (route.body) check('body', route.body, parsed);
      else fields.push('body');
    } catch {
      fields.push('body');
    }
  } else if (route.body) fields.push('body');
  if (fields.length) return { kind: 'invalid', fields: [...new Set(fields)].sort(), bad: true };
  if (c.idempotencyKey && c.idempotencyKey.length > 0 && (c.idempotencyKey.length < 8 || c.idempotencyKey.length > 128)) {
    return { kind: 'invalid', fields: ['headers.idempotency-key'], bad: true };
  }
  const unknownTarget = Object.values(c.params).some((p) => p.kind === 'unknown') && route.operationId !== 'putAssignmentRule';
  if (unknownTarget || body?.unknownRef) return { kind: 'refused', bad: true };
  return { kind: 'valid', bad: false };
}

function urlOf(m: RouteModel, c: Case): string {
  const path = m.route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = c.params[name]!;
    // Lone surrogates cannot be percent-encoded: they go as U+FFFD, as a browser sends them.
    return p.kind === 'malformed' ? p.raw : encodeURIComponent(Buffer.from(p.value, 'utf8').toString('utf8'));
  });
  const qs = new URLSearchParams(c.query).toString();
  return qs ? `${path}?${qs}` : path;
}

const short = (v: unknown) => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text && text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
};

async function send(m: RouteModel, c: Case): Promise<ApiResponse> {
  if (m.route.roles === 'public') {
    // Only the status matters here, and the OpenAPI document is large: read it, do not parse it 200 times.
    const res = await fetch(`${stack.url}${urlOf(m, c)}`);
    await res.arrayBuffer();
    return { status: res.status, headers: res.headers, body: undefined };
  }
  const headers: Record<string, string> = {};
  if (c.auth.kind === 'good' || c.auth.kind === 'wrongRole') headers.authorization = `Bearer ${tokens.get(c.auth.userId)}`;
  if (c.auth.kind === 'bad') headers.authorization = c.auth.header;
  if (c.body) headers['content-type'] = c.body.contentType;
  if (c.idempotencyKey !== undefined) headers['idempotency-key'] = c.idempotencyKey;
  return apiAs(stack).request(m.route.method, urlOf(m, c), c.body?.text, headers);
}

/** The answer the case must get; throws with the case and the answer when it does not. */
async function checkCase(m: RouteModel, c: Case): Promise<void> {
  const expected = expectationOf(m, c);
  const res = await send(m, c);
  const problems: string[] = [];
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status >= 500) problems.push(`a ${res.status}`);
  if (expected.kind === 'unauthorized') {
    if (res.status !== 401 || JSON.stringify(res.body) !== '{"message":"Unauthorized"}') problems.push('not the JWT authorizer\'s 401 {"message":"Unauthorized"}');
  } else if (expected.kind === 'malformedPath') {
    if (res.status !== 400 || JSON.stringify(res.body) !== '{"message":"Bad Request"}') problems.push('a path that is not valid percent-encoding did not get API Gateway\'s 400 {"message":"Bad Request"}');
  } else if (res.status >= 400) {
    const b = res.body as Record<string, any>;
    if (contentType !== 'application/problem+json') problems.push(`content-type ${contentType}, not application/problem+json`);
    if (!b || b.status !== res.status || typeof b.type !== 'string' || typeof b.title !== 'string' || typeof b.detail !== 'string') problems.push('not a problem with status, type, title and detail');
  }
  if (expected.kind === 'public' && res.status !== 200) problems.push('a public route did not answer 200');
  if (expected.kind === 'forbidden' && res.status !== 403) problems.push('a caller of a wrong role was not refused with 403');
  if (expected.kind === 'unsupportedMediaType' && res.status !== 415) problems.push('a body that is not JSON was not refused with 415');
  if (expected.kind === 'invalid') {
    const b = res.body as { errors?: { field: string; message: string; code: string }[] };
    const got = [...new Set((b?.errors ?? []).map((e) => e.field))].sort();
    if (res.status !== 400) problems.push('invalid input was not refused with 400');
    else if (!b.errors?.every((e) => typeof e.field === 'string' && typeof e.message === 'string' && typeof e.code === 'string')) problems.push('errors are not {field, message, code}');
    else {
      const alsoChecked = ALSO_CHECKED[m.route.operationId];
      const extra = (b.errors ?? []).filter((e) => !expected.fields.includes(e.field));
      const missed = expected.fields.filter((f) => !got.includes(f));
      const extraAllowed = alsoChecked !== undefined && extra.every((e) => alsoChecked.test(e.field) && CATALOGUE_CODES.has(e.code));
      if (missed.length > 0 || (extra.length > 0 && !extraAllowed)) problems.push(`failing fields ${JSON.stringify(got)}, expected ${JSON.stringify(expected.fields)}${alsoChecked ? ' and the catalogue\'s findings on the lines' : ''}`);
    }
  }
  if (expected.kind === 'refused' && (res.status < 400 || res.status >= 500) && m.route.method !== 'GET') problems.push('a write to nothing was not refused with a 4xx');
  if (problems.length) {
    throw new Error(
      `${m.route.method} ${urlOf(m, c).slice(0, 300)} → ${res.status} ${short(res.body)}\n  ${problems.join('; ')}\n  expected: ${JSON.stringify(expected)}\n  caller: ${c.auth.kind === 'bad' ? c.auth.why : c.auth.kind === 'none' ? 'no token' : `${c.auth.kind} ${c.auth.userId}`}; body (${c.body?.contentType}): ${short(c.body?.text)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Every route
// ---------------------------------------------------------------------------------------------

const hash = (text: string) => [...text].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) | 0, 7);

const AUDIT_TABLE = TABLE_LIST.find((t) => t.id === 'audit')!.localName;
/**
 * The one thing a refused request may write (R-INFO-2): a read of a customer's data refused with 403
 * (a sales rep naming another rep's customer, e.g. a price list version of nothing of another rep's
 * customer: refused before the version is looked up) goes on that customer's access log. Only such
 * an entry: in the audit table, a READ# entry of a customer, outcome REFUSED. A 400 or 404 writes nothing.
 */
function refusedReadEntry(table: string, item: unknown): boolean {
  const i = item as Record<string, { S?: string } | undefined>;
  return table === AUDIT_TABLE && Boolean(i.entryKey?.S?.startsWith('READ#')) && Boolean(i.subject?.S?.startsWith('customer#')) && i.outcome?.S === 'REFUSED';
}

describe('bad input on every route: a 4xx problem, never a 5xx, and nothing written', () => {
  it('every route with a body has a known-good body to mutate', () => {
    expect(ROUTES.filter((r) => r.body && !GOOD_BODIES[r.operationId]).map((r) => r.operationId)).toEqual([]);
  });

  // The tables are compared once per area, after all its routes' cases: a scan of every table costs
  // more than a route's 200 refused requests.
  for (const tag of [...new Set(ROUTES.map((r) => r.tag))]) {
    describe(tag, () => {
      for (const route of ROUTES.filter((r) => r.tag === tag)) {
        it(`${route.method} ${route.path} (${route.operationId})`, async () => {
          const m = modelOf(route);
          for (const [name, t] of Object.entries(m.targets)) expect(t.real.length, `no real ${name} in the tables for ${route.operationId}`).toBeGreaterThan(0);
          const seed = (BASE_SEED + hash(route.operationId)) | 0;
          let ran = 0;
          try {
            await fc.assert(
              fc.asyncProperty(fc.array(caseArbitrary(m), { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
                const results = await Promise.allSettled(batch.map((c) => checkCase(m, c)));
                ran += batch.length;
                const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
                if (failed) throw failed.reason;
              }),
              // No shrinking: each step costs requests; the failing batch is printed whole and replays from the seed.
              { seed, numRuns: CASES_PER_ROUTE / CONCURRENCY, endOnFailure: true },
            );
          } catch (err) {
            throw new Error(`replay: FUZZ_SEED=${BASE_SEED} npx vitest run tests/reliability/bad-input.test.ts -t '${route.operationId}' (route seed ${seed})\n${(err as Error).message}`, { cause: err });
          }
          casesRun.set(route.operationId, ran);
          expect(ran).toBeGreaterThanOrEqual(CASES_PER_ROUTE);
        });
      }
      it(`nothing was written by bad input on the ${tag} routes (but the access log's entries of refused reads, R-INFO-2)`, async () => {
        const after = await snapshotTables(stack);
        const before = tables;
        tables = after;
        const isNew = (t: string, item: unknown) => !before[t]!.some((b) => JSON.stringify(b) === JSON.stringify(item));
        const written = (t: string) => after[t]!.filter((item) => !(isNew(t, item) && refusedReadEntry(t, item)));
        const changed = Object.keys(after)
          .filter((t) => JSON.stringify(written(t)) !== JSON.stringify(before[t]))
          .map((t) => `${t}: ${before[t]!.length} → ${written(t).length} items; first new or changed: ${short(written(t).find((item) => isNew(t, item)))}`);
        expect(changed, `bad input on ${ROUTES.filter((r) => r.tag === tag).map((r) => r.operationId).join(', ')} wrote`).toEqual([]);
      });
    });
  }

  it(`ran at least ${CASES_PER_ROUTE} cases on each of the ${ROUTES.length} routes`, () => {
    expect(ROUTES.filter((r) => (casesRun.get(r.operationId) ?? 0) < CASES_PER_ROUTE).map((r) => r.operationId)).toEqual([]);
  });
});

describe('forged cursors: a 400 naming query.cursor (or a page), never a 500', () => {
  /** What a list needs besides its required parameters (a rule across parameters the schema cannot show). */
  const BASE_QUERY: Record<string, string[]> = { listStatements: ['customerId=CU-000001'] };
  const KEY_NAMES = new Set(TABLE_LIST.flatMap((t) => [t.partitionKey, t.sortKey, ...t.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].filter((k) => k !== undefined).map((k) => k.name)));
  /** Decodes as a cursor should (an object of 1 to 4 strings or numbers) but names no key attribute of any table. */
  const notAKey = fc
    .dictionary(fc.oneof(fc.constantFrom('surprise', 'x', 'CU-000001', 'id', 'pk', 'sk'), fc.string({ minLength: 1, maxLength: 10 })).filter((k) => !KEY_NAMES.has(k)), fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), { minKeys: 1, maxKeys: 4 })
    .map(b64);
  /** A real cursor of the route with one key attribute dropped, retyped or added. */
  const tamperedFrom = (real: Record<string, string | number>) =>
    fc.constantFrom(...Object.keys(real)).chain((key) =>
      fc.constantFrom(
        b64(Object.fromEntries(Object.entries(real).filter(([k]) => k !== key))),
        b64({ ...real, [key]: typeof real[key] === 'number' ? String(real[key]) : 12345 }),
        b64({ ...real, surprise: 'x' }),
      ),
    );

  it('GET /assignment-rules/{ruleId}/history with a forged cursor is a 400 naming query.cursor (the fuzz found a 500)', async () => {
    const res = await apiAs(stack, 'gao.shan').get(`/assignment-rules/EAST-MADE/history?cursor=${b64({ pk: 1481938859 })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'query.cursor', message: 'not a cursor this API gave out', code: 'invalid_cursor' }]);
  });

  for (const route of ROUTES.filter((r) => r.method === 'GET' && r.query && 'cursor' in (jsonSchemaOf(r.query).properties ?? {}))) {
    it(`${route.method} ${route.path} (${route.operationId})`, async () => {
      const m = modelOf(route);
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(m.targets[name]!.real[0]!));
      // The auditor reads everything; where auditors may not, a back-office reader.
      const api = apiAs(stack, m.allowed.includes('gao.shan') ? 'gao.shan' : (m.allowed.find((u) => !['wang.qiang', 'li.na'].includes(u)) ?? m.allowed[0]!));
      const required = (jsonSchemaOf(route.query).required ?? []) as string[];
      const valueFor = (k: string) => (m.queryProps[k]!.enum as string[] | undefined)?.[0] ?? [...(realValues.get(k) ?? [])].sort()[0] ?? '';
      const mandatory = [...required.map((k) => `${k}=${encodeURIComponent(valueFor(k))}`), ...(BASE_QUERY[route.operationId] ?? [])];
      const url = (cursor: string) => `${path}?${[...mandatory, `cursor=${cursor}`].join('&')}`;
      const first = await api.get(`${path}?${[...mandatory, 'limit=1'].join('&')}`);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      let real: unknown;
      try {
        real = first.body.nextCursor ? JSON.parse(Buffer.from(first.body.nextCursor as string, 'base64url').toString('utf8')) : undefined;
      } catch {
        real = undefined; // a cursor that is a sort key, not a key object
      }
      const forged = real && typeof real === 'object' ? fc.oneof(notAKey, tamperedFrom(real as Record<string, string | number>)) : notAKey;
      await fc.assert(
        fc.asyncProperty(forged, async (cursor) => {
          const res = await api.get(url(cursor));
          if (res.status === 200) return;
          expect(res.status, `${url(cursor)} → ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.cursor']);
        }),
        { seed: (BASE_SEED + hash(`cursor ${route.operationId}`)) | 0, numRuns: 8, endOnFailure: true },
      );
    });
  }
});


describe('R-INFO-2: the one thing a refused request writes', () => {
  it("R-INFO-2: a sales rep asking for a version of nothing of another rep's customer's price list is refused (403) before the version is looked up, and writes that refusal's access entry and nothing else", async () => {
    const manager = apiAs(stack, 'liu.yang');
    const list = ((await manager.get('/price-lists?kind=customer')).body.items as { customerId: string }[])[0]!;
    const owner = (await manager.get(`/customers/${list.customerId}`)).body.ownerRepId as string;
    const otherRep = owner === 'wang.qiang' ? 'li.na' : 'wang.qiang';
    const before = await snapshotTables(stack);
    const res = await apiAs(stack, otherRep).get(`/price-lists/${list.customerId}/versions/999`);
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    const after = await snapshotTables(stack);
    for (const t of Object.keys(after).filter((name) => name !== AUDIT_TABLE)) expect(after[t], t).toEqual(before[t]);
    const added = after[AUDIT_TABLE]!.filter((item) => !before[AUDIT_TABLE]!.some((b) => JSON.stringify(b) === JSON.stringify(item)));
    expect(added).toHaveLength(1);
    expect(refusedReadEntry(AUDIT_TABLE, added[0])).toBe(true);
    expect(added[0]).toMatchObject({ subject: { S: `customer#${list.customerId}` }, outcome: { S: 'REFUSED' }, what: { S: 'priceListVersion' }, version: { N: '999' }, by: { M: { userId: { S: otherRep } } } });
    expect(after[AUDIT_TABLE]).toHaveLength(before[AUDIT_TABLE]!.length + 1);
  });
});
