/**
 * The local Step Functions service, driven through the real @aws-sdk/client-sfn over HTTP, with a
 * fixture state machine and fixture handlers run by invokeLocal. No test sleeps: progress is
 * awaited with idle(), time is moved with an injected clock and expireDue().
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidToken,
  ListExecutionsCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionDefinition, StateMachineDefinition } from '../../functions/shared/definitions.js';
import { LOCAL_REGION } from '../../infra/local/lambda.js';
import { LocalStepFunctions, stateMachineArn, type LocalStepFunctionsOptions } from '../../infra/local/stepfunctions/index.js';
import { fixtureCalls, resetFixtureCalls } from '../fixtures/stepfunctions/calls.js';
import { FIXTURE_MACHINE } from '../fixtures/stepfunctions/definitions.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MACHINE_ARN = stateMachineArn('FixtureOrder');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let clock = T0;
let dataDir: string;
let started: Array<{ sfn: LocalStepFunctions; client: SFNClient }> = [];

beforeEach(async () => {
  clock = T0;
  resetFixtureCalls();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'local-sfn-'));
});

afterEach(async () => {
  for (const { sfn, client } of started) {
    client.destroy();
    await sfn.stop();
  }
  started = [];
  delete process.env['AWS_ENDPOINT_URL_SFN'];
  await rm(dataDir, { recursive: true, force: true });
});

async function startService(options: Partial<LocalStepFunctionsOptions> = {}) {
  const sfn = new LocalStepFunctions({
    dataDir,
    stateMachines: [FIXTURE_MACHINE],
    now: () => new Date(clock),
    retryIntervalMs: 0,
    pollIntervalMs: 0,
    ...options,
  });
  const { url } = await sfn.start();
  const client = new SFNClient({ endpoint: url, region: LOCAL_REGION, credentials, maxAttempts: 1 });
  started.push({ sfn, client });
  return { sfn, client, url };
}

async function startOrder(client: SFNClient, input: Record<string, unknown>, name?: string): Promise<string> {
  const out = await client.send(
    new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: JSON.stringify(input), ...(name && { name }) }),
  );
  return out.executionArn!;
}

function tokenOf(orderId: string): string {
  const calls = fixtureCalls('openTask').filter((c) => c.event['orderId'] === orderId);
  const token = calls.at(-1)?.event['taskToken'];
  if (typeof token !== 'string') throw new Error(`no task token for ${orderId}`);
  return token;
}

const callsFor = (fn: string, orderId: string) => fixtureCalls(fn).filter((c) => c.event['orderId'] === orderId).length;

describe('loading', () => {
  it('fills every placeholder with the local function ARN and reports what it loaded', () => {
    const sfn = new LocalStepFunctions({ dataDir, stateMachines: [FIXTURE_MACHINE] });
    expect(sfn.describe()).toEqual({
      stateMachines: [
        {
          name: 'FixtureOrder',
          arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:FixtureOrder',
          file: 'tests/fixtures/stepfunctions/fixture.asl.json',
          substitutions: {
            PrepareFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:FixturePrepare',
            OpenTaskFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:FixtureOpenTask',
            RecordFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:FixtureRecord',
          },
        },
      ],
    });
  });

  it('refuses a placeholder without a function and a function without a placeholder', () => {
    const { RecordFunctionArn: _omitted, ...withoutRecord } = FIXTURE_MACHINE.functions;
    expect(() => new LocalStepFunctions({ dataDir, stateMachines: [{ ...FIXTURE_MACHINE, functions: withoutRecord }] })).toThrow(
      /placeholder\(s\) without a function: RecordFunctionArn/,
    );
    const extra: FunctionDefinition = { id: 'Extra', entry: 'x.ts', description: 'extra', access: {} };
    expect(
      () =>
        new LocalStepFunctions({
          dataDir,
          stateMachines: [{ ...FIXTURE_MACHINE, functions: { ...FIXTURE_MACHINE.functions, ExtraFunctionArn: extra } }],
        }),
    ).toThrow(/function\(s\) without a placeholder: ExtraFunctionArn/);
  });

  it('accepts the real credit review ASL (with stand-in functions for its placeholders)', async () => {
    const file = 'state-machines/credit-review.asl.json';
    const text = await readFile(path.resolve(import.meta.dirname, '../..', file), 'utf8');
    const placeholders = [...new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!))];
    const functions = Object.fromEntries(
      placeholders.map((p): [string, FunctionDefinition] => [p, { id: `Stub${p}`, entry: 'x.ts', description: p, access: {} }]),
    );
    const machine: StateMachineDefinition = { id: 'creditReview', name: 'CreditReview', file, functions };
    const sfn = new LocalStepFunctions({ dataDir, stateMachines: [machine] });
    expect(sfn.describe().stateMachines[0]?.arn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:CreditReview');
  });
});

describe('execution', () => {
  it('runs a lambda:invoke chain with ResultSelector, a Choice, a Pass and a function ARN as Resource', async () => {
    const { sfn, client } = await startService();
    const arn = await startOrder(client, { orderId: 'o-auto', amount: 90, mode: 'auto' });
    await sfn.idle();
    const execution = sfn.getExecution(arn)!;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.visitedStates).toEqual(['Prepare', 'Route', 'AutoApprove', 'Record']);
    expect(execution.output).toEqual({
      orderId: 'o-auto',
      amount: 90,
      mode: 'auto',
      prepared: { total: 100, statusCode: 200 },
      decision: { approved: true, by: 'auto' },
      recorded: { recorded: 'o-auto', total: 100 },
    });
    expect(fixtureCalls('prepare').map((c) => c.event)).toEqual([{ orderId: 'o-auto', amount: 90, mode: 'auto' }]);
    expect(fixtureCalls('record').map((c) => c.event)).toEqual([{ orderId: 'o-auto', total: 100, decision: { approved: true, by: 'auto' } }]);
    expect(execution.startDate).toEqual(new Date(T0));
  });

  it('completes a waitForTaskToken task through the real SDK client, every operation round-tripping', async () => {
    const { sfn, client, url } = await startService();
    const arn = await startOrder(client, { orderId: 'o-token', amount: 5, mode: 'manual' }, 'order-o-token');
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:execution:FixtureOrder:order-o-token');
    await sfn.idle();

    const token = tokenOf('o-token');
    expect(token).toMatch(/^LSFN1[A-Za-z0-9_-]{64}$/);
    expect(fixtureCalls('openTask')[0]?.event).toEqual({ orderId: 'o-token', taskToken: token, executionId: arn });

    // Handlers configure nothing but the environment, as they will in the stack.
    process.env['AWS_ENDPOINT_URL_SFN'] = url;
    const envClient = new SFNClient({ region: LOCAL_REGION, credentials, maxAttempts: 1 });
    const running = await envClient.send(new DescribeExecutionCommand({ executionArn: arn }));
    envClient.destroy();
    expect(running).toMatchObject({ status: 'RUNNING', name: 'order-o-token', stateMachineArn: MACHINE_ARN });
    expect(running.startDate).toEqual(new Date(T0));
    expect(JSON.parse(running.input!)).toEqual({ orderId: 'o-token', amount: 5, mode: 'manual' });

    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    clock = T0 + 60_000;
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true, by: 'finance' }) }));
    await sfn.idle();

    const done = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate).toEqual(new Date(T0 + 60_000));
    expect(JSON.parse(done.output!)).toMatchObject({ decision: { approved: true, by: 'finance' }, recorded: { recorded: 'o-token', total: 15 } });
    expect(sfn.getExecution(arn)?.visitedStates).toEqual(['Prepare', 'Route', 'AwaitDecision', 'Record']);

    const succeeded = await client.send(new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'SUCCEEDED' }));
    expect(succeeded.executions?.map((e) => e.executionArn)).toEqual([arn]);
    expect(succeeded.executions?.[0]?.startDate).toEqual(new Date(T0));
    const stillRunning = await client.send(new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'RUNNING' }));
    expect(stillRunning.executions).toEqual([]);

    // A token is good once.
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it('sends a SendTaskFailure error into the matching Catch', async () => {
    const { sfn, client } = await startService();
    const arn = await startOrder(client, { orderId: 'o-reject', amount: 1, mode: 'manual' });
    await sfn.idle();
    await client.send(new SendTaskFailureCommand({ taskToken: tokenOf('o-reject'), error: 'Rejected', cause: 'credit too low' }));
    await sfn.idle();
    const execution = sfn.getExecution(arn)!;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ outcome: 'rejected', error: 'Rejected', cause: 'credit too low' });
    expect(execution.visitedStates).toEqual(['Prepare', 'Route', 'AwaitDecision', 'RejectedByReviewer']);
    expect(callsFor('record', 'o-reject')).toBe(0);
  });

  it('retries an error named TransientError, and fails the execution on an error nothing catches', async () => {
    const { sfn, client } = await startService();
    const began = Date.now();
    const retried = await startOrder(client, { orderId: 'o-flaky', amount: 1, mode: 'auto', failTimes: 1 });
    await sfn.idle();
    // Not a speed assertion: the ASL asks for 5 s before the retry, retryIntervalMs: 0 replaces it.
    expect(Date.now() - began).toBeLessThan(4000);
    expect(callsFor('prepare', 'o-flaky')).toBe(2);
    expect(sfn.getExecution(retried)).toMatchObject({ status: 'SUCCEEDED', visitedStates: ['Prepare', 'Route', 'AutoApprove', 'Record'] });

    const failed = await startOrder(client, { orderId: 'o-invalid', amount: -1, mode: 'auto' });
    await sfn.idle();
    const execution = sfn.getExecution(failed)!;
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ValidationError', visitedStates: ['Prepare'] });
    expect(JSON.parse(execution.cause!)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'amount must not be negative: -1' });
    expect(callsFor('prepare', 'o-invalid')).toBe(1);
  });

  it('times a waiting task out through expireDue into its States.Timeout Catch', async () => {
    const { sfn, client } = await startService();
    const arn = await startOrder(client, { orderId: 'o-late', amount: 1, mode: 'manual' });
    await sfn.idle();
    expect(await sfn.expireDue(new Date(T0 + 3_600_000 - 1))).toBe(0);
    expect(await sfn.expireDue(new Date(T0 + 3_600_000))).toBe(1);
    await sfn.idle();
    const execution = sfn.getExecution(arn)!;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.visitedStates).toEqual(['Prepare', 'Route', 'AwaitDecision', 'Expired']);
    expect(execution.output).toMatchObject({ outcome: 'expired', timeout: { Error: 'States.Timeout' } });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: tokenOf('o-late'), output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    expect(callsFor('record', 'o-late')).toBe(0);
  });

  it('runs Wait states and the execution timeout on the service clock', async () => {
    const { sfn, client } = await startService();
    const paused = await startOrder(client, { orderId: 'o-pause', amount: 1, mode: 'pause' });
    await sfn.idle();
    expect(sfn.getExecution(paused)).toMatchObject({ status: 'RUNNING', visitedStates: ['Prepare', 'Route', 'Pause'] });
    expect(await sfn.expireDue(new Date(T0 + 599_999))).toBe(0);
    expect(await sfn.expireDue(new Date(T0 + 600_000))).toBe(1);
    await sfn.idle();
    expect(sfn.getExecution(paused)).toMatchObject({ status: 'SUCCEEDED', visitedStates: ['Prepare', 'Route', 'Pause', 'AutoApprove', 'Record'] });

    const forgotten = await startOrder(client, { orderId: 'o-forgotten', amount: 1, mode: 'manual' });
    await sfn.idle();
    clock = T0 + 86_400_000;
    expect(await sfn.expireDue()).toBe(1); // the execution's TimeoutSeconds, before its task's
    await sfn.idle();
    expect(sfn.getExecution(forgotten)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', stopDate: new Date(T0 + 86_400_000) });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: tokenOf('o-forgotten'), output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });
});

describe('restart', () => {
  it('resumes a waiting task and a Wait after stop(): nothing re-invoked, same token, same deadlines', async () => {
    const first = await startService();
    const waiting = await startOrder(first.client, { orderId: 'o-resume', amount: 7, mode: 'manual' }, 'resume-1');
    const pausing = await startOrder(first.client, { orderId: 'o-resume-wait', amount: 7, mode: 'pause' }, 'resume-2');
    // Its first Prepare attempt failed and was retried: the replay must replay the failure too.
    const flaky = await startOrder(first.client, { orderId: 'o-resume-flaky', amount: 7, mode: 'manual', failTimes: 1 }, 'resume-3');
    await first.sfn.idle();
    const token = tokenOf('o-resume');
    expect([callsFor('prepare', 'o-resume'), callsFor('openTask', 'o-resume')]).toEqual([1, 1]);
    expect([callsFor('prepare', 'o-resume-flaky'), callsFor('openTask', 'o-resume-flaky')]).toEqual([2, 1]);
    await first.sfn.stop();

    const file = path.join(dataDir, 'executions', 'FixtureOrder', 'resume-1.json');
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { status: string; pending: Array<{ token: string; deadline: string }> };
    expect(onDisk.status).toBe('RUNNING');
    expect(onDisk.pending).toMatchObject([{ token, deadline: new Date(T0 + 3_600_000).toISOString() }]);

    clock = T0 + 1_800_000; // the restart happens half an hour later: deadlines must not move
    const second = await startService();
    await second.sfn.idle();
    expect(second.sfn.getExecution(waiting)?.status).toBe('RUNNING');
    expect([callsFor('prepare', 'o-resume'), callsFor('openTask', 'o-resume'), callsFor('prepare', 'o-resume-wait')]).toEqual([1, 1, 1]);
    const resumed = JSON.parse(await readFile(file, 'utf8')) as typeof onDisk;
    expect(resumed.pending).toMatchObject([{ token, deadline: new Date(T0 + 3_600_000).toISOString() }]);

    expect(await second.sfn.expireDue(new Date(T0 + 600_000))).toBe(1); // the Wait, from its original start
    await second.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));
    await second.client.send(new SendTaskSuccessCommand({ taskToken: tokenOf('o-resume-flaky'), output: '{}' }));
    await second.sfn.idle();

    expect(second.sfn.getExecution(waiting)).toMatchObject({
      status: 'SUCCEEDED',
      visitedStates: ['Prepare', 'Route', 'AwaitDecision', 'Record'],
      output: { decision: { approved: true }, recorded: { recorded: 'o-resume', total: 17 } },
    });
    expect(second.sfn.getExecution(pausing)).toMatchObject({
      status: 'SUCCEEDED',
      visitedStates: ['Prepare', 'Route', 'Pause', 'AutoApprove', 'Record'],
    });
    expect([callsFor('prepare', 'o-resume'), callsFor('openTask', 'o-resume'), callsFor('record', 'o-resume')]).toEqual([1, 1, 1]);
    expect(callsFor('prepare', 'o-resume-wait')).toBe(1);
    expect(second.sfn.getExecution(flaky)).toMatchObject({ status: 'SUCCEEDED', visitedStates: ['Prepare', 'Route', 'AwaitDecision', 'Record'] });
    expect([callsFor('prepare', 'o-resume-flaky'), callsFor('openTask', 'o-resume-flaky')]).toEqual([2, 1]);
  });
});

describe('API semantics', () => {
  it('StartExecution is idempotent for the same name and input while running, as in AWS', async () => {
    const { sfn, client } = await startService();
    const input = JSON.stringify({ orderId: 'o-idem', amount: 3, mode: 'manual' });
    const first = await client.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'idem', input }));
    await sfn.idle();
    clock = T0 + 5_000;
    const again = await client.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'idem', input }));
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: new Date(T0) });
    expect(callsFor('prepare', 'o-idem')).toBe(1);

    const other = JSON.stringify({ orderId: 'o-idem', amount: 4, mode: 'manual' });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'idem', input: other }))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );

    await client.send(new SendTaskSuccessCommand({ taskToken: tokenOf('o-idem'), output: '{}' }));
    await sfn.idle();
    // A closed execution's name cannot be reused, whatever the input (AWS behaviour).
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'idem', input }))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );

    const unnamed = await client.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: JSON.stringify({ orderId: 'o-anon', amount: 1, mode: 'auto' }) }));
    expect(unnamed.executionArn).toMatch(/:execution:FixtureOrder:[0-9a-f-]{36}$/);
    await sfn.idle();

    await expect(client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('Missing'), input: '{}' }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn', input: '{}' }))).rejects.toBeInstanceOf(InvalidArn);
  });

  it('reports token and execution errors as typed SDK exceptions; StopExecution aborts', async () => {
    const { sfn, client } = await startService();
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
    const unknown = `LSFN1${'A'.repeat(64)}`;
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: unknown, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(client.send(new SendTaskFailureCommand({ taskToken: unknown, error: 'X' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: unknown }))).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:FixtureOrder:nope' })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);

    const arn = await startOrder(client, { orderId: 'o-stop', amount: 1, mode: 'manual' });
    await sfn.idle();
    clock = T0 + 10_000;
    const stopped = await client.send(new StopExecutionCommand({ executionArn: arn, error: 'Cancelled', cause: 'customer withdrew' }));
    expect(stopped.stopDate).toEqual(new Date(T0 + 10_000));
    await sfn.idle();
    expect(sfn.getExecution(arn)).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'customer withdrew', visitedStates: ['Prepare', 'Route', 'AwaitDecision'] });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: tokenOf('o-stop'), output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    const aborted = await client.send(new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'ABORTED' }));
    expect(aborted.executions?.map((e) => e.executionArn)).toEqual([arn]);
    expect(callsFor('record', 'o-stop')).toBe(0);
  });
});
