/**
 * Month-end statements (R-BILL-6): for every customer with ledger activity in the month, one
 * statement ST-<customerId>-<YYYY-MM>, written only if absent, so a second run (or a retry of the
 * schedule) writes nothing twice. Customers with open items but no entry in the month get none:
 * the rule says "every customer with activity".
 */
import { getCustomer } from '../customers/store.js';
import { notifyOnce, toRole } from '../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../shared/auth.js';
import { businessDate, nowIso } from '../shared/clock.js';
import { logger } from '../shared/logger.js';
import { JobRefused } from '../shared/step.js';
import { settings } from '../shared/settings.js';
import { buildStatement, monthBounds, outstandingAtMonthEnd, splitAroundMonth, statementProblems } from './rules.js';
import type { MonthEndRun, Statement } from './schemas.js';
import { customersWithEntriesIn, entriesBackTo, invoicesByIds, openInvoicesNow, putStatementOnce } from './store.js';

/** A statement item must stay well under DynamoDB's 400 KB. */
const MAX_ITEM_BYTES = 350_000;

/** The customer's statement of a month, from the ledger, the open items now and the invoices settled since. */
export async function composeStatement(customerId: string, month: string): Promise<Statement> {
  const { from } = monthBounds(month);
  const [customer, entries, openNow] = await Promise.all([getCustomer(customerId, true), entriesBackTo(customerId, from), openInvoicesNow(customerId)]);
  const { after } = splitAroundMonth(entries, month);
  const atMonthEnd = outstandingAtMonthEnd(new Map(openNow.map((o) => [o.invoiceId, o.outstandingMinor])), after);
  const known = new Map(openNow.filter((o) => o.issuedOn).map((o) => [o.invoiceId, { issuedOn: o.issuedOn!, dueDate: o.dueDate }]));
  for (const invoice of await invoicesByIds([...atMonthEnd.keys()].filter((id) => !known.has(id)))) {
    known.set(invoice.invoiceId, { issuedOn: invoice.issuedOn, dueDate: invoice.dueDate });
  }
  const openItems = [...atMonthEnd].map(([invoiceId, outstandingMinor]) => {
    const dates = known.get(invoiceId);
    if (!dates) throw new Error(`${customerId}: ${invoiceId} was open at the end of ${month} but cannot be read`);
    return { invoiceId, outstandingMinor, ...dates };
  });
  return buildStatement({
    customer: { customerId, name: customer.name, ownerRepId: customer.ownerRepId },
    month,
    currency: entries[0]?.currency ?? settings().currency,
    entries,
    openItems,
    bounds: settings().agingBucketDays,
    at: nowIso(),
  });
}

/**
 * Every customer with activity in `month` gets its statement; those that have one keep it. A
 * customer whose statement fails is named in the answer and the others go on; a rerun catches it up.
 */
export async function generateMonthEndStatements(month: string): Promise<MonthEndRun> {
  // Today from the clock (businessDate: the company's time zone), so tests and the local stack's clock decide.
  const today = businessDate();
  if (monthBounds(month).to >= today) throw new JobRefused(`${month} has not ended yet (today is ${today}): statements are made after the month's last day`);
  const customers = await customersWithEntriesIn(month);
  const run: MonthEndRun = { month, customers: customers.length, generated: 0, existing: 0, failed: [] };
  for (const customerId of customers) {
    try {
      const statement = await composeStatement(customerId, month);
      const problems = statementProblems(statement);
      if (problems.length > 0) throw new Error(`the figures disagree: ${problems.join('; ')}`);
      if (Buffer.byteLength(JSON.stringify(statement)) > MAX_ITEM_BYTES) throw new Error(`${statement.lines.length} lines are too many for one statement item`);
      if (await putStatementOnce(statement, SYSTEM_ACTOR)) run.generated++;
      else run.existing++;
    } catch (err) {
      logger.error('statement not generated', { customerId, month, error: err as Error });
      run.failed.push({ customerId, reason: (err as Error).message });
    }
  }
  if (run.generated > 0 || run.failed.length > 0) {
    await notifyOnce({
      dedupeKey: `statements-${month}#run-${run.generated}-${run.existing}-${run.failed.length}`,
      recipient: toRole('finance'),
      topic: 'statement',
      subject: `Statements ${month}: ${run.generated} ready to send${run.failed.length > 0 ? `, ${run.failed.length} failed` : ''}`,
      body: `The month-end run made ${run.generated} statement${run.generated === 1 ? '' : 's'} for ${month} (${run.existing} existed already) of ${run.customers} customers with activity.${run.failed.length > 0 ? ` Not made: ${run.failed.map((f) => `${f.customerId} (${f.reason})`).join('; ')}; run the job again once fixed.` : ''} Send them from GET /statements?month=${month}&status=GENERATED.`,
      link: `/statements?month=${month}`,
    });
  }
  return run;
}
