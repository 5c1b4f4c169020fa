/** The credit stage's decision and the hold rule, as pure functions (R-CREDIT-3..6). */
import { describe, expect, it } from 'vitest';
import type { CreditProfile } from '../../functions/customers/schemas.js';
import { type CreditCheckInput, creditApprover, creditCheck, overdueForHold } from '../../functions/credit/rules.js';

const profile = (overrides: Partial<CreditProfile> = {}): CreditProfile => ({
  status: 'APPROVED',
  round: 1,
  reason: 'NEW_CUSTOMER',
  rating: 'A',
  limit: { amountMinor: 1_000_000, currency: 'CNY' },
  paymentTermsDays: 30,
  contract: { number: 'HT-1', validFrom: '2026-01-01', validTo: '2026-12-31' },
  guaranteeOnFile: false,
  prepaymentRequired: false,
  ...overrides,
});

const input = (overrides: Partial<CreditCheckInput> = {}, order: Partial<CreditCheckInput['order']> = {}): CreditCheckInput => ({
  order: { paymentMethod: 'credit', grossMinor: 100_000, currency: 'CNY', ...order },
  profile: profile(),
  account: { limitMinor: 1_000_000, exposureMinor: 0, availableMinor: 1_000_000 },
  today: '2026-11-22',
  ...overrides,
});

describe('creditCheck', () => {
  it('R-CREDIT-4: within the limit reserves the gross amount; exactly the available amount still fits', () => {
    expect(creditCheck(input())).toMatchObject({ outcome: 'RESERVE', amountMinor: 100_000, approved: false });
    const full = input({ account: { limitMinor: 1_000_000, exposureMinor: 900_000, availableMinor: 100_000 } });
    expect(creditCheck(full)).toMatchObject({ outcome: 'RESERVE', amountMinor: 100_000 });
  });

  it('R-CREDIT-4: one minor unit over the available amount needs a credit decision, by the finance manager up to 20% over the limit, by the GM above', () => {
    const oneOver = input({ account: { limitMinor: 1_000_000, exposureMinor: 900_001, availableMinor: 99_999 } });
    expect(creditCheck(oneOver)).toMatchObject({ outcome: 'OVER_LIMIT', overByMinor: 1, approverRole: 'finance_manager' });
    // 20% of 1,000,000 is 200,000: exactly 20% over is the finance manager's, one more the GM's.
    const at20 = input({ account: { limitMinor: 1_000_000, exposureMinor: 1_100_000, availableMinor: -100_000 } });
    expect(creditCheck(at20)).toMatchObject({ outcome: 'OVER_LIMIT', overByMinor: 200_000, approverRole: 'finance_manager' });
    const above20 = input({ account: { limitMinor: 1_000_000, exposureMinor: 1_100_001, availableMinor: -100_001 } });
    expect(creditCheck(above20)).toMatchObject({ outcome: 'OVER_LIMIT', overByMinor: 200_001, approverRole: 'general_manager' });
    expect(creditApprover(0, 1)).toBe('general_manager');
    expect(creditApprover(1_000_000, 300_000, 50)).toBe('finance_manager');
  });

  it('R-CREDIT-4: an approved credit decision reserves above the limit', () => {
    const over = input({ account: { limitMinor: 0, exposureMinor: 0, availableMinor: 0 }, approved: true });
    expect(creditCheck(over)).toMatchObject({ outcome: 'RESERVE', approved: true });
  });

  it('R-CREDIT-5: a customer on hold gets nothing released, whatever the payment method or decision', () => {
    const hold = { limitMinor: 1_000_000, exposureMinor: 0, availableMinor: 1_000_000, hold: { reason: 'invoice 45 days overdue' } };
    for (const paymentMethod of ['credit', 'prepaid', 'cash_on_pickup'] as const) {
      expect(creditCheck(input({ account: hold, approved: true, prepaid: true }, { paymentMethod }))).toMatchObject({ outcome: 'HOLD', reason: expect.stringContaining('invoice 45 days overdue') });
    }
  });

  it('R-CREDIT-3: a credit sale needs approved credit and a contract in force on the day', () => {
    expect(creditCheck(input({ profile: profile({ contract: undefined }) }))).toMatchObject({ outcome: 'REFUSED', reason: expect.stringContaining('no signed sales contract') });
    const expired = creditCheck(input({ profile: profile({ contract: { number: 'HT-0', validFrom: '2025-01-01', validTo: '2026-11-21' } }) }));
    expect(expired).toMatchObject({ outcome: 'REFUSED', reason: expect.stringContaining('HT-0 is not in force on 2026-11-22') });
    expect(creditCheck(input({ profile: profile({ contract: { number: 'HT-2', validFrom: '2026-11-22', validTo: '2026-11-22' } }) })).outcome).toBe('RESERVE');
    expect(creditCheck(input({ profile: { status: 'REJECTED', round: 1, reason: 'NEW_CUSTOMER' } })).outcome).toBe('REFUSED');
    // Without approved credit the customer still buys prepaid or cash on pickup.
    expect(creditCheck(input({ profile: { status: 'REJECTED', round: 1, reason: 'NEW_CUSTOMER' } }, { paymentMethod: 'prepaid' })).outcome).toBe('PREPAYMENT');
    expect(creditCheck(input({ profile: { status: 'REJECTED', round: 1, reason: 'NEW_CUSTOMER' } }, { paymentMethod: 'cash_on_pickup' }))).toMatchObject({ outcome: 'CLEARED', basis: 'CASH_ON_PICKUP' });
  });

  it('R-CREDIT-6: ratings C and D without a guarantee, and customers finance requires to prepay, wait for the prepayment; a guarantee lets C and D buy on credit', () => {
    for (const rating of ['C', 'D'] as const) {
      expect(creditCheck(input({ profile: profile({ rating }) }))).toMatchObject({ outcome: 'PREPAYMENT', reason: expect.stringContaining(`rating ${rating} without a guarantee`) });
      expect(creditCheck(input({ profile: profile({ rating, guaranteeOnFile: true }) })).outcome).toBe('RESERVE');
    }
    expect(creditCheck(input({ profile: profile({ prepaymentRequired: true }) }))).toMatchObject({ outcome: 'PREPAYMENT', reason: expect.stringContaining('finance requires') });
    expect(creditCheck(input({ profile: profile({ rating: 'D' }), prepaid: true }))).toMatchObject({ outcome: 'CLEARED', basis: 'PREPAID' });
    // A prepaid order needs no limit at all.
    expect(creditCheck(input({ account: { limitMinor: 0, exposureMinor: 0, availableMinor: 0 }, prepaid: true }, { paymentMethod: 'prepaid' }))).toMatchObject({ outcome: 'CLEARED', basis: 'PREPAID' });
  });
});

describe('overdueForHold', () => {
  it('R-CREDIT-5: an invoice more than 30 days past due puts the customer on hold; 30 days is not yet more', () => {
    const invoices = [
      { invoiceId: 'IN-1', dueDate: '2026-10-23' },
      { invoiceId: 'IN-2', dueDate: '2026-10-22' },
      { invoiceId: 'IN-3', dueDate: '2026-11-30' },
    ];
    expect(overdueForHold(invoices, '2026-11-22').map((i) => i.invoiceId)).toEqual(['IN-2']);
    expect(overdueForHold(invoices, '2026-11-22', 0).map((i) => i.invoiceId)).toEqual(['IN-1', 'IN-2']);
  });
});
