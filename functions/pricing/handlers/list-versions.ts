import { httpHandler } from '../../shared/http.js';
import { notFound } from '../../shared/errors.js';
import { checkPriceListRead } from '../access.js';
import { pricingRoutes } from '../routes.js';
import { storedIdOf } from '../rules.js';
import { listVersions } from '../store.js';

export const handler = httpHandler(pricingRoutes.listPriceListVersions, async ({ params, query, user }) => {
  const priceListId = storedIdOf(params.priceListId);
  // Summaries (no prices), but of one customer's list: logged like any read of its data (R-INFO-2).
  const permit = await checkPriceListRead(user, priceListId, { what: 'priceListVersions' });
  // Read before the read is logged: a list that does not exist yet (404) is not a read of anything.
  const page = await listVersions(priceListId, query);
  if (page.items.length === 0 && !query.cursor) throw notFound(`no price list ${params.priceListId} yet`);
  return { status: 200, body: await permit.run(async () => page) };
});
