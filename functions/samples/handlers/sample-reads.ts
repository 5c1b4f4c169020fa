/** One function for the reads (same access): list by status, one request, its history. */
import { type ReadWork, readCustomerData } from '../../customers/access.js';
import { readHistory } from '../../shared/audit.js';
import type { AccessRead } from '../../shared/schemas.js';
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

const assertVisible = (user: User, r: SampleRequest) => {
  if (!visibleTo(user, r)) throw forbidden(`${r.requestId} is another sales rep's`);
};

/** Samples for a customer are its data: read by anyone but its owner rep, logged on it, refusals too (R-INFO-2). */
async function readRequest<T>(user: User, r: SampleRequest, what: AccessRead['what'], work: ReadWork<T>): Promise<T> {
  if (r.customerId && r.ownerRepId) return readCustomerData(user, { customerId: r.customerId, ownerRepId: r.ownerRepId }, { what, id: r.requestId }, work, () => assertVisible(user, r));
  assertVisible(user, r);
  return work();
}

export const handler = routeGroup([
  [
    sampleRoutes.listSampleRequests,
    httpHandler(sampleRoutes.listSampleRequests, async ({ query, user }) => {
      const page = await listSampleRequests(query.status, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
      return { status: 200, body: { ...page, items: page.items.filter((r) => visibleTo(user, r)) } };
    }),
  ],
  [
    sampleRoutes.getSampleRequest,
    httpHandler(sampleRoutes.getSampleRequest, async ({ params, user }) => {
      const r = await getSampleRequest(params.requestId);
      return { status: 200, body: await readRequest(user, r, 'sampleRequest', async () => r) };
    }),
  ],
  [
    sampleRoutes.getSampleRequestHistory,
    httpHandler(sampleRoutes.getSampleRequestHistory, async ({ params, query, user }) => {
      const r = await getSampleRequest(params.requestId);
      return { status: 200, body: await readRequest(user, r, 'sampleRequestHistory', () => readHistory(sampleSubject(r.requestId), query)) };
    }),
  ],
]);
