import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { assertMayRead, logCustomerListRead } from '../access.js';
import { pricingRoutes } from '../routes.js';
import { storedIdOf } from '../rules.js';
import { priceListSubject } from '../store.js';

export const handler = httpHandler(pricingRoutes.getPriceListHistory, async ({ params, query, user }) => {
  const priceListId = storedIdOf(params.priceListId);
  const customer = await assertMayRead(user, priceListId);
  await logCustomerListRead(user, customer, 'price list history');
  return { status: 200, body: await readHistory(priceListSubject(priceListId), query) };
});
