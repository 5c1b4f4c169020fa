/** One function for the reads (same access). */
import { routeGroup } from '../../shared/route-group.js';
import { reservationRoutes } from '../routes.js';
import { handler as getGoodsReservation, historyHandler as getGoodsReservationHistory } from './get-goods-reservation.js';
import { handler as listGoodsReservations } from './list-goods-reservations.js';

export const handler = routeGroup([
  [reservationRoutes.listGoodsReservations, listGoodsReservations],
  [reservationRoutes.getGoodsReservation, getGoodsReservation],
  [reservationRoutes.getGoodsReservationHistory, getGoodsReservationHistory],
]);
