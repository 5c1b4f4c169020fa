/** Workflow step (waitForTaskToken): a sample or gift request in its approver's queue (R-FULFIL-10). */
import { openApprovalTaskHandler } from '../../approvals/steps.js';
import { describeRequest } from '../issue.js';
import { getSampleRequest } from '../store.js';

export const handler = openApprovalTaskHandler('OpenSampleRequestTask', async (requestId) => {
  const r = await getSampleRequest(requestId, true);
  return {
    waiting: r.status === 'PENDING_APPROVAL',
    taskType: 'SAMPLE_REQUEST_APPROVAL',
    title: `${describeRequest(r)}, asked by ${r.createdBy.name}`,
    subject: { kind: 'sampleRequest', id: r.requestId, name: `${r.requestId} ${r.recipient}` },
    details: {
      purpose: r.purpose,
      recipient: r.recipient,
      ...(r.customerId ? { customerId: r.customerId, customerName: r.customerName } : {}),
      warehouseId: r.warehouseId,
      lines: r.lines,
      reason: r.reason,
      requestedBy: r.createdBy,
    },
    link: `/sample-requests/${r.requestId}`,
  };
});
