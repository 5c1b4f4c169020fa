import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { receiveReturn } from '../process.js';
import { returnRoutes } from '../routes.js';

export const handler = httpHandler(returnRoutes.receiveReturn, async ({ params, body, user }) => {
  // R-RETURN-3: what came back goes into stock or repair, and its credit note is issued in the same write.
  const ret = await receiveReturn(params.returnId, body, user);
  return { status: 200, body: ret, headers: { etag: etag(ret) } };
});
