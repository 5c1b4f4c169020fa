/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses as is). Named schemas (`.meta({ id })`) become components.
 */
import * as z from 'zod';
import type { RouteDefinition } from '../shared/definitions.js';
import { PROBLEM_TYPES } from '../shared/errors.js';
import { Problem } from '../shared/schemas.js';

type Json = Record<string, unknown>;

export function buildOpenApi(routes: readonly RouteDefinition[], info: { version: string; serverUrl?: string }): Json {
  const components: Record<string, Json> = {};

  /** Converts a schema and hoists its named parts into components, renaming on an input/output clash. */
  function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    delete json.$schema;
    const rename = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      const existing = components[id];
      const name = existing && JSON.stringify(existing) !== JSON.stringify(def) ? `${id}${io === 'input' ? 'Input' : 'Output'}` : id;
      rename.set(id, name);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value && typeof value === 'object') {
        const out: Json = {};
        for (const [k, v] of Object.entries(value)) {
          out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/components/schemas/${rename.get(v.slice(8)) ?? v.slice(8)}` : rewrite(v);
        }
        return out;
      }
      return value;
    };
    for (const [id, def] of Object.entries(defs)) components[rename.get(id)!] = rewrite(def) as Json;
    return rewrite(json) as Json;
  }

  function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
    if (!schema) return [];
    const json = schemaOf(schema, 'input');
    const props = (json.properties ?? {}) as Record<string, Json>;
    const required = new Set((json.required ?? []) as string[]);
    return Object.entries(props).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      schema: s,
    }));
  }

  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
  schemaOf(Problem, 'output');

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const secured = route.roles !== 'public';
    const responses: Record<string, Json> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      if (r.contentType) responses[status] = { description: r.description, content: { [r.contentType]: { schema: { type: 'string', contentMediaType: r.contentType } } } };
      else responses[status] = r.schema ? { description: r.description, content: { 'application/json': { schema: schemaOf(r.schema, 'output') } } } : { description: r.description };
    }
    if (route.params || route.query || route.body) responses['400'] = problem('Invalid input: every bad field is named in `errors`');
    if (secured) {
      responses['401'] = { description: 'No valid bearer token (answered by the API gateway)' };
      responses['403'] = problem('Your role or your data scope does not allow this');
    }
    if (route.params) responses['404'] = problem('Not found');
    if (route.method !== 'GET' && secured) responses['409'] = problem('Conflicts with the current state');
    if (route.method === 'PATCH') responses['412'] = problem('If-Match names an older version');
    if (route.idempotent) responses['422'] = problem('Idempotency-Key reused with another body');
    responses['500'] = problem('Failure on our side; quote the request id');

    const headerParams = [
      ...(route.idempotent ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'Retry-safe creation: 8 to 128 characters; answers are kept 24 hours', schema: { type: 'string', minLength: 8, maxLength: 128 } }] : []),
      ...(route.method === 'PATCH' ? [{ name: 'If-Match', in: 'header', required: false, description: 'The ETag (version) you read', schema: { type: 'string' } }] : []),
    ];
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      // x-roles: the roles that may call it, machine-readable, so clients (the web console) show only what a user may do.
      ...(secured ? { security: [{ bearer: [] }], description: `Roles: ${(route.roles as readonly string[]).join(', ')}`, 'x-roles': [...(route.roles as readonly string[])] } : { security: [] }),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...headerParams],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } } : {}),
      responses,
    };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Order-to-cash API',
      version: info.version,
      description: `Orders, credit, fulfilment, billing and receivables for sales companies. Errors are RFC 9457 problem details; their types: ${Object.values(PROBLEM_TYPES).join(', ')}.`,
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
