import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { lineProblemsOfRefused, priceLines } from '../intake.js';
import { orderRoutes } from '../routes.js';
import { assertAmendable, assertMayWork } from '../rules.js';
import { getOrder, updateOrder } from '../store.js';

export const handler = httpHandler(
  orderRoutes.updateOrder,
  async ({ params, body, user, headers }) => {
    const current = await getOrder(params.orderId);
    assertMayWork(user, current);
    assertAmendable(current);
    // New lines replace the old ones and are priced again; other fields change as given.
    const { lines: inputs, ...fields } = body;
    const priced = inputs ? await priceLines(current.customerId, inputs) : undefined;
    const order = await updateOrder(
      params.orderId,
      (latest) => {
        assertAmendable(latest);
        return { ...latest, ...fields, ...(priced ? { lines: priced.lines, totals: priced.totals } : {}) };
      },
      actorOf(user),
      current.status === 'DRAFT' ? 'order draft changed' : `order amended after ${current.status === 'EXCEPTION' ? 'an exception' : 'return'} (round ${current.review.round})`,
      { ifMatch: headers['if-match'] },
    );
    return { status: 200, body: order, headers: { etag: etag(order) } };
  },
  // The lines' catalogue checks join the schemas' refusal, so one answer names every bad field (R-INTAKE-2).
  { alsoCheckRefused: ({ body }) => lineProblemsOfRefused((body as { lines?: unknown } | null)?.lines, 'body.lines') },
);
