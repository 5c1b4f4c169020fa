import { httpHandler } from '../../shared/http.js';
import { etag } from '../../shared/versioned.js';
import { reverseCreditNote } from '../issue.js';
import { creditNoteRoutes } from '../routes.js';

export const handler = httpHandler(creditNoteRoutes.reverseCreditNote, async ({ params, body, user }) => {
  // R-BILL-5: finance reverses a mistake with a new entry, only while the credit note's effect is unused.
  const reversed = await reverseCreditNote(params.creditNoteId, body, user);
  return { status: 200, body: reversed, headers: { etag: etag(reversed) } };
});
