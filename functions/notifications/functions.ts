/** Cloud-only: the outbox table's stream feeds this publisher, which sends each new notification to SNS. */
import type { FunctionDefinition } from '../shared/definitions.js';

export const notificationFunctions = {
  publishNotifications: {
    id: 'PublishNotifications',
    entry: 'functions/notifications/handlers/publish-notifications.ts',
    description: 'Publish new outbox notifications to the SNS topic (DynamoDB stream consumer)',
    access: { publishNotifications: true },
  },
} satisfies Record<string, FunctionDefinition>;
