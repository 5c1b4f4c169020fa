/** Sales summaries and the month-end reconciliation (R-AR-4). Pure: no I/O. */
import { Decimal } from 'decimal.js';
import { addDays } from '../shared/clock.js';

/**
 * R-AR-4: the period a summary on `day` (one of the summary days of the month, setting 5, 15, 25)
 * covers: from the previous summary day to the day before this one.
 */
export function summaryPeriod(day: string, summaryDays: readonly number[]): { from: string; to: string } {
  const days = [...summaryDays].sort((a, b) => a - b);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const earlier = days.filter((x) => x < d);
  let from: string;
  if (earlier.length > 0) from = `${day.slice(0, 8)}${String(earlier[earlier.length - 1]).padStart(2, '0')}`;
  else {
    const prev = new Date(Date.UTC(y, m - 2, 1));
    const lastDay = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
    from = `${prev.toISOString().slice(0, 8)}${String(Math.min(days[days.length - 1]!, lastDay)).padStart(2, '0')}`;
  }
  return { from, to: addDays(day, -1) };
}

export interface ReconciliationLine {
  deliveryNoteId: string;
  orderId: string;
  lineNo: number;
  productCode: string;
  unit: string;
  shipped: string;
  issued: string;
  invoiced: string;
  invoiceId?: string;
}

export type DifferenceKind = 'NOT_INVOICED' | 'INVOICED_DIFFERS' | 'ISSUE_DIFFERS';

/**
 * R-AR-4: every note line shipped in the month against the warehouse's issue movements and the
 * invoice; each difference named (a line can have two).
 */
export function differences(lines: readonly ReconciliationLine[]): (ReconciliationLine & { kind: DifferenceKind; detail: string })[] {
  return lines.flatMap((l) => {
    const found: (ReconciliationLine & { kind: DifferenceKind; detail: string })[] = [];
    const shipped = new Decimal(l.shipped);
    if (!shipped.equals(l.issued)) found.push({ ...l, kind: 'ISSUE_DIFFERS', detail: `shipped ${l.shipped} ${l.unit} on the note, ${l.issued} ${l.unit} left the warehouse` });
    if (!l.invoiceId) found.push({ ...l, kind: 'NOT_INVOICED', detail: `shipped ${l.shipped} ${l.unit}, not invoiced by month end` });
    else if (!shipped.equals(l.invoiced)) found.push({ ...l, kind: 'INVOICED_DIFFERS', detail: `shipped ${l.shipped} ${l.unit}, invoiced ${l.invoiced} ${l.unit} on ${l.invoiceId}` });
    return found;
  });
}
