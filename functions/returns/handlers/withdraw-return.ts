import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { withdrawReturn } from '../process.js';
import { returnRoutes } from '../routes.js';

export const handler = httpHandler(returnRoutes.withdrawReturn, async ({ params, body, user }) => {
  // Its requester or a sales manager, before the goods came back.
  const ret = await withdrawReturn(params.returnId, body.reason, user);
  return { status: 200, body: ret, headers: { etag: etag(ret) } };
});
