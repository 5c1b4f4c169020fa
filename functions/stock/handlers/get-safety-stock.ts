/** R-FULFIL-9: a product's safety stock per balance: approved, pending, and what recent sales suggest. */
import { httpHandler } from '../../shared/http.js';
import { stockRoutes } from '../routes.js';
import { readSafetyStock } from '../safety-proposals.js';

export const handler = httpHandler(stockRoutes.getSafetyStock, async ({ params }) => ({ status: 200, body: await readSafetyStock(params.productCode) }));
