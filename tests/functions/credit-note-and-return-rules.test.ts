/** The pure rules of credit notes (R-BILL-4, R-BILL-5) and returns (R-RETURN-1..4): who approves, how much may be credited or returned, prices, inspections, receipts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InvoiceLine } from '../../functions/billing/schemas.js';
import { allowanceProblems, creditNoteApprovers, creditableMinor, reversalRefusal, splitCredit } from '../../functions/credit-notes/rules.js';
import { approvedQuantity, inspectionResult, pricedLine, receiptResult, returnApprovers, returnLineProblems, tallyUnits, unclaimedUnits } from '../../functions/returns/rules.js';
import { DEFAULT_SETTINGS } from '../../functions/shared/settings.js';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const THRESHOLD = DEFAULT_SETTINGS.creditNoteGmAboveMinor;

describe('credit note approval (R-BILL-4)', () => {
  it('R-BILL-4: up to the threshold (inclusive) the sales manager, above it the general manager', () => {
    expect(THRESHOLD).toBe(5_000_000);
    expect(creditNoteApprovers({ roles: ['sales_rep'] }, THRESHOLD, THRESHOLD)).toEqual(['sales_manager']);
    expect(creditNoteApprovers({ roles: ['finance'] }, 1, THRESHOLD)).toEqual(['sales_manager']);
    expect(creditNoteApprovers({ roles: ['sales_clerk'] }, THRESHOLD + 1, THRESHOLD)).toEqual(['general_manager']);
  });

  it('R-BILL-4: nobody approves their own: a sales manager’s request goes to the general manager', () => {
    expect(creditNoteApprovers({ roles: ['sales_manager'] }, 100, THRESHOLD)).toEqual(['general_manager']);
  });

  it('R-BILL-4: at most the invoice’s gross less what is credited on it already, in its currency', () => {
    const invoice = { invoiceId: 'INV-2026-000001', grossMinor: 1_243_000, currency: 'CNY' };
    expect(allowanceProblems(cny(1_243_000), invoice, 0)).toEqual([]);
    expect(allowanceProblems(cny(243_000), invoice, 1_000_000)).toEqual([]);
    expect(allowanceProblems(cny(243_001), invoice, 1_000_000)).toEqual([
      { field: 'body.amount.amountMinor', code: 'over_credited', message: 'at most 2430.00 CNY: INV-2026-000001 is 12430.00 CNY gross and 10000.00 CNY of it is credited already (or waiting for approval)' },
    ]);
    expect(allowanceProblems({ amountMinor: 1, currency: 'USD' }, invoice, 0)).toEqual([expect.objectContaining({ field: 'body.amount.currency' })]);
    expect(creditableMinor(100, 150)).toBe(0);
  });

  it('R-BILL-4, R-BILL-3: a credit settles the outstanding first, the rest is customer credit; the parts always add up (property)', () => {
    expect(splitCredit(1_000, 5_000)).toEqual({ settleMinor: 1_000, creditMinor: 0 });
    expect(splitCredit(6_000, 5_040)).toEqual({ settleMinor: 5_040, creditMinor: 960 });
    expect(splitCredit(500, 0)).toEqual({ settleMinor: 0, creditMinor: 500 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (amount, outstanding) => {
        const { settleMinor, creditMinor } = splitCredit(amount, outstanding);
        return settleMinor + creditMinor === amount && settleMinor <= outstanding && settleMinor >= 0 && creditMinor >= 0 && (creditMinor === 0 || settleMinor === outstanding);
      }),
    );
  });

  it('R-BILL-5: a credit note is reversed only while issued and its effect unused', () => {
    const note = { creditNoteId: 'CN-2026-000001', status: 'ISSUED', source: 'ALLOWANCE' as const, settledMinor: 520, customerCreditMinor: 480 };
    const untouched = { creditRemainingMinor: 480, lastSettlement: { reference: 'CN-2026-000001', amountMinor: 520 } };
    expect(reversalRefusal(note, untouched)).toBeUndefined();
    expect(reversalRefusal({ ...note, status: 'REVERSED' }, untouched)).toContain('only an issued credit note');
    expect(reversalRefusal(note, { ...untouched, creditRemainingMinor: 100 })).toContain('customer credit has been used');
    expect(reversalRefusal({ ...note, source: 'RETURN', returnId: 'RT-2026-000001' }, untouched)).toContain('credits the goods of return RT-2026-000001');
    expect(reversalRefusal(note, { ...untouched, lastSettlement: { reference: 'RC-2026-000009', amountMinor: 520 } })).toContain('settled further');
    // All of it customer credit: the invoice's settlements do not matter.
    expect(reversalRefusal({ ...note, settledMinor: 0, customerCreditMinor: 1000 }, { creditRemainingMinor: 1000, lastSettlement: { reference: 'RC-2026-000009', amountMinor: 1 } })).toBeUndefined();
  });
});

const line = (lineNo: number, productCode: string, quantity: string, unitPriceMinor: number, unit = 't'): InvoiceLine => ({
  lineNo,
  productCode,
  productName: productCode,
  specification: '10mm',
  quantity,
  unit,
  unitPrice: cny(unitPriceMinor),
  taxRateBasisPoints: 1300,
  net: cny(0),
  tax: cny(0),
  gross: cny(0),
});
const invoice = { invoiceId: 'INV-2026-000007', lines: [line(1, 'PLATE', '2.5', 400_000), line(2, 'VALVE', '4', 25_000, 'pcs')] };
const scaleOf = (code: string) => (code === 'PLATE' ? 3 : 0);

describe('returns (R-RETURN-1..4)', () => {
  it('R-RETURN-1: the sales manager approves (the general manager when the sales manager asks)', () => {
    expect(returnApprovers(['customer_service'])).toEqual(['sales_manager']);
    expect(returnApprovers(['sales_rep'])).toEqual(['sales_manager']);
    expect(returnApprovers(['sales_manager'])).toEqual(['general_manager']);
  });

  it('R-RETURN-1: each invoice line once, in the product’s precision, at most invoiced less earlier returns; every bad field named', () => {
    expect(returnLineProblems([{ lineNo: 1, quantity: '2.5' }, { lineNo: 2, quantity: '4' }], invoice, new Map(), scaleOf)).toEqual([]);
    const problems = returnLineProblems(
      [
        { lineNo: 3, quantity: '1' },
        { lineNo: 1, quantity: '1.0001' },
        { lineNo: 2, quantity: '3' },
        { lineNo: 2, quantity: '1' },
      ],
      invoice,
      new Map([[2, tallyUnits('2')]]),
      scaleOf,
    );
    expect(problems.map((p) => `${p.field} ${p.code}`)).toEqual(['body.lines.0.lineNo unknown_line', 'body.lines.1.quantity quantity_precision', 'body.lines.2.quantity over_return', 'body.lines.3.lineNo duplicate']);
    expect(problems[2]!.message).toBe('at most 2 pcs: 4 invoiced, 2 of it returned or being returned already');
  });

  it('R-RETURN-3: the credit is at the invoice’s price with VAT per line, rounded half-up to the fen', () => {
    expect(pricedLine(invoice.lines[0]!, '0.5')).toMatchObject({ quantity: '0.5', net: cny(200_000), tax: cny(26_000), gross: cny(226_000) });
    // 0.333 t × 4,000.00 = 1,332.00; VAT 173.16.
    expect(pricedLine(invoice.lines[0]!, '0.333')).toMatchObject({ net: cny(133_200), tax: cny(17_316), gross: cny(150_516) });
    expect(pricedLine(line(1, 'X', '1', 333), '1')).toMatchObject({ net: cny(333), tax: cny(43), gross: cny(376) });
  });

  it('R-RETURN-2: the inspection confirms per line, at most what was asked; a line not named is confirmed whole; a confirmed defect on nothing is a contradiction', () => {
    const ret = { returnId: 'RT-2026-000001', lines: [{ lineNo: 1, productCode: 'PLATE', unit: 't', quantity: '1' }, { lineNo: 2, productCode: 'VALVE', unit: 'pcs', quantity: '2' }] } as never;
    const base = { findings: 'f', rootCause: 'r', responsibleParty: 'PRODUCTION' as const };
    const ok = inspectionResult(ret, { ...base, defectConfirmed: true, lines: [{ lineNo: 1, confirmedQuantity: '0.50' }] }, scaleOf);
    expect(ok.problems).toEqual([]);
    expect([...ok.confirmed]).toEqual([
      [1, '0.5'],
      [2, '2'],
    ]);
    const bad = inspectionResult(ret, { ...base, defectConfirmed: true, lines: [{ lineNo: 1, confirmedQuantity: '1.5' }, { lineNo: 2, confirmedQuantity: '0.5' }, { lineNo: 9, confirmedQuantity: '1' }] }, scaleOf);
    expect(bad.problems.map((p) => `${p.field} ${p.code}`)).toEqual(['body.lines.0.confirmedQuantity over_return', 'body.lines.1.confirmedQuantity quantity_precision', 'body.lines.2.lineNo unknown_line']);
    expect(inspectionResult(ret, { ...base, defectConfirmed: true, lines: [{ lineNo: 1, confirmedQuantity: '0' }, { lineNo: 2, confirmedQuantity: '0' }] }, scaleOf).problems).toEqual([expect.objectContaining({ field: 'body.defectConfirmed' })]);
    const none = inspectionResult(ret, { ...base, defectConfirmed: false }, scaleOf);
    expect(none.problems).toEqual([]);
    expect([...none.confirmed.values()]).toEqual(['0', '0']);
  });

  it('R-RETURN-3: what came back is at most what was approved (a quality return: what the inspection confirmed); something must have come', () => {
    const quality = { returnId: 'RT-2026-000002', kind: 'QUALITY', lines: [{ lineNo: 1, productCode: 'PLATE', unit: 't', quantity: '1', confirmedQuantity: '0.5' }] } as never;
    expect(approvedQuantity({ kind: 'QUALITY' }, { quantity: '1', confirmedQuantity: '0.5' })).toBe('0.5');
    expect(approvedQuantity({ kind: 'OTHER' }, { quantity: '1' })).toBe('1');
    expect(receiptResult(quality, { lines: [{ lineNo: 1, quantity: '0.5', disposition: 'REPAIR' }] }, scaleOf).problems).toEqual([]);
    expect(receiptResult(quality, { lines: [{ lineNo: 1, quantity: '0.6', disposition: 'STOCK' }] }, scaleOf).problems).toEqual([expect.objectContaining({ field: 'body.lines.0.quantity', code: 'over_return' })]);
    expect(receiptResult(quality, { lines: [{ lineNo: 1, quantity: '0', disposition: 'STOCK' }] }, scaleOf).problems).toEqual([expect.objectContaining({ field: 'body.lines', code: 'nothing_received' })]);
    expect(unclaimedUnits('1', '0.5')).toBe(500_000);
  });
});
