/** Exports as the API returns them (functions/exports/schemas.ts). */
import type { ExportRecord as ApiRecord, ExportView as ApiView } from '../../../../functions/exports/schemas.js';

export type ExportRecord = ApiRecord;
export type ExportView = ApiView;

/** Today in the company's time zone (exports end no later than today). */
export { businessToday } from '../pricing/shared.js';
