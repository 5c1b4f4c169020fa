import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { etag } from '../../shared/versioned.js';
import { requestReturn } from '../process.js';
import { returnRoutes } from '../routes.js';
import type { Return } from '../schemas.js';

export const handler = httpHandler(
  returnRoutes.requestReturn,
  async ({ body, user }) => {
    // R-RETURN-1: a rep for own customers; at most what was invoiced less earlier returns; quality returns to inspection, others to the sales manager.
    const answer = (ret: Return) => ({ status: 202, body: ret, headers: { location: `/returns/${ret.returnId}`, etag: etag(ret) } });
    return answer(await requestReturn(body, user, answer));
  },
  { idempotency: withIdempotency },
);
