/** The printed statement (R-BILL-6): a real PDF, read back with pdf.js: pages, footers, figures, Chinese text in the embedded font. */
import { describe, expect, it } from 'vitest';
import { statementFontPath } from '../../functions/statements/font.js';
import { renderStatementPdf } from '../../functions/statements/pdf.js';
import { type BookedEntry, buildStatement } from '../../functions/statements/rules.js';
import { pdfText } from '../support/pdf-text.js';

/** A statement of `n` November lines (invoices and payments in turn) after an October invoice still open. */
function statementOf(n: number) {
  const entries: BookedEntry[] = [{ seq: 1, kind: 'INVOICE', amountMinor: 100_000, balanceAfterMinor: 100_000, currency: 'CNY', reference: 'INV-2026-000001', description: 'invoice INV-2026-000001', on: '2026-10-20' }];
  let balance = 100_000;
  for (let i = 0; i < n; i++) {
    const invoice = i % 2 === 0;
    const amount = invoice ? 1_243_000 : -500_000;
    balance += amount;
    entries.push({
      seq: i + 2,
      kind: invoice ? 'INVOICE' : 'PAYMENT',
      amountMinor: amount,
      balanceAfterMinor: balance,
      currency: 'CNY',
      reference: `${invoice ? 'INV' : 'RC'}-2026-${String(100 + i).padStart(6, '0')}`,
      description: invoice ? `invoice for SO-2026-000${100 + i} (DN-2026-000${100 + i}), due 2026-12-25` : `bank transfer BK-${i} received, paying INV-2026-000001`,
      on: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`,
    });
  }
  return buildStatement({
    customer: { customerId: 'CU-000042', name: '广州恒通机电设备有限公司', ownerRepId: 'wang.qiang' },
    month: '2026-11',
    currency: 'CNY',
    entries: entries.reverse(),
    openItems: [
      { invoiceId: 'INV-2026-000001', issuedOn: '2026-10-20', dueDate: '2026-10-25', outstandingMinor: 100_000 },
      { invoiceId: 'INV-2026-000100', issuedOn: '2026-11-01', dueDate: '2026-12-01', outstandingMinor: balance - 100_000 },
    ],
    bounds: [30, 60, 90],
    at: '2026-12-01T00:00:00.000Z',
  });
}

describe('the printed statement', () => {
  it('R-BILL-6: a one-page PDF with the company, customer, period, opening, lines, closing and the open items with their aging', async () => {
    const s = statementOf(4);
    const { pdf, pages } = await renderStatementPdf(s, '示例贸易有限公司 Example Trading Co., Ltd.');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The font is embedded (TrueType, subset to the glyphs used): nothing depends on the reader's fonts.
    expect(pdf.toString('latin1')).toContain('/FontFile2');
    const read = await pdfText(pdf);
    expect(read.pages).toBe(pages);
    expect(pages).toBe(1);
    const text = read.text[0]!;
    for (const words of [
      '示例贸易有限公司 Example Trading Co., Ltd.',
      '广州恒通机电设备有限公司 (CU-000042)',
      '2026-11-01 – 2026-11-30',
      'ST-CU-000042-2026-11',
      '期初余额 Opening balance',
      '1,000.00', // opening
      '12,430.00',
      '5,000.00',
      '15,860.00', // closing = 1,000 + 2 × 12,430 − 2 × 5,000
      'INV-2026-000001 2026-10-20 2026-10-25 36 31-60 天 days', // 36 days past due on 30 Nov
      '31-60 天 days',
      '未到期 Not due',
      'INV-2026-000102',
      'RC-2026-000103',
      '第 1/1 页 Page 1 of 1',
    ]) {
      expect(text, words).toContain(words);
    }
    expect(s.closing.amountMinor).toBe(1_586_000);
  });

  it('R-BILL-6: a long month runs over pages, each with the statement number and page n of N, the lines in order', async () => {
    const { pdf, pages } = await renderStatementPdf(statementOf(70), 'Example Trading');
    const read = await pdfText(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(read.pages).toBe(pages);
    read.text.forEach((page, i) => expect(page).toContain(`ST-CU-000042-2026-11 · 第 ${i + 1}/${pages} 页 Page ${i + 1} of ${pages}`));
    const all = read.text.join(' ');
    const positions = ['INV-2026-000100', 'RC-2026-000101', 'INV-2026-000168', 'RC-2026-000169'].map((ref) => all.indexOf(ref));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('reads its font from the installed package when run from source', () => {
    expect(statementFontPath()).toMatch(/node_modules\/@fontsource\/noto-sans-sc\/files\/noto-sans-sc-chinese-simplified-400-normal\.woff$/);
  });
});
