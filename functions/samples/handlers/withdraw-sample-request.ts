import { withdrawApproval } from '../../approvals/withdraw.js';
import { approvalExecutionArn } from '../../approvals/workflow.js';
import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { conflict, forbidden } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { sampleRoutes } from '../routes.js';
import type { SampleRequest } from '../schemas.js';
import { getSampleRequest, replaceSampleRequest } from '../store.js';

export const handler = httpHandler(sampleRoutes.withdrawSampleRequest, async ({ params, body, user }) => {
  const current = await getSampleRequest(params.requestId, true);
  // Its requester, or a sales manager.
  if (current.createdBy.userId !== user.userId && !user.roles.includes('sales_manager')) throw forbidden(`${current.requestId} is ${current.createdBy.name}'s request`);
  if (current.status !== 'PENDING_APPROVAL' && current.status !== 'APPROVED') throw conflict(`${current.requestId} is ${current.status}: only a request not issued yet is withdrawn`);
  const by = actorOf(user);
  const after: SampleRequest = { ...current, status: 'CANCELLED', endedAt: nowIso(), endReason: body.reason, version: current.version + 1, updatedAt: nowIso(), updatedBy: by };
  if (!(await replaceSampleRequest(current, after, by, 'sample request withdrawn', body.reason))) throw conflict(`${current.requestId} changed at the same moment; reload and try again`);
  if (current.status === 'PENDING_APPROVAL') await withdrawApproval(approvalExecutionArn('sampleRequestApproval', current.requestId), body.reason);
  return { status: 200, body: after, headers: { etag: etag(after) } };
});
