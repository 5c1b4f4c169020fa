import { approvalStartItem } from '../../approvals/workflow.js';
import { getCustomer } from '../../customers/store.js';
import { productsByCode } from '../../orders/store.js';
import { lineProblems, recordLines } from '../../reservations/rules.js';
import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { conflict, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { settings } from '../../shared/settings.js';
import { etag } from '../../shared/versioned.js';
import { sampleRoutes } from '../routes.js';
import { assertMayAskFor, sampleApprovers } from '../rules.js';
import type { SampleRequest } from '../schemas.js';
import { insertSampleRequest, nextSampleRequestNumber } from '../store.js';

export const handler = httpHandler(
  sampleRoutes.requestSamples,
  async ({ body, user }) => {
    const customer = body.customerId ? await getCustomer(body.customerId) : undefined;
    // Who may ask: a rep for own customers (or none), a clerk, a sales manager.
    assertMayAskFor(user, customer);
    const products = await productsByCode(body.lines.map((l) => l.productCode));
    const problems = lineProblems(body.lines, products);
    if (problems.length > 0) throw validationFailed(problems);

    // R-FULFIL-10: an approved request, never one's own approval.
    const approvers = sampleApprovers(user);
    const by = actorOf(user);
    const at = nowIso();
    const requestId = await nextSampleRequestNumber();
    const request: SampleRequest = {
      requestId,
      purpose: body.purpose,
      ...(customer ? { customerId: customer.customerId, customerName: customer.name, ownerRepId: customer.ownerRepId } : {}),
      recipient: body.recipient,
      warehouseId: body.warehouseId ?? settings().defaultWarehouseId,
      status: 'PENDING_APPROVAL',
      lines: recordLines(body.lines, products),
      reason: body.reason,
      approvers,
      decisions: [],
      version: 1,
      createdAt: at,
      createdBy: by,
      updatedAt: at,
      updatedBy: by,
    };
    const answer = { status: 202, body: request, headers: { location: `/sample-requests/${requestId}`, etag: etag(request) } };
    // The request, its approval's start and this request's answer in one write.
    const also = [approvalStartItem('sampleRequestApproval', requestId, approvers), ...answerItems(answer)];
    if (!(await insertSampleRequest(request, by, 'sample request made', also))) throw conflict(`request number ${requestId} is taken`);
    return answer;
  },
  { idempotency: withIdempotency },
);
