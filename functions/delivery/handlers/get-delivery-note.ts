import { httpHandler } from '../../shared/http.js';
import { assertMaySeeNote } from '../access.js';
import { deliveryRoutes } from '../routes.js';
import { getDeliveryNote } from '../store.js';

export const handler = httpHandler(deliveryRoutes.getDeliveryNote, async ({ params, user }) => {
  const note = await getDeliveryNote(params.deliveryNoteId);
  assertMaySeeNote(user, note);
  return { status: 200, body: note };
});
