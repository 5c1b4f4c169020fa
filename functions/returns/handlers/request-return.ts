import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { etag } from '../../shared/versioned.js';
import { requestReturn } from '../process.js';
import { returnRoutes } from '../routes.js';

export const handler = httpHandler(
  returnRoutes.requestReturn,
  async ({ body, user }) => {
    // R-RETURN-1: a rep for own customers; at most what was invoiced less earlier returns; quality returns to inspection, others to the sales manager.
    const ret = await requestReturn(body, user);
    return { status: 202, body: ret, headers: { location: `/returns/${ret.returnId}`, etag: etag(ret) } };
  },
  { idempotency: withIdempotency },
);
