import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { HttpError, conflict, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { settings } from '../../shared/settings.js';
import { etag } from '../../shared/versioned.js';
import { customerForOrder, lineProblemsOfRefused, priceLines } from '../intake.js';
import { orderRoutes } from '../routes.js';
import type { Order } from '../schemas.js';
import { insertOrder, nextOrderNumber } from '../store.js';

const isValidationProblem = (err: unknown): err is HttpError => err instanceof HttpError && err.status === 400 && err.errors !== undefined;

export const handler = httpHandler(
  orderRoutes.createOrder,
  async ({ body, user }) => {
    const { customerId, lines: inputs = [], ...fields } = body;
    // Read in parallel, judged in order: who (a sales rep for own customers, a sales clerk for any),
    // then the lines against the catalogue and the list prices in force (R-INTAKE-5, R-PRICE-4).
    const [who, priced] = await Promise.allSettled([customerForOrder(user, customerId), priceLines(customerId, inputs)]);
    // An unknown customer and bad lines are named in one answer (R-INTAKE-2).
    if (who.status === 'rejected' && priced.status === 'rejected' && isValidationProblem(who.reason) && isValidationProblem(priced.reason)) {
      throw validationFailed([...who.reason.errors!, ...priced.reason.errors!]);
    }
    if (who.status === 'rejected') throw who.reason;
    if (priced.status === 'rejected') throw priced.reason;
    const customer = who.value;
    const { lines, totals } = priced.value;
    // The number is taken only once the input is good, so a refused request consumes none (R-INTAKE-3).
    const by = actorOf(user);
    const at = nowIso();
    const order: Order = {
      ...fields,
      orderId: await nextOrderNumber(),
      status: 'DRAFT',
      customerId: customer.customerId,
      customerName: customer.name,
      ownerRepId: customer.ownerRepId,
      lines,
      currency: settings().currency,
      totals,
      findings: [],
      review: { round: 0 },
      version: 1,
      createdAt: at,
      createdBy: by,
      updatedAt: at,
      updatedBy: by,
    };
    const answer = { status: 201, body: order, headers: { location: `/orders/${order.orderId}`, etag: etag(order) } };
    if (!(await insertOrder(order, by, `order drafted (${order.channel})`, answerItems(answer)))) throw conflict(`order number ${order.orderId} is taken`);
    return answer;
  },
  { idempotency: withIdempotency, alsoCheckRefused: ({ body }) => lineProblemsOfRefused((body as { lines?: unknown } | null)?.lines, 'body.lines') },
);
