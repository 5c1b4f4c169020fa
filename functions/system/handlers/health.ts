import { nowIso } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { systemRoutes } from '../routes.js';

export const handler = httpHandler(systemRoutes.health, async () => ({
  status: 200,
  body: { status: 'ok', version: process.env.APP_VERSION ?? 'dev', time: nowIso() },
}));
