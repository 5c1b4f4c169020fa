import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { noteToChange } from '../access.js';
import { recordTransportEvent } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(deliveryRoutes.recordTransportEvent, async ({ params, body, user }) => ({
  status: 200,
  body: await recordTransportEvent(await noteToChange(params.deliveryNoteId), body, actorOf(user)),
}));
