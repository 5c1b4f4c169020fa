import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { logisticsRoutes } from '../routes.js';
import { updateCarrier } from '../store.js';

export const handler = httpHandler(logisticsRoutes.updateCarrier, async ({ params, body, user, headers }) => {
  const carrier = await updateCarrier(params.carrierId, (current) => ({ ...current, ...body }), actorOf(user), 'carrier updated', { ifMatch: headers['if-match'] });
  return { status: 200, body: carrier, headers: { etag: etag(carrier) } };
});
