import { approvalStartItem } from '../../approvals/workflow.js';
import { getCustomer } from '../../customers/store.js';
import { productsByCode } from '../../orders/store.js';
import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { conflict, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { settings } from '../../shared/settings.js';
import { etag } from '../../shared/versioned.js';
import { reservationRoutes } from '../routes.js';
import { approversFor, assertMayRequest, lineProblems, recordLines } from '../rules.js';
import type { GoodsReservation } from '../schemas.js';
import { insertReservation, nextReservationNumber } from '../store.js';

export const handler = httpHandler(
  reservationRoutes.requestGoodsReservation,
  async ({ body, user }) => {
    const customer = await getCustomer(body.customerId);
    // Who may ask: the customer's rep (only the rep can guarantee) or a sales clerk.
    assertMayRequest(user, customer, body);
    const products = await productsByCode(body.lines.map((l) => l.productCode));
    const problems = [
      ...lineProblems(body.lines, products),
      ...(body.deposit && body.deposit.amount.currency !== settings().currency
        ? [{ field: 'body.deposit.amount.currency', message: `deposits are in the company currency ${settings().currency}`, code: 'currency' }]
        : []),
    ];
    if (problems.length > 0) throw validationFailed(problems);

    // R-FULFIL-8: a deposit goes to finance; the rep's guarantee to the sales manager and the GM.
    const approvers = approversFor(body);
    const by = actorOf(user);
    const at = nowIso();
    const reservationId = await nextReservationNumber();
    const reservation: GoodsReservation = {
      reservationId,
      customerId: customer.customerId,
      customerName: customer.name,
      ownerRepId: customer.ownerRepId,
      warehouseId: body.warehouseId ?? settings().defaultWarehouseId,
      status: 'PENDING_APPROVAL',
      lines: recordLines(body.lines, products),
      ...(body.deposit ? { deposit: body.deposit } : {}),
      ...(body.guarantee ? { guarantee: { by, statement: body.guarantee } } : {}),
      ...(body.reason ? { reason: body.reason } : {}),
      approvers,
      decisions: [],
      version: 1,
      createdAt: at,
      createdBy: by,
      updatedAt: at,
      updatedBy: by,
    };
    const answer = { status: 202, body: reservation, headers: { location: `/goods-reservations/${reservationId}`, etag: etag(reservation) } };
    // The request, its approval's start and this request's answer in one write.
    const also = [approvalStartItem('goodsReservationApproval', reservationId, approvers), ...answerItems(answer)];
    if (!(await insertReservation(reservation, by, 'goods reservation requested', also))) throw conflict(`reservation number ${reservationId} is taken`);
    return answer;
  },
  { idempotency: withIdempotency },
);
