import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { etag } from '../../shared/versioned.js';
import { applyQualification } from '../qualification.js';
import { logisticsRoutes } from '../routes.js';
import type { Carrier } from '../schemas.js';
import { insertCarrier, nextCarrierNumber } from '../store.js';

export const handler = httpHandler(logisticsRoutes.createCarrier, async ({ body, user }) => {
  const by = actorOf(user);
  const at = nowIso();
  const { qualification, ...fields } = body;
  // R-FULFIL-6: a carrier is usable only once qualified; without a decision it starts not qualified.
  const unqualified: Carrier = {
    ...fields,
    carrierId: await nextCarrierNumber(),
    qualified: false,
    qualifiedUntil: null,
    qualificationRemark: 'not qualified yet',
    qualificationDecidedAt: at,
    qualificationDecidedBy: by,
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  const carrier = qualification ? applyQualification(unqualified, qualification, by, at) : unqualified;
  const answer = { status: 201, body: carrier, headers: { location: `/carriers/${carrier.carrierId}`, etag: etag(carrier) } };
  // The number comes from the sequence, so a clash means the counter was reset: say so rather than overwrite.
  if (!(await insertCarrier(carrier, by, 'carrier created', answerItems(answer)))) {
    throw conflict(`carrier number ${carrier.carrierId} is taken`);
  }
  return answer;
}, { idempotency: withIdempotency });
