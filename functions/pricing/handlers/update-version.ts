import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { conflict, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { pricingRoutes } from '../routes.js';
import { assertEditable, effectiveFromProblems, itemChanges, itemProblems, normaliseItems, storedIdOf } from '../rules.js';
import type { PriceListVersion } from '../schemas.js';
import { assertIfMatch, catalogueFor, etagOf, getVersion, replaceVersion } from '../store.js';

export const handler = httpHandler(pricingRoutes.updatePriceListVersion, async ({ params, body, user, headers }) => {
  const current = await getVersion(storedIdOf(params.priceListId), params.version, true);
  assertIfMatch(headers['if-match'], current);
  // R-PRICE-1: only a draft or a returned version changes.
  assertEditable(current);
  const errors = [
    ...(body.effectiveFrom !== undefined ? effectiveFromProblems(body.effectiveFrom, businessDate(), 'body.effectiveFrom') : []),
    ...(body.items ? itemProblems(body.items, await catalogueFor(body.items.map((i) => i.productCode)), current.currency) : []),
  ];
  if (errors.length > 0) throw validationFailed(errors);

  const by = actorOf(user);
  const after: PriceListVersion = {
    ...current,
    ...(body.effectiveFrom !== undefined ? { effectiveFrom: body.effectiveFrom } : {}),
    ...(body.items ? { items: normaliseItems(body.items) } : {}),
    revision: current.revision + 1,
    updatedAt: nowIso(),
    updatedBy: by,
  };
  // R-INFO-3: the history keeps the lines that changed, as they were and as they are.
  const lines = itemChanges(current.items, after.items);
  const history = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  if (after.effectiveFrom !== current.effectiveFrom) {
    history.before.effectiveFrom = current.effectiveFrom;
    history.after.effectiveFrom = after.effectiveFrom;
  }
  if (lines.before.length > 0 || lines.after.length > 0) {
    history.before.items = lines.before;
    history.after.items = lines.after;
  }
  if (!(await replaceVersion({ before: current, after, by, action: `version ${current.version} edited`, history }))) {
    throw conflict(`version ${current.version} was changed by someone else at the same moment; reload and try again`);
  }
  return { status: 200, body: after, headers: { etag: etagOf(after) } };
});
