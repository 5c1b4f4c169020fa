/** The pure billing rules (R-BILL-1, R-BILL-3, R-AR-1, R-AR-2). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditsFor, useCredits } from '../../functions/billing/invoices.js';
import { agingBucket, allocate, bucketLabels, creditOnDay, dueDateFor, invoiceLines, invoiceTotals, milestoneReached, normaliseReference, paymentReference, paymentReversalRefusal } from '../../functions/billing/rules.js';

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

describe('customer credit on a past day (R-AR-1, R-BILL-3)', () => {
  const rc = (customerId: string, receiptNumber: string, remainingMinor: number, receivedOn: string) => ({ customerId, receiptNumber, remainingMinor, receivedOn });

  it('R-AR-1, R-BILL-3: the credit there by the day: unapplied now and received by then, plus what was applied or reversed since, plus payments received by then for invoices issued since', () => {
    const credit = creditOnDay({
      asOf: '2027-04-05',
      unappliedNow: [rc('CU-1', 'RC-2027-000001', 30_000, '2027-04-01'), rc('CU-1', 'RC-2027-000009', 5_000, '2027-04-06')],
      bookedAfter: [
        // CU-2's 1,000.00 paid on the 1st went to an invoice of the 10th.
        { customerId: 'CU-2', kind: 'INVOICE', reference: 'INV-2027-000007', amountMinor: 113_000 },
        { customerId: 'CU-2', kind: 'ALLOCATION', reference: 'INV-2027-000007', amountMinor: 0, allocations: [{ invoiceId: 'INV-2027-000007', amountMinor: 100_000 }] },
        // CU-3's credit note of the 2nd (all of it credit) reversed on the 8th; the note of the 7th was not there on the 5th.
        { customerId: 'CU-3', kind: 'REVERSAL', reference: 'CN-2027-000002', amountMinor: 20_000 },
        { customerId: 'CU-3', kind: 'CREDIT_NOTE', reference: 'CN-2027-000003', amountMinor: -7_000 },
        { customerId: 'CU-3', kind: 'REVERSAL', reference: 'CN-2027-000003', amountMinor: 7_000 },
        // CU-4 paid on the 3rd, booked on the 9th against an invoice of the 8th; another payment received on the 6th does not count.
        { customerId: 'CU-4', kind: 'INVOICE', reference: 'INV-2027-000008', amountMinor: 50_000 },
        { customerId: 'CU-4', kind: 'PAYMENT', reference: 'RC-2027-000011', amountMinor: -50_000, allocations: [{ invoiceId: 'INV-2027-000008', amountMinor: 50_000 }] },
        { customerId: 'CU-4', kind: 'PAYMENT', reference: 'RC-2027-000012', amountMinor: -1_000, allocations: [{ invoiceId: 'INV-2027-000008', amountMinor: 1_000 }] },
      ],
      creditApplied: new Map([['INV-2027-000007', [{ reference: 'RC-2027-000004', amountMinor: 100_000 }]]]),
      receivedOn: new Map([
        ['RC-2027-000011', '2027-04-03'],
        ['RC-2027-000012', '2027-04-06'],
      ]),
    });
    expect(Object.fromEntries(credit)).toEqual({ 'CU-1': 30_000, 'CU-2': 100_000, 'CU-3': 20_000, 'CU-4': 50_000 });
  });

  it('R-AR-1, R-BILL-3: a credit booked after the day counts only if it was received by then (a payment booked late), never a credit note issued after it', () => {
    const input = (receivedOn: string) => ({
      asOf: '2027-04-05',
      unappliedNow: [],
      bookedAfter: [
        { customerId: 'CU-1', kind: 'PAYMENT' as const, reference: 'RC-2027-000020', amountMinor: -40_000 },
        { customerId: 'CU-1', kind: 'CREDIT_NOTE' as const, reference: 'CN-2027-000020', amountMinor: -9_000 },
        { customerId: 'CU-1', kind: 'INVOICE' as const, reference: 'INV-2027-000020', amountMinor: 60_000 },
        { customerId: 'CU-1', kind: 'ALLOCATION' as const, reference: 'INV-2027-000020', amountMinor: 0, allocations: [{ invoiceId: 'INV-2027-000020', amountMinor: 49_000 }] },
      ],
      creditApplied: new Map([
        [
          'INV-2027-000020',
          [
            { reference: 'RC-2027-000020', amountMinor: 40_000 },
            { reference: 'CN-2027-000020', amountMinor: 9_000 },
          ],
        ],
      ]),
      receivedOn: new Map([['RC-2027-000020', receivedOn]]),
    });
    expect(creditOnDay(input('2027-04-04')).get('CU-1')).toBe(40_000);
    expect(creditOnDay(input('2027-04-06')).get('CU-1')).toBeUndefined();
  });

  it('R-AR-1, R-BILL-3, R-BILL-5: a payment reversed since counts with the credit it left, if it was there by then (received by then, also when booked later)', () => {
    const input = (asOf: string) => ({
      asOf,
      unappliedNow: [],
      bookedAfter: [
        // Booked on the 7th, received on the 3rd, all of it credit; reversed on the 8th.
        { customerId: 'CU-5', kind: 'PAYMENT' as const, reference: 'RC-2027-000030', amountMinor: -10_000 },
        { customerId: 'CU-5', kind: 'REVERSAL' as const, reference: 'RC-2027-000030', amountMinor: 10_000 },
        // Booked on the 1st (before every day asked here): 25,000 paid an invoice, 5,000 left as credit; reversed on the 8th.
        { customerId: 'CU-6', kind: 'REVERSAL' as const, reference: 'RC-2027-000031', amountMinor: 30_000, allocations: [{ invoiceId: 'INV-2027-000031', amountMinor: -25_000 }] },
      ],
      creditApplied: new Map(),
      receivedOn: new Map([['RC-2027-000030', '2027-04-03']]),
    });
    expect(Object.fromEntries(creditOnDay(input('2027-04-05')))).toEqual({ 'CU-5': 10_000, 'CU-6': 5_000 });
    expect(Object.fromEntries(creditOnDay(input('2027-04-02')))).toEqual({ 'CU-6': 5_000 });
  });

  it('R-AR-1, R-BILL-3, R-BILL-5: over random histories of invoices, payments (some booked days after they were received) and credit notes (some reversed), the credit on every past day = open invoices on it − (invoiced − paid − credited + reversed by it)', () => {
    const day = (n: number) => `2027-01-${String(n).padStart(2, '0')}`;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('next' as const) }),
      fc.record({ kind: fc.constant('invoice' as const), customer: fc.constantFrom('CU-1', 'CU-2'), grossMinor: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ kind: fc.constant('pay' as const), customer: fc.constantFrom('CU-1', 'CU-2'), amountMinor: fc.integer({ min: 1, max: 80_000 }), lag: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('creditNote' as const), invoice: fc.nat(), amountMinor: fc.integer({ min: 1, max: 30_000 }) }),
      fc.record({ kind: fc.constant('reverse' as const), note: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let today = 1;
        const invoices: { id: string; customerId: string; grossMinor: number; issuedOn: string; outstandingMinor: number; settlements: { kind: string; reference: string; amountMinor: number; on: string }[] }[] = [];
        const credits: { customerId: string; receiptNumber: string; remainingMinor: number; receivedOn: string }[] = [];
        const entries: (Parameters<typeof creditOnDay>[0]['bookedAfter'][number] & { on: string })[] = [];
        const payments: { customerId: string; receiptNumber: string; amountMinor: number; receivedOn: string }[] = [];
        const notes: { customerId: string; id: string; amountMinor: number; creditMinor: number; issuedOn: string; reversedOn?: string }[] = [];
        for (const o of ops) {
          const on = day(today);
          if (o.kind === 'next') today = Math.min(28, today + 1);
          else if (o.kind === 'invoice') {
            const id = `INV-2027-${String(invoices.length + 1).padStart(6, '0')}`;
            const mine = credits.filter((c) => c.customerId === o.customer).sort((a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.receiptNumber.localeCompare(b.receiptNumber));
            const used = useCredits(mine as never, o.grossMinor);
            const usedMinor = used.reduce((s, u) => s + u.amountMinor, 0);
            for (const u of used) (u.credit as unknown as { remainingMinor: number }).remainingMinor -= u.amountMinor;
            invoices.push({ id, customerId: o.customer, grossMinor: o.grossMinor, issuedOn: on, outstandingMinor: o.grossMinor - usedMinor, settlements: used.map((u) => ({ kind: 'CUSTOMER_CREDIT', reference: u.credit.receiptNumber, amountMinor: u.amountMinor, on })) });
            entries.push({ customerId: o.customer, kind: 'INVOICE', reference: id, amountMinor: o.grossMinor, on });
            if (usedMinor > 0) entries.push({ customerId: o.customer, kind: 'ALLOCATION', reference: id, amountMinor: 0, allocations: [{ invoiceId: id, amountMinor: usedMinor }], on });
          } else if (o.kind === 'pay') {
            const receiptNumber = `RC-2027-${String(payments.length + 1).padStart(6, '0')}`;
            const receivedOn = day(Math.max(1, today - o.lag));
            const open = invoices.filter((i) => i.customerId === o.customer && i.outstandingMinor > 0).map((i) => ({ invoiceId: i.id, outstandingMinor: i.outstandingMinor, dueDate: i.issuedOn }));
            const { allocations, leftoverMinor } = allocate(o.amountMinor, open);
            for (const a of allocations) {
              const invoice = invoices.find((i) => i.id === a.invoiceId)!;
              invoice.outstandingMinor -= a.amountMinor;
              invoice.settlements.push({ kind: 'PAYMENT', reference: receiptNumber, amountMinor: a.amountMinor, on: receivedOn });
            }
            if (leftoverMinor > 0) credits.push({ customerId: o.customer, receiptNumber, remainingMinor: leftoverMinor, receivedOn });
            payments.push({ customerId: o.customer, receiptNumber, amountMinor: o.amountMinor, receivedOn });
            entries.push({ customerId: o.customer, kind: 'PAYMENT', reference: receiptNumber, amountMinor: -o.amountMinor, allocations, on });
          } else if (o.kind === 'creditNote' && invoices.length > 0) {
            const invoice = invoices[o.invoice % invoices.length]!;
            const id = `CN-2027-${String(notes.length + 1).padStart(6, '0')}`;
            const settleMinor = Math.min(o.amountMinor, invoice.outstandingMinor);
            invoice.outstandingMinor -= settleMinor;
            if (settleMinor > 0) invoice.settlements.push({ kind: 'CREDIT_NOTE', reference: id, amountMinor: settleMinor, on });
            if (o.amountMinor > settleMinor) credits.push({ customerId: invoice.customerId, receiptNumber: id, remainingMinor: o.amountMinor - settleMinor, receivedOn: on });
            notes.push({ customerId: invoice.customerId, id, amountMinor: o.amountMinor, creditMinor: o.amountMinor - settleMinor, issuedOn: on });
            entries.push({ customerId: invoice.customerId, kind: 'CREDIT_NOTE', reference: id, amountMinor: -o.amountMinor, ...(settleMinor > 0 ? { allocations: [{ invoiceId: invoice.id, amountMinor: settleMinor }] } : {}), on });
          } else if (o.kind === 'reverse' && notes.length > 0) {
            // A note that was all credit, its credit untouched (R-BILL-5: reversed while its effect is unused).
            const note = notes[o.note % notes.length]!;
            const credit = credits.find((c) => c.receiptNumber === note.id);
            if (note.reversedOn || note.creditMinor !== note.amountMinor || credit?.remainingMinor !== note.creditMinor) continue;
            credits.splice(credits.indexOf(credit), 1);
            note.reversedOn = on;
            entries.push({ customerId: note.customerId, kind: 'REVERSAL', reference: note.id, amountMinor: note.amountMinor, on });
          }
        }
        const unappliedNow = credits.filter((c) => c.remainingMinor > 0);
        for (let d = 1; d <= today; d++) {
          const asOf = day(d);
          const bookedAfter = entries.filter((e) => e.on > asOf);
          const applied = new Set(bookedAfter.filter((e) => e.kind === 'ALLOCATION').map((e) => e.reference));
          const credit = creditOnDay({
            asOf,
            unappliedNow,
            bookedAfter,
            creditApplied: new Map(invoices.filter((i) => applied.has(i.id)).map((i) => [i.id, i.settlements.filter((s) => s.kind === 'CUSTOMER_CREDIT')])),
            receivedOn: new Map(payments.map((p) => [p.receiptNumber, p.receivedOn])),
          });
          for (const customerId of ['CU-1', 'CU-2']) {
            const by = <T extends { customerId: string }>(items: T[]) => items.filter((x) => x.customerId === customerId);
            const sum = <T>(items: T[], f: (x: T) => number) => items.reduce((s, x) => s + f(x), 0);
            const issued = by(invoices).filter((i) => i.issuedOn <= asOf);
            const open = sum(issued, (i) => Math.max(0, i.grossMinor - sum(i.settlements.filter((s) => s.on <= asOf), (s) => s.amountMinor)));
            const net =
              sum(issued, (i) => i.grossMinor) -
              sum(by(payments).filter((p) => p.receivedOn <= asOf), (p) => p.amountMinor) -
              sum(by(notes).filter((n) => n.issuedOn <= asOf), (n) => n.amountMinor) +
              sum(by(notes).filter((n) => n.reversedOn !== undefined && n.reversedOn <= asOf), (n) => n.amountMinor);
            expect(credit.get(customerId) ?? 0, `${customerId} on ${asOf}`).toBe(open - net);
          }
        }
      }),
      { numRuns: 300, seed: 20270105 },
    );
  });
});

describe('payment references and reversals (R-BILL-2, R-BILL-5)', () => {
  it('R-BILL-2: a reference is compared trimmed, upper-cased, without white space, full-width forms folded; a transfer is known by its bank reference, cash by its paper receipt number', () => {
    expect(normaliseReference('  icbc 2026 1120-0042 ')).toBe('ICBC20261120-0042');
    expect(normaliseReference('ＩＣＢＣ　２０２６-0042')).toBe('ICBC2026-0042');
    expect(normaliseReference('工行 ICBC\t0042')).toBe('工行ICBC0042');
    expect(paymentReference({ method: 'BANK_TRANSFER', bankReference: 'B-1' })).toEqual({ field: 'bankReference', text: 'B-1' });
    expect(paymentReference({ method: 'CASH', receiptReference: '0042', bankReference: 'B-1' })).toEqual({ field: 'receiptReference', text: '0042' });
    expect(paymentReference({ method: 'CASH' })).toBeUndefined();
  });

  it('R-BILL-5: a payment is reversed once, while its customer credit is all there, and a prepayment not while its order goes on uncovered without it', () => {
    const payment = { receiptNumber: 'RC-2027-000001', unallocatedMinor: 300 };
    expect(paymentReversalRefusal(payment, { creditRemainingMinor: 300 })).toBeUndefined();
    expect(paymentReversalRefusal({ ...payment, unallocatedMinor: 0 }, { creditRemainingMinor: 0 })).toBeUndefined();
    expect(paymentReversalRefusal({ ...payment, reversal: { on: '2027-01-02', by: { name: '吴芳 Wu Fang' } } }, { creditRemainingMinor: 300 })).toBe('RC-2027-000001 was reversed on 2027-01-02 by 吴芳 Wu Fang: a payment is reversed once');
    expect(paymentReversalRefusal(payment, { creditRemainingMinor: 100 })).toMatch(/^RC-2027-000001's customer credit has been used by an invoice since: /);
    const order = { orderId: 'SO-2027-000001', status: 'GOODS_RESERVED', grossMinor: 300, coveredWithoutMinor: 0 };
    expect(paymentReversalRefusal(payment, { creditRemainingMinor: 300, order })).toMatch(/paid ahead for SO-2027-000001, which went on to fulfilment/);
    expect(paymentReversalRefusal(payment, { creditRemainingMinor: 300, order: { ...order, coveredWithoutMinor: 300 } })).toBeUndefined();
    expect(paymentReversalRefusal(payment, { creditRemainingMinor: 300, order: { ...order, status: 'AWAITING_PREPAYMENT' } })).toBeUndefined();
  });
});
