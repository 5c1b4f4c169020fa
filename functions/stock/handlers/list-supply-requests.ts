import { httpHandler } from '../../shared/http.js';
import type { Role } from '../../shared/roles.js';
import { listOpenRequests } from '../requests.js';
import { stockRoutes } from '../routes.js';

/** Production sees production requests, the warehouse purchase requests; everyone else who may read sees both. */
export const handler = httpHandler(stockRoutes.listSupplyRequests, async ({ query, user }) => {
  const own = (['production', 'warehouse'] as Role[]).filter((r) => user.roles.includes(r));
  const departments: Role[] = own.length > 0 ? own : ['production', 'warehouse'];
  return { status: 200, body: await listOpenRequests(departments, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }) };
});
