/** Workflow step (waitForTaskToken): a return in the sales manager's queue, with its inspection report (R-RETURN-1, R-RETURN-2). */
import { openApprovalTaskHandler } from '../../approvals/steps.js';
import { describeReturn } from '../process.js';
import { approvedQuantity } from '../rules.js';
import { getReturn } from '../store.js';

export const handler = openApprovalTaskHandler('OpenReturnTask', async (returnId) => {
  const r = await getReturn(returnId, true);
  return {
    waiting: r.status === 'PENDING_APPROVAL',
    taskType: 'RETURN_APPROVAL',
    title: `${describeReturn(r)}, asked by ${r.createdBy.name}`,
    subject: { kind: 'return', id: r.returnId, name: `${r.returnId} ${r.customerName}` },
    details: {
      kind: r.kind,
      customerId: r.customerId,
      customerName: r.customerName,
      invoiceId: r.invoiceId,
      orderId: r.orderId,
      lines: r.lines.map((l) => ({ ...l, toApprove: approvedQuantity(r, l) })),
      value: r.value,
      reason: r.reason,
      rootCause: r.rootCause,
      responsibleParty: r.responsibleParty,
      ...(r.inspection ? { inspection: r.inspection } : {}),
      requestedBy: r.createdBy,
    },
    link: `/returns/${r.returnId}`,
  };
});
