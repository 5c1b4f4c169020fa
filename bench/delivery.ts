/**
 * The delivery of an order with its goods reserved, as the people do it through the API
 * (functions/delivery, README "Delivery"), shared by the usage measurement (orders-child.ts, in the
 * stack process) and the lifecycle throughput (orders.ts, over HTTP from the parent):
 * 1. the sales clerk issues a delivery note for everything reserved (POST /orders/{id}/delivery-notes {});
 * 2. finance signs it off within credit (POST /delivery-notes/{id}/sign-off {"basis":"CREDIT"});
 * 3. the warehouse issues the goods, every line of the note once with a batch and its weight
 *    (the note's catalogue estimate) (POST /delivery-notes/{id}/goods-issue);
 * 4. logistics dispatches it with the bench's qualified carrier (POST /delivery-notes/{id}/dispatch);
 * 5. logistics records the proof of delivery, every line received in full
 *    (POST /delivery-notes/{id}/proof-of-delivery): the order is DELIVERED and its workflow goes on
 *    from WaitForDelivery to its end.
 * Each step is built from the answer of the one before; an answer other than the expected status throws.
 */
import { FINANCE, LOGISTICS, SALES_CLERK, WAREHOUSE } from './order-users.js';

/** The carrier logistics registers once per stack (POST /carriers as LOGISTICS), qualified until 2099. */
export const BENCH_CARRIER = {
  name: 'Bench Freight',
  contact: { name: 'Dispatcher', phone: '+86 21 5555 0100' },
  vehicleTypes: ['flatbed'],
  qualification: { qualified: true, qualifiedUntil: '2099-12-31', reason: 'bench' },
} as const;

/** One person's API call of the delivery: the function it invokes and what it sends. */
export interface DeliveryCall {
  /** The Lambda function behind the route (infra/definitions). */
  functionId: 'IssueDeliveryNote' | 'SignOffDeliveryNote' | 'IssueGoods' | 'DispatchDeliveryNote' | 'RecordProofOfDelivery';
  route: string;
  user: string;
  path: string;
  body: unknown;
  /** A unique Idempotency-Key for the creating POST, as a well-behaved client sends one. */
  headers?: Record<string, string>;
  expectedStatus: number;
}

export interface DeliveryAnswer {
  status: number;
  body: unknown;
}

/** The routes of the delivery in order, for reports. */
export const DELIVERY_ROUTES = [
  'POST /orders/{id}/delivery-notes',
  'POST /delivery-notes/{id}/sign-off',
  'POST /delivery-notes/{id}/goods-issue',
  'POST /delivery-notes/{id}/dispatch',
  'POST /delivery-notes/{id}/proof-of-delivery',
] as const;

interface NoteView {
  deliveryNoteId: string;
  status: string;
  lines: { lineNo: number; quantity: string; weightKg?: string }[];
}

/**
 * Delivers `orderId` with `carrierId`: the five calls in order, each through `send`. `key` makes the
 * note's Idempotency-Key unique. Returns the note as the proof of delivery answered (status DELIVERED).
 */
export async function deliver(orderId: string, carrierId: string, key: string, send: (call: DeliveryCall) => Promise<DeliveryAnswer>): Promise<NoteView> {
  const must = async (call: DeliveryCall): Promise<NoteView> => {
    const answer = await send(call);
    if (answer.status !== call.expectedStatus) throw new Error(`${call.route} (${call.path}) as ${call.user}: expected ${call.expectedStatus}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as NoteView;
  };
  const issued = await must({
    functionId: 'IssueDeliveryNote',
    route: DELIVERY_ROUTES[0],
    user: SALES_CLERK,
    path: `/orders/${orderId}/delivery-notes`,
    body: {},
    headers: { 'idempotency-key': `bench-note-${key}` },
    expectedStatus: 201,
  });
  const id = issued.deliveryNoteId;
  await must({ functionId: 'SignOffDeliveryNote', route: DELIVERY_ROUTES[1], user: FINANCE, path: `/delivery-notes/${id}/sign-off`, body: { basis: 'CREDIT' }, expectedStatus: 200 });
  await must({
    functionId: 'IssueGoods',
    route: DELIVERY_ROUTES[2],
    user: WAREHOUSE,
    path: `/delivery-notes/${id}/goods-issue`,
    body: { lines: issued.lines.map((l) => ({ lineNo: l.lineNo, batch: `B${l.lineNo}`, weightKg: l.weightKg ?? '1' })) },
    expectedStatus: 200,
  });
  await must({ functionId: 'DispatchDeliveryNote', route: DELIVERY_ROUTES[3], user: LOGISTICS, path: `/delivery-notes/${id}/dispatch`, body: { carrierId, trackingNumber: `BENCH-${id}` }, expectedStatus: 200 });
  const delivered = await must({
    functionId: 'RecordProofOfDelivery',
    route: DELIVERY_ROUTES[4],
    user: LOGISTICS,
    path: `/delivery-notes/${id}/proof-of-delivery`,
    body: { signer: 'Bench Receiver', signedAt: new Date().toISOString(), lines: issued.lines.map((l) => ({ lineNo: l.lineNo, received: l.quantity })) },
    expectedStatus: 200,
  });
  if (delivered.status !== 'DELIVERED') throw new Error(`${id} of ${orderId} is ${delivered.status} after its proof of delivery, not DELIVERED`);
  return delivered;
}
