/**
 * Pure rules, without I/O: quantities (R-INTAKE-5), who sees which customer (R-INFO-2),
 * the credit profile a review decision leaves (R-CREDIT-1), and when a repeated task decision
 * is a harmless redelivery.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decidedProfile } from '../../functions/credit/rules.js';
import {
  assertMayEdit,
  assertMaySee,
  onlyOwnCustomers,
  ownerOfNewCustomer,
  readNeedsLogging,
} from '../../functions/customers/rules.js';
import type { CreateCustomer, CreditProfile, Customer } from '../../functions/customers/schemas.js';
import type { User } from '../../functions/shared/auth.js';
import { HttpError } from '../../functions/shared/errors.js';
import { isValidQuantity } from '../../functions/shared/quantity.js';
import type { Role } from '../../functions/shared/roles.js';
import { isRedelivery } from '../../functions/tasks/rules.js';
import type { CreditReviewDecision, RecordedDecision, Task, TaskDecision } from '../../functions/tasks/schemas.js';

/** Runs fn and returns the HttpError it throws (fails the test if it throws nothing or something else). */
function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    return err as HttpError;
  }
  throw new Error('expected a refusal, got none');
}

describe('R-INTAKE-5: quantities are positive and within the product precision', () => {
  it('R-INTAKE-5: worked examples', () => {
    expect(isValidQuantity('2.345', 3)).toBe(true);
    expect(isValidQuantity('2.3456', 3)).toBe(false);
    expect(isValidQuantity('12', 0)).toBe(true);
    expect(isValidQuantity('12.5', 0)).toBe(false);
    expect(isValidQuantity('0.000001', 6)).toBe(true);
    expect(isValidQuantity('0', 3)).toBe(false);
    expect(isValidQuantity('0.000', 3)).toBe(false);
    expect(isValidQuantity('-1', 3)).toBe(false);
  });

  it('R-INTAKE-5: refuses anything that is not a plain decimal', () => {
    for (const text of ['', ' 1', '1 ', '+1', '1e3', '1E-3', '.5', '5.', '1,5', '1,000', 'NaN', 'Infinity', '0x1F', '１２', '1.2.3', 'abc']) {
      expect(isValidQuantity(text, 6), JSON.stringify(text)).toBe(false);
    }
  });

  it('R-INTAKE-5: any positive quantity with at most `scale` places is valid; one more significant place is not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 1, max: 9 }),
        (scale, places, whole, lastDigit) => {
          // places decimals, the last one non-zero: exactly `places` significant decimals.
          const fraction = places === 0 ? '' : `.${'0'.repeat(places - 1)}${lastDigit}`;
          const text = `${whole}${fraction}`;
          fc.pre(!(whole === 0n && places === 0));
          expect(isValidQuantity(text, scale)).toBe(places <= scale);
        },
      ),
    );
  });

  it('R-INTAKE-5: zero and negatives are never valid, at any precision', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.bigInt({ min: 0n, max: 10n ** 9n }), (scale, zeros, whole) => {
        expect(isValidQuantity(zeros === 0 ? '0' : `0.${'0'.repeat(zeros)}`, scale)).toBe(false);
        expect(isValidQuantity(`-${whole + 1n}`, scale)).toBe(false);
      }),
    );
  });
});

describe('R-INFO-2: a sales rep sees own customers only', () => {
  const user = (userId: string, ...roles: Role[]): User => ({ userId, name: userId, roles });
  const theirs = { customerId: 'CU-000042', ownerRepId: 'li.na' };
  const mine = { customerId: 'CU-000041', ownerRepId: 'wang.qiang' };
  const customer = (c: { customerId: string; ownerRepId: string }) => ({ ...c, name: 'Some Customer' }) as unknown as Customer;

  it('R-INFO-2: a sales rep sees own customers and gets 403 on another rep\'s', () => {
    const rep = user('wang.qiang', 'sales_rep');
    expect(onlyOwnCustomers(rep)).toBe(true);
    expect(() => assertMaySee(rep, mine)).not.toThrow();
    const err = refusal(() => assertMaySee(rep, theirs));
    expect(err.status).toBe(403);
    expect(err.type).toBe('/problems/forbidden');
    expect(err.message).toContain('CU-000042');
  });

  it('R-INFO-2: other reader roles see every customer, and their reads are logged', () => {
    for (const role of ['sales_clerk', 'order_desk', 'sales_manager', 'sales_vp', 'general_manager', 'finance', 'finance_manager', 'customer_service', 'auditor'] as Role[]) {
      const reader = user('someone', role);
      expect(onlyOwnCustomers(reader), role).toBe(false);
      expect(() => assertMaySee(reader, theirs), role).not.toThrow();
      expect(readNeedsLogging(reader, theirs), role).toBe(true);
    }
    expect(readNeedsLogging(user('wang.qiang', 'sales_rep'), mine)).toBe(false);
  });

  it('R-INFO-2: a sales rep who is also sales manager, clerk or auditor sees every customer', () => {
    for (const other of ['sales_manager', 'sales_clerk', 'auditor', 'finance'] as Role[]) {
      const both = user('wang.qiang', 'sales_rep', other);
      expect(onlyOwnCustomers(both), other).toBe(false);
      expect(() => assertMaySee(both, theirs), other).not.toThrow();
      expect(() => assertMaySee(user('wang.qiang', other, 'sales_rep'), theirs), `${other} first`).not.toThrow();
    }
  });

  it('R-INFO-2: a sales rep who also holds a role without customer rights (warehouse, logistics, admin) still sees own customers only', () => {
    for (const other of ['warehouse', 'logistics', 'production', 'admin'] as Role[]) {
      const both = user('wang.qiang', 'sales_rep', other);
      expect(onlyOwnCustomers(both), other).toBe(true);
      expect(refusal(() => assertMaySee(both, theirs)).status, other).toBe(403);
      expect(() => assertMaySee(both, mine), other).not.toThrow();
    }
  });

  it('R-INFO-2: a sales rep who is also an auditor reads every customer but edits own customers only (audit changes nothing)', () => {
    const repAuditor = user('wang.qiang', 'sales_rep', 'auditor');
    expect(() => assertMaySee(repAuditor, theirs)).not.toThrow();
    expect(refusal(() => assertMayEdit(repAuditor, customer(theirs), { remarks: 'changed' })).status).toBe(403);
    expect(() => assertMayEdit(repAuditor, customer(mine), { remarks: 'changed' })).not.toThrow();
    // The clerk's role does allow editing any customer.
    expect(() => assertMayEdit(user('wang.qiang', 'sales_rep', 'sales_clerk'), customer(theirs), { remarks: 'changed' })).not.toThrow();
  });

  it('R-INFO-2: only the sales manager reassigns a customer', () => {
    expect(refusal(() => assertMayEdit(user('zhao.min', 'sales_clerk'), customer(theirs), { ownerRepId: 'wang.qiang' })).status).toBe(403);
    expect(() => assertMayEdit(user('liu.yang', 'sales_manager'), customer(theirs), { ownerRepId: 'wang.qiang' })).not.toThrow();
    // Naming the current owner again is no reassignment.
    expect(() => assertMayEdit(user('zhao.min', 'sales_clerk'), customer(theirs), { ownerRepId: 'li.na' })).not.toThrow();
  });

  it('R-INFO-2: a sales rep owns the customers they create; back-office staff must name the owner', () => {
    const input = (ownerRepId?: string) => ({ name: 'New Co', ...(ownerRepId ? { ownerRepId } : {}) }) as unknown as CreateCustomer;
    expect(ownerOfNewCustomer(user('wang.qiang', 'sales_rep'), input())).toBe('wang.qiang');
    expect(ownerOfNewCustomer(user('wang.qiang', 'sales_rep'), input('wang.qiang'))).toBe('wang.qiang');
    expect(refusal(() => ownerOfNewCustomer(user('wang.qiang', 'sales_rep'), input('li.na'))).status).toBe(403);
    const missing = refusal(() => ownerOfNewCustomer(user('zhao.min', 'sales_clerk'), input()));
    expect(missing.status).toBe(400);
    expect(missing.errors).toEqual([expect.objectContaining({ field: 'body.ownerRepId', code: 'required' })]);
    expect(ownerOfNewCustomer(user('zhao.min', 'sales_clerk'), input('li.na'))).toBe('li.na');
    // A rep with a role that has no customer rights creates for themself, as any rep.
    expect(ownerOfNewCustomer(user('wang.qiang', 'sales_rep', 'warehouse'), input())).toBe('wang.qiang');
    expect(refusal(() => ownerOfNewCustomer(user('wang.qiang', 'sales_rep', 'warehouse'), input('li.na'))).status).toBe(403);
  });
});

describe('R-CREDIT-1: the credit profile after finance decides', () => {
  const current: CreditProfile = {
    status: 'IN_REVIEW',
    round: 3,
    reason: 'PERIODIC',
    rating: 'B',
    limit: { amountMinor: 50_000_000, currency: 'CNY' },
    paymentTermsDays: 45,
    contract: { number: 'HT-2025-0001', validFrom: '2025-01-01', validTo: '2026-12-31' },
    guaranteeOnFile: false,
    reviewedBy: { userId: 'wu.fang', name: 'Wu Fang' },
    reviewedAt: '2026-03-01T02:00:00.000Z',
    nextReviewOn: '2026-09-01',
  };
  const finance = { userId: 'wu.fang', name: '吴芳 Wu Fang' };
  const approval = (decidedAt: string, extra: Partial<CreditReviewDecision> = {}): RecordedDecision<CreditReviewDecision> =>
    ({
      outcome: 'APPROVED',
      rating: 'A',
      creditLimit: { amountMinor: 80_000_000, currency: 'CNY' },
      paymentTermsDays: 60,
      guaranteeOnFile: false,
      decidedBy: finance,
      decidedAt,
      taskId: 'TK-01JAAAAAAAAAAAAAAAAAAAAAAA',
      ...extra,
    }) as RecordedDecision<CreditReviewDecision>;

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('R-CREDIT-1: approval sets rating, limit, terms and the next review 6 months on (the default setting)', () => {
    const at = '2026-05-22T03:00:00.000Z';
    const profile = decidedProfile(current, approval(at, { contract: { number: 'HT-2026-0100', validFrom: '2026-01-01', validTo: '2027-06-30' }, comment: 'pays on time' }), new Date(at));
    expect(profile).toEqual({
      status: 'APPROVED',
      round: 3,
      reason: 'PERIODIC',
      rating: 'A',
      limit: { amountMinor: 80_000_000, currency: 'CNY' },
      paymentTermsDays: 60,
      contract: { number: 'HT-2026-0100', validFrom: '2026-01-01', validTo: '2027-06-30' },
      guaranteeOnFile: false,
      comment: 'pays on time',
      reviewedBy: finance,
      reviewedAt: at,
      nextReviewOn: '2026-11-22',
    });
  });

  it('R-CREDIT-1: the next review date counts from the business day in Shanghai and clamps to month end', () => {
    // 2026-08-31T20:00Z is already 1 September in Shanghai.
    expect(decidedProfile(current, approval('2026-08-31T20:00:00.000Z'), new Date('2026-08-31T20:00:00.000Z')).nextReviewOn).toBe('2027-03-01');
    // 2026-08-31T10:00Z is still 31 August in Shanghai: + 6 months = 28 February.
    expect(decidedProfile(current, approval('2026-08-31T10:00:00.000Z'), new Date('2026-08-31T10:00:00.000Z')).nextReviewOn).toBe('2027-02-28');
  });

  it('R-CREDIT-3: an approval without a contract does not keep the old contract on file', () => {
    const profile = decidedProfile(current, approval('2026-05-22T03:00:00.000Z'), new Date('2026-05-22T03:00:00.000Z'));
    expect(profile).not.toHaveProperty('contract');
    expect(profile).not.toHaveProperty('comment');
  });

  it('R-CREDIT-1: rejection clears rating, limit, terms, contract and the next review date, and keeps the reason', () => {
    const rejection = { outcome: 'REJECTED', comment: 'two invoices 90 days overdue', decidedBy: finance, decidedAt: '2026-05-22T03:00:00.000Z', taskId: 'TK-01JAAAAAAAAAAAAAAAAAAAAAAA' } as RecordedDecision<CreditReviewDecision>;
    const profile = decidedProfile(current, rejection, new Date('2026-05-22T03:00:00.000Z'));
    expect(profile).toEqual({
      status: 'REJECTED',
      round: 3,
      reason: 'PERIODIC',
      comment: 'two invoices 90 days overdue',
      reviewedBy: finance,
      reviewedAt: '2026-05-22T03:00:00.000Z',
    });
  });

  it('R-CREDIT-1: the review interval is a company setting', async () => {
    vi.stubEnv('SETTINGS_JSON', JSON.stringify({ creditReviewIntervalMonths: 12 }));
    vi.resetModules();
    const fresh = await import('../../functions/credit/rules.js');
    expect(fresh.decidedProfile(current, approval('2026-05-22T03:00:00.000Z'), new Date('2026-05-22T03:00:00.000Z')).nextReviewOn).toBe('2027-05-22');
  });
});

describe('a repeated task decision', () => {
  const finance = { userId: 'wu.fang', name: '吴芳 Wu Fang' };
  const user = (userId: string): User => ({ userId, name: userId, roles: ['finance'] });
  const decision: TaskDecision = {
    outcome: 'APPROVED',
    rating: 'B',
    creditLimit: { amountMinor: 30_000_000, currency: 'CNY' },
    paymentTermsDays: 45,
    guaranteeOnFile: false,
    prepaymentRequired: false,
  };
  const task = (over: Partial<Task> & { delivered?: boolean } = {}): Task & { delivered?: boolean } => ({
    taskId: 'TK-01JAAAAAAAAAAAAAAAAAAAAAAA',
    type: 'CREDIT_REVIEW',
    status: 'DECIDED',
    assigneeRole: 'finance',
    title: 'Credit review: Test Ltd',
    subject: { kind: 'customer', id: 'CU-000001', name: 'Test Ltd' },
    details: {},
    createdAt: '2026-11-22T03:00:00.000Z',
    decision: { ...decision },
    decidedBy: finance,
    decidedAt: '2026-11-22T04:00:00.000Z',
    ...over,
  });

  it('an open task is a first decision, not a redelivery', () => {
    expect(isRedelivery(task({ status: 'OPEN', decision: undefined, decidedBy: undefined, decidedAt: undefined }), decision, user('wu.fang'))).toBe(false);
  });

  it('the same person repeating the same decision on an undelivered task is a redelivery', () => {
    expect(isRedelivery(task(), decision, user('wu.fang'))).toBe(true);
    expect(isRedelivery(task({ delivered: false }), decision, user('wu.fang'))).toBe(true);
  });

  it('the same decision read back from the store with its fields in another order is still the same decision', () => {
    // DynamoDB maps are unordered: the stored decision may come back with keys in any order.
    const stored = { prepaymentRequired: false, guaranteeOnFile: false, paymentTermsDays: 45, creditLimit: { currency: 'CNY', amountMinor: 30_000_000 }, rating: 'B', outcome: 'APPROVED' };
    expect(isRedelivery(task({ decision: stored }), decision, user('wu.fang'))).toBe(true);
  });

  it('anything else is 409: delivered already, another person, another decision, or a task that escalated or expired', () => {
    const cases: [string, Task & { delivered?: boolean }, TaskDecision, User][] = [
      ['delivered already', task({ delivered: true }), decision, user('wu.fang')],
      ['another person', task(), decision, user('zheng.hao')],
      ['another limit', task(), { ...decision, creditLimit: { amountMinor: 30_000_001, currency: 'CNY' } }, user('wu.fang')],
      ['another outcome', task(), { outcome: 'REJECTED', comment: 'no' }, user('wu.fang')],
      ['escalated', task({ status: 'ESCALATED', decision: undefined, decidedBy: undefined }), decision, user('wu.fang')],
      ['expired', task({ status: 'EXPIRED', decision: undefined, decidedBy: undefined }), decision, user('wu.fang')],
    ];
    for (const [what, t, d, u] of cases) {
      const err = refusal(() => isRedelivery(t, d, u));
      expect(err.status, what).toBe(409);
      expect(err.type, what).toBe('/problems/conflict');
    }
    expect(refusal(() => isRedelivery(task(), decision, user('zheng.hao'))).message).toContain('吴芳 Wu Fang');
  });
});
