/**
 * Cloud only: the outbox table's stream calls this for new notifications, which go to the SNS
 * topic with the recipient as a message attribute, so subscribers (email, SMS, chat) filter by it.
 * A failed record fails the batch item; the event source retries it (bisecting) and then parks it.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { logger } from '../../shared/logger.js';
import type { Notification } from '../schemas.js';

const sns = new SNSClient({});

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const topicArn = process.env.NOTIFICATIONS_TOPIC_ARN;
  if (!topicArn) throw new Error('NOTIFICATIONS_TOPIC_ARN is not set');
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const n = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as Notification;
    try {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: n.subject.slice(0, 100),
          Message: JSON.stringify(n),
          MessageAttributes: {
            recipient: { DataType: 'String', StringValue: n.recipient },
            topic: { DataType: 'String', StringValue: n.topic },
          },
        }),
      );
    } catch (err) {
      logger.error('publish failed', { notificationId: n.notificationId, error: err as Error });
      batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures };
}
