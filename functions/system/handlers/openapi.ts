import { ROUTES } from '../../../infra/definitions/index.js';
import { httpHandler } from '../../shared/http.js';
import { buildOpenApi } from '../openapi.js';
import { systemRoutes } from '../routes.js';

let document: Record<string, unknown> | undefined;

export const handler = httpHandler(systemRoutes.openapi, async () => {
  // Built on first request, not at load: keeps the cold start small.
  document ??= buildOpenApi(ROUTES, { version: process.env.APP_VERSION ?? 'dev' });
  return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
});
