import { httpHandler } from '../../shared/http.js';
import { stockRoutes } from '../routes.js';
import { balanceView, readProductStock } from '../store.js';

export const handler = httpHandler(stockRoutes.getProductStock, async ({ params }) => {
  const { balances, movements } = await readProductStock(params.productCode);
  return { status: 200, body: { productCode: params.productCode, balances: balances.map(balanceView), movements } };
});
