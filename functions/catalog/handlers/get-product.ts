import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { catalogRoutes } from '../routes.js';
import { getProduct } from '../store.js';

export const handler = httpHandler(catalogRoutes.getProduct, async ({ params }) => {
  const product = await getProduct(params.productCode);
  return { status: 200, body: product, headers: { etag: etag(product) } };
});
