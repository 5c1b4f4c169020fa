/** Public routes: health and the OpenAPI document. No authorizer on these two only. */
import * as z from 'zod';
import { defineRoute } from '../shared/definitions.js';

export const Health = z
  .object({
    status: z.enum(['ok', 'degraded']).meta({ description: 'ok: every dependency answers; degraded: one does not (the answer is then a 503)' }),
    version: z.string(),
    time: z.string(),
    dependencies: z.object({ dynamodb: z.enum(['up', 'down']).meta({ description: 'a read of one item answered, or not' }) }),
  })
  .meta({ id: 'Health', description: 'readiness: the API and the dependencies it needs' });

export const systemRoutes = {
  health: defineRoute({
    operationId: 'health',
    method: 'GET',
    path: '/health',
    tag: 'System',
    summary: 'Readiness check: reads one item from DynamoDB; 503 while it does not answer',
    roles: 'public',
    responses: {
      200: { description: 'Ready: every dependency answers', schema: Health },
      503: { description: 'Not ready: a dependency is down (dependencies says which; Retry-After says when to look again)', schema: Health },
    },
    // One GetItem of a key that is never written (functions/system/store.ts).
    function: { id: 'Health', entry: 'functions/system/handlers/health.ts', description: 'Readiness check', access: { tables: { counters: 'read' } } },
  }),
  openapi: defineRoute({
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    tag: 'System',
    summary: 'This API as an OpenAPI 3.1 document',
    roles: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    function: { id: 'OpenApi', entry: 'functions/system/handlers/openapi.ts', description: 'Serve the OpenAPI document', access: {} },
  }),
};
