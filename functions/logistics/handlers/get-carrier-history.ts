import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { logisticsRoutes } from '../routes.js';
import { carrierSubject } from '../store.js';

export const handler = httpHandler(logisticsRoutes.getCarrierHistory, async ({ params, query }) => ({
  status: 200,
  body: await readHistory(carrierSubject(params.carrierId), query),
}));
