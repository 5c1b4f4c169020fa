import { httpHandler } from '../../shared/http.js';
import { catalogRoutes } from '../routes.js';
import { listProducts } from '../store.js';

export const handler = httpHandler(catalogRoutes.listProducts, async ({ query }) => ({ status: 200, body: await listProducts(query) }));
