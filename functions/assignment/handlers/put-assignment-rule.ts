import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { HttpError, PROBLEM_TYPES, conflict, preconditionFailed } from '../../shared/errors.js';
import { type HttpResult, httpHandler } from '../../shared/http.js';
import { canonicalJson } from '../../shared/json.js';
import { etag } from '../../shared/versioned.js';
import { assignmentRoutes } from '../routes.js';
import type { AssignmentRule } from '../schemas.js';
import { getAssignmentRule, insertAssignmentRule, updateAssignmentRule } from '../store.js';

const versionOf = (ifMatch: string) => ifMatch.replace(/^W\//, '').replace(/"/g, '');

export const handler = httpHandler(assignmentRoutes.putAssignmentRule, async ({ params, body, user, headers }): Promise<HttpResult> => {
  const { ruleId } = params;
  const ifMatch = headers['if-match'];
  const by = actorOf(user);
  const current = await getAssignmentRule(ruleId, true).catch((err: unknown) => {
    if (err instanceof HttpError && err.type === PROBLEM_TYPES.notFound) return undefined;
    throw err;
  });

  if (!current) {
    // If-Match names a version the client read: there is none, so someone deleted it meanwhile.
    if (ifMatch !== undefined) throw preconditionFailed(`${ruleId} does not exist (any more); reload and try again`);
    const at = nowIso();
    const rule: AssignmentRule = { ...body, ruleId, version: 1, createdAt: at, createdBy: by, updatedAt: at, updatedBy: by };
    if (!(await insertAssignmentRule(rule, by))) throw conflict(`${ruleId} was created by someone else at the same moment; reload and try again`);
    return { status: 201, body: rule, headers: { location: `/assignment-rules/${ruleId}`, etag: etag(rule) } };
  }

  if (ifMatch !== undefined && versionOf(ifMatch) !== String(current.version)) {
    throw preconditionFailed(`${ruleId} is at version ${current.version}, you read another; reload and try again`);
  }
  // PUT replaces: what the body leaves out (a remark) goes. The same rule again is no change and no new version.
  const replaced = (base: AssignmentRule): AssignmentRule => ({
    ...body,
    ruleId,
    version: base.version,
    createdAt: base.createdAt,
    createdBy: base.createdBy,
    updatedAt: base.updatedAt,
    updatedBy: base.updatedBy,
  });
  if (canonicalJson(replaced(current)) === canonicalJson(current)) {
    return { status: 200, body: current, headers: { etag: etag(current) } };
  }
  const rule = await updateAssignmentRule(ruleId, replaced, by, 'assignment rule changed', { ifMatch });
  return { status: 200, body: rule, headers: { etag: etag(rule) } };
});
