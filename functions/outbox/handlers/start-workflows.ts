/**
 * The workflow-starts table's stream calls this with new items (the event source filters INSERT):
 * each start is made (outbox/starts.ts). A start that fails (Step Functions unreachable, throttled)
 * fails its batch item; the event source retries it, then parks it, and the sweeper
 * (workflow-starts-due) makes it later: the item stays pending until its execution exists.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../shared/logger.js';
import { makeStart } from '../starts.js';
import type { WorkflowStart } from '../store.js';

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const start = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as WorkflowStart;
    try {
      await makeStart(start);
    } catch (err) {
      logger.error('workflow start failed; retried', { startKey: start.startKey, error: err as Error });
      // Records of a shard are delivered in order; the event source retries from the first failure.
      batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber ?? '' });
      break;
    }
  }
  return { batchItemFailures };
}
