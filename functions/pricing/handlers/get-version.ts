import { httpHandler } from '../../shared/http.js';
import { checkPriceListRead } from '../access.js';
import { pricingRoutes } from '../routes.js';
import { storedIdOf } from '../rules.js';
import { etagOf, getVersion } from '../store.js';

export const handler = httpHandler(pricingRoutes.getPriceListVersion, async ({ params, user }) => {
  const priceListId = storedIdOf(params.priceListId);
  const permit = await checkPriceListRead(user, priceListId, { what: 'priceListVersion', version: params.version });
  // The version is read before the read is logged: a version that does not exist (404) is not a read of anything.
  const version = await getVersion(priceListId, params.version);
  await permit.run(async () => version);
  return { status: 200, body: version, headers: { etag: etagOf(version) } };
});
