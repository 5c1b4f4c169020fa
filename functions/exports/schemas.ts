/** Finance exports (R-AR-3): what is asked for, the export record and its manifest. */
import * as z from 'zod';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

export const EXPORT_KINDS = ['ledger', 'invoices', 'payments', 'aging'] as const;
export const ExportKind = z.enum(EXPORT_KINDS);
export type ExportKind = z.infer<typeof ExportKind>;

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportTrigger = z.enum(['ON_DEMAND', 'DAILY', 'MONTH_END']);
export type ExportTrigger = z.infer<typeof ExportTrigger>;

export const ExportStatus = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']);
export type ExportStatus = z.infer<typeof ExportStatus>;

/** EX-<ULID> on demand; EX-DAILY-YYYY-MM-DD and EX-MONTH-YYYY-MM from the schedules (one per period). */
export const ExportId = z.string().regex(/^EX-(?:[0-9A-HJKMNP-TV-Z]{26}|DAILY-\d{4}-\d{2}-\d{2}|MONTH-\d{4}-\d{2})$/, 'an export id such as EX-DAILY-2026-11-24');

export const StartExport = z
  .object({
    kind: z.enum([...EXPORT_KINDS, 'all']).default('all').meta({ description: 'what to export; all = ledger, invoices, payments and the aging snapshot' }),
    from: IsoDate.optional().meta({ description: 'first business day of the period (ledger entries by entry date, invoices by issue date, payments by receipt date); required unless kind is aging' }),
    to: IsoDate.optional().meta({ description: 'last business day of the period, inclusive; at most 366 days after from, not after today' }),
    asOf: IsoDate.optional().meta({ description: 'the aging snapshot as of this day; default: to, or today' }),
    format: z.enum([...EXPORT_FORMATS, 'both']).default('both').meta({ description: 'CSV (UTF-8 with BOM), JSON Lines, or both' }),
  })
  .strict()
  .meta({ id: 'StartExport' });
export type StartExport = z.infer<typeof StartExport>;

export const ExportFile = z
  .object({
    name: z.string().meta({ description: 'file name within the export, e.g. ledger_2026-11-01_2026-11-30.csv' }),
    kind: ExportKind,
    format: ExportFormat,
    contentType: z.string(),
    rows: z.int().meta({ description: 'data rows (CSV: lines after the header; JSON Lines: lines)' }),
    bytes: z.int(),
    sha256: z.string().meta({ description: 'hex SHA-256 of the file as stored, BOM included' }),
  })
  .meta({ id: 'ExportFile' });
export type ExportFile = z.infer<typeof ExportFile>;

export const Period = z.object({ from: IsoDate, to: IsoDate }).meta({ id: 'ExportPeriod' });

/** What an export is and, once written, its manifest (the same fields go to manifest.json beside the files). */
export const ExportRecord = z
  .object({
    exportId: z.string(),
    status: ExportStatus,
    trigger: ExportTrigger,
    kinds: z.array(ExportKind),
    formats: z.array(ExportFormat),
    period: Period.nullable().meta({ description: 'ledger, invoices and payments of these days; null for an aging snapshot alone' }),
    asOf: IsoDate.nullable().meta({ description: 'the day of the aging snapshot; null without one' }),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    startedAt: IsoTimestamp.optional(),
    finishedAt: IsoTimestamp.optional(),
    location: z.string().optional().meta({ description: 'where the files are: s3://bucket/EX-…/ in the cloud, the local folder locally' }),
    files: z.array(ExportFile).meta({ description: 'in the manifest once the export SUCCEEDED' }),
    failure: z.string().optional(),
  })
  .meta({ id: 'ExportRecord' });
export type ExportRecord = z.infer<typeof ExportRecord>;

const Download = { url: z.string().meta({ description: 'download URL: presigned S3 URL in the cloud, a signed local URL locally; expires at urlsExpireAt' }) };

export const ExportView = ExportRecord.extend({
  files: z.array(ExportFile.extend(Download)),
  manifest: z.object({ name: z.literal('manifest.json'), ...Download }).optional().meta({ description: 'the manifest file, once the export SUCCEEDED' }),
  urlsExpireAt: IsoTimestamp.optional(),
}).meta({ id: 'Export' });
export type ExportView = z.infer<typeof ExportView>;

export const ExportIdParams = z.object({ exportId: ExportId });
export const ListExportsQuery = PageQuery;
