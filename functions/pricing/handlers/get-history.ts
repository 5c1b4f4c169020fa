import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { checkPriceListRead } from '../access.js';
import { pricingRoutes } from '../routes.js';
import { storedIdOf } from '../rules.js';
import { priceListSubject } from '../store.js';

export const handler = httpHandler(pricingRoutes.getPriceListHistory, async ({ params, query, user }) => {
  const priceListId = storedIdOf(params.priceListId);
  const permit = await checkPriceListRead(user, priceListId, { what: 'priceListHistory' });
  return { status: 200, body: await permit.run(() => readHistory(priceListSubject(priceListId), query)) };
});
