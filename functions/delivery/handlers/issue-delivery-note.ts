import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { issueDeliveryNote } from '../notes.js';
import { deliveryRoutes } from '../routes.js';
import type { DeliveryNote } from '../schemas.js';

export const handler = httpHandler(
  deliveryRoutes.issueDeliveryNote,
  async ({ params, body, user }) => {
    const created = (note: DeliveryNote) => ({ status: 201, body: note, headers: { location: `/delivery-notes/${note.deliveryNoteId}` } });
    return created(await issueDeliveryNote(params.orderId, body.lines, actorOf(user), created));
  },
  { idempotency: withIdempotency },
);
