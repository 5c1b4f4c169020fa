/** The pure parts of finance exports (R-AR-3): CSV quoting, the rows of each kind, the periods and the request's checks. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOM, csvField, csvHeader, csvLine, jsonLine, parseCsv } from '../../functions/exports/csv.js';
import { dailyPlan, fileName, MAX_PERIOD_DAYS, monthEndPlan, planOf, requestProblems } from '../../functions/exports/plan.js';
import { daysOf } from '../../functions/exports/sources.js';
import { AGING_COLUMNS, agingLine, creditAgingLine, CUSTOMER_CREDIT_BUCKET, LEDGER_COLUMNS, PAYMENT_COLUMNS } from '../../functions/exports/rows.js';
import { StartExport } from '../../functions/exports/schemas.js';

const yuan = (minor: number) => ({ amountMinor: minor, currency: 'CNY' });
const body = (b: Record<string, unknown>) => StartExport.parse(b);

describe('CSV (RFC 4180) and JSON Lines', () => {
  it('R-AR-3: quotes only what needs it: commas, quotes (doubled), CR and LF; Chinese text as is', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('上海钢铁贸易有限公司')).toBe('上海钢铁贸易有限公司');
    expect(csvField('Acme, Ltd')).toBe('"Acme, Ltd"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(42, 'number')).toBe('42');
  });

  it('R-AR-3: a text field a spreadsheet would run as a formula is written as text; numbers (negative amounts) are not touched', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.50', 'number')).toBe('-12.50');
    expect(csvField('1-30')).toBe('1-30');
  });

  it('R-AR-3: header and lines end in CRLF; a JSON line is one object and LF', () => {
    const columns = [
      { header: 'name', type: 'text' as const, value: (r: { name: string; n: number }) => r.name },
      { header: 'n', type: 'number' as const, value: (r: { name: string; n: number }) => r.n },
    ];
    expect(csvHeader(columns)).toBe('name,n\r\n');
    expect(csvLine(columns, { name: '张三, "Zhang"', n: 3 })).toBe('"张三, ""Zhang""",3\r\n');
    expect(jsonLine({ a: '多\n行' })).toBe('{"a":"多\\n行"}\n');
  });

  it('R-AR-3: any row of any text survives the round trip through CSV (property)', () => {
    const field = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', '中', '文', ' ', '😀') }));
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = BOM + rows.map((r) => r.map((f) => csvField(f, 'number')).join(',') + '\r\n').join('');
        // A row of one empty field is an empty line: the parser gives it back as [''] too.
        expect(parseCsv(text)).toEqual(rows);
      }),
    );
  });
});

describe('rows of each kind', () => {
  it('R-AR-3, R-BILL-5: a ledger entry as CSV: money as exact decimals in major units with the currency, allocations named', () => {
    const entry = {
      customerId: 'CU-000001',
      seq: 7,
      kind: 'PAYMENT' as const,
      amount: yuan(-1_243_001),
      balanceAfter: yuan(5),
      reference: 'RC-2026-000001',
      description: '付款, "bank"',
      allocations: [{ invoiceId: 'INV-2026-000001', amount: yuan(1_243_001) }],
      on: '2026-11-25',
      at: '2026-11-25T02:00:00.000Z',
      by: { userId: 'wu.fang', name: 'Wu Fang' },
    };
    expect(parseCsv(csvHeader(LEDGER_COLUMNS) + csvLine(LEDGER_COLUMNS, entry))).toEqual([
      ['entry_date', 'recorded_at_utc', 'customer_id', 'entry_no', 'kind', 'amount', 'balance_after', 'currency', 'reference', 'description', 'allocations', 'recorded_by'],
      ['2026-11-25', '2026-11-25T02:00:00.000Z', 'CU-000001', '7', 'PAYMENT', '-12430.01', '0.05', 'CNY', 'RC-2026-000001', '付款, "bank"', 'INV-2026-000001:12430.01', 'Wu Fang'],
    ]);
  });

  it('R-AR-3: a payment row shows what it allocated and what is left as customer credit', () => {
    const payment = {
      receiptNumber: 'RC-2026-000002',
      customerId: 'CU-000001',
      customerName: 'Acme',
      method: 'CASH' as const,
      amount: yuan(100_000),
      receivedOn: '2026-11-25',
      allocations: [{ invoiceId: 'INV-2026-000001', amount: yuan(60_000) }, { invoiceId: 'INV-2026-000002', amount: yuan(30_000) }],
      unallocated: yuan(10_000),
      recordedAt: '2026-11-25T02:00:00.000Z',
      recordedBy: { userId: 'wu.fang', name: 'Wu Fang' },
    };
    const [header, row] = parseCsv(csvHeader(PAYMENT_COLUMNS) + csvLine(PAYMENT_COLUMNS, payment));
    const get = (h: string) => row![header!.indexOf(h)];
    expect([get('amount'), get('allocated'), get('unallocated'), get('allocations'), get('bank_reference')]).toEqual(['1000.00', '900.00', '100.00', 'INV-2026-000001:600.00;INV-2026-000002:300.00', '']);
    // R-BILL-2, R-BILL-5: the paper receipt's number and a reversal come last, after the columns readers by position know.
    expect(header!.slice(-3)).toEqual(['receipt_reference', 'reversed_on', 'reversal_reason']);
    expect([get('receipt_reference'), get('reversed_on'), get('reversal_reason')]).toEqual(['', '', '']);
    const reversed = { ...payment, receiptReference: '收据 0042', reversal: { on: '2026-11-27', at: '2026-11-27T02:00:00.000Z', by: { userId: 'wu.fang', name: 'Wu Fang' }, reason: 'keyed twice' } };
    const [, again] = parseCsv(csvHeader(PAYMENT_COLUMNS) + csvLine(PAYMENT_COLUMNS, reversed));
    expect(again!.slice(-3)).toEqual(['收据 0042', '2026-11-27', 'keyed twice']);
  });

  it('R-AR-3, R-AR-1: an aging line carries its days past due and bucket as of the day', () => {
    const open = { invoiceId: 'INV-2026-000001', customerId: 'CU-000001', customerName: 'Acme', ownerRepId: 'wang.qiang', region: 'East', dueDate: '2026-12-25', outstandingMinor: 743_000, currency: 'CNY' };
    expect(agingLine(open, '2027-01-24', [30, 60, 90])).toMatchObject({ daysPastDue: 30, bucket: '1-30', outstanding: yuan(743_000) });
    expect(agingLine(open, '2026-12-01', [30, 60, 90])).toMatchObject({ daysPastDue: -24, bucket: 'not due' });
    expect(csvLine(AGING_COLUMNS, agingLine(open, '2027-03-30', [30, 60, 90]))).toBe('2027-03-30,INV-2026-000001,CU-000001,Acme,wang.qiang,East,2026-12-25,95,over 90,7430.00,CNY\r\n');
  });

  it('R-AR-3, R-AR-1, R-BILL-3: a customer\'s credit is a line of its own in no age bucket, negative, so a customer\'s lines add up to its net receivable', () => {
    const credit = { customerId: 'CU-000001', customerName: 'Acme', ownerRepId: 'wang.qiang', region: 'East', creditMinor: 100_000, currency: 'CNY' };
    expect(creditAgingLine(credit, '2027-03-30')).toEqual({
      asOf: '2027-03-30',
      kind: 'CUSTOMER_CREDIT',
      invoiceId: null,
      customerId: 'CU-000001',
      customerName: 'Acme',
      ownerRepId: 'wang.qiang',
      region: 'East',
      dueDate: null,
      daysPastDue: null,
      bucket: CUSTOMER_CREDIT_BUCKET,
      outstanding: yuan(-100_000),
    });
    expect(csvLine(AGING_COLUMNS, creditAgingLine(credit, '2027-03-30'))).toBe('2027-03-30,,CU-000001,Acme,wang.qiang,East,,,customer credit,-1000.00,CNY\r\n');
  });
});

describe('periods and the request (R-AR-3)', () => {
  it('R-AR-3: the daily schedule exports the previous day, the month-end one the previous month, each under one id', () => {
    expect(dailyPlan('2026-12-01')).toEqual({
      exportId: 'EX-DAILY-2026-11-30',
      plan: { kinds: ['ledger', 'invoices', 'payments', 'aging'], formats: ['csv', 'jsonl'], period: { from: '2026-11-30', to: '2026-11-30' }, asOf: '2026-11-30' },
    });
    expect(monthEndPlan('2026-12-01')).toMatchObject({ exportId: 'EX-MONTH-2026-11', plan: { period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-11-30' } });
    expect(monthEndPlan('2027-03-01')).toMatchObject({ exportId: 'EX-MONTH-2027-02', plan: { period: { from: '2027-02-01', to: '2027-02-28' } } });
    expect(monthEndPlan('2027-01-01')).toMatchObject({ exportId: 'EX-MONTH-2026-12', plan: { period: { from: '2026-12-01', to: '2026-12-31' } } });
  });

  it('the business days of a period, one query each (across month ends and a leap day)', () => {
    expect([...daysOf({ from: '2026-11-25', to: '2026-11-25' })]).toEqual(['2026-11-25']);
    expect([...daysOf({ from: '2028-02-28', to: '2028-03-01' })]).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect([...daysOf({ from: '2026-12-31', to: '2027-01-01' })]).toEqual(['2026-12-31', '2027-01-01']);
  });

  it('R-AR-3: a request names every problem at once: missing period, to before from, too long, in the future', () => {
    const today = '2026-11-25';
    expect(requestProblems(body({}), today).map((p) => [p.field, p.code])).toEqual([
      ['body.from', 'required'],
      ['body.to', 'required'],
    ]);
    expect(requestProblems(body({ from: '2026-11-20', to: '2026-11-10' }), today).map((p) => [p.field, p.code])).toEqual([['body.to', 'before_from']]);
    expect(requestProblems(body({ from: '2025-01-01', to: '2026-11-01' }), today).map((p) => p.code)).toEqual(['period_too_long']);
    expect(requestProblems(body({ from: '2025-11-25', to: '2026-11-24' }), today)).toEqual([]);
    expect(MAX_PERIOD_DAYS).toBe(366);
    expect(requestProblems(body({ from: '2026-11-20', to: '2026-11-26', asOf: '2026-12-01' }), today).map((p) => [p.field, p.code])).toEqual([
      ['body.to', 'in_future'],
      ['body.asOf', 'in_future'],
    ]);
    // The aging snapshot alone needs no period.
    expect(requestProblems(body({ kind: 'aging' }), today)).toEqual([]);
  });

  it('R-AR-3: all kinds and both formats by default; the aging snapshot as of the last day unless asOf says otherwise', () => {
    expect(planOf(body({ from: '2026-11-01', to: '2026-11-20' }), '2026-11-25')).toEqual({
      kinds: ['ledger', 'invoices', 'payments', 'aging'],
      formats: ['csv', 'jsonl'],
      period: { from: '2026-11-01', to: '2026-11-20' },
      asOf: '2026-11-20',
    });
    expect(planOf(body({ kind: 'aging', format: 'csv' }), '2026-11-25')).toEqual({ kinds: ['aging'], formats: ['csv'], period: null, asOf: '2026-11-25' });
    expect(planOf(body({ kind: 'ledger', from: '2026-11-01', to: '2026-11-20', format: 'jsonl' }), '2026-11-25')).toEqual({ kinds: ['ledger'], formats: ['jsonl'], period: { from: '2026-11-01', to: '2026-11-20' }, asOf: null });
  });

  it('file names say what is in them', () => {
    const plan = { period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-11-30' };
    expect(fileName('ledger', 'csv', plan)).toBe('ledger_2026-11-01_2026-11-30.csv');
    expect(fileName('aging', 'jsonl', plan)).toBe('aging_2026-11-30.jsonl');
    expect(fileName('payments', 'csv', { period: { from: '2026-11-24', to: '2026-11-24' }, asOf: null })).toBe('payments_2026-11-24.csv');
  });
});
