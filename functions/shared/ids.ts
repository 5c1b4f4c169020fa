/** Identifiers: ULIDs sort by creation time, so ids double as stable tie-breakers in sort keys. */
import { ulid } from 'ulid';
import { now } from './clock.js';

export function newId(prefix: string): string {
  return `${prefix}-${ulid(now().getTime())}`;
}

/** A human-readable sequence number: CU-000001 (six digits, growing beyond when needed). */
export function formatNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}
