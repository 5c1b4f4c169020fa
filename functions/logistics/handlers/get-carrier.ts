import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { logisticsRoutes } from '../routes.js';
import { getCarrier } from '../store.js';

export const handler = httpHandler(logisticsRoutes.getCarrier, async ({ params }) => {
  const carrier = await getCarrier(params.carrierId);
  return { status: 200, body: carrier, headers: { etag: etag(carrier) } };
});
