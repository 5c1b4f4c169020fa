import { httpHandler } from '../../shared/http.js';
import { listNotifications, toRole, toUser } from '../outbox.js';
import { notificationRoutes } from '../routes.js';

export const handler = httpHandler(notificationRoutes.listNotifications, async ({ query, user }) => ({
  status: 200,
  body: await listNotifications([toUser(user.userId), ...user.roles.map(toRole)], query),
}));
