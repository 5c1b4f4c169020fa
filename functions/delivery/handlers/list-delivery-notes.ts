import { httpHandler } from '../../shared/http.js';
import { deliveryRoutes } from '../routes.js';
import { listNotesInStatus } from '../store.js';

export const handler = httpHandler(deliveryRoutes.listDeliveryNotes, async ({ query }) => ({
  status: 200,
  body: await listNotesInStatus(query.status, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
}));
