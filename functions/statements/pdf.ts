/**
 * The printable statement (对账单, R-BILL-6): A4, Chinese and English labels, the company, the
 * customer and the period, the opening balance, every line with its running balance, the
 * month's totals, the closing balance, the open invoices at the month's end with their days past
 * due and bucket (R-AR-1), the aging totals, and a block for the customer's confirmation. Money is
 * shown with formatMajor (grouped in thousands). Rendered with pdfkit in the embedded Noto Sans SC
 * font (functions/statements/font.ts); every page carries the statement number and "page n of N".
 */
import PDFDocument from 'pdfkit';
import { formatMajor, type Money } from '../shared/money.js';
import { statementFont } from './font.js';
import { KIND_LABELS, grouped } from './rules.js';
import type { Statement } from './schemas.js';

const MARGIN = 40;
const A4 = { width: 595.28, height: 841.89 };
const CONTENT = A4.width - 2 * MARGIN;
const BOTTOM = A4.height - MARGIN - 24; // room for the footer
const SMALL = 8;
const GREY = '#555555';

const amount = (m: Money) => grouped(formatMajor(m));

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

export interface RenderedStatement {
  pdf: Buffer;
  pages: number;
}

/** R-BILL-6: the statement as a PDF; `company` is the name printed at the top. */
export async function renderStatementPdf(s: Statement, company: string): Promise<RenderedStatement> {
  // The font is given at construction: pdfkit would otherwise load Helvetica from its package data, which a bundle does not carry.
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    font: statementFont() as unknown as string,
    info: { Title: `对账单 Statement ${s.statementId}`, Author: company, Subject: `${s.customerName} ${s.month}`, Creator: 'order-to-cash' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  let y = MARGIN;
  const text = (value: string, x: number, at: number, options: PDFKit.Mixins.TextOptions & { size?: number; color?: string } = {}) => {
    const { size = 9, color = 'black', ...rest } = options;
    doc.fontSize(size).fillColor(color).text(value, x, at, { lineBreak: rest.width !== undefined, ...rest });
  };
  const ensure = (height: number, header?: () => void) => {
    if (y + height <= BOTTOM) return;
    doc.addPage();
    y = MARGIN;
    header?.();
  };
  const rule = (at: number, weight = 0.5) => {
    doc.moveTo(MARGIN, at).lineTo(MARGIN + CONTENT, at).lineWidth(weight).strokeColor('#999999').stroke();
  };
  const heading = (title: string) => {
    ensure(40);
    y += 10;
    text(title, MARGIN, y, { size: 11 });
    y += 18;
  };
  const table = (columns: Column[], rows: string[][]) => {
    const header = () => {
      let x = MARGIN;
      for (const c of columns) {
        text(c.title, x + 2, y, { size: SMALL - 0.5, width: c.width - 4, align: c.align ?? 'left', color: GREY });
        x += c.width;
      }
      y += doc.fontSize(SMALL - 0.5).heightOfString('Ag\nAg') + 2;
      rule(y);
      y += 3;
    };
    header();
    for (const row of rows) {
      doc.fontSize(SMALL);
      const height = Math.max(...row.map((cell, i) => doc.heightOfString(cell, { width: columns[i]!.width - 4 }))) + 3;
      ensure(height, header);
      let x = MARGIN;
      row.forEach((cell, i) => {
        const c = columns[i]!;
        text(cell, x + 2, y, { size: SMALL, width: c.width - 4, align: c.align ?? 'left' });
        x += c.width;
      });
      y += height;
    }
    rule(y);
    y += 4;
  };
  const pairs = (rows: [string, string][], emphasise: readonly string[] = []) => {
    for (const [label, value] of rows) {
      ensure(16);
      const size = emphasise.includes(label) ? 10 : 9;
      text(label, MARGIN, y, { size });
      text(value, MARGIN + 250, y, { size, width: 140, align: 'right' });
      y += size + 6;
    }
  };

  // Who, whom, when.
  text(company, MARGIN, y, { size: 13 });
  y += 22;
  text('客户对账单  Customer Statement', MARGIN, y, { size: 16 });
  y += 28;
  const info: [string, string][] = [
    ['客户 Customer', `${s.customerName} (${s.customerId})`],
    ['期间 Period', `${s.periodFrom} – ${s.periodTo}`],
    ['对账单号 Statement No.', s.statementId],
    ['币种 Currency', s.currency],
    ['生成日期 Generated', s.generatedAt.slice(0, 10)],
  ];
  for (const [label, value] of info) {
    text(label, MARGIN, y, { size: 9, color: GREY });
    text(value, MARGIN + 130, y, { size: 9, width: CONTENT - 130 });
    y += 14;
  }
  y += 6;
  rule(y, 1);
  y += 8;

  // The figures of the month.
  const totals: [string, string][] = [
    ['期初余额 Opening balance', amount(s.opening)],
    ['本期发票 Invoiced', amount(s.totals.invoiced)],
    ['本期收款 Payments received', amount(s.totals.paid)],
    ['本期贷项 Credit notes', amount(s.totals.credited)],
    ...(s.totals.reversed.amountMinor !== 0 ? ([['本期冲销 Reversals', amount(s.totals.reversed)]] as [string, string][]) : []),
    ['期末余额 Closing balance', amount(s.closing)],
  ];
  pairs(totals, ['期末余额 Closing balance']);
  text('余额为正表示贵公司应付我司款项；为负表示我司收到的预收款。A positive balance is what you owe us; a negative one is paid in advance.', MARGIN, y, { size: 7, color: GREY, width: CONTENT });
  y += 16;

  // The lines, with the running balance.
  heading('本期明细  Entries of the period');
  const lineColumns: Column[] = [
    { title: '日期 Date', width: 52 },
    { title: '类型 Type', width: 66 },
    { title: '单据号 Reference', width: 80 },
    { title: '摘要 Description', width: 138 },
    { title: '借方 Debit', width: 58, align: 'right' },
    { title: '贷方 Credit', width: 58, align: 'right' },
    { title: '余额 Balance', width: CONTENT - 452, align: 'right' },
  ];
  const money0 = (minor: number) => ({ amountMinor: minor, currency: s.currency });
  table(lineColumns, [
    [s.periodFrom, '', '', '期初余额 Opening balance', '', '', amount(s.opening)],
    ...s.lines.map((l) => [
      l.on,
      KIND_LABELS[l.kind],
      l.reference,
      l.description,
      l.amount.amountMinor > 0 ? amount(l.amount) : '',
      l.amount.amountMinor < 0 ? amount(money0(-l.amount.amountMinor)) : '',
      amount(l.balanceAfter),
    ]),
    [s.periodTo, '', '', '本期合计 / 期末余额 Totals / closing balance', amount(money0(s.totals.invoiced.amountMinor + Math.max(0, s.totals.reversed.amountMinor))), amount(money0(s.totals.paid.amountMinor + s.totals.credited.amountMinor + Math.max(0, -s.totals.reversed.amountMinor))), amount(s.closing)],
  ]);

  // What is open at the month's end, and how old.
  heading(`月末未结发票及账龄  Open invoices and aging at ${s.periodTo}`);
  if (s.openItems.length === 0) {
    text('无未结发票 No open invoices', MARGIN, y, { size: 9 });
    y += 16;
  } else {
    table(
      [
        { title: '发票号 Invoice', width: 100 },
        { title: '开票日期 Issued', width: 75 },
        { title: '到期日 Due', width: 75 },
        { title: '逾期天数 Days past due', width: 85, align: 'right' },
        { title: '账龄 Bucket', width: 80 },
        { title: '未结金额 Outstanding', width: CONTENT - 415, align: 'right' },
      ],
      s.openItems.map((i) => [i.invoiceId, i.issuedOn, i.dueDate, String(Math.max(0, i.daysPastDue)), bucketLabel(i.bucket), amount(i.outstanding)]),
    );
  }
  const agingWidth = CONTENT / (s.aging.length + 1);
  table(
    [...s.aging.map((b) => ({ title: bucketLabel(b.bucket), width: agingWidth, align: 'right' as const })), { title: '合计 Total', width: agingWidth, align: 'right' }],
    [[...s.aging.map((b) => amount(b.amount)), amount(s.openTotal)]],
  );
  pairs([
    ['未结发票合计 Open invoices', amount(s.openTotal)],
    ['未分配预收款 Unallocated payments', amount(s.customerCredit)],
    ['期末余额 Closing balance', amount(s.closing)],
  ]);

  // The customer's answer.
  ensure(110);
  y += 12;
  text('请核对上述余额，如有不符请列明差异项目。Please check the balance above and name any item that differs.', MARGIN, y, { size: 9, width: CONTENT });
  y += 24;
  for (const [i, label] of ['相符 Agreed', '不符 Disputed (请列明 items):'].entries()) {
    doc.rect(MARGIN, y + i * 18, 8, 8).lineWidth(0.7).strokeColor('black').stroke();
    text(label, MARGIN + 14, y + i * 18 - 1, { size: 9 });
  }
  y += 50;
  text('客户签章 Customer seal / signature: ____________________    日期 Date: ____________', MARGIN, y, { size: 9 });

  // Every page: which statement, which page.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.page.margins.bottom = 0;
    text(`${company} · ${s.statementId} · 第 ${i + 1}/${range.count} 页 Page ${i + 1} of ${range.count}`, MARGIN, A4.height - MARGIN, { size: 7, color: GREY, width: CONTENT, align: 'center' });
  }
  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), pages: range.count };
}

/** not due → 未到期 Not due; 1-30 → 1-30 天 days; over 90 → 90 天以上 Over 90 days. */
function bucketLabel(bucket: string): string {
  if (bucket === 'not due') return '未到期 Not due';
  if (bucket.startsWith('over ')) return `${bucket.slice(5)} 天以上 Over ${bucket.slice(5)} days`;
  return `${bucket} 天 days`;
}
