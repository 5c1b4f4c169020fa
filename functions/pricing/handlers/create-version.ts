import { getCustomer } from '../../customers/store.js';
import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { conflict, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { settings } from '../../shared/settings.js';
import { pricingRoutes } from '../routes.js';
import {
  assertMayStartNewVersion,
  customerIdOf,
  effectiveFromProblems,
  itemProblems,
  kindOf,
  normaliseItems,
  storedIdOf,
  versionPath,
} from '../rules.js';
import type { PriceListVersion } from '../schemas.js';
import { catalogueFor, etagOf, getHead, getVersion, insertVersion } from '../store.js';

export const handler = httpHandler(pricingRoutes.createPriceListVersion, async ({ params, body, user }) => {
  const priceListId = storedIdOf(params.priceListId);
  const kind = kindOf(priceListId);
  // R-PRICE-2: a customer's own list belongs to a customer in the archive.
  const customerId = customerIdOf(priceListId);
  const customer = customerId ? await getCustomer(customerId) : undefined;
  const head = await getHead(priceListId, true);
  const latest = head ? await getVersion(priceListId, head.latestVersion, true) : undefined;

  // R-PRICE-1: an approved version never changes; a change is a new version, one at a time.
  assertMayStartNewVersion(latest);
  const currency = settings().currency;
  const errors = effectiveFromProblems(body.effectiveFrom, businessDate(), 'body.effectiveFrom');
  if (body.copyLatest && !latest) errors.push({ field: 'body.copyLatest', message: 'there is no version to copy yet', code: 'nothing_to_copy' });
  // Copied items were valid when approved; the catalogue may have moved since, which submission checks.
  if (!body.copyLatest && body.items) errors.push(...itemProblems(body.items, await catalogueFor(body.items.map((i) => i.productCode)), currency));
  if (errors.length > 0) throw validationFailed(errors);

  const by = actorOf(user);
  const at = nowIso();
  const version: PriceListVersion = {
    priceListId,
    kind,
    ...(customer ? { customerId: customer.customerId, customerName: customer.name } : {}),
    version: (head?.latestVersion ?? 0) + 1,
    status: 'DRAFT',
    effectiveFrom: body.effectiveFrom,
    currency,
    items: body.copyLatest && latest ? latest.items : normaliseItems(body.items ?? []),
    round: 0,
    ...(body.copyLatest && latest ? { basedOn: latest.version } : {}),
    revision: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
  const action = `version ${version.version} drafted${version.basedOn ? ` from version ${version.basedOn}` : ''}`;
  const history = { version: version.version, status: 'DRAFT', effectiveFrom: version.effectiveFrom, items: version.items };
  const answer = { status: 201, body: version, headers: { location: versionPath(priceListId, version.version), etag: etagOf(version) } };
  if (!(await insertVersion(version, head, by, action, history, answerItems(answer)))) {
    throw conflict(`another version of ${params.priceListId} was drafted at the same moment; reload and try again`);
  }
  return answer;
}, { idempotency: withIdempotency });
