import { readCustomerData } from '../../customers/access.js';
import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { reservationView } from '../holding.js';
import { reservationRoutes } from '../routes.js';
import { getReservation, reservationSubject } from '../store.js';

// R-INFO-2: goods held for a customer are its data; reads by anyone but its rep are logged, refusals too.
export const handler = httpHandler(reservationRoutes.getGoodsReservation, async ({ params, user }) => {
  const reservation = await getReservation(params.reservationId);
  const body = await readCustomerData(user, reservation, { what: 'goodsReservation', id: reservation.reservationId }, () => reservationView(reservation));
  return { status: 200, body, headers: { etag: etag(reservation) } };
});

export const historyHandler = httpHandler(reservationRoutes.getGoodsReservationHistory, async ({ params, query, user }) => {
  const reservation = await getReservation(params.reservationId);
  const page = await readCustomerData(user, reservation, { what: 'goodsReservationHistory', id: reservation.reservationId }, () => readHistory(reservationSubject(reservation.reservationId), query));
  return { status: 200, body: page };
});
