import * as z from 'zod';
import { IsoTimestamp, PageQuery } from '../shared/schemas.js';

export const Notification = z
  .object({
    notificationId: z.string(),
    recipient: z.string().meta({ description: 'role:<role> or user:<userId>' }),
    subject: z.string(),
    body: z.string(),
    topic: z.string().meta({ description: 'what it is about, e.g. credit-review' }),
    createdAt: IsoTimestamp,
    link: z.string().optional(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const ListNotificationsQuery = PageQuery;
