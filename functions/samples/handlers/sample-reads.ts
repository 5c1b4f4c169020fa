/** One function for the reads (same access): list by status, one request, its history. */
import { readHistory } from '../../shared/audit.js';
import { forbidden } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import type { User } from '../../shared/auth.js';
import { onlyOwnCustomers } from '../../customers/rules.js';
import { sampleRoutes } from '../routes.js';
import type { SampleRequest } from '../schemas.js';
import { getSampleRequest, listSampleRequests, sampleSubject } from '../store.js';

/** R-INFO-2: a rep sees own requests and those for own customers. */
const visibleTo = (user: User, r: SampleRequest) => !onlyOwnCustomers(user) || r.createdBy.userId === user.userId || r.ownerRepId === user.userId;

async function readable(user: User, requestId: string) {
  const r = await getSampleRequest(requestId);
  if (!visibleTo(user, r)) throw forbidden(`${requestId} is another sales rep's`);
  return r;
}

export const handler = routeGroup([
  [
    sampleRoutes.listSampleRequests,
    httpHandler(sampleRoutes.listSampleRequests, async ({ query, user }) => {
      const page = await listSampleRequests(query.status, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
      return { status: 200, body: { ...page, items: page.items.filter((r) => visibleTo(user, r)) } };
    }),
  ],
  [sampleRoutes.getSampleRequest, httpHandler(sampleRoutes.getSampleRequest, async ({ params, user }) => ({ status: 200, body: await readable(user, params.requestId) }))],
  [
    sampleRoutes.getSampleRequestHistory,
    httpHandler(sampleRoutes.getSampleRequestHistory, async ({ params, query, user }) => {
      const r = await readable(user, params.requestId);
      return { status: 200, body: await readHistory(sampleSubject(r.requestId), query) };
    }),
  ],
]);
