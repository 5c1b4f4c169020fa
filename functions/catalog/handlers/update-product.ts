import { actorOf } from '../../shared/auth.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { catalogRoutes } from '../routes.js';
import { updateProduct } from '../store.js';

export const handler = httpHandler(catalogRoutes.updateProduct, async ({ params, body, user, headers }) => {
  const product = await updateProduct(
    params.productCode,
    (current) => {
      if (current.status === 'RETIRED') throw conflict(`${current.productCode} is retired; it cannot change`);
      return { ...current, ...body };
    },
    actorOf(user),
    'product updated',
    { ifMatch: headers['if-match'] },
  );
  return { status: 200, body: product, headers: { etag: etag(product) } };
});
