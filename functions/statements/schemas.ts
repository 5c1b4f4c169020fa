/** Customer statements (对账单, R-BILL-6): what comes in and what goes out. */
import * as z from 'zod';
import { LedgerEntryKind } from '../billing/schemas.js';
import { Money } from '../shared/money.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const CustomerNumber = z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001');
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month such as 2026-11');
/** ST-<customerId>-<YYYY-MM>: one statement per customer and month, never two. */
export const StatementNumber = z.string().regex(/^ST-CU-\d{6,}-\d{4}-(0[1-9]|1[0-2])$/, 'a statement number such as ST-CU-000001-2026-11');

export const StatementStatus = z.enum(['GENERATED', 'SENT', 'CONFIRMED', 'DISPUTED']);
export type StatementStatus = z.infer<typeof StatementStatus>;

export const StatementLine = z
  .object({
    seq: z.int().meta({ description: "the ledger entry's number" }),
    on: IsoDate,
    kind: LedgerEntryKind,
    reference: z.string().meta({ description: 'invoice, receipt or credit note number' }),
    description: z.string(),
    amount: Money.meta({ description: 'as in the ledger: + what the customer owes more, − less; an allocation (credit applied to an invoice) is 0' }),
    balanceAfter: Money.meta({ description: 'the running balance after this line' }),
  })
  .meta({ id: 'StatementLine' });
export type StatementLine = z.infer<typeof StatementLine>;

export const StatementOpenItem = z
  .object({
    invoiceId: z.string(),
    issuedOn: IsoDate,
    dueDate: IsoDate,
    outstanding: Money.meta({ description: 'still open at the end of the month' }),
    daysPastDue: z.int().meta({ description: 'on the last day of the month; 0 or less: not due' }),
    bucket: z.string().meta({ description: 'not due, 1-30, 31-60, 61-90, over 90 (setting, R-AR-1)' }),
  })
  .meta({ id: 'StatementOpenItem' });
export type StatementOpenItem = z.infer<typeof StatementOpenItem>;

export const StatementAgingBucket = z.object({ bucket: z.string(), amount: Money, invoices: z.int() }).meta({ id: 'StatementAgingBucket' });

export const StatementTotals = z
  .object({
    invoiced: Money.meta({ description: 'Σ INVOICE lines' }),
    paid: Money.meta({ description: 'Σ PAYMENT lines, as a positive amount' }),
    credited: Money.meta({ description: 'Σ CREDIT_NOTE lines, as a positive amount' }),
    reversed: Money.meta({ description: 'Σ REVERSAL lines, signed' }),
  })
  .meta({ id: 'StatementTotals', description: 'closing = opening + invoiced − paid − credited + reversed' });
export type StatementTotals = z.infer<typeof StatementTotals>;

export const Addressee = z.object({ name: z.string(), email: z.string().optional(), phone: z.string().optional() }).meta({ id: 'StatementAddressee' });

export const StatementSending = z
  .object({
    at: IsoTimestamp,
    on: IsoDate.meta({ description: 'the business day it was sent' }),
    by: Actor,
    channel: z.literal('outbox').meta({ description: 'written to the notification outbox for customer:<customerId> (and the SNS topic in the cloud); no email is sent yet (README: Statements)' }),
    to: z.array(Addressee).meta({ description: "the customer's contacts when it was sent" }),
  })
  .meta({ id: 'StatementSending' });

export const StatementAnswer = z
  .object({
    outcome: z.enum(['CONFIRMED', 'DISPUTED']),
    confirmedBy: z.string().meta({ description: "the customer's contact who answered" }),
    on: IsoDate,
    note: z.string().optional(),
    disputedItems: z.array(z.string()).optional().meta({ description: 'references in the statement the customer disputes' }),
    recordedAt: IsoTimestamp,
    recordedBy: Actor,
  })
  .meta({ id: 'StatementAnswer' });
export type StatementAnswer = z.infer<typeof StatementAnswer>;

export const Statement = z
  .object({
    statementId: z.string().meta({ description: 'ST-<customerId>-<YYYY-MM>' }),
    customerId: z.string(),
    customerName: z.string(),
    ownerRepId: z.string(),
    month: Month,
    periodFrom: IsoDate,
    periodTo: IsoDate,
    currency: z.string(),
    opening: Money.meta({ description: "the balance after the customer's last entry before the month (0 without one)" }),
    lines: z.array(StatementLine).meta({ description: "the month's ledger entries, oldest first, with the running balance" }),
    totals: StatementTotals,
    closing: Money.meta({ description: "the balance after the month's last entry" }),
    openItems: z.array(StatementOpenItem).meta({ description: 'invoices open at the end of the month, oldest due first' }),
    aging: z.array(StatementAgingBucket),
    openTotal: Money.meta({ description: 'Σ open items' }),
    customerCredit: Money.meta({ description: 'paid and not yet allocated at the end of the month: open items − closing' }),
    status: StatementStatus,
    generatedAt: IsoTimestamp,
    sending: StatementSending.optional(),
    answer: StatementAnswer.optional().meta({ description: "the customer's confirmation or dispute as finance recorded it (the latest; earlier ones are in the history)" }),
    version: z.int(),
    updatedAt: IsoTimestamp,
  })
  .meta({ id: 'Statement' });
export type Statement = z.infer<typeof Statement>;

export const StatementSummary = Statement.pick({
  statementId: true,
  customerId: true,
  customerName: true,
  ownerRepId: true,
  month: true,
  currency: true,
  opening: true,
  closing: true,
  openTotal: true,
  status: true,
  generatedAt: true,
}).meta({ id: 'StatementSummary' });
export type StatementSummary = z.infer<typeof StatementSummary>;

export const StatementIdParams = z.object({ statementId: StatementNumber });

export const ListStatementsQuery = PageQuery.extend({
  customerId: CustomerNumber.optional().meta({ description: "a customer's statements, newest month first" }),
  month: Month.optional().meta({ description: "a month's statements, by customer (back office)" }),
  status: StatementStatus.optional(),
}).refine((q) => (q.customerId === undefined) !== (q.month === undefined), { message: 'name a customerId or a month (one of the two)', path: ['customerId'] });

export const RecordStatementAnswer = z
  .object({
    outcome: z.enum(['CONFIRMED', 'DISPUTED']),
    confirmedBy: text(100).meta({ description: "the name of the customer's contact who answered (one of the customer's contacts)" }),
    on: IsoDate.meta({ description: 'the day the customer answered' }),
    note: text(1000).optional().meta({ description: 'what the customer said; required for a dispute' }),
    disputedItems: z.array(text(60)).min(1).max(100).optional().meta({ description: 'for a dispute: the references in the statement (invoice, receipt or credit note numbers) the customer disputes' }),
  })
  .strict()
  .refine((a) => a.outcome === 'DISPUTED' || a.disputedItems === undefined, { message: 'only a dispute names disputed items', path: ['disputedItems'] })
  .refine((a) => a.outcome === 'CONFIRMED' || a.disputedItems !== undefined, { message: 'a dispute names the disputed items', path: ['disputedItems'] })
  .refine((a) => a.outcome === 'CONFIRMED' || a.note !== undefined, { message: 'a dispute says what the customer disputes', path: ['note'] })
  .meta({ id: 'RecordStatementAnswer' });
export type RecordStatementAnswer = z.infer<typeof RecordStatementAnswer>;

export const MonthEndRun = z
  .object({
    month: Month,
    customers: z.int().meta({ description: 'customers with ledger activity in the month' }),
    generated: z.int(),
    existing: z.int().meta({ description: 'already had their statement (a second run, a retry)' }),
    failed: z.array(z.object({ customerId: z.string(), reason: z.string() })),
  })
  .meta({ id: 'MonthEndStatementsRun' });
export type MonthEndRun = z.infer<typeof MonthEndRun>;
