import { assertCarrierQualified } from '../../logistics/qualification.js';
import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { noteToChange } from '../access.js';
import { dispatchNote } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(deliveryRoutes.dispatchDeliveryNote, async ({ params, body, user }) => ({
  status: 200,
  body: await dispatchNote(await noteToChange(params.deliveryNoteId), body, actorOf(user), async (carrierId, onDate) => {
    // R-FULFIL-6: only a carrier qualified on the day; the refusal names body.carrierId.
    await assertCarrierQualified(carrierId, onDate, { field: 'body.carrierId' });
  }),
}));
