import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { noteToChange } from '../access.js';
import { issueGoods } from '../notes.js';
import { deliveryRoutes } from '../routes.js';

export const handler = httpHandler(deliveryRoutes.issueGoods, async ({ params, body, user }) => ({
  status: 200,
  body: await issueGoods(await noteToChange(params.deliveryNoteId), body, actorOf(user)),
}));
