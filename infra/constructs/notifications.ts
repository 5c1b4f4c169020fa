/**
 * Notifications: the outbox table's stream feeds the publisher function, which sends each new
 * notification to an SNS topic (KMS-encrypted, TLS only). Records that still fail after retries
 * and batch bisection go to an encrypted on-failure queue instead of blocking the stream.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamConsumerDefinition } from '../../functions/shared/definitions.js';
import type { BusinessFunction } from './business-function.js';
import { connectStream, streamFailuresQueue } from './streams.js';

export class Notifications extends Construct {
  readonly key: kms.Key;
  readonly topic: sns.Topic;
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Order-to-cash notifications topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Order-to-cash notifications',
      masterKey: this.key,
      enforceSSL: true,
    });

    this.failures = streamFailuresQueue(this, 'PublishFailures');
  }

  /** The outbox stream drives the publisher: new notifications only, bisect on error, failures to the queue. */
  connectPublisher(publisher: BusinessFunction, outbox: dynamodb.ITable, definition: StreamConsumerDefinition): void {
    connectStream(publisher, outbox, definition, this.failures);
  }
}
