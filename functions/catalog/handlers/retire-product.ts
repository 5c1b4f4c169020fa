import { actorOf } from '../../shared/auth.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { catalogRoutes } from '../routes.js';
import { updateProduct } from '../store.js';

export const handler = httpHandler(catalogRoutes.retireProduct, async ({ params, body, user, headers }) => {
  // Retirement, not deletion: orders and history keep referring to the product.
  const product = await updateProduct(
    params.productCode,
    (current) => {
      if (current.status === 'RETIRED') throw conflict(`${current.productCode} is retired already`);
      return { ...current, status: 'RETIRED', sellable: false };
    },
    actorOf(user),
    'product retired',
    { ifMatch: headers['if-match'], reason: body.reason },
  );
  return { status: 200, body: product, headers: { etag: etag(product) } };
});
