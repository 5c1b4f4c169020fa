/** The reads of statements (one function, same access). A sales rep reads own customers' only (R-INFO-2). */
import { assertMaySee, onlyOwnCustomers } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import type { User } from '../../shared/auth.js';
import { readHistory } from '../../shared/audit.js';
import { forbidden, notFound } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { settings } from '../../shared/settings.js';
import { renderStatementPdf } from '../pdf.js';
import { statementRoutes } from '../routes.js';
import { getStatement, listStatements, statementSubject } from '../store.js';

async function readableStatement(user: User, statementId: string) {
  const statement = await getStatement(statementId);
  if (!statement) throw notFound(`no statement ${statementId}`);
  assertMaySee(user, await getCustomer(statement.customerId));
  return statement;
}

export const handler = routeGroup([
  [
    statementRoutes.listStatements,
    httpHandler(statementRoutes.listStatements, async ({ query, user }) => {
      const page = { limit: query.limit, cursor: query.cursor };
      if (query.customerId) {
        assertMaySee(user, await getCustomer(query.customerId));
        return { status: 200, body: await listStatements({ customerId: query.customerId }, page, query.status) };
      }
      if (onlyOwnCustomers(user)) throw forbidden("a sales rep lists own customers' statements by customerId");
      return { status: 200, body: await listStatements({ month: query.month! }, page, query.status) };
    }),
  ],
  [statementRoutes.getStatement, httpHandler(statementRoutes.getStatement, async ({ params, user }) => ({ status: 200, body: await readableStatement(user, params.statementId) }))],
  [
    statementRoutes.getStatementPdf,
    httpHandler(statementRoutes.getStatementPdf, async ({ params, user }) => {
      const statement = await readableStatement(user, params.statementId);
      const { pdf } = await renderStatementPdf(statement, settings().companyName);
      return { status: 200, body: pdf, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${statement.statementId}.pdf"` } };
    }),
  ],
  [
    statementRoutes.getStatementHistory,
    httpHandler(statementRoutes.getStatementHistory, async ({ params, query, user }) => {
      const statement = await readableStatement(user, params.statementId);
      return { status: 200, body: await readHistory(statementSubject(statement.statementId), query) };
    }),
  ],
]);
