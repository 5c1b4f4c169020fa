/**
 * The local HTTP gateway: serves the route table with the same handlers, building the same
 * API Gateway HTTP API (payload 2.0) events, and refusing unauthenticated calls exactly as the
 * JWT authorizer does (401 {"message":"Unauthorized"}) before any handler runs.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FunctionDefinition, RouteDefinition } from '../../functions/shared/definitions.js';
import { type LocalIdentity, claimsAsApiGatewayPassesThem } from './auth.js';

const MAX_BODY_BYTES = 6 * 1024 * 1024; // Lambda's synchronous payload limit

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const m = /^\{(\w+)\}$/.exec(segment);
        if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return '([^/]+)';
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), names };
  });
}

/** Literal paths win over templated ones, as in API Gateway. */
function match(compiled: CompiledRoute[], method: string, path: string) {
  const candidates = compiled
    .map((c) => ({ c, m: c.pattern.exec(path) }))
    .filter((x) => x.m)
    .sort((a, b) => a.c.names.length - b.c.names.length);
  const found = candidates.find((x) => x.c.route.method === method);
  if (!found) return undefined;
  const params = Object.fromEntries(found.c.names.map((n, i) => [n, decodeURIComponent(found.m![i + 1]!)]));
  return { route: found.c.route, params };
}

/**
 * A local-only operation (/_local/…) refusing what it was asked: answered with its status and
 * { message } (a job that is unknown: 404; input it cannot take: 400; a job that will not run now: 409).
 */
export class LocalRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LocalRequestError';
  }
}

/** The JSON body of a local operation; anything else is the caller's mistake (400), not the gateway's. */
function localBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new LocalRequestError(400, 'The body is not valid JSON: send a JSON object, e.g. {"month":"2026-11"}');
  }
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface LocalFileAnswer {
  status: number;
  headers: Record<string, string>;
  body: Readable | string;
}

export interface GatewayOptions {
  routes: readonly RouteDefinition[];
  identity: LocalIdentity;
  invoke: (fn: FunctionDefinition, event: unknown) => Promise<unknown>;
  /**
   * Local-only operations (run a job now …), served under /_local/ and never in the cloud. `body()`
   * reads the JSON body when the operation takes one (a LocalRequestError 400 if it is not JSON);
   * undefined: no such operation (404). A LocalRequestError thrown is answered with its status.
   */
  local?: (method: string, path: string, body: () => unknown) => Promise<{ status: number; body: unknown } | undefined>;
  /** Local-only downloads under /_local/ (finance export files): a status, headers and a body streamed as it is read. */
  localFiles?: (method: string, url: URL) => Promise<LocalFileAnswer | undefined>;
  /** Static files served beside the API (the web console), or undefined for a path that is not theirs. */
  site?: (method: string, url: URL) => LocalFileAnswer | undefined;
  port?: number;
  host?: string;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const compiled = compileRoutes(options.routes);
  const server = http.createServer(async (req, res) => {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) return send(res, 413, JSON.stringify({ message: 'Request Entity Too Large' }));
        chunks.push(chunk as Buffer);
      }
      const raw = Buffer.concat(chunks);

      const local = url.pathname.startsWith('/_local/');
      let file: LocalFileAnswer | undefined;
      try {
        file = local && options.localFiles ? await options.localFiles(method, url) : options.site?.(method, url);
        if (!file && local && options.local) {
          const answer = await options.local(method, url.pathname, () => localBody(raw));
          if (answer) return send(res, answer.status, JSON.stringify(answer.body), { 'apigw-requestid': requestId });
        }
      } catch (err) {
        // Local operations answer bad input as the cloud's services would: a 4xx with a message, never a 500.
        if (err instanceof LocalRequestError) return send(res, err.status, JSON.stringify({ message: err.message }), { 'apigw-requestid': requestId });
        if (err instanceof URIError) return send(res, 400, JSON.stringify({ message: 'Bad Request' }), { 'apigw-requestid': requestId });
        throw err;
      }
      if (file) {
        res.writeHead(file.status, { 'apigw-requestid': requestId, ...file.headers });
        if (method === 'HEAD' && typeof file.body !== 'string') file.body.destroy();
        if (typeof file.body === 'string' || method === 'HEAD') return res.end(typeof file.body === 'string' ? file.body : undefined);
        // A client that goes away mid-download is not the gateway's failure.
        return await pipeline(file.body, res).catch((err: { code?: string }) => {
          if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
        });
      }

      let found: ReturnType<typeof match>;
      try {
        found = match(compiled, method, url.pathname);
      } catch (err) {
        // A path parameter that is not valid percent-encoding (/customers/%ZZ): API Gateway's own 400, no handler runs.
        if (err instanceof URIError) return send(res, 400, JSON.stringify({ message: 'Bad Request' }), { 'apigw-requestid': requestId });
        throw err;
      }
      if (!found) return send(res, 404, JSON.stringify({ message: 'Not Found' }), { 'apigw-requestid': requestId });

      let claims: Record<string, string | number | boolean> | undefined;
      if (found.route.roles !== 'public') {
        const header = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
        const payload = token ? await options.identity.verify(token) : undefined;
        if (!payload) return send(res, 401, JSON.stringify({ message: 'Unauthorized' }), { 'apigw-requestid': requestId, 'www-authenticate': 'Bearer' });
        claims = claimsAsApiGatewayPassesThem(payload);
      }

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const query: Record<string, string> = {};
      for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
      const contentType = headers['content-type'] ?? '';
      const textual = raw.length === 0 || /json|text|xml|x-www-form-urlencoded/i.test(contentType);
      const now = new Date();
      const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
        version: '2.0',
        routeKey: `${found.route.method} ${found.route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
        ...(Object.keys(found.params).length ? { pathParameters: found.params } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
          requestId,
          routeKey: `${found.route.method} ${found.route.path}`,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
        },
        ...(raw.length ? { body: textual ? raw.toString('utf8') : raw.toString('base64') } : {}),
        isBase64Encoded: !textual,
      } as APIGatewayProxyEventV2WithJWTAuthorizer;

      const result = (await options.invoke(found.route.function, event)) as APIGatewayProxyStructuredResultV2;
      const body = result.body ?? '';
      res.writeHead(result.statusCode ?? 200, { 'apigw-requestid': requestId, ...(result.headers as Record<string, string>) });
      res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
    } catch (err) {
      // What API Gateway answers when the integration fails (its Lambda threw, timed out or died).
      if ((err as Error)?.name === 'LambdaCrashed') console.error(`[gateway] ${req.method} ${req.url}: ${(err as Error).message}`);
      else console.error(`[gateway] ${req.method} ${req.url} failed:`, err);
      if (!res.headersSent) send(res, 500, JSON.stringify({ message: 'Internal Server Error' }), { 'apigw-requestid': requestId });
      else res.end();
    }
  });
  // Idle keep-alive connections outlive the clients' own idle timeout (undici closes after 4 s), so a client never
  // sends a request on a connection the server is closing at that moment (a reset, "fetch failed" under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
