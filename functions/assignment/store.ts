/**
 * Assignment rule persistence: versioned items with history; all rules in one partition of the
 * byList index, so the whole set is one Query (a few dozen rules, never a Scan).
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { cancellationReasons, ddb, decodeCursor, encodeCursor, namePrefixQuery, tableName, withoutKeys } from '../shared/dynamo.js';
import { conflict } from '../shared/errors.js';
import type { Actor } from '../shared/schemas.js';
import { versionedStore } from '../shared/versioned.js';
import type { AssignmentRule } from './schemas.js';

export const assignmentRuleSubject = (ruleId: string) => subjectOf('assignmentRule', ruleId);

const LIST_KEY = 'RULE';
const STORAGE_KEYS = ['listKey'] as const;

const rules = versionedStore<AssignmentRule>({
  table: 'assignmentRules',
  key: 'ruleId',
  noun: 'assignment rule',
  subject: assignmentRuleSubject,
  toItem: (rule) => ({ ...rule, listKey: LIST_KEY }),
  fromItem: (item) => withoutKeys(item, STORAGE_KEYS) as AssignmentRule,
});

export const { get: getAssignmentRule, insert: insertAssignmentRule, update: updateAssignmentRule } = rules;

/** Deletes the rule if it is still at the version read, with its history entry (before = the rule, after = null). */
export async function deleteAssignmentRule(current: AssignmentRule, by: Actor): Promise<void> {
  try {
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName('assignmentRules'),
              Key: { ruleId: current.ruleId },
              ConditionExpression: '#v = :expected',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':expected': current.version },
            },
          },
          changeEntryPut(assignmentRuleSubject(current.ruleId), by, 'assignment rule deleted', current, null),
        ],
      }),
    );
  } catch (err) {
    if (cancellationReasons(err)?.[0] === 'ConditionalCheckFailed') {
      throw conflict(`${current.ruleId} was changed or deleted by someone else at the same moment; reload and try again`);
    }
    throw err;
  }
}

/** One page of rules by id, optionally of one product type and department. */
export async function listAssignmentRules(filter: { productType?: string; department?: string; limit: number; cursor?: string }) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('assignmentRules'),
      IndexName: 'byList',
      ...namePrefixQuery({ partition: ['listKey', LIST_KEY], nameKey: 'ruleId', equals: { productType: filter.productType, department: filter.department } }),
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor),
    }),
  );
  return { items: (result.Items ?? []).map((i) => withoutKeys(i, STORAGE_KEYS) as AssignmentRule), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/**
 * Every rule, for assignmentFor() (R-FULFIL-1). The caller needs read access to the
 * assignmentRules table. Read from the index: a change made a moment ago may take up to a second
 * to show in the cloud.
 */
export async function loadAssignmentRules(): Promise<AssignmentRule[]> {
  const all: AssignmentRule[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: tableName('assignmentRules'),
        IndexName: 'byList',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'listKey' },
        ExpressionAttributeValues: { ':pk': LIST_KEY },
        ExclusiveStartKey: start,
      }),
    );
    all.push(...(page.Items ?? []).map((i) => withoutKeys(i, STORAGE_KEYS) as AssignmentRule));
    start = page.LastEvaluatedKey;
  } while (start);
  return all;
}
