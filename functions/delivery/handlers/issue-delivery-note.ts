import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { issueDeliveryNote } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(
  deliveryRoutes.issueDeliveryNote,
  async ({ params, body, user }) => {
    const note = await issueDeliveryNote(params.orderId, body.lines, actorOf(user));
    return { status: 201, body: note, headers: { location: `/delivery-notes/${note.deliveryNoteId}` } };
  },
  { idempotency: withIdempotency },
);
