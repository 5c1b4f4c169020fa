/** One function for reading the rules (same access: the assignmentRules table, read only). */
import { routeGroup } from '../../shared/route-group.js';
import { assignmentRoutes } from '../routes.js';
import { handler as getAssignmentRule } from './get-assignment-rule.js';
import { handler as listAssignmentRules } from './list-assignment-rules.js';

export const handler = routeGroup([
  [assignmentRoutes.listAssignmentRules, listAssignmentRules],
  [assignmentRoutes.getAssignmentRule, getAssignmentRule],
]);
