import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { noteToChange } from '../access.js';
import { signOffDeliveryNote } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(deliveryRoutes.signOffDeliveryNote, async ({ params, body, user }) => ({
  status: 200,
  body: await signOffDeliveryNote(await noteToChange(params.deliveryNoteId), body, actorOf(user)),
}));
