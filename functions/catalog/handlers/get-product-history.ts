import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { catalogRoutes } from '../routes.js';
import { productSubject } from '../store.js';

export const handler = httpHandler(catalogRoutes.getProductHistory, async ({ params, query }) => ({
  status: 200,
  body: await readHistory(productSubject(params.productCode), query),
}));
