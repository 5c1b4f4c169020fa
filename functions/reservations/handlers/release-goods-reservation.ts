import { withdrawApproval } from '../../approvals/withdraw.js';
import { approvalExecutionArn } from '../../approvals/workflow.js';
import { assertMaySee } from '../../customers/rules.js';
import { actorOf } from '../../shared/auth.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { endReservation, reservationView } from '../holding.js';
import { reservationRoutes } from '../routes.js';
import { getReservation } from '../store.js';

export const handler = httpHandler(reservationRoutes.releaseGoodsReservation, async ({ params, body, user }) => {
  const current = await getReservation(params.reservationId, true);
  // A rep releases own customers' reservations only.
  assertMaySee(user, current);
  const ended = await endReservation(current.reservationId, 'RELEASED', body.reason, actorOf(user));
  if (!ended) throw conflict(`${current.reservationId} is ${current.status} already`);
  // A request withdrawn before its decision leaves its approver's queue.
  if (ended.status === 'CANCELLED') await withdrawApproval(approvalExecutionArn('goodsReservationApproval', ended.reservationId), body.reason);
  return { status: 200, body: await reservationView(ended), headers: { etag: etag(ended) } };
});
