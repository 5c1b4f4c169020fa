import { invoiceSoon } from '../../billing/invoices.js';
import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { settings } from '../../shared/settings.js';
import { noteToChange } from '../access.js';
import { issueGoods } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(deliveryRoutes.issueGoods, async ({ params, body, user }) => {
  const issued = await issueGoods(await noteToChange(params.deliveryNoteId), body, actorOf(user));
  // R-BILL-1 with the setting invoiceOn GOODS_ISSUED: the goods left, the note is invoiced (the order's last workflow step catches up if this fails).
  if (settings().invoiceOn === 'GOODS_ISSUED') await invoiceSoon(issued.deliveryNoteId);
  return { status: 200, body: issued };
});
