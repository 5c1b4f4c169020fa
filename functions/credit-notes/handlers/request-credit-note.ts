import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { etag } from '../../shared/versioned.js';
import { requestCreditNote } from '../issue.js';
import { creditNoteRoutes } from '../routes.js';
import type { CreditNote } from '../schemas.js';

export const handler = httpHandler(
  creditNoteRoutes.requestCreditNote,
  async ({ body, user }) => {
    // R-BILL-4: a rep for own customers, the back office for any; at most what the invoice can still be credited;
    // recorded, and its approval (sales manager up to the threshold, general manager above) started.
    const answer = (note: CreditNote) => ({ status: 202, body: note, headers: { location: `/credit-notes/${note.creditNoteId}`, etag: etag(note) } });
    return answer(await requestCreditNote(body, user, answer));
  },
  { idempotency: withIdempotency },
);
