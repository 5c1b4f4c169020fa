import { httpHandler } from '../../shared/http.js';
import { assignmentRoutes } from '../routes.js';
import { listAssignmentRules } from '../store.js';

export const handler = httpHandler(assignmentRoutes.listAssignmentRules, async ({ query }) => ({ status: 200, body: await listAssignmentRules(query) }));
