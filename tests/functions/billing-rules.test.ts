/** The pure billing rules (R-BILL-1, R-BILL-3, R-AR-1, R-AR-2). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditsFor, useCredits } from '../../functions/billing/invoices.js';
import { agingBucket, allocate, bucketLabels, dueDateFor, invoiceLines, invoiceTotals, milestoneReached } from '../../functions/billing/rules.js';

const yuan = (major: number) => ({ amountMinor: Math.round(major * 100), currency: 'CNY' });

describe('invoices (R-BILL-1)', () => {
  it('R-BILL-1: shipped quantities at the approved price, VAT per line rounded half-up; the due date adds the payment terms', () => {
    const order = {
      orderId: 'SO-2026-000001',
      lines: [
        { lineNo: 1, productCode: 'P', productName: 'Plate', unit: 't', quantity: '5', unitPrice: yuan(3999.99), taxRateBasisPoints: 1300 },
        { lineNo: 2, productCode: 'V', productName: 'Valve', unit: 'pcs', quantity: '4', unitPrice: yuan(250), taxRateBasisPoints: 900 },
      ],
    } as never;
    const lines = invoiceLines([{ lineNo: 1, quantity: '2.345' }, { lineNo: 2, quantity: '0' }], order);
    // 2.345 × 3,999.99 = 9,379.976… → 9,379.98; 13% = 1,219.3974 → 1,219.40. A line shipped as 0 is not invoiced.
    expect(lines).toEqual([expect.objectContaining({ lineNo: 1, quantity: '2.345', net: yuan(9379.98), tax: yuan(1219.4), gross: yuan(10599.38) })]);
    expect(invoiceTotals(lines, 'CNY')).toEqual({ net: yuan(9379.98), tax: yuan(1219.4), gross: yuan(10599.38) });
    expect(dueDateFor('2026-11-25', 30)).toBe('2026-12-25');
    expect(dueDateFor('2026-12-31', 60)).toBe('2027-03-01');
  });
});

describe('allocation (R-BILL-3)', () => {
  const open = [
    { invoiceId: 'INV-2026-000003', outstandingMinor: 300, dueDate: '2026-12-10' },
    { invoiceId: 'INV-2026-000001', outstandingMinor: 100, dueDate: '2026-12-01' },
    { invoiceId: 'INV-2026-000002', outstandingMinor: 200, dueDate: '2026-12-01' },
  ];

  it('R-BILL-3: oldest due first (then by number); the rest is left over as customer credit', () => {
    expect(allocate(250, open)).toEqual({ allocations: [{ invoiceId: 'INV-2026-000001', amountMinor: 100 }, { invoiceId: 'INV-2026-000002', amountMinor: 150 }], leftoverMinor: 0 });
    expect(allocate(700, open).leftoverMinor).toBe(100);
  });

  it('R-BILL-3: a payment naming invoices pays those, in that order, and nothing else', () => {
    expect(allocate(350, open, ['INV-2026-000003'])).toEqual({ allocations: [{ invoiceId: 'INV-2026-000003', amountMinor: 300 }], leftoverMinor: 50 });
  });

  it('R-BILL-3: for any payment and open invoices, allocated + left over = paid, no invoice over-paid, none paid twice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.uniqueArray(fc.record({ invoiceId: fc.stringMatching(/^INV-2026-\d{6}$/), outstandingMinor: fc.integer({ min: 1, max: 5_000_000 }), dueDate: fc.constantFrom('2026-11-01', '2026-12-01', '2027-01-01') }), {
          selector: (i) => i.invoiceId,
          maxLength: 30,
        }),
        fc.boolean(),
        (amount, invoices, naming) => {
          const named = naming ? invoices.filter((_, i) => i % 2 === 0).map((i) => i.invoiceId) : undefined;
          const { allocations, leftoverMinor } = allocate(amount, invoices, named);
          expect(allocations.reduce((s, a) => s + a.amountMinor, 0) + leftoverMinor).toBe(amount);
          expect(new Set(allocations.map((a) => a.invoiceId)).size).toBe(allocations.length);
          for (const a of allocations) {
            const invoice = invoices.find((i) => i.invoiceId === a.invoiceId)!;
            expect(a.amountMinor).toBeGreaterThan(0);
            expect(a.amountMinor).toBeLessThanOrEqual(invoice.outstandingMinor);
            if (named) expect(named).toContain(a.invoiceId);
          }
          // Money is left over only when every eligible invoice is paid in full.
          const eligible = named ? invoices.filter((i) => named.includes(i.invoiceId)) : invoices;
          if (leftoverMinor > 0) expect(allocations.reduce((s, a) => s + a.amountMinor, 0)).toBe(eligible.reduce((s, i) => s + i.outstandingMinor, 0));
        },
      ),
    );
  });

  it('R-BILL-3: an invoice uses credit paid ahead for its own order first, then general credit; never credit paid ahead for another order', () => {
    const credit = (receiptNumber: string, remainingMinor: number, receivedOn: string, orderId?: string) => ({ customerId: 'CU-000001', receiptNumber, remainingMinor, currency: 'CNY', receivedOn, ...(orderId ? { orderId } : {}) });
    const credits = [credit('RC-1', 100, '2026-11-01'), credit('RC-2', 500, '2026-11-02', 'SO-B'), credit('RC-3', 300, '2026-11-03', 'SO-A')];
    expect(creditsFor(credits, 'SO-A').map((c) => c.receiptNumber)).toEqual(['RC-3', 'RC-1']);
    expect(useCredits(creditsFor(credits, 'SO-A'), 350).map((u) => `${u.credit.receiptNumber} ${u.amountMinor}`)).toEqual(['RC-3 300', 'RC-1 50']);
    expect(useCredits(creditsFor(credits, 'SO-C'), 1000).map((u) => u.credit.receiptNumber)).toEqual(['RC-1']);
  });
});

describe('aging and alerts (R-AR-1, R-AR-2)', () => {
  it('R-AR-1: days past due fall in the buckets of the setting', () => {
    const bounds = [30, 60, 90];
    expect(bucketLabels(bounds)).toEqual(['not due', '1-30', '31-60', '61-90', 'over 90']);
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map((d) => agingBucket(d, bounds))).toEqual(['not due', 'not due', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', 'over 90', 'over 90']);
    expect(bucketLabels([15, 45])).toEqual(['not due', '1-15', '16-45', 'over 45']);
  });

  it('R-AR-2: the latest milestone reached: due in 3 days, due today, 7/30/60/90 overdue; none before the first', () => {
    const m = [-3, 0, 7, 30, 60, 90];
    const due = '2026-12-25';
    expect(milestoneReached(due, '2026-12-21', m)).toBeUndefined();
    expect(milestoneReached(due, '2026-12-22', m)).toBe(-3);
    expect(milestoneReached(due, '2026-12-24', m)).toBe(-3);
    expect(milestoneReached(due, '2026-12-25', m)).toBe(0);
    expect(milestoneReached(due, '2027-01-01', m)).toBe(7);
    // A job that missed the day still sends it the next day; the older ones are not sent late.
    expect(milestoneReached(due, '2027-01-25', m)).toBe(30);
    expect(milestoneReached(due, '2027-06-01', m)).toBe(90);
  });
});
