/** One function for the reads of credit notes (same access). A sales rep reads own customers' only (R-INFO-2). */
import { assertMaySee } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import { readHistory } from '../../shared/audit.js';
import type { User } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { creditNoteRoutes } from '../routes.js';
import { creditNoteSubject, getCreditNote, listCreditNotes } from '../store.js';

async function readable(user: User, creditNoteId: string) {
  const note = await getCreditNote(creditNoteId);
  assertMaySee(user, note);
  return note;
}

export const handler = routeGroup([
  [
    creditNoteRoutes.listCreditNotes,
    httpHandler(creditNoteRoutes.listCreditNotes, async ({ query, user }) => {
      assertMaySee(user, await getCustomer(query.customerId));
      return { status: 200, body: await listCreditNotes(query.customerId, { limit: query.limit, cursor: query.cursor }, query.status) };
    }),
  ],
  [creditNoteRoutes.getCreditNote, httpHandler(creditNoteRoutes.getCreditNote, async ({ params, user }) => ({ status: 200, body: await readable(user, params.creditNoteId) }))],
  [
    creditNoteRoutes.getCreditNoteHistory,
    httpHandler(creditNoteRoutes.getCreditNoteHistory, async ({ params, query, user }) => {
      const note = await readable(user, params.creditNoteId);
      return { status: 200, body: await readHistory(creditNoteSubject(note.creditNoteId), query) };
    }),
  ],
]);
