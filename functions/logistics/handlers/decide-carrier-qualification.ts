import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { applyQualification } from '../qualification.js';
import { logisticsRoutes } from '../routes.js';
import { updateCarrier } from '../store.js';

export const handler = httpHandler(logisticsRoutes.decideCarrierQualification, async ({ params, body, user, headers }) => {
  const by = actorOf(user);
  // R-FULFIL-6 and R-INFO-3: the decision and its reason go into the carrier and its history in one write.
  const carrier = await updateCarrier(
    params.carrierId,
    (current) => applyQualification(current, body, by, nowIso()),
    by,
    body.qualified ? 'carrier qualified' : 'carrier disqualified',
    { ifMatch: headers['if-match'], reason: body.reason },
  );
  return { status: 200, body: carrier, headers: { etag: etag(carrier) } };
});
