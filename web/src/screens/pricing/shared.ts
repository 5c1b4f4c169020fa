/** Price lists as the API returns them (functions/pricing/schemas.ts), and how the console names them. */
import type { PriceListItem as ApiItem, PriceListSummary as ApiSummary, PriceListVersion as ApiVersion, PriceListVersionSummary as ApiVersionSummary } from '../../../../functions/pricing/schemas.js';
import type { Translate } from '../../i18n/index.js';
import type { pricingMessages } from './messages.js';

export type PriceListSummary = ApiSummary;
export type PriceListVersion = ApiVersion;
export type PriceListVersionSummary = ApiVersionSummary;
export type PriceListItem = ApiItem;

/** The stored id (GENERAL, CUSTOMER#CU-000001) or the path form → the path form (GENERAL, CU-000001). */
export function refOf(priceListId: string): string {
  return priceListId.replace(/^CUSTOMER#/, '');
}

export function priceListName(t: Translate<typeof pricingMessages>, v: { kind: string; customerId?: string | undefined; customerName?: string | undefined }): string {
  return v.kind === 'general' ? t('generalName') : t('customerName', { name: v.customerName ?? v.customerId ?? '' });
}

/** Only a draft, or a version returned to its drafter, can change or be submitted. */
export const EDITABLE = ['DRAFT', 'RETURNED'];

/** Today in the company's time zone, as YYYY-MM-DD. */
export function businessToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
