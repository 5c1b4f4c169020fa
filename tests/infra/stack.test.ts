/**
 * The synthesized template against the one definition: tables, functions, routes, the state
 * machine, the schedule, transport security and least privilege. One synthesis, shared. The
 * template is the merged view of the parent and its nested stacks (infra/synth.ts): references
 * across stacks are followed, so `{ Ref: <orders table> }` in a nested function is the parent's table.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type StateMachineId, stateMachineEnvName, tableEnvName, type TableDefinition, type TableId } from '../../functions/shared/definitions.js';
import { ROLES } from '../../functions/shared/roles.js';
import { FUNCTIONS, ROUTES, SCHEDULES, STATE_MACHINES, STREAM_CONSUMERS, TABLE_LIST } from '../../infra/definitions/index.js';
import { fromRepoRoot } from '../../infra/constructs/paths.js';
import { aslPlaceholders } from '../../infra/constructs/workflows.js';
import { CLOUD_ONLY_FUNCTIONS, type OrderToCashStack, settingsFromContext } from '../../infra/stack.js';
import { buildApp, synthesizeApp, templateKey } from '../../infra/synth.js';
import {
  asList,
  deniesInsecureTransport,
  identityPolicies,
  referencedLogicalId,
  type Resources,
  resourcesOfType,
  statementsOfRole,
} from './template-helpers.js';

let stack: OrderToCashStack;
let template: { Resources: Resources; Outputs: Record<string, any> };
let assemblyDir: string;

/** The element's key in the merged template (its logical id, behind its nested stack's for a nested one). */
const logicalId = (element: { node: { defaultChild?: unknown } }): string => templateKey(element.node.defaultChild as Parameters<typeof templateKey>[0]);
const fnLogicalId = (id: string): string => logicalId(stack.functions.get(id)!.function);
const roleLogicalId = (id: string): string => logicalId(stack.functions.get(id)!.role);
const tableLogicalId = (id: TableId): string => logicalId(stack.data.tables[id]);

const ALL_FUNCTIONS = [...FUNCTIONS, ...CLOUD_ONLY_FUNCTIONS];
/** CDK's BucketDeployment handler (the web console's upload): the one function not of the definition. */
const isConsoleUpload = (logical: string) => logical.startsWith('CustomCDKBucketDeployment');
const businessFunctions = () => resourcesOfType(template, 'AWS::Lambda::Function').filter(([id]) => !isConsoleUpload(id));
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

beforeAll(() => {
  const synthesized = synthesizeApp();
  stack = synthesized.stack;
  assemblyDir = synthesized.assembly.directory;
  template = synthesized.template as typeof template;
});

/** tableId → actions this role may perform on the table itself / on its indexes. */
function tableAccessOf(roleId: string): Map<TableId, { table: Set<string>; indexes: Set<string> }> {
  const byLogicalId = new Map(TABLE_LIST.map((t) => [tableLogicalId(t.id), t.id]));
  const access = new Map<TableId, { table: Set<string>; indexes: Set<string> }>();
  for (const statement of statementsOfRole(template, roleId)) {
    if (statement.Effect !== 'Allow') continue;
    const actions = asList(statement.Action).filter((a) => a.startsWith('dynamodb:'));
    if (!actions.length) continue;
    for (const resource of asList(statement.Resource as unknown)) {
      if (JSON.stringify(resource).includes('"StreamArn"')) continue; // stream reads are not table access
      const tableId = byLogicalId.get(referencedLogicalId(resource) ?? '');
      if (!tableId) continue;
      const entry = access.get(tableId) ?? { table: new Set(), indexes: new Set() };
      const isIndex = JSON.stringify(resource).includes('/index/');
      for (const a of actions) (isIndex ? entry.indexes : entry.table).add(a);
      access.set(tableId, entry);
    }
  }
  return access;
}

/**
 * The ARN of a state machine of the template. Functions reach the machines by this ARN, built
 * from the machine's fixed name, not by a reference (that would be a dependency cycle with the
 * steps the machine invokes: infra/constructs/workflows.ts).
 */
function stateMachineArnOf(id: StateMachineId): string {
  const name = template.Resources[logicalId(stack.workflows.stateMachines[id]!)]!.Properties!.StateMachineName as string;
  expect(name, id).toMatch(/^[A-Za-z0-9_-]+$/);
  return 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:' + name;
}

/** An ARN the template builds from text and pseudo parameters (Fn::Join), as text with `${AWS::…}`; anything else fails. */
function renderArn(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (typeof v?.Ref === 'string' && v.Ref.startsWith('AWS::')) return `\${${v.Ref}}`;
  if (Array.isArray(v?.['Fn::Join'])) return v['Fn::Join'][1].map(renderArn).join(v['Fn::Join'][0]);
  throw new Error(`not an ARN built from text and pseudo parameters: ${JSON.stringify(value)}`);
}

/** The rendered resources of the role's Allow statements that grant this action. */
function resourcesForAction(roleId: string, action: string): string[] {
  return statementsOfRole(template, roleId)
    .filter((s) => s.Effect === 'Allow' && asList(s.Action).includes(action))
    .flatMap((s) => asList(s.Resource as unknown).map(renderArn));
}

function allowedActionsOf(roleId: string): string[] {
  return statementsOfRole(template, roleId)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => asList(s.Action));
}

describe('tables', () => {
  const tableResource = (def: TableDefinition) => template.Resources[tableLogicalId(def.id)]!;

  it('creates exactly the tables of TABLE_LIST', () => {
    expect(resourcesOfType(template, 'AWS::DynamoDB::Table')).toHaveLength(TABLE_LIST.length);
    for (const def of TABLE_LIST) expect(tableResource(def).Type).toBe('AWS::DynamoDB::Table');
  });

  it.each(TABLE_LIST.map((t) => [t.id, t] as const))(
    'R-INFO-4: %s can be restored to any point in the last 35 days (PITR 35 days), is deletion-protected, encrypted and retained',
    (_id, def) => {
      const table = tableResource(def);
      expect(table.Properties!.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
      expect(table.Properties!.DeletionProtectionEnabled).toBe(true);
      expect(table.Properties!.SSESpecification).toMatchObject({ SSEEnabled: true });
      expect(table.Properties!.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    },
  );

  it.each(TABLE_LIST.map((t) => [t.id, t] as const))('%s has exactly the keys, indexes, TTL and stream of its definition', (_id, def) => {
    const props = tableResource(def).Properties!;
    const keySchema = (pk: { name: string }, sk?: { name: string }) => [
      { AttributeName: pk.name, KeyType: 'HASH' },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
    ];
    expect(props.KeySchema).toEqual(keySchema(def.partitionKey, def.sortKey));

    const expectedIndexes = def.indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: keySchema(i.partitionKey, i.sortKey),
      Projection: { ProjectionType: 'ALL' },
    }));
    const sortByName = (list: { IndexName: string }[]) => [...list].sort((a, b) => a.IndexName.localeCompare(b.IndexName));
    expect(sortByName(props.GlobalSecondaryIndexes ?? [])).toEqual(sortByName(expectedIndexes));
    expect(props.LocalSecondaryIndexes).toBeUndefined();

    const keys = [def.partitionKey, def.sortKey, ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].filter(
      (k): k is NonNullable<typeof k> => k !== undefined,
    );
    const expectedAttributes = [...new Map(keys.map((k) => [k.name, { AttributeName: k.name, AttributeType: k.type }])).values()];
    const sortAttrs = (list: { AttributeName: string }[]) => [...list].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
    expect(sortAttrs(props.AttributeDefinitions)).toEqual(sortAttrs(expectedAttributes));

    if (def.timeToLiveAttribute) {
      expect(props.TimeToLiveSpecification).toEqual({ AttributeName: def.timeToLiveAttribute, Enabled: true });
    } else {
      expect(props.TimeToLiveSpecification).toBeUndefined();
    }
    if (def.stream) {
      expect(props.StreamSpecification).toEqual({ StreamViewType: def.stream });
    } else {
      expect(props.StreamSpecification).toBeUndefined();
    }
  });
});

describe('functions', () => {
  it("creates one Lambda function per definition, and no other but CDK's upload of the web console", () => {
    const ids = ALL_FUNCTIONS.map((f) => f.id).sort();
    expect([...stack.functions.keys()].sort()).toEqual(ids);
    expect(businessFunctions()).toHaveLength(ids.length);
    expect(resourcesOfType(template, 'AWS::Lambda::Function').filter(([id]) => isConsoleUpload(id))).toHaveLength(1);
  });

  it('every function runs nodejs22.x on arm64 with X-Ray, source maps, and a log group of its own with a retention', () => {
    const logGroups = new Set<string>();
    for (const [id, fn] of businessFunctions()) {
      const props = fn.Properties!;
      expect(props.Runtime, id).toBe('nodejs22.x');
      expect(props.Architectures, id).toEqual(['arm64']);
      expect(props.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(props.Environment.Variables.NODE_OPTIONS, id).toBe('--enable-source-maps');
      expect(props.Environment.Variables.POWERTOOLS_SERVICE_NAME, id).toBeTruthy();
      expect(props.Environment.Variables.APP_VERSION, id).toMatch(/^\d+\.\d+\.\d+/);
      const logGroup = referencedLogicalId(props.LoggingConfig?.LogGroup);
      expect(logGroup, id).toBeDefined();
      expect(template.Resources[logGroup!]!.Type).toBe('AWS::Logs::LogGroup');
      expect(template.Resources[logGroup!]!.Properties!.RetentionInDays, id).toBeGreaterThan(0);
      expect(logGroups.has(logGroup!), `${id} shares a log group`).toBe(false);
      logGroups.add(logGroup!);
    }
  });

  it('every function uses the timeout and memory of its definition (30 s / 512 MB by default, as locally)', () => {
    for (const def of ALL_FUNCTIONS) {
      const props = template.Resources[fnLogicalId(def.id)]!.Properties!;
      expect(props.Timeout, def.id).toBe(def.timeoutSeconds ?? 30);
      expect(props.MemorySize, def.id).toBe(def.memoryMb ?? 512);
    }
  });

  it('every function gets TABLE_* and STATE_MACHINE_*_ARN for exactly what it accesses', () => {
    for (const def of ALL_FUNCTIONS) {
      const env: Record<string, any> = template.Resources[fnLogicalId(def.id)]!.Properties!.Environment.Variables;
      const tables = Object.keys(def.access.tables ?? {}) as TableId[];
      expect(Object.keys(env).filter((k) => k.startsWith('TABLE_')).sort(), def.id).toEqual(tables.map(tableEnvName).sort());
      for (const t of tables) expect(env[tableEnvName(t)], def.id).toEqual({ Ref: tableLogicalId(t) });
      const machines = [...new Set([...(def.access.startExecution ?? []), ...(def.access.sendTaskResult ?? [])])];
      expect(Object.keys(env).filter((k) => k.startsWith('STATE_MACHINE_')).sort(), def.id).toEqual(machines.map(stateMachineEnvName).sort());
      for (const m of machines) expect(renderArn(env[stateMachineEnvName(m)]), def.id).toBe(stateMachineArnOf(m));
    }
  });

  it('settings reach the functions only when the deployment overrides them (CDK context "settings")', () => {
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties!.Environment.Variables.SETTINGS_JSON, id).toBeUndefined();
    }
    expect(settingsFromContext({ currency: 'EUR' })).toBe('{"currency":"EUR"}');
    expect(settingsFromContext('{"creditReviewIntervalMonths":3}')).toBe('{"creditReviewIntervalMonths":3}');
    expect(() => settingsFromContext({ currencyy: 'EUR' })).toThrow(/unknown keys: currencyy/);
  });

  it('refuses a settings time zone that the schedules do not run in', () => {
    expect(() => buildApp({ context: { settings: { timeZone: 'Europe/Berlin' } } })).toThrow(/schedules .* run in Asia\/Shanghai/);
  });
});

describe('API', () => {
  const routes = () => resourcesOfType(template, 'AWS::ApiGatewayV2::Route');
  const authorizerId = () => {
    const authorizers = resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    return authorizers[0]![0];
  };

  it('has exactly the routes of ROUTES, each with the Lambda integration of its function', () => {
    expect(routes().map(([, r]) => r.Properties!.RouteKey).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const [, resource] = routes().find(([, r]) => r.Properties!.RouteKey === `${route.method} ${route.path}`)!;
      const target: any = resource.Properties!.Target;
      const integrationId = referencedLogicalId(target['Fn::Join'][1][1]);
      const integration = template.Resources[integrationId!]!;
      expect(integration.Properties!.IntegrationType).toBe('AWS_PROXY');
      expect(integration.Properties!.PayloadFormatVersion).toBe('2.0');
      expect(referencedLogicalId(integration.Properties!.IntegrationUri), route.operationId).toBe(fnLogicalId(route.function.id));
    }
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: JWT authorizer unless public', (key, route) => {
    const [, resource] = routes().find(([, r]) => r.Properties!.RouteKey === key)!;
    if (route.roles === 'public') {
      expect(resource.Properties!.AuthorizationType).toBe('NONE');
    } else {
      expect(resource.Properties!.AuthorizationType).toBe('JWT');
      expect(resource.Properties!.AuthorizerId).toEqual({ Ref: authorizerId() });
    }
  });

  it("API Gateway may invoke each route's function for its routes' paths only, on this API", () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission');
    const apiId = logicalId(stack.api.httpApi);
    for (const fnId of new Set(ROUTES.map((r) => r.function.id))) {
      const sourceArns = permissions
        .filter(([, p]) => referencedLogicalId(p.Properties!.FunctionName) === fnLogicalId(fnId))
        .map(([, p]) => {
          expect(p.Properties!.Action).toBe('lambda:InvokeFunction');
          expect(p.Properties!.Principal).toBe('apigateway.amazonaws.com');
          const parts: unknown[] = p.Properties!.SourceArn['Fn::Join'][1];
          const text = parts.map((part) => (typeof part === 'string' ? part : referencedLogicalId(part) === apiId ? '<api>' : '<pseudo>')).join('');
          return text.slice(text.indexOf('<api>'));
        });
      const paths = ROUTES.filter((r) => r.function.id === fnId).map((r) => `<api>/*/*${r.path}`);
      expect(sourceArns.sort(), fnId).toEqual(paths.sort());
    }
    // One permission per route, none for anything else.
    expect(permissions).toHaveLength(ROUTES.length);
  });

  it('only health and the OpenAPI document are public', () => {
    expect(ROUTES.filter((r) => r.roles === 'public').map((r) => r.path).sort()).toEqual(['/health', '/openapi.json']);
  });

  it('the JWT authorizer trusts the user pool as issuer and the web client as audience', () => {
    const authorizer = template.Resources[authorizerId()]!.Properties!;
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(JSON.stringify(authorizer.JwtConfiguration.Issuer)).toContain(logicalId(stack.identity.userPool));
    expect(authorizer.JwtConfiguration.Audience).toEqual([{ Ref: logicalId(stack.identity.webClient) }]);
  });

  it('the stage logs access to its own log group and throttles by default', () => {
    const stages = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1].Properties!;
    expect(stage.StageName).toBe('$default');
    expect(template.Resources[referencedLogicalId(stage.AccessLogSettings.DestinationArn)!]!.Type).toBe('AWS::Logs::LogGroup');
    expect(stage.AccessLogSettings.Format).toContain('$context.requestId');
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
  });
});

describe('identity', () => {
  it('has one Cognito group per role of RULES.md', () => {
    const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties!.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('requires strong passwords and MFA; the web client has no secret and uses the authorization code flow', () => {
    const [[, pool]] = resourcesOfType(template, 'AWS::Cognito::UserPool') as [[string, any]];
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    const [[, client]] = resourcesOfType(template, 'AWS::Cognito::UserPoolClient') as [[string, any]];
    expect(client.Properties.GenerateSecret ?? false).toBe(false);
    expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
  });
});

describe('web console hosting', () => {
  const distributionId = () => logicalId(stack.webConsole.distribution);
  const consoleOrigin = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] });

  it('serves the console from a private bucket that only this CloudFront distribution reads, over HTTPS with security headers', () => {
    const siteId = logicalId(stack.webConsole.bucket);
    const site = template.Resources[siteId]!.Properties!;
    expect(site.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(site.WebsiteConfiguration).toBeUndefined();
    const distribution = template.Resources[distributionId()]!.Properties!.DistributionConfig;
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.Origins[0].OriginAccessControlId).toBeDefined();
    expect(distribution.Logging).toBeDefined();
    const [[, headers]] = resourcesOfType(template, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, any]];
    const csp = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(JSON.stringify(csp)).toContain("script-src 'self'");
    expect(JSON.stringify(csp)).toContain("frame-ancestors 'none'");
    // The bucket policy lets CloudFront in, for this distribution only; nothing else reads it.
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(([, p]) => JSON.stringify(p.Properties!.Bucket).includes(siteId));
    const reads = policies.flatMap(([, p]) => p.Properties!.PolicyDocument.Statement).filter((st: any) => st.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(JSON.stringify(reads[0].Condition)).toContain(distributionId());
  });

  it("is the hosted login's callback and the API's one CORS origin, and its config.json names the API and the user pool client", () => {
    const [[, client]] = resourcesOfType(template, 'AWS::Cognito::UserPoolClient') as [[string, any]];
    expect(client.Properties.CallbackURLs).toContainEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/']] });
    const [[, api]] = resourcesOfType(template, 'AWS::ApiGatewayV2::Api') as [[string, any]];
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual([consoleOrigin()]);
    const [[, upload]] = resourcesOfType(template, 'Custom::CDKBucketDeployment') as [[string, any]];
    const markers = JSON.stringify(upload.Properties.SourceMarkers);
    expect(markers).toContain(logicalId(stack.identity.webClient));
    expect(markers).toContain(logicalId(stack.api.httpApi));
    expect(upload.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
  });
});

describe('workflows', () => {
  it.each(Object.values(STATE_MACHINES).map((m) => [m.id, m] as const))(
    '%s: a Standard state machine from its ASL file, every placeholder filled with its function ARN',
    (_id, def) => {
      const machine = template.Resources[logicalId(stack.workflows.stateMachines[def.id]!)]!.Properties!;
      expect(machine.StateMachineType).toBe('STANDARD');
      // DefinitionBody.fromFile ships the file as an asset; CloudFormation applies DefinitionSubstitutions.
      const assetKey: string = machine.DefinitionS3Location.Key;
      const asl = readFileSync(path.join(assemblyDir, `asset.${assetKey}`), 'utf8');
      expect(asl).toBe(readFileSync(fromRepoRoot(def.file), 'utf8'));
      const substitutions: Record<string, any> = machine.DefinitionSubstitutions;
      expect(Object.keys(substitutions).sort()).toEqual(aslPlaceholders(asl));

      let resolved = asl;
      for (const [placeholder, value] of Object.entries(substitutions)) {
        resolved = resolved.replaceAll(`\${${placeholder}}`, `arn-of:${referencedLogicalId(value)}`);
      }
      expect(resolved).not.toContain('${');
      for (const [placeholder, fnDef] of Object.entries(def.functions)) {
        expect(substitutions[placeholder], placeholder).toEqual({ 'Fn::GetAtt': [fnLogicalId(fnDef.id), 'Arn'] });
        expect(resolved).toContain(`arn-of:${fnLogicalId(fnDef.id)}`);
      }
    },
  );

  it.each(Object.values(STATE_MACHINES).map((m) => [m.id, m] as const))(
    '%s logs ALL events without execution data (task tokens never reach a log) and is traced',
    (_id, def) => {
      const machine = template.Resources[logicalId(stack.workflows.stateMachines[def.id]!)]!.Properties!;
      expect(machine.LoggingConfiguration.Level).toBe('ALL');
      expect(machine.LoggingConfiguration.IncludeExecutionData).toBe(false);
      expect(machine.TracingConfiguration).toEqual({ Enabled: true });
    },
  );

  it.each(Object.values(STATE_MACHINES).map((m) => [m.id, m] as const))('%s may invoke exactly its functions', (_id, def) => {
    const machine = template.Resources[logicalId(stack.workflows.stateMachines[def.id]!)]!.Properties!;
    const invokeResources = statementsOfRole(template, referencedLogicalId(machine.RoleArn)!)
      .filter((s) => asList(s.Action).includes('lambda:InvokeFunction'))
      .flatMap((s) => asList(s.Resource as unknown));
    const expected = [...new Set(Object.values(def.functions).map((f) => fnLogicalId(f.id)))].sort();
    expect(invokeResources.map((r) => referencedLogicalId(r)).sort()).toEqual(expected);
    expect(JSON.stringify(invokeResources)).not.toContain('*');
  });
});

describe('schedules', () => {
  it.each(SCHEDULES.map((s) => [s.name, s] as const))(
    '%s: runs on its expression in its time zone and invokes its job, with retries and a dead-letter queue',
    (name, def) => {
      const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule');
      expect(schedules).toHaveLength(SCHEDULES.length);
      const schedule = template.Resources[logicalId(stack.schedules.schedules.get(name)!)]!.Properties!;
      expect(schedule.ScheduleExpression).toBe(def.expression);
      expect(schedule.ScheduleExpressionTimezone).toBe(def.timeZone);
      expect(schedule.State).toBe('ENABLED');
      expect(schedule.Target.Arn).toEqual({ 'Fn::GetAtt': [fnLogicalId(def.job.id), 'Arn'] });
      expect(schedule.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      const dlq = template.Resources[referencedLogicalId(schedule.Target.DeadLetterConfig.Arn)!]!;
      expect(dlq.Type).toBe('AWS::SQS::Queue');
      expect(dlq.Properties!.SqsManagedSseEnabled === true || dlq.Properties!.KmsMasterKeyId !== undefined).toBe(true);
      // The event the local scheduler sends too: { source, schedule, time }.
      expect(JSON.parse(schedule.Target.Input)).toEqual({ source: 'aws.scheduler', schedule: name, time: '<aws.scheduler.scheduled-time>' });
    },
  );

  it('the scheduler role may invoke exactly the job functions, unqualified (no versions or aliases)', () => {
    const invokeResources = statementsOfRole(template, logicalId(stack.schedules.role))
      .filter((s) => asList(s.Action).includes('lambda:InvokeFunction'))
      .flatMap((s) => asList(s.Resource as unknown));
    expect(invokeResources).toEqual(expect.arrayContaining([...new Set(SCHEDULES.map((d) => d.job.id))].map((id) => ({ 'Fn::GetAtt': [fnLogicalId(id), 'Arn'] }))));
    expect(invokeResources).toHaveLength(new Set(SCHEDULES.map((d) => d.job.id)).size);
  });
});

describe('notifications and exports', () => {
  it('each table stream feeds its consumer (the notifications publisher, the workflow starter): new items only, bisect on error, failures to an encrypted queue', () => {
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(STREAM_CONSUMERS.length);
    for (const consumer of STREAM_CONSUMERS) {
      const mapping = mappings.map(([, m]) => m.Properties!).find((m) => JSON.stringify(m.FunctionName) === JSON.stringify({ Ref: fnLogicalId(consumer.function.id) }))!;
      expect(mapping, consumer.function.id).toBeDefined();
      expect(mapping.EventSourceArn).toEqual({ 'Fn::GetAtt': [tableLogicalId(consumer.table), 'StreamArn'] });
      expect(mapping.BisectBatchOnFunctionError).toBe(true);
      expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(mapping.FilterCriteria.Filters).toEqual([{ Pattern: '{"eventName":["INSERT"]}' }]);
      const failures = template.Resources[referencedLogicalId(mapping.DestinationConfig.OnFailure.Destination)!]!;
      expect(failures.Type).toBe('AWS::SQS::Queue');
      expect(failures.Properties!.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('the topic is KMS-encrypted and denies publishing without TLS', () => {
    const topic = template.Resources[logicalId(stack.notifications.topic)]!.Properties!;
    expect(topic.KmsMasterKeyId).toBeDefined();
    const policies = resourcesOfType(template, 'AWS::SNS::TopicPolicy');
    expect(policies.some(([, p]) => deniesInsecureTransport(p.Properties!.PolicyDocument, 'sns:'))).toBe(true);
  });

  it('R-AR-3: the exports bucket is private, versioned, KMS-encrypted, logged, TLS-only, and moves old versions out', () => {
    const bucketId = logicalId(stack.exports.bucket);
    const bucket = template.Resources[bucketId]!.Properties!;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(stack.exports.accessLogsBucket) });
    const rules: any[] = bucket.LifecycleConfiguration.Rules;
    expect(rules.some((r) => r.NoncurrentVersionTransitions?.length && r.NoncurrentVersionExpiration)).toBe(true);
    expect(template.Resources[bucketId]!.DeletionPolicy).toBe('Retain');
  });

  it('every bucket and queue denies requests without TLS', () => {
    const bucketPolicies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
    for (const [id] of resourcesOfType(template, 'AWS::S3::Bucket')) {
      const policy = bucketPolicies.find(([, p]) => p.Properties!.Bucket?.Ref === id);
      expect(policy, id).toBeDefined();
      expect(deniesInsecureTransport(policy![1].Properties!.PolicyDocument, 's3:'), id).toBe(true);
    }
    const queuePolicies = resourcesOfType(template, 'AWS::SQS::QueuePolicy');
    for (const [id] of resourcesOfType(template, 'AWS::SQS::Queue')) {
      const policy = queuePolicies.find(([, p]) => asList(p.Properties!.Queues).some((q: any) => q?.Ref === id));
      expect(policy, id).toBeDefined();
      expect(deniesInsecureTransport(policy![1].Properties!.PolicyDocument, 'sqs:'), id).toBe(true);
    }
  });

  it('the stack outputs the API URL, user pool, client, exports bucket and topic', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'ExportsBucketName', 'NotificationsTopicArn']),
    );
  });
});

describe('least privilege', () => {
  it('ListCustomers cannot write to any table', () => {
    const actions = allowedActionsOf(roleLogicalId('ListCustomers'));
    expect(actions.some((a) => a.startsWith('dynamodb:'))).toBe(true);
    for (const write of [...WRITE_ACTIONS, 'dynamodb:*']) expect(actions).not.toContain(write);
    expect([...tableAccessOf(roleLogicalId('ListCustomers')).keys()]).toEqual(['customers']);
  });

  it('OpenApi gets no table, workflow or topic access; Health (a readiness check of one GetItem) reads the counters table and nothing else', () => {
    const actions = allowedActionsOf(roleLogicalId('OpenApi'));
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
    const health = allowedActionsOf(roleLogicalId('Health')).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'));
    expect(health).toContain('dynamodb:GetItem');
    expect(health.every((a) => a.startsWith('dynamodb:')), health.join()).toBe(true);
    for (const write of [...WRITE_ACTIONS, 'dynamodb:*']) expect(health).not.toContain(write);
    expect([...tableAccessOf(roleLogicalId('Health')).keys()]).toEqual(['counters']);
  });

  it('only the functions that declare sendTaskResult may complete task tokens (SendTaskSuccess/Failure): decisions, cancellations, hold lifts, waits', () => {
    const rolesWith = identityPolicies(template)
      .filter((p) => p.statements.some((s) => asList(s.Action).includes('states:SendTaskSuccess')))
      .flatMap((p) => p.roles);
    const declared = ALL_FUNCTIONS.filter((f) => f.access.sendTaskResult?.length).map((f) => roleLogicalId(f.id));
    expect(rolesWith.sort()).toEqual(declared.sort());
    // …and only for the machines they declare.
    for (const f of ALL_FUNCTIONS.filter((d) => d.access.sendTaskResult?.length)) {
      const expected = f.access.sendTaskResult!.map(stateMachineArnOf).sort();
      for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure']) {
        expect(resourcesForAction(roleLogicalId(f.id), action).sort(), `${f.id} ${action}`).toEqual(expected);
      }
    }
    expect(declared).toEqual(
      expect.arrayContaining(
        ['DecideTask', 'CancelOrder', 'LiftCreditHold', 'CreditHoldsDue', 'OpenCreditTask', 'OpenStockWait', 'CompleteSupplyRequest', 'OpenDeliveryWait', 'RecordProofOfDelivery', 'ReleaseGoodsReservation', 'WithdrawSampleRequest', 'RecordPayment', 'WithdrawReturn'].map(
          roleLogicalId,
        ),
      ),
    );
    expect(declared).toHaveLength(13);
  });

  it('only the functions that declare startExecution may start a workflow', () => {
    const starters = ALL_FUNCTIONS.filter((f) => allowedActionsOf(roleLogicalId(f.id)).includes('states:StartExecution')).map((f) => f.id);
    expect(starters.sort()).toEqual(ALL_FUNCTIONS.filter((f) => f.access.startExecution?.length).map((f) => f.id).sort());
    for (const f of ALL_FUNCTIONS.filter((d) => d.access.startExecution?.length)) {
      expect(resourcesForAction(roleLogicalId(f.id), 'states:StartExecution').sort(), f.id).toEqual(f.access.startExecution!.map(stateMachineArnOf).sort());
    }
  });

  it('R-AR-3: only the export worker may write to the exports bucket, and only objects; the readers only read them (presigned downloads); nobody lists or deletes', () => {
    const bucketId = logicalId(stack.exports.bucket);
    const keyId = logicalId(stack.exports.key);
    const s3Actions = (id: string) => allowedActionsOf(roleLogicalId(id)).filter((a) => a.startsWith('s3:'));
    const declared = (levels: string[]) => ALL_FUNCTIONS.filter((f) => levels.includes(f.access.exportsBucket ?? '')).map((f) => f.id).sort();
    const writers = ALL_FUNCTIONS.filter((f) => s3Actions(f.id).includes('s3:PutObject')).map((f) => f.id);
    expect(writers).toEqual(['RunFinanceExport']);
    expect(declared(['write', 'readwrite'])).toEqual(['RunFinanceExport']);
    expect(ALL_FUNCTIONS.filter((f) => s3Actions(f.id).includes('s3:GetObject')).map((f) => f.id).sort()).toEqual(declared(['read', 'readwrite']));
    // No other role of the template (a custom resource, the scheduler, a workflow) may put objects anywhere.
    // (but CDK's upload of the web console, which writes to the console's bucket only).
    const puts = (st: { Effect: string; Action: unknown }) => st.Effect === 'Allow' && asList(st.Action as string | string[]).some((a) => a === 's3:PutObject' || a === 's3:*' || a === 's3:Put*');
    const putters = identityPolicies(template).filter((p) => p.statements.some(puts));
    const uploaders = putters.filter((p) => p.roles.every((r) => r.startsWith('CustomCDKBucketDeployment')));
    expect(putters.filter((p) => !uploaders.includes(p)).flatMap((p) => p.roles)).toEqual([roleLogicalId('RunFinanceExport')]);
    expect(uploaders).toHaveLength(1);
    const siteId = logicalId(stack.webConsole.bucket);
    for (const st of uploaders[0]!.statements.filter(puts)) expect(JSON.stringify(st.Resource), 'console upload').toContain(siteId);
    for (const id of declared(['read', 'write', 'readwrite'])) {
      const statements = statementsOfRole(template, roleLogicalId(id)).filter((st) => st.Effect === 'Allow' && asList(st.Action).some((a) => a.startsWith('s3:')));
      for (const st of statements) {
        expect(asList(st.Action).every((a) => ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'].includes(a)), `${id} ${asList(st.Action).join()}`).toBe(true);
        // The objects of the exports bucket: <bucket ARN>/*, not the bucket, not another one.
        expect(asList(st.Resource as unknown), id).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] }]);
      }
      const kms = statementsOfRole(template, roleLogicalId(id)).filter((st) => asList(st.Action).some((a) => a.startsWith('kms:')) && referencedLogicalId(asList(st.Resource as unknown)[0]) === keyId);
      expect(kms.flatMap((st) => asList(st.Action)).sort(), id).toEqual(id === 'RunFinanceExport' ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']);
      const fn = template.Resources[fnLogicalId(id)]!.Properties!;
      expect(fn.Environment.Variables.EXPORTS_BUCKET_NAME, id).toEqual({ Ref: bucketId });
    }
    for (const f of ALL_FUNCTIONS.filter((d) => !d.access.exportsBucket)) {
      expect(s3Actions(f.id), f.id).toEqual([]);
      expect(template.Resources[fnLogicalId(f.id)]!.Properties!.Environment?.Variables?.EXPORTS_BUCKET_NAME, f.id).toBeUndefined();
    }
  });

  it('only the publisher may publish to the topic', () => {
    const publishers = ALL_FUNCTIONS.filter((f) => allowedActionsOf(roleLogicalId(f.id)).includes('sns:Publish')).map((f) => f.id);
    expect(publishers).toEqual(['PublishNotifications']);
  });

  it('every function reaches exactly the tables it declares, writers write, readers read (and query indexes), nobody scans', () => {
    for (const def of ALL_FUNCTIONS) {
      const access = tableAccessOf(roleLogicalId(def.id));
      const declared = Object.entries(def.access.tables ?? {}) as [TableId, string][];
      expect([...access.keys()].sort(), def.id).toEqual(declared.map(([t]) => t).sort());
      for (const [tableId, level] of declared) {
        const { table, indexes } = access.get(tableId)!;
        const reads = level !== 'write';
        const writes = level !== 'read';
        expect(table.has('dynamodb:GetItem'), `${def.id} reads ${tableId}`).toBe(reads);
        expect(table.has('dynamodb:Query'), `${def.id} queries ${tableId}`).toBe(reads);
        for (const w of WRITE_ACTIONS) expect(table.has(w), `${def.id} ${w} ${tableId}`).toBe(writes);
        const indexNames = TABLE_LIST.find((t) => t.id === tableId)!.indexes;
        expect(indexes.has('dynamodb:Query'), `${def.id} queries indexes of ${tableId}`).toBe(reads && indexNames.length > 0);
        for (const w of WRITE_ACTIONS) expect(indexes.has(w)).toBe(false);
      }
    }
    const everyAction = identityPolicies(template).flatMap((p) => p.statements.flatMap((s) => asList<string>(s.Action)));
    expect(everyAction).not.toContain('dynamodb:Scan');
    expect(everyAction.filter((a) => a.endsWith(':*') || a === '*')).toEqual([]);
  });

  it('only the stream consumers read a table stream, each only its own table\'s', () => {
    const streamReaders = ALL_FUNCTIONS.filter((f) => allowedActionsOf(roleLogicalId(f.id)).includes('dynamodb:GetRecords'));
    expect(streamReaders.map((f) => f.id).sort()).toEqual(STREAM_CONSUMERS.map((c) => c.function.id).sort());
    for (const consumer of STREAM_CONSUMERS) {
      const streamResources = statementsOfRole(template, roleLogicalId(consumer.function.id))
        .filter((s) => asList(s.Action).includes('dynamodb:GetRecords'))
        .flatMap((s) => asList(s.Resource as unknown));
      expect(streamResources, consumer.function.id).toEqual([{ 'Fn::GetAtt': [tableLogicalId(consumer.table), 'StreamArn'] }]);
    }
  });

  it('functions that ask for a workflow write its start to the outbox; only the outbox\'s functions start executions', () => {
    const starters = ALL_FUNCTIONS.filter((f) => allowedActionsOf(roleLogicalId(f.id)).includes('states:StartExecution'));
    expect(starters.map((f) => f.id).sort()).toEqual(['StartWorkflows', 'WorkflowStartsDue']);
  });

  it('no function role carries an AWS managed policy', () => {
    for (const def of ALL_FUNCTIONS) {
      expect(template.Resources[roleLogicalId(def.id)]!.Properties!.ManagedPolicyArns, def.id).toBeUndefined();
    }
  });
});
