/** One function for changes to a carrier (same access: the carriers table and its history). */
import { routeGroup } from '../../shared/route-group.js';
import { logisticsRoutes } from '../routes.js';
import { handler as decideCarrierQualification } from './decide-carrier-qualification.js';
import { handler as updateCarrier } from './update-carrier.js';

export const handler = routeGroup([
  [logisticsRoutes.updateCarrier, updateCarrier],
  [logisticsRoutes.decideCarrierQualification, decideCarrierQualification],
]);
