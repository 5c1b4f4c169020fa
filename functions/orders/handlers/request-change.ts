/** POST /orders/{orderId}/change-requests (R-INTAKE-6): record a change of an approved order and start its review. */
import { priceBookFor } from '../../pricing/prices.js';
import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { HttpError, conflict, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { etag } from '../../shared/versioned.js';
import { workflowStartItem } from '../../outbox/store.js';
import { assertChangeable, changeRequestIdFor, changedFieldsOf, withProposal } from '../changes.js';
import { lineProblemsOfRefused, priceLines } from '../intake.js';
import { orderRoutes } from '../routes.js';
import { assertMayWork, missingForSubmission, requote, totalsOf } from '../rules.js';
import type { ChangeRequest, Order, OrderChanges, OrderLine, ProposedOrder } from '../schemas.js';
import { getOrder, updateOrder } from '../store.js';

/** Field names of the change body: `body.lines.0.quantity` → `body.changes.lines.0.quantity`. */
const underChanges = (field: string) => field.replace(/^(body\.)?/, 'body.changes.');

/**
 * What the order would read after the amendment: new lines priced from the price book in force
 * today, kept lines re-quoted from it (R-PRICE-1), complete as a submitted order (R-INTAKE-2).
 */
async function propose(order: Order, changes: OrderChanges): Promise<ProposedOrder> {
  const { lines: inputs, ...fields } = changes;
  let lines: OrderLine[];
  try {
    lines = inputs ? (await priceLines(order.customerId, inputs)).lines : requote(order.lines, await priceBookFor(order.customerId, businessDate()));
  } catch (err) {
    if (err instanceof HttpError && err.status === 400 && err.errors) throw validationFailed(err.errors.map((e) => ({ ...e, field: underChanges(e.field) })));
    throw err;
  }
  const { requestedDeliveryDate, delivery, paymentMethod, customerReference, remarks } = order;
  const kept = { requestedDeliveryDate, delivery, paymentMethod, customerReference, remarks };
  // Checked before the totals are summed (missingForSubmission reads no totals): the lines must fit in one order.
  const gaps = missingForSubmission(withProposal(order, { ...kept, ...fields, lines, totals: order.totals }));
  if (gaps.length > 0) throw validationFailed(gaps.map((g) => ({ ...g, field: underChanges(g.field) })));
  return { ...kept, ...fields, lines, totals: totalsOf(lines, order.currency) };
}

const answerOf = (requested: Order) => ({ status: 202, body: requested, headers: { location: `/orders/${requested.orderId}`, etag: etag(requested) } });

export const handler = httpHandler(
  orderRoutes.requestOrderChange,
  async ({ params, body, user, headers }) => {
    const current = await getOrder(params.orderId, true);
    // Who: the order's own rep or a sales clerk; what: an approved order without a pending change.
    assertMayWork(user, current);
    assertChangeable(current);
    const proposed = body.kind === 'amend' ? await propose(current, body.changes) : undefined;
    const changedFields = proposed ? changedFieldsOf(current, proposed) : ['status'];
    if (changedFields.length === 0) throw validationFailed([{ field: 'body.changes', message: 'the order already reads so: nothing would change', code: 'no_change' }]);

    const by = actorOf(user);
    const n = (current.changeCount ?? 0) + 1;
    const change: ChangeRequest = {
      changeRequestId: changeRequestIdFor(current.orderId, n),
      kind: body.kind,
      status: 'PENDING',
      reason: body.reason,
      changedFields,
      ...(proposed ? { proposed } : {}),
      findings: [],
      requestedAt: nowIso(),
      requestedBy: by,
      review: {},
    };
    const requested = await updateOrder(
      current.orderId,
      (latest) => {
        if (latest.version !== current.version) throw conflict(`${current.orderId} changed while the change request was being recorded; try again`);
        return { ...latest, pendingChange: change, changeCount: n };
      },
      by,
      `change request ${change.changeRequestId} (${change.kind}${proposed ? `: ${changedFields.join(', ')}` : ''}) asked for review`,
      {
        ifMatch: headers['if-match'],
        reason: body.reason,
        // The same review as the order's (R-REVIEW-1..4), named after the request and asked for in the same
        // write (the outbox), with this request's answer.
        alsoWrite: (next) => [
          workflowStartItem('orderReview', change.changeRequestId, { orderId: current.orderId, round: current.review.round, changeRequestId: change.changeRequestId }),
          ...answerItems(answerOf(next)),
        ],
      },
    );
    return answerOf(requested);
  },
  {
    idempotency: withIdempotency,
    alsoCheckRefused: ({ body }) => lineProblemsOfRefused((body as { changes?: { lines?: unknown } } | null)?.changes?.lines, 'body.changes.lines'),
  },
);
