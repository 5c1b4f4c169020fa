/**
 * Assignment rules (R-FULFIL-1): which department and person takes an approved order's goods of a
 * product type in a region, and how many days they have.
 */
import * as z from 'zod';
import { ROLES, type Role } from '../shared/roles.js';
import { Actor, IsoTimestamp, PageQuery } from '../shared/schemas.js';

export const RuleId = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'capital letters, digits and dashes, 2 to 40 characters');

export const ORDER_PRODUCT_TYPES = ['manufactured', 'traded'] as const;
export type OrderProductType = (typeof ORDER_PRODUCT_TYPES)[number];

export const RuleProductType = z.enum([...ORDER_PRODUCT_TYPES, '*']).meta({ description: "the product type the rule covers; '*' any" });

/** Every role but audit, which changes nothing, can be the department responsible for an order. */
export const DEPARTMENTS = ROLES.filter((r): r is Exclude<Role, 'auditor'> => r !== 'auditor');
export const Department = z.enum(DEPARTMENTS).meta({ description: 'the responsible department, as the role whose queue it is' });
export type Department = z.infer<typeof Department>;

export const AssignmentRuleBody = z
  .object({
    productType: RuleProductType,
    region: z.string().trim().min(1).max(100).meta({ description: "the customer's sales region (as on the customer, any case), or '*' for any region" }),
    department: Department,
    assigneeUserId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, 'a user id: letters, digits, dot, dash, underscore, @')
      .meta({ description: 'the responsible person' }),
    dueInDays: z.int().min(0).max(365).meta({ description: 'calendar days from the business date of assignment to the due date' }),
    priority: z
      .int()
      .min(0)
      .max(1000)
      .default(0)
      .meta({ description: 'among equally specific matching rules the higher priority wins; then the lower ruleId' }),
    remark: z.string().trim().max(500).optional(),
  })
  .strict()
  .meta({ id: 'AssignmentRuleBody' });
export type AssignmentRuleBody = z.infer<typeof AssignmentRuleBody>;

export const AssignmentRule = AssignmentRuleBody.extend({
  ruleId: RuleId,
  version: z.int(),
  createdAt: IsoTimestamp,
  createdBy: Actor,
  updatedAt: IsoTimestamp,
  updatedBy: Actor,
}).meta({ id: 'AssignmentRule' });
export type AssignmentRule = z.infer<typeof AssignmentRule>;

export const RuleIdParams = z.object({ ruleId: RuleId });

export const ListAssignmentRulesQuery = PageQuery.extend({
  productType: RuleProductType.optional(),
  department: Department.optional(),
});
