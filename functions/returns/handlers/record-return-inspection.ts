import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { recordInspection } from '../process.js';
import { returnRoutes } from '../routes.js';

export const handler = httpHandler(returnRoutes.recordReturnInspection, async ({ params, body, user }) => {
  // R-RETURN-2, R-RETURN-4: the report confirms the defect (on to the sales manager) or not (the return ends), with root cause and responsible party.
  const ret = await recordInspection(params.returnId, body, user);
  return { status: 200, body: ret, headers: { etag: etag(ret) } };
});
