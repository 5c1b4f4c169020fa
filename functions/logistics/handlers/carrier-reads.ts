/** One function for the register's reads (same access: the carriers table, read only). */
import { routeGroup } from '../../shared/route-group.js';
import { logisticsRoutes } from '../routes.js';
import { handler as getCarrier } from './get-carrier.js';
import { handler as listCarriers } from './list-carriers.js';

export const handler = routeGroup([
  [logisticsRoutes.listCarriers, listCarriers],
  [logisticsRoutes.getCarrier, getCarrier],
]);
