/**
 * Finance sends a statement and records the customer's answer (R-BILL-6). Each is one
 * transaction: the statement's next version (on the condition that it is still the one read),
 * its history entry and the notifications, so a lost race or a retry changes nothing twice.
 */
import { getCustomer } from '../../customers/store.js';
import { notificationPut, toRole, toUser } from '../../notifications/outbox.js';
import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { transactConditional } from '../../shared/dynamo.js';
import { conflict, notFound, validationFailed } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { formatMajor } from '../../shared/money.js';
import { routeGroup } from '../../shared/route-group.js';
import { ANSWERABLE, answerProblems, grouped } from '../rules.js';
import { statementRoutes } from '../routes.js';
import type { Statement } from '../schemas.js';
import { getStatement, statementReplaceItems } from '../store.js';

/** The customer's address in the outbox: the notification waits there for delivery to the contacts it lists (README: Statements). */
export const toCustomer = (customerId: string) => `customer:${customerId}`;

async function current(statementId: string): Promise<Statement> {
  const statement = await getStatement(statementId, true);
  if (!statement) throw notFound(`no statement ${statementId}`);
  return statement;
}

const amount = (m: Statement['closing']) => `${grouped(formatMajor(m))} ${m.currency}`;

async function write(items: Parameters<typeof transactConditional>[0], statementId: string) {
  const written = await transactConditional(items);
  if (!written.ok) throw conflict(`${statementId} was changed meanwhile (${written.reasons.join(', ')}): read it again`);
}

export const handler = routeGroup([
  [
    statementRoutes.sendStatement,
    httpHandler(statementRoutes.sendStatement, async ({ params, user }) => {
      const statement = await current(params.statementId);
      if (statement.status !== 'GENERATED') throw conflict(`${statement.statementId} is ${statement.status}: it was sent already`);
      const customer = await getCustomer(statement.customerId, true);
      const by = actorOf(user);
      const at = nowIso();
      const to = customer.contacts.map((c) => ({ name: c.name, ...(c.email ? { email: c.email } : {}), ...(c.phone ? { phone: c.phone } : {}) }));
      const after: Statement = { ...statement, status: 'SENT', sending: { at, on: businessDate(), by, channel: 'outbox', to }, version: statement.version + 1, updatedAt: at };
      const link = `/statements/${statement.statementId}/pdf`;
      const figures = `opening 期初 ${amount(statement.opening)}, closing 期末 ${amount(statement.closing)}, open invoices 未结 ${amount(statement.openTotal)}`;
      const addressees = to.map((c) => `${c.name}${c.email ? ` <${c.email}>` : c.phone ? ` (${c.phone})` : ''}`).join(', ');
      await write(
        [
          ...statementReplaceItems(statement, after, by, `statement sent to ${to.map((c) => c.name).join(', ')}`, { sending: after.sending }),
          notificationPut({
            dedupeKey: `${statement.statementId}#sent`,
            recipient: toCustomer(customer.customerId),
            topic: 'statement',
            subject: `对账单 Statement ${statement.month}: ${customer.name}`,
            body: `To ${addressees}: your statement for ${statement.periodFrom} – ${statement.periodTo} (${statement.statementId}): ${figures}. Please confirm the balance or name the items that differ. 请核对余额并回复确认，如有不符请列明差异项目。`,
            link,
          }),
          notificationPut({
            dedupeKey: `${statement.statementId}#sent`,
            recipient: toUser(customer.ownerRepId),
            topic: 'statement',
            subject: `Statement ${statement.month} sent: ${customer.name}`,
            body: `Copy: ${statement.statementId} went to ${addressees}: ${figures}.`,
            link,
          }),
        ],
        statement.statementId,
      );
      return { status: 200, body: after };
    }),
  ],
  [
    statementRoutes.recordStatementAnswer,
    httpHandler(statementRoutes.recordStatementAnswer, async ({ params, body, user }) => {
      const statement = await current(params.statementId);
      const customer = await getCustomer(statement.customerId, true);
      const problems = answerProblems(body, statement, customer.contacts, businessDate());
      if (problems.length > 0) throw validationFailed(problems);
      if (!ANSWERABLE.includes(statement.status)) {
        throw conflict(statement.status === 'GENERATED' ? `${statement.statementId} has not been sent: send it first` : `${statement.statementId} is ${statement.status} already`);
      }
      const by = actorOf(user);
      const at = nowIso();
      const answer = { ...body, recordedAt: at, recordedBy: by };
      const after: Statement = { ...statement, status: body.outcome, answer, version: statement.version + 1, updatedAt: at };
      const disputed = body.outcome === 'DISPUTED';
      const what = disputed ? `disputed by ${body.confirmedBy} on ${body.on}: ${body.disputedItems!.join(', ')}` : `confirmed by ${body.confirmedBy} on ${body.on}`;
      const notice = (recipient: string) =>
        notificationPut({
          dedupeKey: `${statement.statementId}#disputed-${answer.recordedAt}`,
          recipient,
          topic: 'statement',
          subject: `Statement disputed: ${customer.name} ${statement.month}`,
          body: `${body.confirmedBy} of ${customer.name} disputes ${body.disputedItems!.join(', ')} in ${statement.statementId} (closing ${amount(statement.closing)}): ${body.note}`,
          link: `/statements/${statement.statementId}`,
        });
      await write(
        [...statementReplaceItems(statement, after, by, `statement ${what}`, { answer }, body.note), ...(disputed ? [notice(toRole('finance_manager')), notice(toUser(customer.ownerRepId))] : [])],
        statement.statementId,
      );
      return { status: 200, body: after };
    }),
  ],
]);
