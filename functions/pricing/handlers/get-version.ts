import { httpHandler } from '../../shared/http.js';
import { assertMayRead, logCustomerListRead } from '../access.js';
import { pricingRoutes } from '../routes.js';
import { storedIdOf } from '../rules.js';
import { etagOf, getVersion } from '../store.js';

export const handler = httpHandler(pricingRoutes.getPriceListVersion, async ({ params, user }) => {
  const priceListId = storedIdOf(params.priceListId);
  const customer = await assertMayRead(user, priceListId);
  const version = await getVersion(priceListId, params.version);
  await logCustomerListRead(user, customer, `price list version ${version.version}`);
  return { status: 200, body: version, headers: { etag: etagOf(version) } };
});
