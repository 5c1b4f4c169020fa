/** One function for changing the rules (same access: the assignmentRules table and its history). */
import { routeGroup } from '../../shared/route-group.js';
import { assignmentRoutes } from '../routes.js';
import { handler as deleteAssignmentRule } from './delete-assignment-rule.js';
import { handler as putAssignmentRule } from './put-assignment-rule.js';

export const handler = routeGroup([
  [assignmentRoutes.putAssignmentRule, putAssignmentRule],
  [assignmentRoutes.deleteAssignmentRule, deleteAssignmentRule],
]);
