import { actorOf } from '../../shared/auth.js';
import { preconditionFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { assignmentRoutes } from '../routes.js';
import { deleteAssignmentRule, getAssignmentRule } from '../store.js';

export const handler = httpHandler(assignmentRoutes.deleteAssignmentRule, async ({ params, user, headers }) => {
  const current = await getAssignmentRule(params.ruleId, true);
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(current.version)) {
    throw preconditionFailed(`${params.ruleId} is at version ${current.version}, you read another; reload and try again`);
  }
  // R-INFO-3: the rule goes, its history (the deleted rule as "before") stays.
  await deleteAssignmentRule(current, actorOf(user));
  return { status: 204 };
});
