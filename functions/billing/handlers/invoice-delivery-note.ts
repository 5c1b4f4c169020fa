import { getDeliveryNote } from '../../delivery/store.js';
import { actorOf } from '../../shared/auth.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { invoiceDeliveryNote } from '../invoices.js';
import { billingRoutes } from '../routes.js';

export const handler = httpHandler(billingRoutes.invoiceDeliveryNote, async ({ params, user }) => {
  const note = await getDeliveryNote(params.deliveryNoteId, true);
  // R-BILL-1: only goods that left are invoiced, and a note once.
  const invoice = await invoiceDeliveryNote(note.deliveryNoteId, actorOf(user));
  if (!invoice) throw conflict(`${note.deliveryNoteId} is ${note.status}: only a note whose goods left is invoiced`);
  return { status: 200, body: invoice };
});
