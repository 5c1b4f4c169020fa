import { readCustomerData } from '../../customers/access.js';
import { httpHandler } from '../../shared/http.js';
import { assertMaySeeNote } from '../access.js';
import { deliveryRoutes } from '../routes.js';
import { getDeliveryNote } from '../store.js';

export const handler = httpHandler(deliveryRoutes.getDeliveryNote, async ({ params, user }) => {
  const note = await getDeliveryNote(params.deliveryNoteId);
  // R-INFO-2: the note names the customer, its address and goods; reads by anyone but its rep are logged.
  const body = await readCustomerData(user, note, { what: 'deliveryNote', id: note.deliveryNoteId }, async () => note, () => assertMaySeeNote(user, note));
  return { status: 200, body };
});
