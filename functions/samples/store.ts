/** Sample and gift request persistence: versioned items with history, listed by status. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { subjectOf } from '../shared/audit.js';
import { ddb, decodeCursor, encodeCursor, nextInSequence, tableName, withoutKeys } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { versionedStore } from '../shared/versioned.js';
import type { SampleRequest, SampleRequestStatus } from './schemas.js';

const fromItem = (item: Record<string, unknown>) => withoutKeys(item, ['createdKey']) as SampleRequest;

export const sampleSubject = (requestId: string) => subjectOf('sampleRequest', requestId);

const store = versionedStore<SampleRequest>({
  table: 'sampleRequests',
  key: 'requestId',
  noun: 'sample request',
  subject: sampleSubject,
  toItem: (r) => ({ ...r, createdKey: `${r.createdAt}#${r.requestId}` }),
  fromItem,
});

export const { get: getSampleRequest, insert: insertSampleRequest, replace: replaceSampleRequest, replaceItems: sampleReplaceItems } = store;

export async function nextSampleRequestNumber(): Promise<string> {
  return formatNumber('SR', await nextInSequence('sampleRequest'));
}

/** Requests in a status, oldest first (the warehouse's list of approved ones to issue). */
export async function listSampleRequests(status: SampleRequestStatus, page: { limit: number; cursor?: string }) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('sampleRequests'),
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :s',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':s': status },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
