/**
 * R-FULFIL-1: an approved order is assigned by product type and region to the responsible
 * department and person, with a due date. Pure: no I/O, the rules and the date come in.
 */
import { addDays } from '../shared/clock.js';
import type { AssignmentRule, Department, OrderProductType } from './schemas.js';

export type RuleForMatching = Pick<AssignmentRule, 'ruleId' | 'productType' | 'region' | 'department' | 'assigneeUserId' | 'dueInDays' | 'priority'>;

export interface Assignment {
  department: Department;
  assigneeUserId: string;
  /** Business date (YYYY-MM-DD): today + the rule's dueInDays. */
  dueDate: string;
  /** The rule that decided, for the order's history. */
  ruleId: string;
}

/** Regions compare as people type them: width, case and surrounding space do not matter. */
export const normaliseRegion = (region: string) => region.normalize('NFKC').trim().toLowerCase();

/**
 * How specific a rule is for a product type and region, or -1 if it does not apply:
 * exact type and region 3, exact type with any region 2, any type with the exact region 1,
 * any type in any region 0. A rule's product type counts for more than its region.
 */
export function specificity(rule: Pick<RuleForMatching, 'productType' | 'region'>, productType: OrderProductType, region: string): number {
  const typeExact = rule.productType === productType;
  const regionExact = rule.region !== '*' && normaliseRegion(rule.region) === normaliseRegion(region);
  if (!typeExact && rule.productType !== '*') return -1;
  if (!regionExact && rule.region !== '*') return -1;
  return (typeExact ? 2 : 0) + (regionExact ? 1 : 0);
}

/** The rule that decides for one product type in a region, or undefined: most specific, then highest priority, then lowest ruleId. */
export function decidingRule<R extends RuleForMatching>(rules: readonly R[], productType: OrderProductType, region: string): R | undefined {
  let best: { rule: R; score: number } | undefined;
  for (const rule of rules) {
    const score = specificity(rule, productType, region);
    if (score < 0) continue;
    const better =
      !best ||
      score > best.score ||
      (score === best.score && (rule.priority > best.rule.priority || (rule.priority === best.rule.priority && rule.ruleId < best.rule.ruleId)));
    if (better) best = { rule, score };
  }
  return best?.rule;
}

/**
 * For each product type the order holds, who is responsible and by when: the deciding rule's
 * department and assignee, due `dueInDays` after `today` (the company's business date), or null
 * when no rule matches (the order then needs a person to assign it).
 */
export function assignmentFor(
  order: { region: string; productTypes: readonly OrderProductType[] },
  rules: readonly RuleForMatching[],
  today: string,
): Partial<Record<OrderProductType, Assignment | null>> {
  const result: Partial<Record<OrderProductType, Assignment | null>> = {};
  for (const productType of order.productTypes) {
    if (productType in result) continue;
    const rule = decidingRule(rules, productType, order.region);
    result[productType] = rule
      ? { department: rule.department, assigneeUserId: rule.assigneeUserId, dueDate: addDays(today, rule.dueInDays), ruleId: rule.ruleId }
      : null;
  }
  return result;
}
