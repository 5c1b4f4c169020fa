/**
 * One function for the reads of returns (same access): by customer or status, one return, its history.
 * A rep sees own customers' only; reads of one customer's returns by others are logged, refusals too (R-INFO-2).
 */
import { readCustomerData } from '../../customers/access.js';
import { onlyOwnCustomers } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { returnRoutes } from '../routes.js';
import { getReturn, listReturnsInStatus, listReturnsOfCustomer, returnSubject } from '../store.js';

export const handler = routeGroup([
  [
    returnRoutes.listReturns,
    httpHandler(returnRoutes.listReturns, async ({ query, user }) => {
      const page = { limit: query.limit, cursor: query.cursor };
      const { customerId } = query;
      if (customerId) {
        const found = await readCustomerData(user, await getCustomer(customerId), { what: 'returns' }, () => listReturnsOfCustomer(customerId, page));
        return { status: 200, body: query.status ? { ...found, items: found.items.filter((r) => r.status === query.status) } : found };
      }
      const found = await listReturnsInStatus(query.status ?? 'APPROVED', page);
      return { status: 200, body: { ...found, items: found.items.filter((r) => !onlyOwnCustomers(user) || r.ownerRepId === user.userId) } };
    }),
  ],
  [
    returnRoutes.getReturn,
    httpHandler(returnRoutes.getReturn, async ({ params, user }) => {
      const r = await getReturn(params.returnId);
      return { status: 200, body: await readCustomerData(user, r, { what: 'return', id: r.returnId }, async () => r) };
    }),
  ],
  [
    returnRoutes.getReturnHistory,
    httpHandler(returnRoutes.getReturnHistory, async ({ params, query, user }) => {
      const r = await getReturn(params.returnId);
      return { status: 200, body: await readCustomerData(user, r, { what: 'returnHistory', id: r.returnId }, () => readHistory(returnSubject(r.returnId), query)) };
    }),
  ],
]);
