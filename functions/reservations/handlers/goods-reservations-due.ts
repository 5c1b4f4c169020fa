/**
 * Schedule (every 15 minutes, R-FULFIL-8): goods reservations whose time is up give what they still
 * hold back to stock; the rep (and the warehouse) are told in the same write. Reads only the sparse
 * index of held reservations; one already ended is skipped, so running it twice changes nothing.
 */
import * as z from 'zod';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { logger } from '../../shared/logger.js';
import { stepHandler } from '../../shared/step.js';
import { endReservation } from '../holding.js';
import { heldExpiringBy } from '../store.js';

/** The scheduler's event is ignored except for an optional instant, for catch-up runs. */
const Input = z.looseObject({ asOf: z.iso.datetime().optional() }).catch({});

export const handler = stepHandler('GoodsReservationsDue', Input, async (input) => {
  const asOf = input.asOf ?? nowIso();
  let released = 0;
  let failed = 0;
  let cursor: string | undefined;
  do {
    const page = await heldExpiringBy(asOf, cursor);
    for (const reservationId of page.ids) {
      try {
        if (await endReservation(reservationId, 'EXPIRED', `held until its expiry`, SYSTEM_ACTOR)) released++;
      } catch (err) {
        failed++;
        logger.error('could not release an expired goods reservation', { reservationId, error: err as Error });
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { asOf, released, failed };
});
