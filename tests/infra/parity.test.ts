/**
 * One definition, two runtimes: every route, table, state machine, schedule and stream consumer of the
 * synthesized CloudFormation template has its counterpart in the running local stack, and the
 * reverse. The local side is read from what actually runs (DescribeTable on DynamoDB Local, the
 * loaded state machines, the scheduler), not from the definitions both are built from. The cloud
 * side is the parent stack and its nested stacks as one template, references followed across them.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableEnvName } from '../../functions/shared/definitions.js';
import { TABLE_LIST } from '../../infra/definitions/index.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { synthesizeTemplate } from '../../infra/synth.js';
import { startTestStack } from '../support/local-stack.js';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

let resources: Resources;
let stack: LocalStack;

beforeAll(async () => {
  [resources, stack] = await Promise.all([synthesizeTemplate().Resources as Resources, startTestStack()]);
});
afterAll(async () => stack?.stop());

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/**
 * A function's key in the merged template (infra/synth.ts) is `<its area's nested stack resource>/<FunctionId>Function<hash>`
 * (infra/constructs/areas.ts: the function's construct id is its definition id).
 */
const functionIdOf = (key: string) => /^Functions\w+NestedStackResource[0-9A-F]{8}\/(\w+?)Function[0-9A-F]{8}$/.exec(key)?.[1];
const getAttTarget = (value: any) => (value?.['Fn::GetAtt'] as [string, string] | undefined)?.[0];

describe('parity of the CDK template and the local stack', () => {
  it('routes: same route keys, same public/JWT split, same function behind each', () => {
    const cloud = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => {
      const integrationId = (r.Properties.Target['Fn::Join'][1] as any[])[1].Ref as string;
      const integration = resources[integrationId]!;
      return {
        routeKey: r.Properties.RouteKey as string,
        public: r.Properties.AuthorizationType !== 'JWT',
        functionId: functionIdOf(getAttTarget(integration.Properties.IntegrationUri)!),
      };
    });
    const local = stack.describe().routes;
    const sort = <T extends { routeKey: string }>(xs: T[]) => [...xs].sort((a, b) => a.routeKey.localeCompare(b.routeKey));
    expect(sort(cloud)).toEqual(sort(local));
  });

  it('tables: same keys, indexes, TTL and stream as the tables DynamoDB Local actually has', async () => {
    // Map each cloud table to its definition through the TABLE_* variables the functions receive.
    const envTables = new Map<string, string>();
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      for (const [name, value] of Object.entries<any>(fn.Properties.Environment?.Variables ?? {})) {
        if (name.startsWith('TABLE_') && value?.Ref) envTables.set(value.Ref, name);
      }
    }
    const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const cloudTables = ofType('AWS::DynamoDB::Table');
    expect(cloudTables).toHaveLength(stack.describe().tables.length);
    const shape = (t: { KeySchema?: any[]; AttributeDefinitions?: any[]; GlobalSecondaryIndexes?: any[]; StreamSpecification?: any }, ttl?: string) => ({
      keys: (t.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`),
      attributes: (t.AttributeDefinitions ?? []).map((a) => `${a.AttributeName}:${a.AttributeType}`).sort(),
      indexes: (t.GlobalSecondaryIndexes ?? [])
        .map((i) => `${i.IndexName}(${i.KeySchema.map((k: any) => `${k.AttributeName}:${k.KeyType}`).join(',')})${i.Projection.ProjectionType}`)
        .sort(),
      stream: t.StreamSpecification?.StreamViewType ?? null,
      ttl: ttl ?? null,
    });
    for (const [logicalId, table] of cloudTables) {
      const envName = envTables.get(logicalId);
      expect(envName, `${logicalId} is given to no function`).toBeDefined();
      const localName = stack.describe().tables.find((n) => TABLE_LIST.some((t) => t.localName === n && tableEnvName(t.id) === envName));
      expect(localName, `no local table for ${envName}`).toBeDefined();
      const { Table } = await client.send(new DescribeTableCommand({ TableName: localName }));
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: localName }));
      const localTtl = ttl.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' ? ttl.TimeToLiveDescription.AttributeName : undefined;
      const cloudTtl = table.Properties.TimeToLiveSpecification?.Enabled ? table.Properties.TimeToLiveSpecification.AttributeName : undefined;
      expect(shape(Table!, localTtl), localName).toEqual(shape(table.Properties, cloudTtl));
    }
    client.destroy();
  });

  it('state machines: same machines, each placeholder filled with the same function', () => {
    const cloud = ofType('AWS::StepFunctions::StateMachine').map(([, r]) => ({
      substitutions: Object.fromEntries(
        Object.entries<any>(r.Properties.DefinitionSubstitutions ?? {}).map(([k, v]) => [k, functionIdOf(getAttTarget(v)!)]),
      ),
    }));
    const local = stack.describe().stateMachines.map((m) => ({
      substitutions: Object.fromEntries(Object.entries(m.substitutions).map(([k, arn]) => [k, arn.split(':').at(-1)])),
    }));
    const key = (m: { substitutions: Record<string, unknown> }) => JSON.stringify(Object.entries(m.substitutions).sort());
    expect(cloud.map(key).sort()).toEqual(local.map(key).sort());
    expect(cloud.length).toBeGreaterThan(0);
  });

  it('schedules: same expressions, time zones and job functions', () => {
    const cloud = ofType('AWS::Scheduler::Schedule').map(([, r]) => ({
      expression: r.Properties.ScheduleExpression,
      timeZone: r.Properties.ScheduleExpressionTimezone,
      job: functionIdOf(getAttTarget(r.Properties.Target.Arn)!),
    }));
    const local = stack.describe().schedules.map(({ expression, timeZone, job }) => ({ expression, timeZone, job }));
    expect(cloud).toEqual(local);
  });

  it('stream consumers: every event source mapping has its local poller with the same function and events, but the SNS publisher (no local SNS)', () => {
    const cloud = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => ({
      function: functionIdOf(String(Object.values(r.Properties.FunctionName as Record<string, unknown>)[0] ?? '')) ?? JSON.stringify(r.Properties.FunctionName),
      events: (r.Properties.FilterCriteria.Filters as { Pattern: string }[]).flatMap((f) => (JSON.parse(f.Pattern) as { eventName: string[] }).eventName),
    }));
    const local = stack.describe().streamConsumers.map((c) => ({ function: c.function, events: c.events }));
    const cloudOnly = cloud.filter((c) => !local.some((l) => l.function === c.function));
    expect(cloudOnly.map((c) => c.function)).toEqual(['PublishNotifications']);
    expect(cloud.filter((c) => !cloudOnly.includes(c))).toEqual(local);
  });
});
