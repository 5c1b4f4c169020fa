/**
 * Finance exports (R-AR-3) on the local stack: a real scenario (a delivered order invoiced by its
 * workflow, a payment through the API) exported on demand through POST /exports and its workflow,
 * and by both schedules; the files read back through the download URLs the API gives out: BOM,
 * header and rows in CSV, JSON Lines that parse, and a manifest whose counts and checksums are
 * those of the files. Wrong roles and bad input are refused and write nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { now, setClock } from '../../functions/shared/clock.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, seedCatalogueAndPrices, yuan, expectStatus, deliveredOrder as deliveredOrderOf } from '../support/order-fixtures.js';
import { parseCsv } from '../../functions/exports/csv.js';

const REP = 'wang.qiang';
const FINANCE = 'wu.fang';
const FINANCE_MANAGER = 'zheng.hao';
const WAREHOUSE = 'feng.lei';
const AUDITOR = 'gao.shan';
const BOM = [0xef, 0xbb, 0xbf];

let stack: LocalStack;
const as = (userId: string) => apiAs(stack, userId);
/** 10:00 in Shanghai on a business day. */
const at = (day: string) => setClock(new Date(`${day}T02:00:00Z`));

beforeAll(async () => {
  stack = await startTestStack();
  // The scenario is dated 2026-11-25: what it stands on is there before that day, whatever the real date.
  at('2026-11-20');
  await seedCatalogueAndPrices(stack);
  setClock(undefined);
});
afterAll(async () => {
  setClock(undefined);
  await stack?.stop();
});
afterEach(async () => {
  setClock(undefined);
  await expectInvariantsHold(stack);
});

const ok = (res: Promise<{ status: number; body: any }>, status?: number) => expectStatus(stack, res, status);

const deliveredOrder = (customerId: string) => deliveredOrderOf(stack, REP, customerId);

/** Every file of an export (and its manifest) downloaded through the URLs GET /exports/{id} gives out, with no token. */
async function download(view: any): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const f of [...view.files, view.manifest]) {
    const res = await fetch(f.url);
    expect(res.status, f.name).toBe(200);
    files.set(f.name, Buffer.from(await res.arrayBuffer()));
  }
  return files;
}

/** Waits for the export's workflow, then reads it. */
async function finished(exportId: string, userId = FINANCE) {
  await stack.stepFunctions.idle();
  return ok(as(userId).get(`/exports/${exportId}`));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const csvRows = (b: Buffer) => parseCsv(b.toString('utf8'));
const jsonRows = (b: Buffer) =>
  b
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
const exportFiles = (stack: LocalStack) => (existsSync(path.join(stack.dataDir, 'exports')) ? readdirSync(path.join(stack.dataDir, 'exports')) : []);

describe('finance exports', () => {
  let customerId: string;
  let invoiceId: string;
  let receiptNumber: string;
  let aheadId: string;

  beforeAll(async () => {
    at('2026-11-25');
    // A name with a comma, quotes and Chinese: CSV must quote it and keep it readable.
    customerId = await approvedCustomer(stack, REP, '上海钢铁贸易有限公司, "Shanghai Steel"');
    await deliveredOrder(customerId);
    invoiceId = (await as(FINANCE).get(`/invoices?customerId=${customerId}`)).body.items[0].invoiceId;
    const payment = await ok(
      as(FINANCE).post('/payments', {
        customerId,
        method: 'BANK_TRANSFER',
        bankReference: 'ICBC-20261125-0001',
        amount: yuan(5_000),
        receivedOn: '2026-11-25',
        remarks: '首付款,\n"第一笔"\n=SUM(A1)',
      }),
      201,
    );
    receiptNumber = payment.receiptNumber;
    // Paid ahead, nothing invoiced: customer credit only (R-BILL-3).
    aheadId = await approvedCustomer(stack, REP, 'Paid Ahead Trading Co');
    await ok(as(FINANCE).post('/payments', { customerId: aheadId, method: 'BANK_TRANSFER', bankReference: 'ICBC-20261125-0002', amount: yuan(800), receivedOn: '2026-11-25' }), 201);
    setClock(undefined);
  }, 120_000);

  it('R-AR-3: finance exports the ledger, invoices, payments and aging as CSV (BOM, header, RFC 4180) and JSON Lines, with a manifest whose counts and checksums are the files’', async () => {
    at('2026-11-25');
    const started = await as(FINANCE).post('/exports', { from: '2026-11-25', to: '2026-11-25' });
    // The API does not wait for the files: the export runs in its workflow.
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ status: 'RUNNING', trigger: 'ON_DEMAND', kinds: ['ledger', 'invoices', 'payments', 'aging'], formats: ['csv', 'jsonl'], period: { from: '2026-11-25', to: '2026-11-25' }, asOf: '2026-11-25', createdBy: { userId: FINANCE } });
    expect(started.headers.get('location')).toBe(`/exports/${started.body.exportId}`);

    const view = await finished(started.body.exportId);
    expect(view.status).toBe('SUCCEEDED');
    expect(view.files.map((f: { name: string }) => f.name)).toEqual([
      'ledger_2026-11-25.csv',
      'ledger_2026-11-25.jsonl',
      'invoices_2026-11-25.csv',
      'invoices_2026-11-25.jsonl',
      'payments_2026-11-25.csv',
      'payments_2026-11-25.jsonl',
      'aging_2026-11-25.csv',
      'aging_2026-11-25.jsonl',
    ]);
    expect(view.manifest.url).toContain(`/_local/exports/${view.exportId}/manifest.json?`);
    expect(Date.parse(view.urlsExpireAt) - now().getTime()).toBeGreaterThan(10 * 60_000);

    const files = await download(view);
    // The manifest file is the record's manifest: every file with its rows, bytes and SHA-256.
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ exportId: view.exportId, trigger: 'ON_DEMAND', period: view.period, asOf: '2026-11-25', createdBy: view.createdBy });
    expect(manifest.files).toEqual(view.files.map(({ url: _url, ...f }: { url: string }) => f));
    for (const f of manifest.files) {
      const content = files.get(f.name)!;
      expect(content.length, f.name).toBe(f.bytes);
      expect(sha256(content), f.name).toBe(f.sha256);
      if (f.format === 'csv') {
        expect([...content.subarray(0, 3)], `${f.name} starts with the UTF-8 BOM`).toEqual(BOM);
        expect(csvRows(content).length - 1, `${f.name}: rows after the header`).toBe(f.rows);
        expect(content.toString('utf8')).toMatch(/\r\n$/);
      } else {
        expect(jsonRows(content), f.name).toHaveLength(f.rows);
      }
    }

    // The ledger: every entry of the day, as the API shows it (INVOICE, PAYMENT).
    const ledger = (await as(FINANCE).get(`/customers/${customerId}/ledger?limit=50`)).body.entries as any[];
    const [ledgerHeader, ...ledgerRows] = csvRows(files.get('ledger_2026-11-25.csv')!);
    expect(ledgerHeader).toEqual(['entry_date', 'recorded_at_utc', 'customer_id', 'entry_no', 'kind', 'amount', 'balance_after', 'currency', 'reference', 'description', 'allocations', 'recorded_by']);
    const mine = ledgerRows.filter((r) => r[2] === customerId);
    expect(mine.map((r) => [r[3], r[4], r[5], r[7], r[8]])).toEqual([
      ['1', 'INVOICE', '12430.00', 'CNY', invoiceId],
      ['2', 'PAYMENT', '-5000.00', 'CNY', receiptNumber],
    ]);
    const ledgerJson = jsonRows(files.get('ledger_2026-11-25.jsonl')!).filter((e) => e.customerId === customerId);
    expect(ledgerJson).toEqual([...ledger].reverse());

    // Invoices: the name quoted and readable, money as decimals with the currency, what is still open.
    const [invoiceHeader, ...invoiceRows] = csvRows(files.get('invoices_2026-11-25.csv')!);
    const invoiceRow = Object.fromEntries(invoiceHeader!.map((h, i) => [h, invoiceRows.find((r) => r[0] === invoiceId)![i]]));
    expect(invoiceRow).toMatchObject({ customer_id: customerId, customer_name: '上海钢铁贸易有限公司, "Shanghai Steel"', issued_on: '2026-11-25', due_date: '2026-12-25', net: '11000.00', tax: '1430.00', gross: '12430.00', outstanding: '7430.00', currency: 'CNY', status: 'OPEN', lines: '2' });
    expect(files.get('invoices_2026-11-25.csv')!.toString('utf8')).toContain('"上海钢铁贸易有限公司, ""Shanghai Steel"""');
    const invoiceJson = jsonRows(files.get('invoices_2026-11-25.jsonl')!).find((i) => i.invoiceId === invoiceId);
    expect(invoiceJson).toEqual((await as(FINANCE).get(`/invoices/${invoiceId}`)).body);

    // Payments: the remarks with a comma, quotes, line breaks and a formula come back as text.
    const [paymentHeader, ...paymentRows] = csvRows(files.get('payments_2026-11-25.csv')!);
    const paymentRow = Object.fromEntries(paymentHeader!.map((h, i) => [h, paymentRows.find((r) => r[0] === receiptNumber)![i]]));
    expect(paymentRow).toMatchObject({ amount: '5000.00', allocated: '5000.00', unallocated: '0.00', allocations: `${invoiceId}:5000.00`, bank_reference: 'ICBC-20261125-0001', remarks: '首付款,\n"第一笔"\n=SUM(A1)', method: 'BANK_TRANSFER' });
    expect(jsonRows(files.get('payments_2026-11-25.jsonl')!).find((p) => p.receiptNumber === receiptNumber)).toEqual((await as(FINANCE).get(`/payments/${receiptNumber}`)).body);

    // The aging snapshot: one line per open invoice, with its bucket.
    const [agingHeader, ...agingRows] = csvRows(files.get('aging_2026-11-25.csv')!);
    expect(agingHeader).toEqual(['as_of', 'invoice_id', 'customer_id', 'customer_name', 'owner_rep_id', 'region', 'due_date', 'days_past_due', 'bucket', 'outstanding', 'currency']);
    expect(agingRows.find((r) => r[1] === invoiceId)).toEqual(['2026-11-25', invoiceId, customerId, '上海钢铁贸易有限公司, "Shanghai Steel"', REP, 'East', '2026-12-25', '-30', 'not due', '7430.00', 'CNY']);
    expect(jsonRows(files.get('aging_2026-11-25.jsonl')!).find((l) => l.invoiceId === invoiceId)).toMatchObject({ outstanding: yuan(7_430), bucket: 'not due', daysPastDue: -30 });
    // R-AR-1, R-BILL-3: a customer who only paid ahead is in it too: its credit as a line of its own, negative, in no age bucket.
    expect(agingRows.filter((r) => r[2] === aheadId)).toEqual([['2026-11-25', '', aheadId, 'Paid Ahead Trading Co', REP, 'East', '', '', 'customer credit', '-800.00', 'CNY']]);
    expect(jsonRows(files.get('aging_2026-11-25.jsonl')!).filter((l) => l.customerId === aheadId)).toEqual([
      { asOf: '2026-11-25', kind: 'CUSTOMER_CREDIT', invoiceId: null, customerId: aheadId, customerName: 'Paid Ahead Trading Co', ownerRepId: REP, region: 'East', dueDate: null, daysPastDue: null, bucket: 'customer credit', outstanding: yuan(-800) },
    ]);
    // The snapshot's lines add up to the aging's net receivables of the day.
    const aging = (await as(FINANCE).get('/receivables/aging?asOf=2026-11-25')).body;
    expect(jsonRows(files.get('aging_2026-11-25.jsonl')!).reduce((s, l) => s + l.outstanding.amountMinor, 0)).toBe(aging.net.amountMinor);
  });

  it('R-AR-3: a download URL works without a token but not altered, nor after it expired; GET gives fresh ones', async () => {
    at('2026-11-25');
    const started = await ok(as(FINANCE_MANAGER).post('/exports', { kind: 'aging', format: 'csv' }), 202);
    const view = await finished(started.exportId, AUDITOR);
    expect(view).toMatchObject({ status: 'SUCCEEDED', kinds: ['aging'], formats: ['csv'], period: null, asOf: '2026-11-25' });
    const url = new URL(view.files[0].url);
    expect((await fetch(url)).status).toBe(200);
    const forged = new URL(url);
    forged.pathname = forged.pathname.replace('aging_2026-11-25.csv', 'manifest.json');
    expect((await fetch(forged)).status).toBe(403);
    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    expect((await fetch(tampered)).status).toBe(403);
    setClock(new Date(Date.parse('2026-11-25T02:16:00Z')));
    expect((await fetch(url)).status).toBe(403);
    const fresh = await ok(as(FINANCE).get(`/exports/${view.exportId}`));
    expect((await fetch(fresh.files[0].url)).status).toBe(200);
  });

  it('R-AR-3: the daily and month-end schedules export the previous day and the previous month, once per period', async () => {
    at('2026-11-26');
    const daily = (await stack.runJob('finance-exports-daily')) as any;
    expect(daily).toMatchObject({ exportId: 'EX-DAILY-2026-11-25', status: 'SUCCEEDED' });
    expect(daily.files.map((f: { name: string }) => f.name)).toContain('ledger_2026-11-25.csv');
    // Again the same day (a retry, a second run): nothing written twice.
    expect(await stack.runJob('finance-exports-daily')).toMatchObject({ exportId: 'EX-DAILY-2026-11-25', status: 'SUCCEEDED', note: 'already exported' });

    at('2026-12-01');
    const month = (await stack.runJob('finance-exports-month-end')) as any;
    expect(month).toMatchObject({ exportId: 'EX-MONTH-2026-11', status: 'SUCCEEDED' });
    const view = await ok(as(FINANCE).get('/exports/EX-MONTH-2026-11'));
    expect(view).toMatchObject({ trigger: 'MONTH_END', period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-11-30', createdBy: { userId: 'system' } });
    // The month holds the same ledger rows as the day (nothing else happened this month).
    const rowsOf = (v: { files: { name: string; rows: number }[] }, prefix: string) => v.files.find((f) => f.name.startsWith(prefix))!.rows;
    const dailyView = await ok(as(FINANCE).get('/exports/EX-DAILY-2026-11-25'));
    expect(rowsOf(view, 'ledger_')).toBe(rowsOf(dailyView, 'ledger_'));
    expect(rowsOf(view, 'ledger_')).toBeGreaterThanOrEqual(2);
    const downloaded = await download(view);
    for (const f of view.files) expect(sha256(downloaded.get(f.name)!), f.name).toBe(f.sha256);

    // Listed newest first, for finance and the auditor.
    const list = await ok(as(AUDITOR).get('/exports?limit=10'));
    expect(list.items[0].exportId).toBe('EX-MONTH-2026-11');
    expect(list.items.map((e: { exportId: string }) => e.exportId)).toContain('EX-DAILY-2026-11-25');
  });

  it('R-AR-3: a retried POST with the same Idempotency-Key answers the same export', async () => {
    at('2026-11-25');
    const headers = { 'idempotency-key': 'export-retry-0001' };
    const first = await as(FINANCE).post('/exports', { kind: 'payments', from: '2026-11-01', to: '2026-11-25', format: 'jsonl' }, headers);
    const again = await as(FINANCE).post('/exports', { kind: 'payments', from: '2026-11-01', to: '2026-11-25', format: 'jsonl' }, headers);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.exportId).toBe(first.body.exportId);
    expect((await finished(first.body.exportId)).files).toHaveLength(1);
  });

  it('R-AR-3: only finance starts exports; a sales rep or the warehouse gets 403, the auditor reads but does not start', async () => {
    const before = exportFiles(stack);
    for (const userId of [REP, WAREHOUSE, AUDITOR]) {
      const res = await as(userId).post('/exports', { from: '2026-11-01', to: '2026-11-25' });
      expect(res.status, userId).toBe(403);
    }
    for (const userId of [REP, WAREHOUSE]) expect((await as(userId).get('/exports')).status, userId).toBe(403);
    await stack.stepFunctions.idle();
    expect(exportFiles(stack)).toEqual(before);
  });

  it('R-AR-3: bad input is a 400 naming every field, and writes nothing', async () => {
    at('2026-11-25');
    const before = await snapshotTables(stack);
    const filesBefore = exportFiles(stack);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ from: '2026-11-20', to: '2026-11-10' }, ['body.to']],
      [{ from: '2026-13-01', to: 'yesterday' }, ['body.from', 'body.to']],
      [{ kind: 'ledger' }, ['body.from', 'body.to']],
      [{ from: '2026-11-01', to: '2026-12-31', asOf: '2027-01-01' }, ['body.to', 'body.asOf']],
      [{ from: '2025-01-01', to: '2026-11-01' }, ['body.to']],
      [{ kind: 'receipts', format: 'xlsx', from: '2026-11-01', to: '2026-11-02', extra: 1 }, ['body.kind', 'body.format', 'body.extra']],
    ];
    for (const [body, fields] of cases) {
      const res = await as(FINANCE).post('/exports', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort(), JSON.stringify(body)).toEqual([...fields].sort());
    }
    expect((await as(FINANCE).get('/exports/EX-NOPE')).status).toBe(400);
    expect((await as(FINANCE).get('/exports/EX-DAILY-2020-01-01')).status).toBe(404);
    await stack.stepFunctions.idle();
    expect(await snapshotTables(stack)).toEqual(before);
    expect(exportFiles(stack)).toEqual(filesBefore);
  });
});
