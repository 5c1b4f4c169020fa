/**
 * Table streams to their consumers (STREAM_CONSUMERS in the one definition): the event source only
 * passes the events the consumer takes (a filter), bisects a failing batch, retries a record a few
 * times, then parks it in an encrypted on-failure queue instead of blocking the shard. A consumer of
 * the outbox must not lose what it parks: the outbox's sweeper picks up anything still pending.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamConsumerDefinition } from '../../functions/shared/definitions.js';
import type { BusinessFunction } from './business-function.js';

export const STREAM_RETRY_ATTEMPTS = 5;

/** An encrypted queue that is itself the on-failure destination of a stream consumer. */
export function streamFailuresQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the on-failure destination (dead letters) of a DynamoDB stream consumer; cdk-nag cannot see that because no queue redrive policy points at it.',
  });
  return queue;
}

/** The stream of `table` drives `consumer`: its events only, bisect on error, failures to `failures`. */
export function connectStream(consumer: BusinessFunction, table: dynamodb.ITable, definition: Pick<StreamConsumerDefinition, 'events' | 'batchSize'>, failures: sqs.IQueue): void {
  consumer.function.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: definition.batchSize,
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: STREAM_RETRY_ATTEMPTS,
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(failures),
      filters: [lambda.FilterCriteria.filter({ eventName: definition.events.length === 1 ? lambda.FilterRule.isEqual(definition.events[0]!) : lambda.FilterRule.or(...definition.events) })],
    }),
  );
  Validations.of(consumer.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Besides X-Ray (no resource-level permissions), a stream consumer needs dynamodb:ListStreams, which only accepts Resource "*" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html); reading the stream itself is limited to its table\'s stream ARN.',
  });
}

/** The outbox's workflow starts: the stream consumer that makes them, with its own failures queue. */
export class WorkflowStarts extends Construct {
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.failures = streamFailuresQueue(this, 'StartFailures');
  }

  connect(consumer: BusinessFunction, table: dynamodb.ITable, definition: StreamConsumerDefinition): void {
    connectStream(consumer, table, definition, this.failures);
  }
}
