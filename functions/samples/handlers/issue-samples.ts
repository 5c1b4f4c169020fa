import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { issueSamples } from '../issue.js';
import { sampleRoutes } from '../routes.js';

export const handler = httpHandler(sampleRoutes.issueSamples, async ({ params, body, user }) => {
  // R-FULFIL-10: only an approved request is issued, recorded as samples or gifts.
  const issued = await issueSamples(params.requestId, body, actorOf(user));
  return { status: 200, body: issued, headers: { etag: etag(issued) } };
});
