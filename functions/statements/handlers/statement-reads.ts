/**
 * The reads of statements (one function, same access). A sales rep reads own customers' only, and
 * every read of a customer's statements by anyone but its owner rep is logged, refusals too
 * (R-INFO-2, functions/customers/access.ts); the month's list across customers is not.
 */
import { type ReadPermit, checkRead, readCustomerData } from '../../customers/access.js';
import { onlyOwnCustomers } from '../../customers/rules.js';
import { getCustomer } from '../../customers/store.js';
import type { User } from '../../shared/auth.js';
import { readHistory } from '../../shared/audit.js';
import type { AccessRead } from '../../shared/schemas.js';
import { forbidden, notFound } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { settings } from '../../shared/settings.js';
import { renderStatementPdf } from '../pdf.js';
import { statementRoutes } from '../routes.js';
import type { Statement } from '../schemas.js';
import { getStatement, listStatements, statementSubject } from '../store.js';

/** The statement and the permit to read it: its customer's owner rep decides (R-INFO-2). */
async function readableStatement(user: User, statementId: string, what: AccessRead['what']): Promise<[Statement, ReadPermit]> {
  const statement = await getStatement(statementId);
  if (!statement) throw notFound(`no statement ${statementId}`);
  return [statement, await checkRead(user, await getCustomer(statement.customerId), { what, id: statement.statementId })];
}

export const handler = routeGroup([
  [
    statementRoutes.listStatements,
    httpHandler(statementRoutes.listStatements, async ({ query, user }) => {
      const page = { limit: query.limit, cursor: query.cursor };
      const { customerId } = query;
      if (customerId) {
        const customer = await getCustomer(customerId);
        return { status: 200, body: await readCustomerData(user, customer, { what: 'statements' }, () => listStatements({ customerId }, page, query.status)) };
      }
      if (onlyOwnCustomers(user)) throw forbidden("a sales rep lists own customers' statements by customerId");
      return { status: 200, body: await listStatements({ month: query.month! }, page, query.status) };
    }),
  ],
  [
    statementRoutes.getStatement,
    httpHandler(statementRoutes.getStatement, async ({ params, user }) => {
      const [statement, permit] = await readableStatement(user, params.statementId, 'statement');
      return { status: 200, body: await permit.run(async () => statement) };
    }),
  ],
  [
    statementRoutes.getStatementPdf,
    httpHandler(statementRoutes.getStatementPdf, async ({ params, user }) => {
      const [statement, permit] = await readableStatement(user, params.statementId, 'statementPdf');
      // The PDF is drawn while the read is logged.
      const { pdf } = await permit.run(() => renderStatementPdf(statement, settings().companyName));
      return { status: 200, body: pdf, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${statement.statementId}.pdf"` } };
    }),
  ],
  [
    statementRoutes.getStatementHistory,
    httpHandler(statementRoutes.getStatementHistory, async ({ params, query, user }) => {
      const [statement, permit] = await readableStatement(user, params.statementId, 'statementHistory');
      return { status: 200, body: await permit.run(() => readHistory(statementSubject(statement.statementId), query)) };
    }),
  ],
]);
