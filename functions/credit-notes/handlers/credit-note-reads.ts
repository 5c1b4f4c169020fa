/** One function for the reads of credit notes (same access). A sales rep reads own customers' only; reads by others are logged, refusals too (R-INFO-2). */
import { readCustomerData } from '../../customers/access.js';
import { getCustomer } from '../../customers/store.js';
import { readHistory } from '../../shared/audit.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { creditNoteRoutes } from '../routes.js';
import { creditNoteSubject, getCreditNote, listCreditNotes } from '../store.js';

export const handler = routeGroup([
  [
    creditNoteRoutes.listCreditNotes,
    httpHandler(creditNoteRoutes.listCreditNotes, async ({ query, user }) => {
      const customer = await getCustomer(query.customerId);
      return { status: 200, body: await readCustomerData(user, customer, { what: 'creditNotes' }, () => listCreditNotes(query.customerId, { limit: query.limit, cursor: query.cursor }, query.status)) };
    }),
  ],
  [
    creditNoteRoutes.getCreditNote,
    httpHandler(creditNoteRoutes.getCreditNote, async ({ params, user }) => {
      const note = await getCreditNote(params.creditNoteId);
      return { status: 200, body: await readCustomerData(user, note, { what: 'creditNote', id: note.creditNoteId }, async () => note) };
    }),
  ],
  [
    creditNoteRoutes.getCreditNoteHistory,
    httpHandler(creditNoteRoutes.getCreditNoteHistory, async ({ params, query, user }) => {
      const note = await getCreditNote(params.creditNoteId);
      return { status: 200, body: await readCustomerData(user, note, { what: 'creditNoteHistory', id: note.creditNoteId }, () => readHistory(creditNoteSubject(note.creditNoteId), query)) };
    }),
  ],
]);
