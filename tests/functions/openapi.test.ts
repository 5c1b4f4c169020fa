/**
 * The OpenAPI 3.1 document the API serves (DESIGN.md "API"), read from a local stack over HTTP
 * without a token, checked against the OpenAPI schema and against the one route table.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { GOOD_BODIES } from '../support/good-bodies.js';
import { apiAs, newCustomer, newProduct, startTestStack } from '../support/local-stack.js';

type Json = Record<string, any>;

let stack: LocalStack;
let doc: Json;

beforeAll(async () => {
  stack = await startTestStack();
  const res = await apiAs(stack).get('/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(async () => stack?.stop());

/** Follows a local $ref (#/components/schemas/X). */
function deref(schema: Json): Json {
  let s = schema;
  for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) {
    const target = s.$ref.replace(/^#\//, '').split('/').reduce((node: Json | undefined, key: string) => node?.[key], doc);
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

/**
 * A structural check that `value` fits `schema`: types, required and unknown properties,
 * enums, constants, arrays, and any/one/allOf. Enough to catch a documented body that
 * disagrees with what the API takes; not a full JSON Schema validator.
 */
function misfits(schema: Json, value: unknown, at = '$'): string[] {
  const s = deref(schema);
  if (s.anyOf || s.oneOf) {
    const options = (s.anyOf ?? s.oneOf) as Json[];
    return options.some((o) => misfits(o, value, at).length === 0) ? [] : [`${at}: matches none of ${options.length} alternatives`];
  }
  const problems: string[] = [];
  if (s.allOf) for (const part of s.allOf as Json[]) problems.push(...misfits(part, value, at));
  if ('const' in s && value !== s.const) problems.push(`${at}: expected ${JSON.stringify(s.const)}`);
  if (s.enum && !(s.enum as unknown[]).includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  const types = s.type === undefined ? [] : ([] as string[]).concat(s.type);
  const typeOf = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;
  if (types.length && !types.some((t) => t === typeOf(value) || (t === 'number' && typeOf(value) === 'integer'))) {
    return [...problems, `${at}: ${typeOf(value)} is not ${types.join('|')}`];
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) problems.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && value.length > s.maxLength) problems.push(`${at}: longer than ${s.maxLength}`);
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) problems.push(`${at}: does not match ${s.pattern}`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) problems.push(`${at}: below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) problems.push(`${at}: above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${at}: fewer than ${s.minItems} items`);
    if (s.items) value.forEach((v, i) => problems.push(...misfits(s.items, v, `${at}[${i}]`)));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const props = (s.properties ?? {}) as Record<string, Json>;
    for (const key of (s.required ?? []) as string[]) if (!(key in value)) problems.push(`${at}.${key}: required`);
    for (const [key, v] of Object.entries(value)) {
      if (props[key]) problems.push(...misfits(props[key]!, v, `${at}.${key}`));
      else if (s.additionalProperties === false) problems.push(`${at}.${key}: not allowed`);
    }
  }
  return problems;
}

const requestSchema = (operationId: string) => {
  const route = ROUTES.find((r) => r.operationId === operationId)!;
  return doc.paths[route.path][route.method.toLowerCase()].requestBody.content['application/json'].schema as Json;
};

describe('GET /openapi.json', () => {
  it('is served without a token as JSON', async () => {
    const res = await apiAs(stack).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toMatch(/max-age/);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('every $ref points at a component that exists', () => {
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.add(x as string);
          else walk(x);
        }
      }
    };
    walk(doc.paths);
    walk(doc.components);
    expect(refs.size).toBeGreaterThan(0);
    for (const ref of refs) expect(() => deref({ $ref: ref }), ref).not.toThrow();
  });

  it('documents every route of the route table with its method, operationId, security and the roles that may call it (x-roles)', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort());
    expect(new Set(ROUTES.map((r) => r.operationId)).size).toBe(ROUTES.length);

    for (const route of ROUTES) {
      const op = doc.paths[route.path][route.method.toLowerCase()] as Json;
      if (route.roles === 'public') {
        expect(op.security, route.operationId).toEqual([]);
        expect(op.responses['401'], route.operationId).toBeUndefined();
      } else {
        expect(op.security, route.operationId).toEqual([{ bearer: [] }]);
        expect(op.responses['401'], route.operationId).toBeDefined();
        expect(op.responses['403'], route.operationId).toBeDefined();
        for (const role of route.roles) expect(op.description, route.operationId).toContain(role);
        // Machine-readable too: the web console shows an action only to the roles listed here.
        expect(op['x-roles'], route.operationId).toEqual([...route.roles]);
      }
      // Path parameters are declared, required, for every {name} in the path.
      const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters as Json[]).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), route.operationId).toEqual(pathParams.sort());
      for (const p of declared) expect(p.required, `${route.operationId} ${p.name}`).toBe(true);
      // A request body exactly where the route takes one; bad input is documented as problem+json.
      expect(op.requestBody !== undefined, route.operationId).toBe(route.body !== undefined);
      if (route.params || route.query || route.body) {
        expect(op.responses['400'].content['application/problem+json'].schema, route.operationId).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      if (route.idempotent) expect((op.parameters as Json[]).map((p) => p.name), route.operationId).toContain('Idempotency-Key');
      for (const status of Object.keys(route.responses)) expect(op.responses[status], `${route.operationId} ${status}`).toBeDefined();
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents the query parameters people filter by', () => {
    const names = (operationId: string) => {
      const route = ROUTES.find((r) => r.operationId === operationId)!;
      return (doc.paths[route.path].get.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
    };
    expect(names('listProducts')).toEqual(expect.arrayContaining(['q', 'productType', 'sellable', 'includeRetired', 'limit', 'cursor']));
    expect(names('listCustomers')).toEqual(expect.arrayContaining(['q', 'ownerRepId', 'class', 'creditStatus', 'limit', 'cursor']));
  });

  it('every documented request body accepts a known-good example', () => {
    const withBody = ROUTES.filter((r) => r.body).map((r) => r.operationId);
    expect(Object.keys(GOOD_BODIES).sort()).toEqual(withBody.sort());
    for (const operationId of withBody) {
      expect(misfits(requestSchema(operationId), GOOD_BODIES[operationId]), operationId).toEqual([]);
    }
  });

  it('the documented request bodies refuse what the API refuses (the structural check can fail)', () => {
    expect(misfits(requestSchema('createCustomer'), { ...newCustomer(), surprise: true })).toContain('$.surprise: not allowed');
    expect(misfits(requestSchema('createProduct'), newProduct({ quantityScale: 7 }))).toContain('$.quantityScale: above 6');
    const { unit: _unit, ...noUnit } = newProduct();
    expect(misfits(requestSchema('createProduct'), noUnit)).toContain('$.unit: required');
    expect(misfits(requestSchema('decideTask'), { outcome: 'MAYBE' })).not.toEqual([]);
  });

  it('the known-good examples are accepted by the API itself', async () => {
    const manager = apiAs(stack, 'liu.yang');
    expect((await manager.post('/products', GOOD_BODIES.createProduct)).status).toBe(201);
    expect((await apiAs(stack, 'wang.qiang').post('/customers', GOOD_BODIES.createCustomer)).status).toBe(201);
    expect((await apiAs(stack, 'he.jun').post('/carriers', GOOD_BODIES.createCarrier)).status).toBe(201);
    expect((await apiAs(stack, 'admin').request('PUT', '/assignment-rules/EAST-MADE', GOOD_BODIES.putAssignmentRule)).status).toBe(201);
  });
});

describe('GET /health', () => {
  it('answers 200 without a token, with DynamoDB up (a readiness check; tests/reliability/outage.test.ts takes it down)', async () => {
    const res = await apiAs(stack).get('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toMatchObject({ status: 'ok', dependencies: { dynamodb: 'up' } });
    expect(typeof res.body.version).toBe('string');
    expect(Date.parse(res.body.time)).not.toBeNaN();
  });

  it('while every other route refuses a caller without a token', async () => {
    for (const route of ROUTES.filter((r) => r.roles !== 'public')) {
      const path = route.path.replace(/\{(\w+)\}/g, 'X-1');
      const res = await apiAs(stack).request(route.method, path, route.body ? {} : undefined);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
