/**
 * Finance maintains an approved credit profile between reviews (R-CREDIT-1, R-CREDIT-6, R-CREDIT-7):
 * the change, its history entry with the reason (R-INFO-3) and, when credit is cut, the notes to the
 * owner rep and the VP sales are one conditional write on the version the caller read, together
 * with the credit account's new limit and, below the exposure, the orders to re-check (R-CREDIT-7).
 */
import { limitChange, writeLater } from '../../credit/limits.js';
import { changedProfile, describeProfileChange, reductions } from '../../credit/rules.js';
import { notificationPut, toRole, toUser } from '../../notifications/outbox.js';
import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { conflict, preconditionFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { customerRoutes } from '../routes.js';
import type { Customer } from '../schemas.js';
import { getCustomer, replaceCustomer } from '../store.js';

export const handler = httpHandler(customerRoutes.updateCreditProfile, async ({ params, body, user, headers }) => {
  const current = await getCustomer(params.customerId, true);
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(current.version)) {
    throw preconditionFailed(`${current.customerId} is at version ${current.version}, you read another; reload and try again`);
  }
  const credit = changedProfile(user, current.credit, body);
  const by = actorOf(user);
  const after: Customer = { ...current, credit, version: current.version + 1, updatedAt: nowIso(), updatedBy: by };
  // R-CREDIT-7: a lower limit or a worse rating reaches the owner rep and the VP sales with the change itself.
  const cuts = reductions(current.credit, credit);
  const notes =
    cuts.length > 0
    ? [toUser(current.ownerRepId), toRole('sales_vp')].map((recipient) =>
        notificationPut({
          dedupeKey: `${current.customerId}#credit-profile-v${after.version}#reduced`,
          recipient,
          topic: 'credit-profile',
          subject: `Credit reduced: ${current.name}`,
          body: `${current.customerId} ${current.name}: ${cuts.join('; ')}. Reason: ${body.reason}`,
          link: `/customers/${current.customerId}`,
        }),
      )
    : [];
  // R-CREDIT-4/7: the credit account takes the new limit in the same write; orders it no longer covers wait for a credit decision.
  const limits = await limitChange(current, credit, by);
  if (!(await replaceCustomer(current, after, by, describeProfileChange(current.credit, credit), body.reason, [...notes, ...limits.items]))) {
    throw conflict(`${current.customerId} was changed by someone else at the same moment; reload and try again`);
  }
  await writeLater(limits.later);
  return { status: 200, body: after, headers: { etag: etag(after) } };
});
