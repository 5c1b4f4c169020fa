import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { noteToChange } from '../access.js';
import { reissueDeliveryNote } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(deliveryRoutes.reissueDeliveryNote, async ({ params, user }) => {
  const note = await reissueDeliveryNote(await noteToChange(params.deliveryNoteId), actorOf(user));
  return { status: 201, body: note, headers: { location: `/delivery-notes/${note.deliveryNoteId}` } };
});
