/**
 * The middleware stack every HTTP handler shares (middy):
 * log context → problem+json on error → authenticate → authorize by the route's roles →
 * validate params, query and body with the route's zod schemas (every bad field at once) →
 * idempotency for creating POSTs → the handler → JSON response.
 * A handler therefore reads top to bottom: input, who may call, the rule that decides, what is written.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { type User, hasAnyRole, userFromEvent } from './auth.js';
import type { RouteDefinition } from './definitions.js';
import { type FieldError, HttpError, PROBLEM_TYPES, fieldErrors, forbidden, outageOf, unauthorized, unavailable, validationFailed } from './errors.js';

export { fieldErrors };
import type { withIdempotency } from './idempotency.js';
import { logger } from './logger.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export interface HttpRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: User;
  headers: Record<string, string | undefined>;
  requestId: string;
}

export interface HttpResult {
  status: number;
  /** JSON, or bytes (a Buffer) sent as they are with the content-type the handler sets. */
  body?: unknown;
  headers?: Record<string, string>;
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

const ANONYMOUS: User = { userId: 'anonymous', name: 'anonymous', roles: [] };

function parseJsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const contentType = event.headers?.['content-type'];
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new HttpError(415, PROBLEM_TYPES.unsupportedMediaType, 'Unsupported media type', `send JSON (application/json), not ${contentType}`);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw validationFailed([{ field: 'body', message: 'not valid JSON', code: 'invalid_json' }], 'The request body is not valid JSON');
  }
}

async function validate(route: RouteDefinition, event: HttpEvent, alsoCheck: HttpHandlerOptions['alsoCheckRefused']) {
  const errors: FieldError[] = [];
  const parse = (part: 'params' | 'query' | 'body', schema: z.ZodType | undefined, input: unknown) => {
    if (!schema) {
      if (part === 'body' && input !== undefined) {
        errors.push({ field: 'body', message: 'this request takes no body', code: 'unexpected_body' });
      }
      return undefined;
    }
    const result = schema.safeParse(input, { reportInput: true });
    if (!result.success) {
      errors.push(...fieldErrors(part, result.error));
      return undefined;
    }
    return result.data;
  };
  const params = parse('params', route.params, event.pathParameters ?? {});
  const query = parse('query', route.query, event.queryStringParameters ?? {});
  let body: unknown;
  let rawBody: unknown;
  try {
    rawBody = parseJsonBody(event);
    if (route.body && rawBody === undefined) errors.push({ field: 'body', message: 'required', code: 'required' });
    else body = parse('body', route.body, rawBody);
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 400)) throw err;
    if (errors.length === 0) throw err; // the body is not JSON: say so, not "1 field is invalid"
    errors.push(...(err.errors ?? []));
  }
  if (errors.length > 0) {
    // The checks against stored data of what is well-formed, so that one 400 names every bad field.
    if (alsoCheck && rawBody !== undefined) {
      const named = new Set(errors.map((e) => e.field));
      errors.push(...(await alsoCheck({ params: event.pathParameters ?? {}, body: rawBody })).filter((e) => !named.has(e.field)));
    }
    throw validationFailed(errors);
  }
  return { params, query, body };
}

/**
 * DynamoDB refused the request's cursor as a start key: a cursor forged, or taken from another
 * list, decodes to a key of the wrong attributes or types. The client's mistake (400), not ours.
 * DynamoDB says "Exclusive Start Key must have same size as table's key schema" or "The provided
 * starting key is invalid: The provided key element does not match the schema"; DynamoDB Local
 * says "Type mismatch for attribute to update" for a key attribute of the wrong type.
 */
function cursorRefused(err: unknown, event: HttpEvent | undefined): boolean {
  const { name, message } = (err ?? {}) as { name?: string; message?: string };
  return (
    name === 'ValidationException' &&
    /start(ing)? key|key element does not match|type mismatch/i.test(message ?? '') &&
    event?.queryStringParameters?.cursor !== undefined
  );
}

export function problemResponse(err: HttpError, instance?: string): HttpResponse {
  return {
    statusCode: err.status,
    headers: { 'content-type': 'application/problem+json', ...(err.status === 503 ? { 'retry-after': String(err.retryAfterSeconds ?? 5) } : {}) },
    body: JSON.stringify({
      type: err.type,
      title: err.title,
      status: err.status,
      detail: err.message,
      ...(instance ? { instance } : {}),
      ...(err.errors ? { errors: err.errors } : {}),
    }),
  };
}

export function jsonResponse(result: HttpResult): HttpResponse {
  if (result.body instanceof Uint8Array) {
    // A file (a PDF): API Gateway takes a binary body base64-encoded and hands the client the bytes.
    return {
      statusCode: result.status,
      headers: { 'content-type': 'application/octet-stream', ...result.headers },
      body: Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
  };
}

export interface HttpHandlerOptions {
  /**
   * Idempotency for routes marked `idempotent`, passed in by their handlers so that other
   * functions do not load the DynamoDB client just for it (it costs cold-start time).
   */
  idempotency?: typeof withIdempotency;
  /**
   * When the schemas refuse a request, the handler's checks against stored data (the catalogue) of
   * the parts that are well-formed, so that one 400 names every bad field (R-INTAKE-2) instead of
   * the shape's faults now and the catalogue's once the shape is fixed. Gets the JSON body as sent
   * (not validated: check only what parses) and answers the field errors it finds.
   */
  alsoCheckRefused?: (raw: { params: Record<string, string | undefined>; body: unknown }) => Promise<FieldError[]>;
}

export function httpHandler<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
  fn: (req: HttpRequest<Out<P>, Out<Q>, Out<B>>) => Promise<HttpResult>,
  options: HttpHandlerOptions = {},
) {
  const { idempotency, alsoCheckRefused } = options;
  if (route.idempotent && !idempotency) throw new Error(`${route.operationId} is idempotent: pass { idempotency: withIdempotency }`);
  const core = async (event: HttpEvent, context: Context): Promise<HttpResponse> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    let user = ANONYMOUS;
    if (route.roles !== 'public') {
      const caller = userFromEvent(event);
      if (!caller) throw unauthorized();
      if (!hasAnyRole(caller, route.roles)) {
        throw forbidden(`${route.operationId} is for ${route.roles.join(', ')}; you are ${caller.roles.join(', ') || 'in no role'}`);
      }
      user = caller;
    }
    logger.appendKeys({ userId: user.userId, operation: route.operationId });
    const { params, query, body } = await validate(route as RouteDefinition, event, alsoCheckRefused);
    const headers = event.headers ?? {};
    const run = async () => jsonResponse(await fn({ params, query, body, user, headers, requestId } as HttpRequest<Out<P>, Out<Q>, Out<B>>));
    const idempotencyKey = route.idempotent ? headers['idempotency-key'] : undefined;
    // Scoped to the route and the caller, and to the record a route with path parameters acts on.
    const scope = [route.operationId, user.userId, ...Object.values((params ?? {}) as Record<string, unknown>).map(String)].join('#');
    return idempotencyKey && idempotency ? idempotency({ key: idempotencyKey, scope, body }, run) : run();
  };

  return middy<HttpEvent, HttpResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        const err = request.error;
        const instance = request.event?.rawPath;
        if (err instanceof HttpError) {
          logger.info('request refused', { status: err.status, type: err.type, detail: err.message });
          request.response = problemResponse(err, instance);
        } else if (cursorRefused(err, request.event)) {
          logger.info('cursor refused', { detail: (err as Error).message });
          request.response = problemResponse(validationFailed([{ field: 'query.cursor', message: 'not a cursor this API gave out', code: 'invalid_cursor' }]), instance);
        } else if (outageOf(err)) {
          // A dependency (DynamoDB, Step Functions) is unreachable, failing or throttling after the SDK's own retries.
          const outage = outageOf(err)!;
          logger.warn('dependency unavailable', { kind: outage.kind, error: err as Error });
          const detail =
            outage.kind === 'throttled'
              ? `The service is busy right now; try again in ${outage.retryAfterSeconds} seconds`
              : `A service this request needs is not answering right now; try again in ${outage.retryAfterSeconds} seconds. If it goes on, quote request id ${request.context.awsRequestId} to support`;
          request.response = problemResponse(unavailable(detail, outage.retryAfterSeconds), instance);
        } else {
          logger.error('request failed', err as Error);
          request.response = problemResponse(
            new HttpError(500, PROBLEM_TYPES.internal, 'Something went wrong on our side', `The request failed; quote request id ${request.context.awsRequestId} to support`),
            instance,
          );
        }
      },
    })
    .handler(core);
}
