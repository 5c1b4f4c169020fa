/** Workflow step (waitForTaskToken): a goods reservation in its approver's queue (R-FULFIL-8). */
import { openApprovalTaskHandler } from '../../approvals/steps.js';
import { formatMajor } from '../../shared/money.js';
import { getReservation } from '../store.js';

export const handler = openApprovalTaskHandler('OpenGoodsReservationTask', async (reservationId) => {
  const r = await getReservation(reservationId, true);
  const goods = r.lines.map((l) => `${l.quantity} ${l.unit} ${l.productName}${l.specification ? ` ${l.specification}` : ''}`).join(', ');
  const security = r.deposit
    ? `deposit ${formatMajor(r.deposit.amount)} ${r.deposit.amount.currency} (${r.deposit.reference}): confirm it arrived`
    : `no deposit: guaranteed by ${r.guarantee?.by.name}`;
  return {
    waiting: r.status === 'PENDING_APPROVAL',
    taskType: 'GOODS_RESERVATION_APPROVAL',
    title: `goods reservation ${r.reservationId} for ${r.customerName}: ${goods} (${security})`,
    subject: { kind: 'goodsReservation', id: r.reservationId, name: `${r.reservationId} ${r.customerName}` },
    details: {
      customerId: r.customerId,
      customerName: r.customerName,
      warehouseId: r.warehouseId,
      lines: r.lines,
      ...(r.deposit ? { deposit: r.deposit } : {}),
      ...(r.guarantee ? { guarantee: r.guarantee } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
      requestedBy: r.createdBy,
    },
    link: `/goods-reservations/${r.reservationId}`,
  };
});
