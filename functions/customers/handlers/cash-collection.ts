/**
 * R-BILL-2: sales reps do not collect cash unless the sales manager allows it. The sales manager
 * allows one rep per customer until a day (or stops it); the change, its history entry and the note
 * to the rep are one write on the version read.
 */
import { notificationPut, toUser } from '../../notifications/outbox.js';
import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { conflict, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { etag } from '../../shared/versioned.js';
import { customerRoutes } from '../routes.js';
import type { Customer } from '../schemas.js';
import { getCustomer, replaceCustomer } from '../store.js';

const allow = httpHandler(customerRoutes.allowCashCollection, async ({ params, body, user }) => {
  const current = await getCustomer(params.customerId, true);
  if (body.until < businessDate()) throw validationFailed([{ field: 'body.until', message: `today (${businessDate()}) or later`, code: 'past' }]);
  const by = actorOf(user);
  const after: Customer = { ...current, cashCollection: { repId: body.repId, until: body.until, reason: body.reason, allowedBy: by, allowedAt: nowIso() }, version: current.version + 1, updatedAt: nowIso(), updatedBy: by };
  const written = await replaceCustomer(current, after, by, `cash collection allowed to ${body.repId} until ${body.until}`, body.reason, [
    notificationPut({
      dedupeKey: `${current.customerId}#cash-v${after.version}`,
      recipient: toUser(body.repId),
      topic: 'cash-collection',
      subject: `You may collect cash: ${current.name}`,
      body: `${by.name} allows you to collect cash from ${current.customerId} ${current.name} until ${body.until}: ${body.reason}. Hand it to finance for a receipt.`,
      link: `/customers/${current.customerId}`,
    }),
  ]);
  if (!written) throw conflict(`${current.customerId} changed at the same moment; try again`);
  return { status: 200, body: after, headers: { etag: etag(after) } };
});

const stop = httpHandler(customerRoutes.stopCashCollection, async ({ params, user }) => {
  const current = await getCustomer(params.customerId, true);
  if (!current.cashCollection) throw conflict(`nobody may collect cash from ${current.customerId}`);
  const by = actorOf(user);
  const { cashCollection, ...rest } = current;
  const after: Customer = { ...rest, version: current.version + 1, updatedAt: nowIso(), updatedBy: by };
  if (!(await replaceCustomer(current, after, by, `cash collection by ${cashCollection.repId} stopped`))) throw conflict(`${current.customerId} changed at the same moment; try again`);
  return { status: 200, body: after, headers: { etag: etag(after) } };
});

export const handler = routeGroup([
  [customerRoutes.allowCashCollection, allow],
  [customerRoutes.stopCashCollection, stop],
]);
