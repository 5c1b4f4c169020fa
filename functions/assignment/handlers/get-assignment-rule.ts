import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { assignmentRoutes } from '../routes.js';
import { getAssignmentRule } from '../store.js';

export const handler = httpHandler(assignmentRoutes.getAssignmentRule, async ({ params }) => {
  const rule = await getAssignmentRule(params.ruleId);
  return { status: 200, body: rule, headers: { etag: etag(rule) } };
});
