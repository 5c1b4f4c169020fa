/** One function for the reads of returns (same access): by customer or status, one return, its history. A rep sees own customers' only (R-INFO-2). */
import { assertMaySee, onlyOwnCustomers } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import { readHistory } from '../../shared/audit.js';
import type { User } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { returnRoutes } from '../routes.js';
import { getReturn, listReturnsInStatus, listReturnsOfCustomer, returnSubject } from '../store.js';

async function readable(user: User, returnId: string) {
  const r = await getReturn(returnId);
  assertMaySee(user, r);
  return r;
}

export const handler = routeGroup([
  [
    returnRoutes.listReturns,
    httpHandler(returnRoutes.listReturns, async ({ query, user }) => {
      const page = { limit: query.limit, cursor: query.cursor };
      if (query.customerId) {
        assertMaySee(user, await getCustomer(query.customerId));
        const found = await listReturnsOfCustomer(query.customerId, page);
        return { status: 200, body: query.status ? { ...found, items: found.items.filter((r) => r.status === query.status) } : found };
      }
      const found = await listReturnsInStatus(query.status ?? 'APPROVED', page);
      return { status: 200, body: { ...found, items: found.items.filter((r) => !onlyOwnCustomers(user) || r.ownerRepId === user.userId) } };
    }),
  ],
  [returnRoutes.getReturn, httpHandler(returnRoutes.getReturn, async ({ params, user }) => ({ status: 200, body: await readable(user, params.returnId) }))],
  [
    returnRoutes.getReturnHistory,
    httpHandler(returnRoutes.getReturnHistory, async ({ params, query, user }) => {
      const r = await readable(user, params.returnId);
      return { status: 200, body: await readHistory(returnSubject(r.returnId), query) };
    }),
  ],
]);
