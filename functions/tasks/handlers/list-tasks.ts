import { httpHandler } from '../../shared/http.js';
import { taskRoutes } from '../routes.js';
import { listOpenTasks } from '../store.js';

export const handler = httpHandler(taskRoutes.listTasks, async ({ query, user }) => ({
  status: 200,
  body: await listOpenTasks(user.roles, query),
}));
