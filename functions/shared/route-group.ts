/**
 * One Lambda function behind several routes that need exactly the same access (reading a
 * register by list and by key, say). Each route keeps its own httpHandler (roles, schemas,
 * idempotency scope); this picks it by the event's routeKey, which API Gateway and the local
 * gateway both set. Grouping never widens a function's grants, and each route it takes in saves
 * the five resources of a function of its own (function, role, policy, log group, integration;
 * the route and its invoke permission remain): CloudFormation allows 500 resources per stack.
 */
import type { Context } from 'aws-lambda';
import type { RouteDefinition } from './definitions.js';
import { HttpError, PROBLEM_TYPES } from './errors.js';
import { type HttpEvent, type HttpResponse, problemResponse } from './http.js';
import { logger } from './logger.js';

type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

export function routeGroup(entries: readonly (readonly [RouteDefinition, RouteHandler])[]): RouteHandler {
  const byKey = new Map<string, RouteHandler>();
  const fn = entries[0]?.[0].function;
  for (const [route, handler] of entries) {
    if (route.function !== fn) throw new Error(`${route.operationId} is served by ${route.function.id}, not ${fn?.id}: a group is one function`);
    byKey.set(`${route.method} ${route.path}`, handler);
  }
  return async (event, context) => {
    const handler = byKey.get(event.routeKey);
    if (handler) return handler(event, context);
    // Only a wiring mistake gets here: the route table sends this function a route it does not serve.
    logger.error('no handler for the route', { routeKey: event.routeKey, function: fn?.id });
    return problemResponse(new HttpError(500, PROBLEM_TYPES.internal, 'Something went wrong on our side', `${fn?.id} does not serve ${event.routeKey}`), event.rawPath);
  };
}
