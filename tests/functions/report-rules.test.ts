/** The pure parts of the sales summaries and the reconciliation (R-AR-4). */
import { describe, expect, it } from 'vitest';
import { differences, summaryPeriod } from '../../functions/reports/rules.js';

describe('sales summaries and reconciliation (R-AR-4)', () => {
  it('R-AR-4: a summary covers the days since the previous summary day, across a month or a year', () => {
    const days = [5, 15, 25];
    expect(summaryPeriod('2026-11-15', days)).toEqual({ from: '2026-11-05', to: '2026-11-14' });
    expect(summaryPeriod('2026-11-25', days)).toEqual({ from: '2026-11-15', to: '2026-11-24' });
    expect(summaryPeriod('2026-12-05', days)).toEqual({ from: '2026-11-25', to: '2026-12-04' });
    expect(summaryPeriod('2027-01-05', days)).toEqual({ from: '2026-12-25', to: '2027-01-04' });
    // A summary day past the end of a short month takes its last day.
    expect(summaryPeriod('2027-03-05', [5, 15, 30])).toEqual({ from: '2027-02-28', to: '2027-03-04' });
  });

  it('R-AR-4: every shipped line is checked against the warehouse issue and the invoice; each difference named', () => {
    const line = { deliveryNoteId: 'DN-2026-000001', orderId: 'SO-2026-000001', lineNo: 1, productCode: 'P', unit: 't', shipped: '2.5', issued: '2.5', invoiced: '2.5', invoiceId: 'INV-2026-000001' };
    expect(differences([line])).toEqual([]);
    const { invoiceId: _none, ...notInvoiced } = line;
    expect(differences([{ ...notInvoiced, invoiced: '0' }]).map((d) => d.kind)).toEqual(['NOT_INVOICED']);
    expect(differences([{ ...line, invoiced: '2.4' }]).map((d) => `${d.kind}: ${d.detail}`)).toEqual(['INVOICED_DIFFERS: shipped 2.5 t, invoiced 2.4 t on INV-2026-000001']);
    expect(differences([{ ...line, issued: '2.50' }])).toEqual([]);
    expect(differences([{ ...line, issued: '2' }]).map((d) => d.kind)).toEqual(['ISSUE_DIFFERS']);
  });
});
