/**
 * One construct for every business function: the same runtime, architecture, log group,
 * tracing, bundling and environment for all, and IAM derived from the function's declared
 * access (FunctionDefinition.access), nothing more.
 */
import { readFileSync } from 'node:fs';
import { type CfnElement, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  type AccessLevel,
  EXPORTS_BUCKET_ENV,
  type FunctionDefinition,
  type StateMachineId,
  type TableId,
  stateMachineEnvName,
  tableEnvName,
} from '../../functions/shared/definitions.js';
import { BUNDLING } from '../definitions/bundling.js';
import { assetHooks } from './assets.js';
import { fromRepoRoot, REPO_ROOT } from './paths.js';

export const SERVICE_NAME = 'order-to-cash';
/** Environment variable that carries the notifications topic ARN to the publisher. */
export const NOTIFICATIONS_TOPIC_ENV = 'NOTIFICATIONS_TOPIC_ARN';

/** The release the health check and the OpenAPI document report (APP_VERSION). */
const APP_VERSION = (JSON.parse(readFileSync(fromRepoRoot('package.json'), 'utf8')) as { version: string }).version;

/** The same defaults the local stack uses (infra/local/lambda.ts). */
const DEFAULT_TIMEOUT_SECONDS = 30;
const DEFAULT_MEMORY_MB = 512;

/**
 * Least-privilege DynamoDB actions. Deliberately narrower than Table.grantReadData /
 * grantWriteData: no Scan (DESIGN: every request path reads by key or index), no stream reads.
 */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/** A table as the functions see it: the L2 plus the names of its indexes (for explicit index ARNs). */
export interface TableResource {
  readonly table: dynamodb.ITable;
  readonly indexNames: readonly string[];
}

/** Everything a function may be granted access to. */
export interface AccessResources {
  readonly tables: Readonly<Record<TableId, TableResource>>;
  readonly stateMachines: Readonly<Partial<Record<StateMachineId, sfn.IStateMachine>>>;
  readonly notificationsTopic?: sns.ITopic;
  /** The finance exports bucket (R-AR-3), KMS-encrypted. */
  readonly exportsBucket?: s3.IBucket;
}

export interface BusinessFunctionProps {
  readonly definition: FunctionDefinition;
  /** Company settings overrides as JSON (CDK context `settings`), passed as SETTINGS_JSON. */
  readonly settingsJson?: string;
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A role whose permissions are one inline policy of the role itself (the role's `Policies`)
 * instead of a separate AWS::IAM::Policy resource: every statement CDK or this code adds
 * (addToPrincipalPolicy, grants, X-Ray, event sources) lands in that document, word for word,
 * so the permissions are exactly as narrow as with a separate policy (which IAM stores as an
 * inline policy of the role as well, within the same size quota), and each function costs one
 * CloudFormation resource less. Functions depend on their role, so the permissions exist
 * before the function does, as before.
 */
export class InlinePolicyRole extends iam.Role {
  /** Name of the inline policy that carries the function's permissions. */
  static readonly POLICY_NAME = 'access';
  private readonly document: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const document = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, [InlinePolicyRole.POLICY_NAME]: document } });
    this.document = document;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

export class BusinessFunction extends Construct {
  readonly definition: FunctionDefinition;
  readonly function: NodejsFunction;
  readonly role: InlinePolicyRole;
  readonly logGroup: logs.LogGroup;
  private granted = false;

  constructor(scope: Construct, id: string, props: BusinessFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An own role instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs on every log group); this one writes to its own log group only.
    this.role = new InlinePolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${definition.id}: ${definition.description}`.slice(0, 1000),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const environment: Record<string, string> = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      APP_VERSION,
    };
    if (props.settingsJson) environment.SETTINGS_JSON = props.settingsJson;

    this.function = new NodejsFunction(this, 'Function', {
      entry: fromRepoRoot(definition.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: fromRepoRoot('package-lock.json'),
      description: definition.description.slice(0, 256),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: definition.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment,
      bundling: {
        ...BUNDLING,
        format: BUNDLING.format as OutputFormat,
        mainFields: [...BUNDLING.mainFields],
        externalModules: [...BUNDLING.externalModules],
        logLevel: BUNDLING.logLevel as LogLevel,
        forceDockerBundling: false,
        ...(definition.assets?.length ? { commandHooks: assetHooks(definition.assets) } : {}),
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html). Table, workflow and topic statements name their resources.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'DESIGN.md pins Lambda to nodejs22.x: the code and its libraries are tested on Node 20/22 (middy 6.4, Powertools 2); a runtime upgrade is a deliberate, tested change, not a lint fix.',
    });
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  /** Turns the definition's declared access into grants and environment variables. Called once. */
  grantAccess(resources: AccessResources): void {
    if (this.granted) throw new Error(`${this.definition.id}: access already granted`);
    this.granted = true;
    const { access } = this.definition;

    for (const [tableId, level] of Object.entries(access.tables ?? {}) as [TableId, AccessLevel][]) {
      const resource = resources.tables[tableId];
      if (!resource) throw new Error(`${this.definition.id} accesses table ${tableId}, which is not defined`);
      this.grantTable(resource, level);
      this.function.addEnvironment(tableEnvName(tableId), resource.table.tableName);
    }

    const machines = new Set<StateMachineId>([...(access.startExecution ?? []), ...(access.sendTaskResult ?? [])]);
    for (const machineId of machines) {
      const machine = resources.stateMachines[machineId];
      if (!machine) throw new Error(`${this.definition.id} accesses state machine ${machineId}, which is not defined`);
      this.function.addEnvironment(stateMachineEnvName(machineId), machine.stateMachineArn);
      if (access.startExecution?.includes(machineId)) machine.grantStartExecution(this.role);
      if (access.sendTaskResult?.includes(machineId)) machine.grantTaskResponse(this.role);
    }

    if (access.publishNotifications) {
      const topic = resources.notificationsTopic;
      if (!topic) throw new Error(`${this.definition.id} publishes notifications, but there is no topic`);
      // Not topic.grantPublish: that grants kms:GenerateDataKey* (every variant); SNS needs these two.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
      if (topic.masterKey) {
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [topic.masterKey.keyArn] }),
        );
      }
      this.function.addEnvironment(NOTIFICATIONS_TOPIC_ENV, topic.topicArn);
    }

    if (access.exportsBucket) {
      const bucket = resources.exportsBucket;
      if (!bucket) throw new Error(`${this.definition.id} uses the exports bucket, but there is none`);
      this.grantExportsBucket(bucket, access.exportsBucket);
      this.function.addEnvironment(EXPORTS_BUCKET_ENV, bucket.bucketName);
    }
  }

  /**
   * Objects of the exports bucket only, never the bucket itself (no listing, no deleting, no
   * policy): readers get GetObject (presigned downloads are signed with the reader's role),
   * writers PutObject and AbortMultipartUpload (streamed multipart uploads, and their clean-up on
   * failure). Not bucket.grantWrite/grantRead: those add s3:DeleteObject*, s3:Abort*, s3:List* and
   * the kms:ReEncrypt* and kms:GenerateDataKey* wildcards. The key: Decrypt to read, GenerateDataKey to write
   * (and Decrypt, which S3 needs to put a multipart object's parts together).
   */
  private grantExportsBucket(bucket: s3.IBucket, level: AccessLevel): void {
    const reads = level !== 'write';
    const writes = level !== 'read';
    const actions = [...(reads ? ['s3:GetObject'] : []), ...(writes ? ['s3:PutObject', 's3:AbortMultipartUpload'] : [])];
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [bucket.arnForObjects('*')] }));
    const objects = nagObjectsResource(this, bucket);
    if (objects) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${objects}]`,
        reason:
          'Export files are objects under keys made at run time (<export id>/<file name>), so the grant names the exports bucket\'s objects, <bucket ARN>/*: no other bucket, and only GetObject, or PutObject and AbortMultipartUpload, never listing or deleting.',
      });
    }
    if (bucket.encryptionKey) {
      const keyActions = [...(writes ? ['kms:GenerateDataKey'] : []), 'kms:Decrypt'];
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: keyActions, resources: [bucket.encryptionKey.keyArn] }));
    }
  }

  private grantTable({ table, indexNames }: TableResource, level: AccessLevel): void {
    if (level === 'read' || level === 'readwrite') {
      // Readers query the table and its indexes (named one by one, no `index/*`).
      const indexArns = indexNames.map((name) => `${table.tableArn}/index/${name}`);
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [table.tableArn, ...indexArns] }));
    }
    if (level === 'write' || level === 'readwrite') {
      // Indexes are read-only in DynamoDB: writes name the table only.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: WRITE_ACTIONS, resources: [table.tableArn] }));
    }
  }
}

/**
 * How cdk-nag names `<bucket ARN>/*` in a finding on a role of `scope`: the bucket's logical id in
 * its own stack, or the parameter CDK passes the ARN through into a nested stack
 * (reference-to-<the bucket's unique id>Arn). Undefined for a bucket defined elsewhere.
 */
function nagObjectsResource(scope: Construct, bucket: s3.IBucket): string | undefined {
  const cfn = bucket.node.defaultChild as CfnElement | undefined;
  if (!cfn) return undefined;
  const ref = Stack.of(scope) === Stack.of(bucket) ? `${Stack.of(bucket).resolve(cfn.logicalId) as string}.Arn` : `referenceto${Names.uniqueId(cfn)}Arn`;
  return `<${ref}>/*`;
}
