/**
 * The jobs' schedules, from SCHEDULES: an EventBridge Scheduler schedule per entry with its
 * expression and time zone, invoking the job function with retries; what still fails lands
 * in an encrypted dead-letter queue.
 */
import { Aws, Duration, RemovalPolicy, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
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
  /** The role EventBridge Scheduler assumes to invoke the jobs (only from this account's schedules). */
  readonly role: iam.Role;
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

    this.role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler: invoke the order-to-cash jobs and dead-letter what fails',
    });

    for (const def of props.schedules) {
      if (this.schedules.has(def.name)) throw new Error(`schedule ${def.name} is defined twice`);
      const job = props.functions.get(def.job.id);
      if (!job) throw new Error(`schedule ${def.name}: function ${def.job.id} was not created`);
      const schedule = new scheduler.Schedule(this, `Schedule-${def.name}`, {
        description: def.description.slice(0, 512),
        schedule: scheduler.ScheduleExpression.expression(def.expression, TimeZone.of(def.timeZone)),
        target: new UnqualifiedLambdaInvoke(job.function, {
          // The same event the local scheduler sends (infra/local/scheduler.ts): which schedule fired, and for when.
          input: scheduler.ScheduleTargetInput.fromObject({
            source: 'aws.scheduler',
            schedule: def.name,
            time: scheduler.ContextAttribute.scheduledTime,
          }),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.deadLetterQueue,
          role: this.role,
        }),
      });
      this.schedules.set(def.name, schedule);
    }
  }
}

/**
 * LambdaInvoke, but the scheduler role may invoke the unqualified function only: the schedule
 * targets that ARN, and LambdaInvoke's own grant (function.grantInvoke) adds `<arn>:*`, every
 * version and alias, which no schedule uses (the workflows' roles are limited the same way).
 */
class UnqualifiedLambdaInvoke extends targets.LambdaInvoke {
  constructor(
    private readonly target: lambda.IFunction,
    props: targets.ScheduleTargetBaseProps,
  ) {
    super(target, props);
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }));
  }
}
