/** The pure parts of approvals and goods reservations (R-FULFIL-8): who approves, what decisions add up to, how long goods stay held. */
import { describe, expect, it } from 'vitest';
import { approvalOutcome } from '../../functions/approvals/workflow.js';
import { approversFor, holdExpiry } from '../../functions/reservations/rules.js';

const decision = (outcome: 'APPROVED' | 'REJECTED', name: string, comment?: string) => ({
  outcome,
  ...(comment ? { comment } : {}),
  decidedBy: { userId: name, name },
  decidedAt: '2026-11-22T03:00:00Z',
  taskId: `TK-${name}`,
});

describe('approval outcome', () => {
  it('approved only when every named approver approved', () => {
    expect(approvalOutcome({ firstApprover: 'finance', first: decision('APPROVED', 'Wu') })).toMatchObject({ outcome: 'APPROVED', reason: 'approved by Wu' });
    expect(
      approvalOutcome({ firstApprover: 'sales_manager', secondApprover: 'general_manager', first: decision('APPROVED', 'Liu'), second: decision('APPROVED', 'Zhou') }),
    ).toMatchObject({ outcome: 'APPROVED', reason: 'approved by Liu and Zhou' });
  });

  it('a refusal by either ends it, with the refuser’s reason', () => {
    const refused = approvalOutcome({ firstApprover: 'sales_manager', secondApprover: 'general_manager', first: decision('APPROVED', 'Liu'), second: decision('REJECTED', 'Zhou', 'too much') });
    expect(refused).toMatchObject({ outcome: 'REJECTED', reason: 'refused by Zhou: too much' });
    expect(refused.decisions).toHaveLength(2);
  });

  it('a missing decision (the task timed out) is not decided in time, naming who did not decide', () => {
    expect(approvalOutcome({ firstApprover: 'sales_manager', secondApprover: 'general_manager', first: decision('APPROVED', 'Liu'), timedOut: {} })).toMatchObject({
      outcome: 'EXPIRED',
      reason: 'not decided in time by the general manager (3 days)',
    });
  });
});

describe('goods reservations (R-FULFIL-8)', () => {
  it('R-FULFIL-8: a deposit is confirmed by finance; without one the sales manager then the general manager approve', () => {
    expect(approversFor({ deposit: { amount: { amountMinor: 1, currency: 'CNY' }, reference: 'R' } })).toEqual(['finance']);
    expect(approversFor({})).toEqual(['sales_manager', 'general_manager']);
  });

  it('R-FULFIL-8: held for the setting’s days from the moment held, never past the end of that month (company time zone)', () => {
    const tz = 'Asia/Shanghai';
    expect(holdExpiry(new Date('2026-11-10T02:00:00Z'), 3, tz)).toEqual({ expiresAt: '2026-11-13T02:00:00.000Z', expiresOn: '2026-11-13' });
    // 29 Nov 10:00 Shanghai: month end (1 Dec 00:00 Shanghai) comes first.
    expect(holdExpiry(new Date('2026-11-29T02:00:00Z'), 3, tz)).toEqual({ expiresAt: '2026-11-30T16:00:00.000Z', expiresOn: '2026-11-30' });
    // 30 Nov 20:00 UTC is already 1 Dec in Shanghai: December's end is far, 3 days apply.
    expect(holdExpiry(new Date('2026-11-30T20:00:00Z'), 3, tz)).toEqual({ expiresAt: '2026-12-03T20:00:00.000Z', expiresOn: '2026-12-04' });
    // 31 Dec: the year turns at month end too.
    expect(holdExpiry(new Date('2026-12-31T01:00:00Z'), 3, tz).expiresAt).toBe('2026-12-31T16:00:00.000Z');
    // February of a leap year.
    expect(holdExpiry(new Date('2028-02-28T01:00:00Z'), 3, tz).expiresAt).toBe('2028-02-29T16:00:00.000Z');
  });
});
