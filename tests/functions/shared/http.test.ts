/**
 * The shared middleware stack (functions/shared/http.ts), called directly with hand-made
 * API Gateway HTTP API (payload 2.0) events: no gateway, no DynamoDB.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineRoute, type RouteDefinition } from '../../../functions/shared/definitions.js';
import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { conflict, unavailable } from '../../../functions/shared/errors.js';
import { httpHandler, type HttpHandlerOptions, type HttpResult } from '../../../functions/shared/http.js';

// The refusals and the 500 case log on purpose; keep the test output readable.
vi.hoisted(() => {
  process.env.LOG_LEVEL = 'SILENT';
});

const fn = { id: 'TestWidget', entry: 'tests/none.ts', description: 'test only', access: {} };

const WidgetParams = z.object({ widgetId: z.string().regex(/^W-\d{4}$/, 'a widget id such as W-0001') });
const WidgetQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  colour: z.enum(['red', 'blue']).optional(),
});
const WidgetBody = z
  .object({
    name: z.string().trim().min(1).max(50),
    quantity: z.int().positive(),
    owner: z.object({ email: z.email() }).strict(),
    tags: z.array(z.string().min(1)).max(3).optional(),
  })
  .strict();

const publicRoute = defineRoute({
  operationId: 'changeWidget',
  method: 'POST',
  path: '/widgets/{widgetId}',
  tag: 'Test',
  summary: 'test route',
  roles: 'public',
  params: WidgetParams,
  query: WidgetQuery,
  body: WidgetBody,
  responses: { 200: { description: 'OK' } },
  function: fn,
});

const securedRoute = defineRoute({
  operationId: 'readWidget',
  method: 'GET',
  path: '/widgets/{widgetId}',
  tag: 'Test',
  summary: 'test route',
  roles: ['sales_manager', 'auditor'],
  params: WidgetParams,
  responses: { 200: { description: 'OK' } },
  function: fn,
});

const context = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'TestWidget',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:TestWidget',
  memoryLimitInMB: '512',
  awsRequestId: 'req-0000-1111',
  logGroupName: '/aws/lambda/TestWidget',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

interface EventParts {
  method?: string;
  path?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  base64?: boolean;
  headers?: Record<string, string>;
  claims?: Record<string, string>;
}

function event(parts: EventParts = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const path = parts.path ?? '/widgets/W-0001';
  return {
    version: '2.0',
    routeKey: `${parts.method ?? 'POST'} /widgets/{widgetId}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(parts.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...parts.headers },
    ...(parts.query ? { queryStringParameters: parts.query } : {}),
    pathParameters: parts.params ?? { widgetId: 'W-0001' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: parts.method ?? 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'apigw-req-1',
      routeKey: `${parts.method ?? 'POST'} /widgets/{widgetId}`,
      stage: '$default',
      time: '21/Nov/2026:16:30:00 +0000',
      timeEpoch: Date.UTC(2026, 10, 21, 16, 30),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: parts.claims ?? {}, scopes: [] } },
    },
    ...(parts.body !== undefined ? { body: parts.body } : {}),
    isBase64Encoded: parts.base64 ?? false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const goodBody = { name: 'Blue widget', quantity: 3, owner: { email: 'li.na@example.com' } };

/** A handler that records what reached it and answers as told. */
function build<R extends RouteDefinition>(route: R, answer: (req: unknown) => Promise<HttpResult> = async () => ({ status: 200, body: { ok: true } }), options: HttpHandlerOptions = {}) {
  const seen = vi.fn(answer);
  const handler = httpHandler(route as RouteDefinition, seen, options);
  const call = async (e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
    const res = await handler(e, context());
    return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
  };
  return { seen, call };
}

describe('validation: every bad field at once, as problem+json', () => {
  it('reports every bad field of params, query and body in one 400, and the handler never runs', async () => {
    const { seen, call } = build(publicRoute);
    const res = await call(
      event({
        params: { widgetId: 'nope' },
        query: { limit: '500', colour: 'green' },
        body: JSON.stringify({ name: '  ', quantity: -2, owner: { email: 'not-an-email' }, tags: ['ok', ''] }),
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(res.json).toMatchObject({ type: '/problems/validation', status: 400, title: 'Your request has invalid fields', instance: '/widgets/W-0001' });
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['params.widgetId', 'query.limit', 'query.colour', 'body.name', 'body.quantity', 'body.owner.email', 'body.tags.1'].sort(),
    );
    for (const field of ['params.widgetId', 'query.limit', 'body.owner.email']) expect(res.json.detail).toContain(field);
    expect(res.json.errors.find((e: { field: string }) => e.field === 'params.widgetId').message).toBe('a widget id such as W-0001');
    expect(seen).not.toHaveBeenCalled();
  });

  it('names unknown fields, nested ones too, and missing required fields', async () => {
    const { seen, call } = build(publicRoute);
    const res = await call(event({ body: JSON.stringify({ name: 'x', owner: { email: 'a@b.example', phone: '1' }, colour: 'red', size: 2 }) }));
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.colour', message: 'unknown field', code: 'unknown_field' },
        { field: 'body.size', message: 'unknown field', code: 'unknown_field' },
        { field: 'body.owner.phone', message: 'unknown field', code: 'unknown_field' },
        { field: 'body.quantity', message: 'required', code: 'required' },
      ]),
    );
    expect(res.json.errors).toHaveLength(4);
    expect(seen).not.toHaveBeenCalled();
  });

  it('a value of the wrong type is named as such, not as missing: 2.5 where a whole number goes is invalid_type', async () => {
    const { call } = build(publicRoute);
    const res = await call(event({ body: JSON.stringify({ ...goodBody, quantity: 2.5, name: 7 }) }));
    expect(res.json.errors).toEqual([
      { field: 'body.name', message: 'Invalid input: expected string, received number', code: 'invalid_type' },
      { field: 'body.quantity', message: 'Invalid input: expected int, received number', code: 'invalid_type' },
    ]);
  });

  it('R-INTAKE-2: a route\'s checks against stored data run on a request the schemas refused too, and one 400 names both (each field once)', async () => {
    const alsoCheckRefused = vi.fn(async (raw: { params: Record<string, string | undefined>; body: unknown }) => [
      { field: 'body.name', message: 'no widget of that name in the catalogue', code: 'unknown_widget' },
      { field: 'body.quantity', message: 'a second opinion on the same field', code: 'dup' },
      ...(raw.params.widgetId === 'W-0001' ? [] : [{ field: 'params.widgetId', message: 'x', code: 'x' }]),
    ]);
    const { seen, call } = build(publicRoute, undefined, { alsoCheckRefused });
    const res = await call(event({ body: JSON.stringify({ ...goodBody, name: 'Nonesuch', quantity: 0 }) }));
    expect(res.statusCode).toBe(400);
    expect(res.json.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`)).toEqual(['body.quantity too_small', 'body.name unknown_widget']);
    expect(alsoCheckRefused).toHaveBeenCalledWith({ params: { widgetId: 'W-0001' }, body: { ...goodBody, name: 'Nonesuch', quantity: 0 } });
    expect(seen).not.toHaveBeenCalled();
    // A request the schemas accept goes to the handler, which checks it itself; a body that is not JSON is not looked at.
    expect((await call(event({ body: JSON.stringify(goodBody) }))).statusCode).toBe(200);
    expect((await call(event({ body: '{"name": ' }))).json.errors).toEqual([{ field: 'body', message: 'not valid JSON', code: 'invalid_json' }]);
    expect(alsoCheckRefused).toHaveBeenCalledTimes(1);
  });

  it('a missing body is a 400 naming the field `body`', async () => {
    const { seen, call } = build(publicRoute);
    for (const body of [undefined, '']) {
      const res = await call(event({ ...(body === undefined ? {} : { body }) }));
      expect(res.statusCode).toBe(400);
      expect(res.json.errors).toEqual([{ field: 'body', message: 'required', code: 'required' }]);
    }
    expect(seen).not.toHaveBeenCalled();
  });

  it('a missing body is reported together with bad params and query', async () => {
    const { call } = build(publicRoute);
    const res = await call(event({ params: { widgetId: 'x' }, query: { limit: '0' } }));
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body', 'params.widgetId', 'query.limit']);
  });

  it('invalid JSON is a 400 naming `body`, not a 500', async () => {
    const { seen, call } = build(publicRoute);
    const res = await call(event({ body: '{"name": "x", ' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(res.json.errors).toEqual([{ field: 'body', message: 'not valid JSON', code: 'invalid_json' }]);
    expect(res.json.detail).toContain('body');
    expect(seen).not.toHaveBeenCalled();
  });

  it('a body on a route that takes none is refused', async () => {
    const { seen, call } = build(securedRoute);
    const res = await call(event({ method: 'GET', body: '{}', claims: { sub: 'liu.yang', 'cognito:groups': '[sales_manager]' } }));
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'body', message: 'this request takes no body', code: 'unexpected_body' }]);
    expect(seen).not.toHaveBeenCalled();
  });

  it('415 for XML or form bodies, with the problem type clients branch on', async () => {
    const { seen, call } = build(publicRoute);
    for (const contentType of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await call(event({ body: '<widget/>', headers: { 'content-type': contentType } }));
      expect(res.statusCode, contentType).toBe(415);
      expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json' });
      expect(res.json).toMatchObject({ type: '/problems/unsupported-media-type', status: 415 });
      expect(res.json.detail).toContain(contentType);
    }
    expect(seen).not.toHaveBeenCalled();
  });
});

describe('what reaches the handler', () => {
  it('parsed, coerced and defaulted input; JSON with a charset, a +json type or base64 is accepted', async () => {
    const { seen, call } = build(publicRoute);
    const variants: EventParts[] = [
      { body: JSON.stringify(goodBody), headers: { 'content-type': 'application/json; charset=utf-8' } },
      { body: JSON.stringify(goodBody), headers: { 'content-type': 'application/merge-patch+json' } },
      { body: Buffer.from(JSON.stringify(goodBody)).toString('base64'), base64: true },
    ];
    for (const parts of variants) {
      const res = await call(event({ ...parts, query: { limit: '7' } }));
      expect(res.statusCode).toBe(200);
    }
    expect(seen).toHaveBeenCalledTimes(3);
    const req = seen.mock.calls[0]![0] as { params: unknown; query: unknown; body: unknown; user: unknown; requestId: string };
    expect(req.params).toEqual({ widgetId: 'W-0001' });
    expect(req.query).toEqual({ limit: 7 });
    expect(req.body).toEqual(goodBody);
    expect(req.user).toEqual({ userId: 'anonymous', name: 'anonymous', roles: [] });
    expect(req.requestId).toBe('apigw-req-1');

    await call(event({ body: JSON.stringify({ ...goodBody, name: '  padded  ' }) }));
    const last = seen.mock.calls.at(-1)![0] as { query: unknown; body: { name: string } };
    expect(last.query).toEqual({ limit: 25 });
    expect(last.body.name).toBe('padded');
  });

  it('the signed-in user reaches the handler from the JWT claims', async () => {
    const { seen, call } = build(securedRoute);
    const res = await call(event({ method: 'GET', claims: { sub: 'gao.shan', name: '高山 Gao Shan', 'cognito:groups': '[auditor]' } }));
    expect(res.statusCode).toBe(200);
    expect((seen.mock.calls[0]![0] as { user: unknown }).user).toEqual({ userId: 'gao.shan', name: '高山 Gao Shan', roles: ['auditor'] });
  });
});

describe('who may call', () => {
  it('401 problem+json without claims on a secured route', async () => {
    const { seen, call } = build(securedRoute);
    const res = await call(event({ method: 'GET' }));
    expect(res.statusCode).toBe(401);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(res.json.type).toBe('/problems/unauthorized');
    expect(seen).not.toHaveBeenCalled();
  });

  it('403 naming the roles that may call, before any validation', async () => {
    const { seen, call } = build(securedRoute);
    const res = await call(event({ method: 'GET', params: { widgetId: 'bad' }, claims: { sub: 'wang.qiang', 'cognito:groups': '[sales_rep]' } }));
    expect(res.statusCode).toBe(403);
    expect(res.json.type).toBe('/problems/forbidden');
    expect(res.json.detail).toContain('sales_manager, auditor');
    expect(res.json.detail).toContain('you are sales_rep');
    expect(res.json.errors).toBeUndefined();
    expect(seen).not.toHaveBeenCalled();

    const noRole = await call(event({ method: 'GET', claims: { sub: 'someone', 'cognito:groups': '[not_a_role]' } }));
    expect(noRole.statusCode).toBe(403);
    expect(noRole.json.detail).toContain('in no role');
  });
});

describe('answers', () => {
  it('JSON responses carry application/json and the handler\'s headers; an empty answer has no body', async () => {
    const created = build(publicRoute, async () => ({ status: 201, body: { id: 'W-0001' }, headers: { location: '/widgets/W-0001', etag: '"1"' } }));
    const res = await created.call(event({ body: JSON.stringify(goodBody) }));
    expect(res.statusCode).toBe(201);
    expect(res.headers).toEqual({ 'content-type': 'application/json', location: '/widgets/W-0001', etag: '"1"' });
    expect(res.json).toEqual({ id: 'W-0001' });

    const empty = build(publicRoute, async () => ({ status: 204 }));
    const none = await empty.call(event({ body: JSON.stringify(goodBody) }));
    expect(none.statusCode).toBe(204);
    expect(none.body).toBeUndefined();
  });

  it('an HttpError from the handler becomes its problem+json', async () => {
    const { call } = build(publicRoute, async () => {
      throw conflict('W-0001 is retired already');
    });
    const res = await call(event({ body: JSON.stringify(goodBody) }));
    expect(res.statusCode).toBe(409);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(res.json).toEqual({ type: '/problems/conflict', title: 'Conflict with the current state', status: 409, detail: 'W-0001 is retired already', instance: '/widgets/W-0001' });
  });

  it('an unexpected error becomes a 500 problem+json that does not leak the error message', async () => {
    const { call } = build(publicRoute, async () => {
      throw new Error('connect ECONNREFUSED 10.0.3.7:8000 secret-table-name password=hunter2');
    });
    const res = await call(event({ body: JSON.stringify(goodBody) }));
    expect(res.statusCode).toBe(500);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(res.json).toMatchObject({ type: '/problems/internal', status: 500, title: 'Something went wrong on our side' });
    expect(res.json.detail).toContain('req-0000-1111'); // the request id to quote to support
    expect(res.body).not.toMatch(/ECONNREFUSED|10\.0\.3\.7|secret-table-name|hunter2/);
    expect(res.json.errors).toBeUndefined();
  });

  it('a dependency unreachable, failing or throttling (as the AWS SDK reports it after its retries) is a 503 problem+json with Retry-After that tells nothing of the machinery', async () => {
    const $metadata = { httpStatusCode: 500, attempts: 3, totalRetryDelay: 300 };
    const outages: [string, unknown, string][] = [
      ['connection refused', Object.assign(new Error('connect ECONNREFUSED 10.0.3.7:8000'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } }), '5'],
      ['name not resolved', Object.assign(new Error('getaddrinfo ENOTFOUND dynamodb.cn-north-1.amazonaws.com.cn'), { code: 'ENOTFOUND' }), '5'],
      ['connection timed out', Object.assign(new Error('connect ETIMEDOUT 10.0.3.7:443'), { code: 'ETIMEDOUT' }), '5'],
      ['socket hang up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), '5'],
      ['the SDK timed out', Object.assign(new Error('the request socket timed out after 5000 ms of inactivity'), { name: 'TimeoutError' }), '5'],
      ['happy eyeballs: every address refused', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:8000'), { code: 'ECONNREFUSED' })], 'connect failed'), '5'],
      ['wrapped', new Error('could not read the order', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), '5'],
      ['DynamoDB failed on its side', new InternalServerError({ message: 'Internal server error', $metadata }), '5'],
      ['a service unavailable', Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }), '5'],
      ['Step Functions failed on its side', Object.assign(new Error('Internal failure'), { name: 'InternalFailure', $fault: 'server', $metadata }), '5'],
      ['DynamoDB throttling', new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded', $metadata }), '2'],
      ['account request limit', new RequestLimitExceeded({ message: 'Throughput exceeds the current throughput limit for your account', $metadata }), '2'],
      ['Step Functions throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }), '2'],
      ['a transaction cancelled by throttling', new TransactionCanceledException({ message: 'Transaction cancelled', CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }], $metadata }), '2'],
    ];
    for (const [why, error, retryAfter] of outages) {
      const { call } = build(publicRoute, async () => {
        throw error;
      });
      const res = await call(event({ body: JSON.stringify(goodBody) }));
      expect(res.statusCode, why).toBe(503);
      expect(res.headers, why).toEqual({ 'content-type': 'application/problem+json', 'retry-after': retryAfter });
      expect(res.json, why).toMatchObject({ type: '/problems/unavailable', status: 503, title: 'Try again in a moment', instance: '/widgets/W-0001' });
      expect(res.json.detail, why).toContain(`try again in ${retryAfter} seconds`);
      expect(res.body, why).not.toMatch(/ECONN|ENOTFOUND|ETIMEDOUT|10\.0\.3\.7|amazonaws|throughput|Rate exceeded|socket|Internal/);
    }
  });

  it('errors that are not an outage stay a 500 to look at: a refused condition, a bad request to DynamoDB, a missing table, a bug', async () => {
    const $metadata = { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 };
    const bugs: [string, unknown][] = [
      ['a condition failed and nobody handled it', new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata })],
      ['a transaction whose condition failed', new TransactionCanceledException({ message: 'Transaction cancelled', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }], $metadata })],
      ['a malformed request', Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException', $metadata })],
      ['a table that does not exist', new ResourceNotFoundException({ message: 'Requested resource not found', $metadata })],
      ['a bug', new TypeError("Cannot read properties of undefined (reading 'lines')")],
    ];
    for (const [why, error] of bugs) {
      const { call } = build(publicRoute, async () => {
        throw error;
      });
      const res = await call(event({ body: JSON.stringify(goodBody) }));
      expect(res.statusCode, why).toBe(500);
      expect(res.headers, why).toEqual({ 'content-type': 'application/problem+json' });
    }
  });

  it('a 503 a handler gives itself carries Retry-After too', async () => {
    const { call } = build(publicRoute, async () => {
      throw unavailable('The review could not start; the order is as it was. Submit again in a moment.');
    });
    const res = await call(event({ body: JSON.stringify(goodBody) }));
    expect([res.statusCode, res.headers?.['retry-after'], res.json.type]).toEqual([503, '5', '/problems/unavailable']);
  });

  it('a non-Error throw is a 500 too, not a crash of the function', async () => {
    const { call } = build(publicRoute, async () => {
      throw 'plain string thrown';
    });
    const res = await call(event({ body: JSON.stringify(goodBody) }));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('plain string thrown');
  });
});
