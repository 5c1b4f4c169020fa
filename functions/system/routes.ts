/** Public routes: health and the OpenAPI document. No authorizer on these two only. */
import * as z from 'zod';
import { defineRoute } from '../shared/definitions.js';

export const Health = z.object({ status: z.literal('ok'), version: z.string(), time: z.string() }).meta({ id: 'Health' });

export const systemRoutes = {
  health: defineRoute({
    operationId: 'health',
    method: 'GET',
    path: '/health',
    tag: 'System',
    summary: 'Liveness check',
    roles: 'public',
    responses: { 200: { description: 'OK', schema: Health } },
    function: { id: 'Health', entry: 'functions/system/handlers/health.ts', description: 'Liveness check', access: {} },
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
