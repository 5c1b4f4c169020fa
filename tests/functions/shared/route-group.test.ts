/** One function behind several routes (functions/shared/route-group.ts), with hand-made payload 2.0 events. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { type FunctionDefinition, defineRoute } from '../../../functions/shared/definitions.js';
import { httpHandler } from '../../../functions/shared/http.js';
import { routeGroup } from '../../../functions/shared/route-group.js';

vi.hoisted(() => {
  process.env.LOG_LEVEL = 'SILENT';
});

const shared: FunctionDefinition = { id: 'WidgetReads', entry: 'tests/none.ts', description: 'test only', access: {} };
const Params = z.object({ widgetId: z.string() });
const route = (operationId: string, path: string, fn: FunctionDefinition = shared) =>
  defineRoute({ operationId, method: 'GET', path, tag: 'Test', summary: 'test', roles: 'public', ...(path.includes('{') ? { params: Params } : {}), responses: { 200: { description: 'OK' } }, function: fn });

const list = route('listWidgets', '/widgets');
const get = route('getWidget', '/widgets/{widgetId}');

const context = { awsRequestId: 'req-1', functionName: 'WidgetReads', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const event = (routeKey: string, pathParameters?: Record<string, string>) =>
  ({
    version: '2.0',
    routeKey,
    rawPath: '/widgets',
    rawQueryString: '',
    headers: {},
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: { requestId: 'r', routeKey, http: { method: 'GET', path: '/widgets' }, authorizer: { jwt: { claims: {}, scopes: [] } } },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

describe('routeGroup', () => {
  const handler = routeGroup([
    [list, httpHandler(list, async () => ({ status: 200, body: { route: 'list' } }))],
    [get, httpHandler(get, async ({ params }) => ({ status: 200, body: { route: 'get', id: params.widgetId } }))],
  ]);

  it("hands each request to its own route's handler by the routeKey", async () => {
    expect(JSON.parse((await handler(event('GET /widgets'), context)).body!)).toEqual({ route: 'list' });
    expect(JSON.parse((await handler(event('GET /widgets/{widgetId}', { widgetId: 'W-1' }), context)).body!)).toEqual({ route: 'get', id: 'W-1' });
  });

  it('answers a route it does not serve with a 500 problem (a wiring mistake), never another route', async () => {
    const res = await handler(event('DELETE /widgets/{widgetId}', { widgetId: 'W-1' }), context);
    expect(res.statusCode).toBe(500);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.body!)).toMatchObject({ type: '/problems/internal', detail: 'WidgetReads does not serve DELETE /widgets/{widgetId}' });
  });

  it('refuses to group routes that are served by different functions', () => {
    const other = route('countWidgets', '/widgets/count', { ...shared, id: 'WidgetCount' });
    expect(() => routeGroup([[list, async () => ({ statusCode: 200 })], [other, async () => ({ statusCode: 200 })]])).toThrow(/countWidgets is served by WidgetCount, not WidgetReads/);
  });
});
