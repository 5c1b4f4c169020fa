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

export const AccessEntry = z
  .object({ at: IsoTimestamp, by: Actor, roles: z.array(z.string()), what: z.string() })
  .meta({ id: 'AccessEntry', description: "a read of a customer's data by someone other than its owner (R-INFO-2)" });
export type AccessEntry = z.infer<typeof AccessEntry>;
