/**
 * GET /health, public: a readiness check. It reads one item from DynamoDB (the dependency every
 * route needs); while that fails it answers 503 with the dependency down and Retry-After.
 */
import { nowIso } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { systemRoutes } from '../routes.js';
import { dynamoDbAnswers } from '../store.js';

export const handler = httpHandler(systemRoutes.health, async () => {
  const up = await dynamoDbAnswers();
  return {
    status: up ? 200 : 503,
    body: { status: up ? 'ok' : 'degraded', version: process.env.APP_VERSION ?? 'dev', time: nowIso(), dependencies: { dynamodb: up ? 'up' : 'down' } },
    ...(up ? {} : { headers: { 'retry-after': '5' } }),
  };
});
