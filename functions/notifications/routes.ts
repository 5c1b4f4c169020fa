/** The notification outbox, readable by its recipients (locally it is where notifications land). */
import { defineRoute } from '../shared/definitions.js';
import { ROLES } from '../shared/roles.js';
import { pageOf } from '../shared/schemas.js';
import { ListNotificationsQuery, Notification } from './schemas.js';

export const notificationRoutes = {
  listNotifications: defineRoute({
    operationId: 'listNotifications',
    method: 'GET',
    path: '/notifications',
    tag: 'Notifications',
    summary: "Notifications sent to the caller or to the caller's roles, newest first",
    roles: ROLES,
    query: ListNotificationsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(Notification, 'NotificationPage') } },
    function: {
      id: 'ListNotifications',
      entry: 'functions/notifications/handlers/list-notifications.ts',
      description: "List the caller's notifications",
      access: { tables: { notifications: 'read' } },
    },
  }),
};
