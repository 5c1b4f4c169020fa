import { invoiceSoon } from '../../billing/invoices.js';
import { actorOf } from '../../shared/auth.js';
import { forbidden } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { logger } from '../../shared/logger.js';
import { settings } from '../../shared/settings.js';
import { endWait } from '../../tasks/waits.js';
import { noteToChange } from '../access.js';
import { recordProofOfDelivery } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(deliveryRoutes.recordProofOfDelivery, async ({ params, body, user }) => {
  const note = await noteToChange(params.deliveryNoteId);
  // Logistics records deliveries; the warehouse records the customer's signature at the gate for pickups.
  const recorder = note.mode === 'pickup' ? 'warehouse' : 'logistics';
  if (!user.roles.includes(recorder)) throw forbidden(`${note.deliveryNoteId} is a ${note.mode}: its proof of delivery is recorded by ${recorder}`);
  const { note: after, order } = await recordProofOfDelivery(note, body, actorOf(user));
  // R-BILL-1: signed for, the note is invoiced (the order's last workflow step catches up if this fails).
  if (settings().invoiceOn === 'DELIVERED') await invoiceSoon(after.deliveryNoteId);
  // The order is delivered: its workflow goes on.
  const waiting = order.status === 'DELIVERED' ? order.fulfilment?.pendingTask : undefined;
  if (waiting) {
    try {
      await endWait(waiting.taskId, { outcome: 'DELIVERED' }, 'RESUMED');
    } catch (err) {
      // Recorded either way; the wait re-arms within 30 days and finds the order delivered.
      logger.error('could not resume the delivered order', { orderId: order.orderId, error: err as Error });
    }
  }
  return { status: 200, body: after };
});
