import { httpHandler } from '../../shared/http.js';
import { deliveryRoutes } from '../routes.js';
import { getDeliveryNote } from '../store.js';

/** R-FULFIL-3: the gate pass names goods, not the buyer or the money; built field by field so nothing else can slip in. */
export const handler = httpHandler(deliveryRoutes.getGatePass, async ({ params }) => {
  const note = await getDeliveryNote(params.deliveryNoteId);
  return {
    status: 200,
    body: {
      deliveryNoteId: note.deliveryNoteId,
      validOn: note.issuedOn,
      status: note.status,
      warehouseId: note.warehouseId,
      mode: note.mode,
      lines: note.lines.map((l) => ({
        lineNo: l.lineNo,
        productCode: l.productCode,
        productName: l.productName,
        ...(l.specification ? { specification: l.specification } : {}),
        quantity: l.quantity,
        unit: l.unit,
        ...(l.weightKg ? { weightKg: l.weightKg } : {}),
        ...(l.batch ? { batch: l.batch } : {}),
      })),
      ...(note.goodsIssue?.vehicle ? { vehicle: note.goodsIssue.vehicle } : {}),
      ...(note.signOff ? { signedOffBy: note.signOff.by } : {}),
    },
  };
});
