import { assertMaySee } from '../../customers/rules.js';
import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { reservationView } from '../holding.js';
import { reservationRoutes } from '../routes.js';
import { getReservation, reservationSubject } from '../store.js';

export const handler = httpHandler(reservationRoutes.getGoodsReservation, async ({ params, user }) => {
  const reservation = await getReservation(params.reservationId);
  assertMaySee(user, reservation);
  return { status: 200, body: await reservationView(reservation), headers: { etag: etag(reservation) } };
});

export const historyHandler = httpHandler(reservationRoutes.getGoodsReservationHistory, async ({ params, query, user }) => {
  const reservation = await getReservation(params.reservationId);
  assertMaySee(user, reservation);
  return { status: 200, body: await readHistory(reservationSubject(reservation.reservationId), query) };
});
