import { actorOf } from '../../shared/auth.js';
import { nowIso } from '../../shared/clock.js';
import { conflict } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { answerItems, withIdempotency } from '../../shared/idempotency.js';
import { etag } from '../../shared/versioned.js';
import { catalogRoutes } from '../routes.js';
import type { Product } from '../schemas.js';
import { insertProduct } from '../store.js';

export const handler = httpHandler(catalogRoutes.createProduct, async ({ body, user }) => {
  const by = actorOf(user);
  const at = nowIso();
  const product: Product = { ...body, status: 'ACTIVE', version: 1, createdAt: at, createdBy: by, updatedAt: at, updatedBy: by };
  const answer = { status: 201, body: product, headers: { location: `/products/${product.productCode}`, etag: etag(product) } };
  // Product codes are never reused, not even after retirement: orders refer to them.
  if (!(await insertProduct(product, by, 'product created', answerItems(answer)))) throw conflict(`product code ${body.productCode} is taken`);
  return answer;
}, { idempotency: withIdempotency });
