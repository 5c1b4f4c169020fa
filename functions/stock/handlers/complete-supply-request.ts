import { getProduct } from '../../catalog/store.js';
import { actorOf } from '../../shared/auth.js';
import { conflict, forbidden, notFound, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { isValidQuantity } from '../../shared/quantity.js';
import { completeRequest, getRequest } from '../requests.js';
import { stockRoutes } from '../routes.js';

export const handler = httpHandler(stockRoutes.completeSupplyRequest, async ({ params, body, user }) => {
  const request = await getRequest(params.requestId);
  if (!request) throw notFound(`no request ${params.requestId}`);
  // Production completes production requests, the warehouse purchase requests.
  if (!user.roles.includes(request.department as never)) throw forbidden(`${request.requestId} is for ${request.department}`);
  if (request.status !== 'OPEN') throw conflict(`${request.requestId} is ${request.status.toLowerCase()} already`);
  const product = await getProduct(request.productCode);
  if (!isValidQuantity(body.quantity, product.quantityScale)) {
    throw validationFailed([{ field: 'body.quantity', message: `a positive quantity with at most ${product.quantityScale} decimal places (${product.unit})`, code: 'quantity_precision' }]);
  }
  return { status: 200, body: await completeRequest(request, product, body, actorOf(user)) };
});
