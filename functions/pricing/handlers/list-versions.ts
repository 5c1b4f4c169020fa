import { httpHandler } from '../../shared/http.js';
import { notFound } from '../../shared/errors.js';
import { assertMayRead } from '../access.js';
import { pricingRoutes } from '../routes.js';
import { storedIdOf } from '../rules.js';
import { listVersions } from '../store.js';

export const handler = httpHandler(pricingRoutes.listPriceListVersions, async ({ params, query, user }) => {
  const priceListId = storedIdOf(params.priceListId);
  await assertMayRead(user, priceListId);
  // Summaries only (no prices), so the read is not logged.
  const page = await listVersions(priceListId, query);
  if (page.items.length === 0 && !query.cursor) throw notFound(`no price list ${params.priceListId} yet`);
  return { status: 200, body: page };
});
