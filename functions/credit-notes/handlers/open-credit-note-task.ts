/** Workflow step (waitForTaskToken): a credit note (allowance) in its approver's queue (R-BILL-4). */
import { openApprovalTaskHandler } from '../../approvals/steps.js';
import { getInvoice } from '../../billing/invoices.js';
import { describeCreditNote } from '../issue.js';
import { getCreditNote } from '../store.js';

export const handler = openApprovalTaskHandler('OpenCreditNoteTask', async (creditNoteId) => {
  const n = await getCreditNote(creditNoteId, true);
  const invoice = await getInvoice(n.invoiceId);
  return {
    waiting: n.status === 'PENDING_APPROVAL',
    taskType: 'CREDIT_NOTE_APPROVAL',
    title: `credit note ${describeCreditNote(n)}, asked by ${n.createdBy.name}`,
    subject: { kind: 'creditNote', id: n.creditNoteId, name: `${n.creditNoteId} ${n.customerName}` },
    details: {
      customerId: n.customerId,
      customerName: n.customerName,
      invoiceId: n.invoiceId,
      orderId: n.orderId,
      amount: n.amount,
      reason: n.reason,
      ...(invoice ? { invoiceGross: invoice.gross, invoiceOutstanding: invoice.outstanding, invoiceIssuedOn: invoice.issuedOn } : {}),
      requestedBy: n.createdBy,
    },
    link: `/credit-notes/${n.creditNoteId}`,
  };
});
