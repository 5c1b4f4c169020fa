/**
 * The whole product on one machine: DynamoDB Local, the local Step Functions service, the
 * HTTP gateway and the scheduler, wired from the one definition (infra/definitions) exactly as
 * CDK wires the cloud. `npm start` and the tests both use startLocalStack().
 */
import { createReadStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { stateMachineEnvName, tableEnvName, type FunctionDefinition } from '../../functions/shared/definitions.js';
import { outageOf } from '../../functions/shared/errors.js';
import { LOCAL_DOWNLOAD_PREFIX, LOCAL_EXPORTS_ENV, newLocalUrlSecret, openLocalDownload } from '../../functions/exports/storage-local.js';
import { ROUTES, SCHEDULES, STATE_MACHINES, STREAM_CONSUMERS, TABLE_LIST } from '../definitions/index.js';
import { DEMO_USERS, LocalIdentity, type DemoUser } from './auth.js';
import { serveConsole } from './console.js';
import { ensureTables, freePort, startDynamoDbLocal, type LocalDynamo } from './dynamodb.js';
import { LocalRequestError, startGateway, type Gateway, type GatewayOptions, type LocalFileAnswer } from './gateway.js';
import { LOCAL_REGION, REPO_ROOT, invokeLocal } from './lambda.js';
import { LocalScheduler } from './scheduler.js';
import { LocalStreams } from './streams.js';
import { HandlerCrashes } from './crashes.js';
import { LocalStepFunctions, TaskFaults, stateMachineArn } from './stepfunctions/index.js';

export interface LocalStackOptions {
  /** Where data lives across restarts; ignored for DynamoDB when inMemory. Default .local/ */
  dataDir?: string;
  /** DynamoDB Local in memory (tests). */
  inMemory?: boolean;
  /** Gateway port; 0 picks a free one. */
  port?: number;
  dynamoPort?: number;
  stepFunctionsPort?: number;
  /** Run the schedules on their cron (off in tests, which run jobs on demand). */
  schedules?: boolean;
  /** Replace workflow retry intervals (tests: 0). */
  retryIntervalMs?: number;
  /** How often the stream poller reads the tables' streams (default 200 ms). */
  streamPollMs?: number;
  /** Let the workflow service fire due timeouts by itself every N ms (0: only through expireDue). */
  timeoutPollMs?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  log?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  dynamoEndpoint: string;
  stepFunctionsEndpoint: string;
  dataDir: string;
  identity: LocalIdentity;
  stepFunctions: LocalStepFunctions;
  /**
   * Tests only: the fault switch (`faults.failTask(stateMachine, state, { times, error, when, input })`)
   * that makes Task states fail. Nothing in `npm start` reaches it (no route, no environment variable),
   * and the cloud has no such thing (stepfunctions/faults.ts).
   */
  faults: TaskFaults;
  /**
   * Tests only: the crash switch (`crashes.crash(functionId, { afterWrite | beforeWrite, times })`)
   * that makes a function's invocation die at a write, as a killed Lambda would (crashes.ts). Like
   * `faults`, nothing in `npm start` reaches it and the cloud has no such thing.
   */
  crashes: HandlerCrashes;
  /**
   * Tests only: takes DynamoDB Local down and brings it back on the same port, to see the API while
   * its database is unreachable (tests/reliability/outage.test.ts). As with `faults`, nothing in
   * `npm start` reaches it (no route, no environment variable). In memory, DynamoDB Local comes back
   * empty, with the tables created again; with a data folder, with its data.
   */
  outage: { stopDynamoDb(): Promise<void>; startDynamoDb(): Promise<void> };
  scheduler: LocalScheduler;
  /** The tables' streams to their local consumers (the outbox of workflow starts). */
  streams: LocalStreams;
  /**
   * Resolves when nothing is left to do but wait for people or time: every stream record delivered
   * (workflow starts made) and every execution waiting. Same as stepFunctions.idle().
   */
  idle(): Promise<void>;
  tokenFor(user: DemoUser | string): Promise<string>;
  runJob(name: string, input?: Record<string, unknown>): Promise<unknown>;
  /** What is running, for the parity test: route keys, tables, state machines, schedules. */
  describe(): LocalDescription;
  stop(): Promise<void>;
}

export interface LocalDescription {
  routes: { routeKey: string; public: boolean; functionId: string }[];
  tables: string[];
  stateMachines: { name: string; substitutions: Record<string, string> }[];
  schedules: { name: string; expression: string; timeZone: string; job: string }[];
  streamConsumers: { table: string; function: string; events: string[] }[];
}

/** The environment CDK gives each function, with the local endpoints; the SDK picks them up. */
function applyEnvironment(dynamoEndpoint: string, sfnEndpoint: string, logLevel: string, dataDir: string) {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SFN: sfnEndpoint,
    POWERTOOLS_SERVICE_NAME: 'order-to-cash-local',
    POWERTOOLS_LOG_LEVEL: logLevel,
    LOG_LEVEL: logLevel,
    // Finance exports (R-AR-3): a folder stands in for the bucket; downloads are signed with a key of this run.
    [LOCAL_EXPORTS_ENV.dir]: path.join(dataDir, 'exports'),
    [LOCAL_EXPORTS_ENV.secret]: newLocalUrlSecret(),
  });
  for (const t of TABLE_LIST) process.env[tableEnvName(t.id)] = t.localName;
  for (const m of Object.values(STATE_MACHINES)) process.env[stateMachineEnvName(m.id)] = stateMachineArn(m.name);
}

/**
 * The local-only operations under /_local/ (never in the cloud): `POST /_local/jobs/<schedule>` runs a
 * schedule's job now with the JSON object it is given (what `npm run job` calls): 200 with its result;
 * 404 for a schedule that does not exist, 400 for a body that is not a JSON object or input the job
 * cannot take (InvalidStepInput), 409 for a job that refuses to run now (JobRefused: statements for a
 * month that has not ended), 503 while a service it needs does not answer, each with { message }.
 * `GET /_local/demo-users`: the console's sign-in picker.
 */
export function localOperations(scheduler: LocalScheduler, identity: LocalIdentity): NonNullable<GatewayOptions['local']> {
  return async (method, urlPath, body) => {
    const job = /^\/_local\/jobs\/([^/]+)$/.exec(urlPath);
    if (method === 'POST' && job) {
      const name = job[1]!;
      if (!scheduler.describe().some((s) => s.name === name)) {
        throw new LocalRequestError(404, `There is no job ${name}; the jobs are: ${scheduler.describe().map((s) => s.name).join(', ')}`);
      }
      const given = body();
      const input = given === undefined ? {} : given; // no body: the job's defaults
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new LocalRequestError(400, 'The body is the job\'s input as a JSON object, e.g. {"month":"2026-11"}');
      try {
        return { status: 200, body: await scheduler.runNow(name, input as Record<string, unknown>) };
      } catch (err) {
        const { name: kind, message } = err as Error;
        if (kind === 'InvalidStepInput') throw new LocalRequestError(400, message);
        if (kind === 'JobRefused') throw new LocalRequestError(409, message);
        if (outageOf(err)) throw new LocalRequestError(503, `${name} could not run: a service it needs (DynamoDB, Step Functions) is not answering; try again in a moment`);
        throw err;
      }
    }
    // The console's sign-in picker: the demo users with a development token each (local only, as tokens.json).
    if (method === 'GET' && urlPath === '/_local/demo-users') {
      return { status: 200, body: { users: await Promise.all(DEMO_USERS.map(async (u) => ({ ...u, token: await identity.sign(u) }))) } };
    }
    return undefined;
  };
}

/**
 * The files of finance exports, through the signed, expiring URLs GET /exports/{exportId} gives out
 * (as S3 presigned URLs in the cloud): the file, or 400/403/404 with { message }.
 */
export async function localDownloads(method: string, url: URL): Promise<LocalFileAnswer | undefined> {
  if (method !== 'GET' || !url.pathname.startsWith(LOCAL_DOWNLOAD_PREFIX)) return undefined;
  const found = await openLocalDownload(url.pathname, url.searchParams);
  if (found.status !== 200) return { status: found.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: found.message }) };
  return {
    status: 200,
    headers: { 'content-type': found.contentType, 'content-length': String(found.size), 'content-disposition': `attachment; filename="${found.name}"` },
    body: createReadStream(found.file),
  };
}

/** One stack per process: handlers' SDK clients keep the endpoints of the first stack they served. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = path.resolve(options.dataDir ?? path.join(REPO_ROOT, '.local'));
  const log = options.log ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });
  const started: { stop(): unknown }[] = [];
  try {
    const dbPath = path.join(dataDir, 'dynamodb');
    if (!options.inMemory) mkdirSync(dbPath, { recursive: true });
    const dynamoOptions = { dbPath: options.inMemory ? undefined : dbPath };
    let dynamo: LocalDynamo = await startDynamoDbLocal({ port: options.dynamoPort, ...dynamoOptions });
    started.push({ stop: () => dynamo.stop() });
    await ensureTables(dynamo.endpoint, TABLE_LIST);
    const outage: LocalStack['outage'] = {
      stopDynamoDb: () => dynamo.stop(),
      startDynamoDb: async () => {
        // The same port: the handlers' SDK clients keep the endpoint they were given.
        dynamo = await startDynamoDbLocal({ port: dynamo.port, ...dynamoOptions });
        await ensureTables(dynamo.endpoint, TABLE_LIST);
      },
    };

    const crashes = new HandlerCrashes();
    const invoke = (fn: FunctionDefinition, event: unknown) => crashes.run(fn.id, () => invokeLocal(fn, event));
    const faults = new TaskFaults();
    const stepFunctions = new LocalStepFunctions({
      faults,
      dataDir: path.join(dataDir, options.inMemory ? `stepfunctions-${process.pid}-${Date.now()}` : 'stepfunctions'),
      stateMachines: Object.values(STATE_MACHINES),
      invoke,
      ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
      pollIntervalMs: options.timeoutPollMs ?? 1000,
    });
    // The environment must be in place before a resumed execution calls a handler, and SDK
    // clients read their endpoint once, so the port is chosen before anything starts.
    const sfnPort = options.stepFunctionsPort ?? (await freePort());
    applyEnvironment(dynamo.endpoint, `http://127.0.0.1:${sfnPort}`, options.logLevel ?? 'INFO', dataDir);
    // Stream consumers may start executions: the stream is read before stepFunctions.idle() says so.
    const streams = new LocalStreams({
      endpoint: dynamo.endpoint,
      consumers: STREAM_CONSUMERS,
      tables: TABLE_LIST,
      invoke,
      dataDir: options.inMemory ? undefined : dataDir,
      ...(options.streamPollMs !== undefined ? { pollIntervalMs: options.streamPollMs } : {}),
      log,
    });
    stepFunctions.alsoSettle = async () => {
      await streams.drain();
      return streams.delivered;
    };
    const sfn = await stepFunctions.start(sfnPort);
    started.push(stepFunctions);
    streams.start();
    started.push(streams);

    const identity = LocalIdentity.open(dataDir);
    const scheduler = new LocalScheduler(SCHEDULES, invoke, log);
    const gateway: Gateway = await startGateway({
      routes: ROUTES,
      identity,
      invoke,
      port: options.port ?? 0,
      local: localOperations(scheduler, identity),
      site: (method, url) => serveConsole(method, url),
      localFiles: localDownloads,
    });
    started.push({ stop: () => gateway.close() });
    // Download URLs point at this gateway (the same origin as the API).
    process.env[LOCAL_EXPORTS_ENV.baseUrl] = gateway.url;
    if (options.schedules) scheduler.start();
    started.push({ stop: () => scheduler.stop() });

    return {
      url: gateway.url,
      dynamoEndpoint: dynamo.endpoint,
      stepFunctionsEndpoint: sfn.url,
      dataDir,
      identity,
      stepFunctions,
      faults,
      crashes,
      outage,
      scheduler,
      streams,
      idle: () => stepFunctions.idle(),
      tokenFor: (user) => {
        const found = typeof user === 'string' ? DEMO_USERS.find((u) => u.userId === user) : user;
        if (!found) throw new Error(`no demo user ${String(user)}`);
        return identity.sign(found);
      },
      runJob: (name, input) => scheduler.runNow(name, input),
      describe: () => ({
        routes: ROUTES.map((r) => ({ routeKey: `${r.method} ${r.path}`, public: r.roles === 'public', functionId: r.function.id })),
        tables: TABLE_LIST.map((t) => t.localName),
        stateMachines: stepFunctions.describe().stateMachines.map((m) => ({ name: m.name, substitutions: m.substitutions })),
        schedules: scheduler.describe().map(({ name, expression, timeZone, job }) => ({ name, expression, timeZone, job })),
        streamConsumers: STREAM_CONSUMERS.filter((c) => c.runsLocally).map((c) => ({ table: c.table, function: c.function.id, events: [...c.events] })),
      }),
      stop: async () => {
        for (const part of started.reverse()) await part.stop();
      },
    };
  } catch (err) {
    for (const part of started.reverse()) await part.stop();
    throw err;
  }
}
