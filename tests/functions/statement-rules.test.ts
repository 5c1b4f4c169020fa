/** Statement rules (R-BILL-6, R-BILL-5, R-AR-1): the pure parts, with examples and over random ledgers (fast-check). */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { woffToSfnt } from '../../functions/statements/font.js';
import { type BookedEntry, answerProblems, buildStatement, grouped, monthBounds, outstandingAtMonthEnd, previousMonth, splitAroundMonth, statementProblems } from '../../functions/statements/rules.js';

const BOUNDS = [30, 60, 90];
const entry = (seq: number, kind: BookedEntry['kind'], amountMinor: number, balanceAfterMinor: number, on: string, reference: string, allocations?: BookedEntry['allocations']): BookedEntry => ({
  seq,
  kind,
  amountMinor,
  balanceAfterMinor,
  currency: 'CNY',
  reference,
  description: `${kind} ${reference}`,
  on,
  ...(allocations ? { allocations } : {}),
});

describe('months', () => {
  it('R-BILL-6: the month before, and a month’s first and last day (leap years too)', () => {
    expect(previousMonth('2027-01-01')).toBe('2026-12');
    expect(previousMonth('2026-12-31')).toBe('2026-11');
    expect(monthBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthBounds('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});

describe('the open items at a month end', () => {
  it('R-BILL-6: today’s open items with every later allocation given back; invoices booked later left out; a re-opening reversal (negative allocation) taken back', () => {
    const openNow = new Map([
      ['INV-2', 1_000],
      ['INV-3', 565],
      ['INV-4', 300],
    ]);
    const after = [
      entry(9, 'PAYMENT', -10_000, 0, '2026-12-05', 'RC-1', [
        { invoiceId: 'INV-1', amountMinor: 7_430 },
        { invoiceId: 'INV-2', amountMinor: 2_570 },
      ]),
      entry(10, 'INVOICE', 565, 565, '2026-12-20', 'INV-3'),
      entry(11, 'REVERSAL', 300, 865, '2026-12-21', 'CN-1', [{ invoiceId: 'INV-4', amountMinor: -300 }]),
    ];
    expect(outstandingAtMonthEnd(openNow, after)).toEqual(
      new Map([
        ['INV-2', 3_570],
        ['INV-1', 7_430],
      ]),
    );
  });

  it('R-BILL-6: the entries split around the month: the last before it (opening), the month’s oldest first, the later ones', () => {
    const newestFirst = [entry(5, 'PAYMENT', -1, 0, '2026-12-02', 'RC-2'), entry(4, 'INVOICE', 1, 1, '2026-11-30', 'INV-2'), entry(3, 'PAYMENT', -1, 0, '2026-11-01', 'RC-1'), entry(2, 'INVOICE', 1, 1, '2026-10-31', 'INV-1')];
    const { before, during, after } = splitAroundMonth(newestFirst, '2026-11');
    expect(before?.seq).toBe(2);
    expect(during.map((e) => e.seq)).toEqual([3, 4]);
    expect(after.map((e) => e.seq)).toEqual([5]);
  });
});

/** A random customer ledger over three months: invoices and payments allocated oldest due first, the rest customer credit, credit used by the next invoices. */
function replay(steps: { day: number; invoiceMinor: number; paymentMinor: number }[]) {
  const entries: BookedEntry[] = [];
  const invoices: { invoiceId: string; issuedOn: string; dueDate: string; outstanding: number }[] = [];
  let balance = 0;
  let credit = 0;
  const put = (kind: BookedEntry['kind'], amount: number, on: string, reference: string, allocations?: BookedEntry['allocations']) => {
    balance += amount;
    entries.push(entry(entries.length + 1, kind, amount, balance, on, reference, allocations));
  };
  steps.forEach((s, i) => {
    const on = new Date(Date.UTC(2026, 9, 1 + s.day)).toISOString().slice(0, 10); // from 2026-10-01, about three months
    if (s.invoiceMinor > 0) {
      const inv = { invoiceId: `INV-${i}`, issuedOn: on, dueDate: new Date(Date.UTC(2026, 9, 31 + s.day)).toISOString().slice(0, 10), outstanding: s.invoiceMinor };
      invoices.push(inv);
      put('INVOICE', s.invoiceMinor, on, inv.invoiceId);
      const used = Math.min(credit, inv.outstanding);
      if (used > 0) {
        inv.outstanding -= used;
        credit -= used;
        put('ALLOCATION', 0, on, inv.invoiceId, [{ invoiceId: inv.invoiceId, amountMinor: used }]);
      }
    }
    if (s.paymentMinor > 0) {
      let left = s.paymentMinor;
      const allocations: { invoiceId: string; amountMinor: number }[] = [];
      for (const inv of [...invoices].sort((a, b) => a.dueDate.localeCompare(b.dueDate))) {
        const take = Math.min(left, inv.outstanding);
        if (take <= 0) continue;
        inv.outstanding -= take;
        left -= take;
        allocations.push({ invoiceId: inv.invoiceId, amountMinor: take });
      }
      credit += left;
      put('PAYMENT', -s.paymentMinor, on, `RC-${i}`, allocations);
    }
  });
  return { entries, invoices, credit };
}

describe('statements over random ledgers', () => {
  it('R-BILL-6, R-BILL-5: for every month, opening + lines = closing = Σ open items at the month end − customer credit, and the open items are what the ledger left open on that day', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 90 }), invoiceMinor: fc.integer({ min: 0, max: 500_000 }), paymentMinor: fc.integer({ min: 0, max: 400_000 }) }), { minLength: 1, maxLength: 25 }).map((steps) =>
          [...steps].sort((a, b) => a.day - b.day),
        ),
        fc.constantFrom('2026-10', '2026-11', '2026-12'),
        (steps, month) => {
          const all = replay(steps);
          const { to } = monthBounds(month);
          const openNow = new Map(all.invoices.filter((i) => i.outstanding > 0).map((i) => [i.invoiceId, i.outstanding]));
          const newestFirst = [...all.entries].reverse();
          const { after } = splitAroundMonth(newestFirst, month);
          const atEnd = outstandingAtMonthEnd(openNow, after);
          // What the ledger itself says was open on the month's last day.
          const upTo = replay(steps.filter((s) => new Date(Date.UTC(2026, 9, 1 + s.day)).toISOString().slice(0, 10) <= to));
          expect(atEnd).toEqual(new Map(upTo.invoices.filter((i) => i.outstanding > 0).map((i) => [i.invoiceId, i.outstanding])));
          const statement = buildStatement({
            customer: { customerId: 'CU-000001', name: 'Random Co', ownerRepId: 'wang.qiang' },
            month,
            currency: 'CNY',
            entries: newestFirst,
            openItems: [...atEnd].map(([invoiceId, outstandingMinor]) => ({ ...all.invoices.find((i) => i.invoiceId === invoiceId)!, outstandingMinor })),
            bounds: BOUNDS,
            at: '2027-01-01T00:00:00.000Z',
          });
          expect(statementProblems(statement)).toEqual([]);
          expect(statement.customerCredit.amountMinor).toBe(upTo.credit);
          expect(statement.aging.reduce((s, b) => s + b.amount.amountMinor, 0)).toBe(statement.openTotal.amountMinor);
        },
      ),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it('R-BILL-6: a month without entries before it opens at 0; the first entry’s balance less its amount otherwise', () => {
    const s = buildStatement({
      customer: { customerId: 'CU-000001', name: 'X', ownerRepId: 'r' },
      month: '2026-11',
      currency: 'CNY',
      entries: [entry(1, 'INVOICE', 1_000, 1_000, '2026-11-03', 'INV-1')],
      openItems: [{ invoiceId: 'INV-1', issuedOn: '2026-11-03', dueDate: '2026-10-01', outstandingMinor: 1_000 }],
      bounds: BOUNDS,
      at: '2026-12-01T00:00:00.000Z',
    });
    expect(s).toMatchObject({ statementId: 'ST-CU-000001-2026-11', opening: { amountMinor: 0 }, closing: { amountMinor: 1_000 }, status: 'GENERATED' });
    // R-AR-1: 60 days past due on the 30th of November → 31-60.
    expect(s.openItems[0]).toMatchObject({ daysPastDue: 60, bucket: '31-60' });
    expect(statementProblems(s)).toEqual([]);
    expect(statementProblems({ ...s, closing: { amountMinor: 999, currency: 'CNY' } })).not.toEqual([]);
  });
});

describe('the customer’s answer', () => {
  const statement = {
    statementId: 'ST-CU-000001-2026-11',
    lines: [{ reference: 'INV-1' }, { reference: 'RC-1' }],
    openItems: [{ invoiceId: 'INV-0' }],
    sending: { on: '2026-12-03' },
  } as unknown as Parameters<typeof answerProblems>[1];
  const contacts = [{ name: '张伟 Zhang Wei' }];

  it('R-BILL-6: a contact of the customer (spacing and case aside), on a day between sending and today, disputing references in the statement', () => {
    expect(answerProblems({ outcome: 'DISPUTED', confirmedBy: ' 张伟 ZHANG WEI ', on: '2026-12-04', note: 'x', disputedItems: ['INV-0', 'RC-1'] }, statement, contacts, '2026-12-05')).toEqual([]);
    const problems = answerProblems({ outcome: 'DISPUTED', confirmedBy: 'Li Si', on: '2026-12-02', note: 'x', disputedItems: ['INV-9', 'INV-1', 'INV-1'] }, statement, contacts, '2026-12-05');
    expect(problems.map((p) => `${p.field} ${p.code}`)).toEqual(['body.confirmedBy unknown_contact', 'body.on before_sent', 'body.disputedItems.0 not_in_statement', 'body.disputedItems duplicate']);
    expect(answerProblems({ outcome: 'CONFIRMED', confirmedBy: '张伟 Zhang Wei', on: '2026-12-06' }, statement, contacts, '2026-12-05').map((p) => p.code)).toEqual(['future']);
  });
});

describe('printing helpers', () => {
  it('groups thousands and keeps the sign and the fraction', () => {
    expect(grouped('1234567.80')).toBe('1,234,567.80');
    expect(grouped('-1000.00')).toBe('-1,000.00');
    expect(grouped('999.99')).toBe('999.99');
    expect(grouped('0')).toBe('0');
  });

  it('unpacks a WOFF into the TrueType font it wraps: tables inflated, sorted, 4-byte aligned, checksums kept', () => {
    const tables = [
      { tag: 'glyf', data: Buffer.alloc(100, 7), checksum: 0x11111111 },
      { tag: 'cmap', data: Buffer.from('abcde'), checksum: 0x22222222 },
    ];
    const stored = tables.map((t) => {
      const packed = deflateSync(t.data);
      return { ...t, stored: packed.length < t.data.length ? packed : t.data };
    });
    const header = Buffer.alloc(44 + 20 * tables.length);
    header.writeUInt32BE(0x774f4646, 0);
    header.writeUInt32BE(0x00010000, 4);
    header.writeUInt16BE(tables.length, 12);
    let offset = header.length;
    stored.forEach((t, i) => {
      const at = 44 + i * 20;
      header.write(t.tag, at, 'latin1');
      header.writeUInt32BE(offset, at + 4);
      header.writeUInt32BE(t.stored.length, at + 8);
      header.writeUInt32BE(t.data.length, at + 12);
      header.writeUInt32BE(t.checksum, at + 16);
      offset += t.stored.length;
    });
    const sfnt = woffToSfnt(Buffer.concat([header, ...stored.map((t) => t.stored)]));
    expect(sfnt.readUInt32BE(0)).toBe(0x00010000);
    expect(sfnt.readUInt16BE(4)).toBe(2);
    const dir = [0, 1].map((i) => ({ tag: sfnt.toString('latin1', 12 + i * 16, 16 + i * 16), checksum: sfnt.readUInt32BE(16 + i * 16), offset: sfnt.readUInt32BE(20 + i * 16), length: sfnt.readUInt32BE(24 + i * 16) }));
    expect(dir.map((d) => d.tag)).toEqual(['cmap', 'glyf']);
    expect(dir.map((d) => d.offset % 4)).toEqual([0, 0]);
    expect(dir[0]).toMatchObject({ checksum: 0x22222222, length: 5 });
    expect(sfnt.subarray(dir[1]!.offset, dir[1]!.offset + 100)).toEqual(Buffer.alloc(100, 7));
    expect(sfnt.toString('latin1', dir[0]!.offset, dir[0]!.offset + 5)).toBe('abcde');
    expect(() => woffToSfnt(Buffer.from('not a font at all, not at all........................'))).toThrow(/not a WOFF/);
  });
});
