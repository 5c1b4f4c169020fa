/**
 * The order-to-cash stack. Every route, function, table, state machine and schedule comes from
 * the one definition (infra/definitions); this file only wires the constructs together.
 *
 * One deployable unit with nested stacks: the parent holds identity, data, the API (with its
 * authorizer), workflows, schedules, notifications and exports; each business area's functions
 * and their routes are a nested stack of it (constructs/areas.ts), so that no template nears
 * CloudFormation's 500 resources as the areas grow. `cdk deploy` deploys parent and nested
 * stacks together; CDK passes references between them as parameters and outputs.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { FunctionDefinition } from '../functions/shared/definitions.js';
import { ROLES } from '../functions/shared/roles.js';
import { DEFAULT_SETTINGS, type Settings } from '../functions/shared/settings.js';
import { FUNCTIONS, ROUTES, SCHEDULES, STATE_MACHINES, STREAM_CONSUMERS, TABLE_LIST } from './definitions/index.js';
import { Api } from './constructs/api.js';
import { AreaStack, planAreas } from './constructs/areas.js';
import type { BusinessFunction } from './constructs/business-function.js';
import { Data } from './constructs/data.js';
import { Exports } from './constructs/exports.js';
import { Identity } from './constructs/identity.js';
import { Notifications } from './constructs/notifications.js';
import { Schedules } from './constructs/schedules.js';
import { WorkflowStarts } from './constructs/streams.js';
import { WebConsole } from './constructs/web-console.js';
import { Workflows } from './constructs/workflows.js';

export const STACK_ID = 'OrderToCashStack';

/** Functions behind no route, workflow or schedule: the stream consumers. */
export const CLOUD_ONLY_FUNCTIONS: FunctionDefinition[] = STREAM_CONSUMERS.map((c) => c.function);

/**
 * CDK context the stack reads (all optional):
 * - `settings`: company settings overrides (object or JSON string), passed to every function as SETTINGS_JSON;
 * - `corsAllowOrigins`: origins allowed to call the API from a browser (array or comma-separated string);
 * - `authCallbackUrls` / `authLogoutUrls`: the web console's OAuth redirect URLs;
 * - `authDomainPrefix`: the hosted login domain prefix (default `o2c-<account id>`).
 */
export interface OrderToCashStackProps extends StackProps {}

export class OrderToCashStack extends Stack {
  readonly identity: Identity;
  readonly data: Data;
  readonly functions: ReadonlyMap<string, BusinessFunction>;
  /** The nested stacks of the business areas, by construct id. */
  readonly areas: ReadonlyMap<string, AreaStack>;
  readonly workflows: Workflows;
  readonly api: Api;
  readonly schedules: Schedules;
  readonly notifications: Notifications;
  readonly workflowStarts: WorkflowStarts;
  readonly exports: Exports;
  readonly webConsole: WebConsole;

  constructor(scope: Construct, id: string, props: OrderToCashStackProps = {}) {
    super(scope, id, {
      description: 'Order-to-cash platform: API, workflows, jobs, data, notifications and finance exports',
      ...props,
    });
    const settingsJson = settingsFromContext(this.node.tryGetContext('settings'));
    checkScheduleTimeZones(settingsJson);

    // The console's own address is where the hosted login returns to and the origin the API answers.
    this.webConsole = new WebConsole(this, 'WebConsole');
    const consoleUrl = `${this.webConsole.url}/`;
    this.identity = new Identity(this, 'Identity', {
      roles: ROLES,
      callbackUrls: [consoleUrl, ...(listFromContext(this.node.tryGetContext('authCallbackUrls')) ?? [])],
      logoutUrls: [consoleUrl, ...(listFromContext(this.node.tryGetContext('authLogoutUrls')) ?? [])],
      domainPrefix: this.node.tryGetContext('authDomainPrefix') as string | undefined,
    });
    this.data = new Data(this, 'Data', { tables: TABLE_LIST });
    this.notifications = new Notifications(this, 'Notifications');
    this.exports = new Exports(this, 'Exports');

    this.api = new Api(this, 'Api', {
      routes: ROUTES,
      jwtIssuer: this.identity.issuerUrl,
      jwtAudience: [this.identity.webClient.userPoolClientId],
      corsAllowOrigins: [this.webConsole.url, ...(listFromContext(this.node.tryGetContext('corsAllowOrigins')) ?? [])],
    });

    const allFunctions = [...FUNCTIONS, ...CLOUD_ONLY_FUNCTIONS];
    const ids = new Set<string>();
    for (const definition of allFunctions) {
      if (ids.has(definition.id)) throw new Error(`two functions share the id ${definition.id}`);
      ids.add(definition.id);
    }
    const eventSources = new Map(STREAM_CONSUMERS.map((c) => [c.function.id, 1]));
    const areas = new Map<string, AreaStack>();
    const functions = new Map<string, BusinessFunction>();
    // Under one scope, so that an area's name never meets a construct of the parent (notifications, exports).
    const functionScope = new Construct(this, 'Functions');
    for (const plan of planAreas(allFunctions, ROUTES, eventSources)) {
      const area = new AreaStack(functionScope, plan.id, {
        plan,
        settingsJson,
        tables: this.data.resources,
        stateMachines: STATE_MACHINES,
        notificationsTopic: this.notifications.topic,
        exportsBucket: this.exports.bucket,
        api: this.api,
      });
      areas.set(plan.id, area);
      for (const [id, fn] of area.functions) functions.set(id, fn);
    }
    this.areas = areas;
    this.functions = functions;

    this.workflowStarts = new WorkflowStarts(this, 'WorkflowStarts');
    for (const consumer of STREAM_CONSUMERS) {
      const fn = requireFunction(functions, consumer.function.id);
      // The notifications publisher parks what fails in the notifications' queue; the outbox of workflow starts in its own.
      if (consumer.table === 'notifications') this.notifications.connectPublisher(fn, this.data.tables[consumer.table], consumer);
      else this.workflowStarts.connect(fn, this.data.tables[consumer.table], consumer);
    }

    this.workflows = new Workflows(this, 'Workflows', { stateMachines: STATE_MACHINES, functions });
    this.schedules = new Schedules(this, 'Schedules', { schedules: SCHEDULES, functions });

    const companySettings: Settings = { ...DEFAULT_SETTINGS, ...(settingsJson ? (JSON.parse(settingsJson) as Partial<Settings>) : {}) };
    this.webConsole.deploy({
      apiUrl: this.api.url,
      authority: this.identity.issuerUrl,
      clientId: this.identity.webClient.userPoolClientId,
      domain: this.identity.domain.baseUrl(),
      timeZone: companySettings.timeZone,
      currency: companySettings.currency,
    });

    new CfnOutput(this, 'WebConsoleUrl', { value: consoleUrl, description: 'The web console (sign in with the hosted login)' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.webClient.userPoolClientId });
    new CfnOutput(this, 'HostedLoginDomain', { value: this.identity.domain.baseUrl() });
    new CfnOutput(this, 'ExportsBucketName', { value: this.exports.bucket.bucketName });
    new CfnOutput(this, 'NotificationsTopicArn', { value: this.notifications.topic.topicArn });
  }
}

function requireFunction(functions: ReadonlyMap<string, BusinessFunction>, id: string): BusinessFunction {
  const fn = functions.get(id);
  if (!fn) throw new Error(`function ${id} was not created`);
  return fn;
}

/** Context `settings` as an object or a JSON string → validated JSON, or undefined. */
export function settingsFromContext(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('CDK context "settings" must be an object of company settings');
  }
  const known = new Set(Object.keys(DEFAULT_SETTINGS));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`CDK context "settings" has unknown keys: ${unknown.join(', ')}`);
  return JSON.stringify(parsed);
}

/**
 * Schedules carry their time zone in the definition (DEFAULT_SETTINGS.timeZone); a deployment
 * that moves the company's time zone in settings would run its jobs in another zone than its
 * business dates. Refuse rather than drift.
 */
function checkScheduleTimeZones(settingsJson: string | undefined): void {
  if (!settingsJson) return;
  const { timeZone } = JSON.parse(settingsJson) as Partial<Settings>;
  if (!timeZone) return;
  const other = SCHEDULES.filter((s) => s.timeZone !== timeZone);
  if (other.length) {
    throw new Error(
      `settings.timeZone is ${timeZone}, but schedules ${other.map((s) => s.name).join(', ')} run in ${other[0]!.timeZone}; change the schedule definitions too`,
    );
  }
}

function listFromContext(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) return (JSON.parse(trimmed) as unknown[]).map(String);
    return trimmed.split(',').map((s) => s.trim()).filter(Boolean);
  }
  throw new Error(`expected a list in CDK context, got ${JSON.stringify(value)}`);
}
