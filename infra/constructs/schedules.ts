/**
 * The jobs' schedules, from SCHEDULES: an EventBridge Scheduler schedule per entry with its
 * expression and time zone, invoking the job function with retries; what still fails lands
 * in an encrypted dead-letter queue.
 */
import { Duration, RemovalPolicy, TimeZone, Validations } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleDefinition } from '../../functions/shared/definitions.js';
import type { BusinessFunction } from './business-function.js';

export interface SchedulesProps {
  readonly schedules: readonly ScheduleDefinition[];
  readonly functions: ReadonlyMap<string, BusinessFunction>;
}

export const SCHEDULE_RETRY_ATTEMPTS = 3;

export class Schedules extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly schedules = new Map<string, scheduler.Schedule>();

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the job schedules (EventBridge Scheduler DeadLetterConfig), which cdk-nag cannot see because no queue redrive policy points at it.',
    });

    for (const def of props.schedules) {
      if (this.schedules.has(def.name)) throw new Error(`schedule ${def.name} is defined twice`);
      const job = props.functions.get(def.job.id);
      if (!job) throw new Error(`schedule ${def.name}: function ${def.job.id} was not created`);
      const schedule = new scheduler.Schedule(this, `Schedule-${def.name}`, {
        description: def.description.slice(0, 512),
        schedule: scheduler.ScheduleExpression.expression(def.expression, TimeZone.of(def.timeZone)),
        target: new targets.LambdaInvoke(job.function, {
          // The job learns which schedule fired and for which moment (its "as of"), not the wall clock.
          input: scheduler.ScheduleTargetInput.fromObject({
            schedule: def.name,
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.deadLetterQueue,
        }),
      });
      this.schedules.set(def.name, schedule);
    }
  }
}
