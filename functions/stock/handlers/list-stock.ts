import { httpHandler } from '../../shared/http.js';
import { settings } from '../../shared/settings.js';
import { stockRoutes } from '../routes.js';
import { listBalances } from '../store.js';

export const handler = httpHandler(stockRoutes.listStock, async ({ query }) => ({
  status: 200,
  body: await listBalances(query.warehouseId ?? settings().defaultWarehouseId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
}));
