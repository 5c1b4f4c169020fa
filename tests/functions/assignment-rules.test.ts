/** Assignment of an approved order by product type and region (R-FULFIL-1), as a pure function. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RuleForMatching, assignmentFor, decidingRule, specificity } from '../../functions/assignment/rules.js';
import { DEPARTMENTS, type OrderProductType } from '../../functions/assignment/schemas.js';
import { addDays, businessDate } from '../../functions/shared/clock.js';

const rule = (ruleId: string, productType: RuleForMatching['productType'], region: string, overrides: Partial<RuleForMatching> = {}): RuleForMatching => ({
  ruleId,
  productType,
  region,
  department: productType === 'traded' ? 'warehouse' : 'production',
  assigneeUserId: `${ruleId.toLowerCase()}.person`,
  dueInDays: 3,
  priority: 0,
  ...overrides,
});

const TODAY = '2026-11-22';

/** Every kind of rule for East, plus another region's. */
const RULES: RuleForMatching[] = [
  rule('ANY-ANY', '*', '*', { department: 'order_desk', assigneeUserId: 'chen.jie', dueInDays: 1 }),
  rule('ANY-EAST', '*', 'East', { department: 'logistics', assigneeUserId: 'he.jun', dueInDays: 2 }),
  rule('MADE-ANY', 'manufactured', '*', { department: 'production', assigneeUserId: 'xu.gang', dueInDays: 7 }),
  rule('MADE-EAST', 'manufactured', 'East', { department: 'production', assigneeUserId: 'east.plant', dueInDays: 5 }),
  rule('TRADED-WEST', 'traded', 'West', { department: 'warehouse', assigneeUserId: 'west.store', dueInDays: 4 }),
];
const without = (...ids: string[]) => RULES.filter((r) => !ids.includes(r.ruleId));
const decidedBy = (rules: RuleForMatching[], productType: OrderProductType, region: string) => decidingRule(rules, productType, region)?.ruleId;

describe('R-FULFIL-1: the most specific rule decides', () => {
  it('R-FULFIL-1: exact type and region, then exact type in any region, then any type in the region, then any type anywhere', () => {
    expect(decidedBy(RULES, 'manufactured', 'East')).toBe('MADE-EAST');
    expect(decidedBy(without('MADE-EAST'), 'manufactured', 'East')).toBe('MADE-ANY');
    expect(decidedBy(without('MADE-EAST', 'MADE-ANY'), 'manufactured', 'East')).toBe('ANY-EAST');
    expect(decidedBy(without('MADE-EAST', 'MADE-ANY', 'ANY-EAST'), 'manufactured', 'East')).toBe('ANY-ANY');
    expect(decidedBy(without('MADE-EAST', 'MADE-ANY', 'ANY-EAST', 'ANY-ANY'), 'manufactured', 'East')).toBeUndefined();
  });

  it('R-FULFIL-1: specificity scores 3, 2, 1, 0 and -1 for a rule that does not apply', () => {
    expect(specificity({ productType: 'traded', region: 'West' }, 'traded', 'West')).toBe(3);
    expect(specificity({ productType: 'traded', region: '*' }, 'traded', 'West')).toBe(2);
    expect(specificity({ productType: '*', region: 'West' }, 'traded', 'West')).toBe(1);
    expect(specificity({ productType: '*', region: '*' }, 'traded', 'West')).toBe(0);
    expect(specificity({ productType: 'manufactured', region: 'West' }, 'traded', 'West')).toBe(-1);
    expect(specificity({ productType: 'traded', region: 'East' }, 'traded', 'West')).toBe(-1);
    expect(specificity({ productType: 'manufactured', region: '*' }, 'traded', 'West')).toBe(-1);
    expect(specificity({ productType: '*', region: 'East' }, 'traded', 'West')).toBe(-1);
  });

  it("R-FULFIL-1: a rule of another region or another product type never applies, however specific", () => {
    expect(decidedBy(RULES, 'traded', 'East')).toBe('ANY-EAST');
    expect(decidedBy(RULES, 'traded', 'West')).toBe('TRADED-WEST');
    expect(decidedBy(RULES, 'manufactured', 'West')).toBe('MADE-ANY');
    expect(decidedBy(RULES, 'traded', 'North')).toBe('ANY-ANY');
    expect(decidedBy([rule('TRADED-WEST', 'traded', 'West')], 'manufactured', 'West')).toBeUndefined();
    expect(decidedBy([rule('MADE-EAST', 'manufactured', 'East')], 'manufactured', 'West')).toBeUndefined();
  });

  it('R-FULFIL-1: regions match whatever the case, width or surrounding space; a region is not a prefix', () => {
    expect(decidedBy([rule('R', 'traded', 'east')], 'traded', ' EAST ')).toBe('R');
    expect(decidedBy([rule('R', 'traded', 'Ｅａｓｔ')], 'traded', 'East')).toBe('R');
    expect(decidedBy([rule('R', 'traded', '华东')], 'traded', '华东')).toBe('R');
    expect(decidedBy([rule('R', 'traded', 'East')], 'traded', 'East China')).toBeUndefined();
    expect(decidedBy([rule('R', 'traded', 'East China')], 'traded', 'East')).toBeUndefined();
  });
});

describe('R-FULFIL-1: ties are broken the same way every time', () => {
  it('R-FULFIL-1: equally specific rules: the higher priority wins, then the lower ruleId, whatever the order they come in', () => {
    const a = rule('EAST-A', 'traded', 'East', { assigneeUserId: 'a' });
    const b = rule('EAST-B', 'traded', 'East', { assigneeUserId: 'b' });
    const bPriority = { ...b, priority: 1 };
    expect(decidedBy([a, b], 'traded', 'East')).toBe('EAST-A');
    expect(decidedBy([b, a], 'traded', 'East')).toBe('EAST-A');
    expect(decidedBy([a, bPriority], 'traded', 'East')).toBe('EAST-B');
    expect(decidedBy([bPriority, a], 'traded', 'East')).toBe('EAST-B');
    // Priority never lifts a rule over a more specific one.
    const broad = rule('ANY-ANY', '*', '*', { priority: 1000 });
    expect(decidedBy([broad, a], 'traded', 'East')).toBe('EAST-A');
    // ruleIds compare by code point, not by locale: digits before capitals, shorter prefix first.
    expect(decidedBy([rule('EAST-A1', 'traded', 'East'), rule('EAST-A', 'traded', 'East'), rule('EAST-9', 'traded', 'East')], 'traded', 'East')).toBe('EAST-9');
    expect(decidedBy([rule('EAST-A1', 'traded', 'East'), rule('EAST-A', 'traded', 'East')], 'traded', 'East')).toBe('EAST-A');
  });

  it('R-FULFIL-1: for any set of rules, the decision is a matching rule no other matching rule outranks, and it does not depend on their order', () => {
    const ruleArb = fc.record({
      ruleId: fc.stringMatching(/^[A-C][0-9]$/),
      productType: fc.constantFrom('manufactured', 'traded', '*') as fc.Arbitrary<RuleForMatching['productType']>,
      region: fc.constantFrom('East', 'west', 'WEST', '*', 'North'),
      department: fc.constantFrom(...DEPARTMENTS),
      assigneeUserId: fc.constantFrom('a', 'b'),
      dueInDays: fc.integer({ min: 0, max: 30 }),
      priority: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(ruleArb, { selector: (r) => r.ruleId, maxLength: 12 }),
        fc.constantFrom<OrderProductType>('manufactured', 'traded'),
        fc.constantFrom('East', 'West', 'North', 'South'),
        (rules, productType, region) => {
          const chosen = decidingRule(rules, productType, region);
          const matching = rules.filter((r) => specificity(r, productType, region) >= 0);
          if (matching.length === 0) return chosen === undefined;
          if (!chosen || !matching.includes(chosen)) return false;
          const rank = (r: RuleForMatching) => [specificity(r, productType, region), r.priority] as const;
          const outranks = (r: RuleForMatching) => {
            const [s, p] = rank(r);
            const [cs, cp] = rank(chosen);
            return s > cs || (s === cs && (p > cp || (p === cp && r.ruleId < chosen.ruleId)));
          };
          if (matching.some(outranks)) return false;
          const reordered = [[...rules].reverse(), [...rules.slice(1), ...rules.slice(0, 1)]];
          return reordered.every((order) => decidingRule(order, productType, region)?.ruleId === chosen.ruleId);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('R-FULFIL-1: assignmentFor gives department, person and due date per product type', () => {
  it('R-FULFIL-1: one assignment per product type of the order, from its own deciding rule', () => {
    expect(assignmentFor({ region: 'East', productTypes: ['manufactured', 'traded'] }, RULES, TODAY)).toEqual({
      manufactured: { department: 'production', assigneeUserId: 'east.plant', dueDate: '2026-11-27', ruleId: 'MADE-EAST' },
      traded: { department: 'logistics', assigneeUserId: 'he.jun', dueDate: '2026-11-24', ruleId: 'ANY-EAST' },
    });
    expect(assignmentFor({ region: 'West', productTypes: ['traded'] }, RULES, TODAY)).toEqual({
      traded: { department: 'warehouse', assigneeUserId: 'west.store', dueDate: '2026-11-26', ruleId: 'TRADED-WEST' },
    });
  });

  it('R-FULFIL-1: null for a product type no rule covers; nothing for types the order does not hold; a repeated type once', () => {
    const rules = [rule('TRADED-WEST', 'traded', 'West')];
    expect(assignmentFor({ region: 'West', productTypes: ['manufactured', 'traded', 'manufactured'] }, rules, TODAY)).toEqual({
      manufactured: null,
      traded: { department: 'warehouse', assigneeUserId: 'traded-west.person', dueDate: '2026-11-25', ruleId: 'TRADED-WEST' },
    });
    expect(assignmentFor({ region: 'East', productTypes: ['traded'] }, rules, TODAY)).toEqual({ traded: null });
    expect(assignmentFor({ region: 'East', productTypes: ['traded'] }, [], TODAY)).toEqual({ traded: null });
    expect(assignmentFor({ region: 'East', productTypes: [] }, RULES, TODAY)).toEqual({});
  });

  it('R-FULFIL-1: the due date is the business date plus dueInDays: 0 is today; month, year and leap-day ends roll over', () => {
    const due = (dueInDays: number, today: string) => assignmentFor({ region: 'East', productTypes: ['traded'] }, [rule('R', 'traded', 'East', { dueInDays })], today).traded!.dueDate;
    expect(due(0, TODAY)).toBe(TODAY);
    expect(due(1, '2026-11-30')).toBe('2026-12-01');
    expect(due(3, '2026-12-30')).toBe('2027-01-02');
    expect(due(2, '2028-02-27')).toBe('2028-02-29');
    expect(due(1, '2027-02-28')).toBe('2027-03-01');
    expect(due(365, '2026-11-22')).toBe('2027-11-22');
    expect(due(5, TODAY)).toBe(addDays(TODAY, 5));
  });

  it("R-FULFIL-1: 'today' is the company's business date (Asia/Shanghai): late evening UTC is already the next day", () => {
    const today = businessDate(new Date('2026-11-22T16:30:00Z'), 'Asia/Shanghai');
    expect(today).toBe('2026-11-23');
    const result = assignmentFor({ region: 'East', productTypes: ['manufactured'] }, RULES, today);
    expect(result.manufactured!.dueDate).toBe('2026-11-28');
    expect(assignmentFor({ region: 'East', productTypes: ['manufactured'] }, RULES, businessDate(new Date('2026-11-22T15:59:59Z'), 'Asia/Shanghai')).manufactured!.dueDate).toBe('2026-11-27');
  });

  it('is pure: the rules and the order are not changed', () => {
    const rules = structuredClone(RULES);
    const order = { region: 'East', productTypes: ['manufactured', 'traded'] as OrderProductType[] };
    assignmentFor(order, rules, TODAY);
    expect(rules).toEqual(RULES);
    expect(order).toEqual({ region: 'East', productTypes: ['manufactured', 'traded'] });
  });
});
