import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { assignmentRoutes } from '../routes.js';
import { assignmentRuleSubject } from '../store.js';

export const handler = httpHandler(assignmentRoutes.getAssignmentRuleHistory, async ({ params, query }) => ({
  status: 200,
  body: await readHistory(assignmentRuleSubject(params.ruleId), query),
}));
