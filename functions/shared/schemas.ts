/** Schemas shared by every area: pagination, problem details, audit entries. */
import * as z from 'zod';

export const IsoDate = z.iso.date().meta({ description: 'calendar date YYYY-MM-DD in the company time zone' });
export const IsoTimestamp = z.iso.datetime().meta({ description: 'UTC timestamp, ISO 8601' });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional().meta({ description: 'opaque cursor from the previous page' }),
});

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: 'pass as `cursor` to read the next page; null on the last page' }),
    })
    .meta({ id });
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string(), code: z.string() }))
      .optional()
      .meta({ description: 'every failing field, for validation problems' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const Actor = z.object({ userId: z.string(), name: z.string() }).meta({ id: 'Actor' });
export type Actor = z.infer<typeof Actor>;

export const ChangeEntry = z
  .object({
    at: IsoTimestamp,
    by: Actor,
    action: z.string(),
    reason: z.string().optional(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'ChangeEntry', description: 'one change: who, when, what, before and after (R-INFO-3)' });
export type ChangeEntry = z.infer<typeof ChangeEntry>;

/**
 * What was read of a customer's data (R-INFO-2), as a code: the API stores and returns codes with
 * their parameters (`{ what: 'order', id: 'SO-2026-000123' }`), and whoever shows them renders the
 * words (the web console in Chinese and English). A code ending in s is a list of the customer's
 * records (`invoices` is GET /invoices?customerId=…); `…History` is a record's change history.
 */
export const ACCESS_READS = [
  'customer',
  'customerHistory',
  'creditPosition',
  'priceListVersions',
  'priceListVersion',
  'priceListHistory',
  'orders',
  'order',
  'orderHistory',
  'orderDeliveryNotes',
  'deliveryNote',
  'invoices',
  'invoice',
  'invoiceHistory',
  'payment',
  'paymentHistory',
  'ledger',
  'statements',
  'statement',
  'statementPdf',
  'statementHistory',
  'creditNotes',
  'creditNote',
  'creditNoteHistory',
  'returns',
  'return',
  'returnHistory',
  'goodsReservations',
  'goodsReservation',
  'goodsReservationHistory',
  'sampleRequest',
  'sampleRequestHistory',
] as const;

export const AccessRead = z
  .object({
    what: z.enum(ACCESS_READS),
    id: z.string().optional().meta({ description: 'the record read (order, invoice, statement … number); absent for the customer itself and its lists' }),
    version: z.int().optional().meta({ description: 'the price list version read' }),
  })
  .meta({ id: 'AccessRead', description: "what was read of a customer's data: a code and its parameters" });
export type AccessRead = z.infer<typeof AccessRead>;

export const AccessOutcome = z.enum(['ALLOWED', 'REFUSED']).meta({ description: 'ALLOWED: the data went out; REFUSED: 403, nothing went out' });
export type AccessOutcome = z.infer<typeof AccessOutcome>;

export const AccessEntry = z
  .object({ at: IsoTimestamp, by: Actor, roles: z.array(z.string()), outcome: AccessOutcome, ...AccessRead.shape })
  .meta({ id: 'AccessEntry', description: "a read of a customer's data, or an attempt refused, by someone other than its owner rep (R-INFO-2): who, what, when, outcome" });
export type AccessEntry = z.infer<typeof AccessEntry>;
