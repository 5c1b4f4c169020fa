/** Assignment rule routes (R-FULFIL-1): the admin maintains the rules; the order side and audit read them. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { AssignmentRule, AssignmentRuleBody, ListAssignmentRulesQuery, RuleIdParams } from './schemas.js';

export const RULE_MAINTAINERS: readonly Role[] = ['admin'];
export const RULE_READERS: readonly Role[] = ['admin', 'sales_manager', 'order_desk', 'auditor'];

/** Routes with exactly the same access share a function (functions/shared/route-group.ts). */
const ruleReads: FunctionDefinition = {
  id: 'AssignmentRuleReads',
  entry: 'functions/assignment/handlers/assignment-rule-reads.ts',
  description: 'List and read assignment rules',
  access: { tables: { assignmentRules: 'read' } },
};
const ruleChanges: FunctionDefinition = {
  id: 'AssignmentRuleChanges',
  entry: 'functions/assignment/handlers/assignment-rule-changes.ts',
  description: 'Create, replace or delete an assignment rule, with the history',
  access: { tables: { assignmentRules: 'readwrite', audit: 'write' } },
};

export const assignmentRoutes = {
  listAssignmentRules: defineRoute({
    operationId: 'listAssignmentRules',
    method: 'GET',
    path: '/assignment-rules',
    tag: 'Assignment rules',
    summary: 'The rules that assign an approved order by product type and region to a department and person (R-FULFIL-1), by rule id',
    roles: RULE_READERS,
    query: ListAssignmentRulesQuery,
    responses: { 200: { description: 'OK', schema: pageOf(AssignmentRule, 'AssignmentRulePage') } },
    function: ruleReads,
  }),
  getAssignmentRule: defineRoute({
    operationId: 'getAssignmentRule',
    method: 'GET',
    path: '/assignment-rules/{ruleId}',
    tag: 'Assignment rules',
    summary: 'Read an assignment rule',
    roles: RULE_READERS,
    params: RuleIdParams,
    responses: { 200: { description: 'OK', schema: AssignmentRule } },
    function: ruleReads,
  }),
  putAssignmentRule: defineRoute({
    operationId: 'putAssignmentRule',
    method: 'PUT',
    path: '/assignment-rules/{ruleId}',
    tag: 'Assignment rules',
    summary: 'Create the rule with this id (201), or replace it (200; send If-Match with the version read); the same rule again changes nothing',
    roles: RULE_MAINTAINERS,
    params: RuleIdParams,
    body: AssignmentRuleBody,
    responses: {
      200: { description: 'Replaced (or unchanged)', schema: AssignmentRule },
      201: { description: 'Created', schema: AssignmentRule },
      412: { description: 'If-Match names an older version, or a rule that does not exist' },
    },
    function: ruleChanges,
  }),
  deleteAssignmentRule: defineRoute({
    operationId: 'deleteAssignmentRule',
    method: 'DELETE',
    path: '/assignment-rules/{ruleId}',
    tag: 'Assignment rules',
    summary: 'Delete a rule (send If-Match with the version read); its history stays readable',
    roles: RULE_MAINTAINERS,
    params: RuleIdParams,
    responses: { 204: { description: 'Deleted' }, 412: { description: 'If-Match names an older version' } },
    function: ruleChanges,
  }),
  getAssignmentRuleHistory: defineRoute({
    operationId: 'getAssignmentRuleHistory',
    method: 'GET',
    path: '/assignment-rules/{ruleId}/history',
    tag: 'Assignment rules',
    summary: 'Every change to an assignment rule, its deletion included (R-INFO-3)',
    roles: RULE_READERS,
    params: RuleIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'AssignmentRuleChangePage') } },
    function: {
      id: 'GetAssignmentRuleHistory',
      entry: 'functions/assignment/handlers/get-assignment-rule-history.ts',
      description: "Read an assignment rule's change history",
      access: { tables: { audit: 'read' } },
    },
  }),
};
