import { businessDate } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { logisticsRoutes } from '../routes.js';
import { listCarriers } from '../store.js';

export const handler = httpHandler(logisticsRoutes.listCarriers, async ({ query }) => ({
  status: 200,
  body: await listCarriers({ ...query, today: businessDate() }),
}));
