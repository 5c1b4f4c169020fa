/**
 * The local gateway's own answers (infra/local/gateway.ts, the local operations and downloads of
 * stack.ts, the token check of auth.ts), issue 14: bad input to the local-only paths (/_local/…) is a
 * 4xx with a message, never a 500; a job that refuses to run now says why (409), and so does
 * `npm run job`; tokens are verified as API Gateway's JWT authorizer verifies Cognito's, whose tokens
 * always carry an expiry.
 *
 * No DynamoDB: the real gateway, local operations, scheduler and job handlers (the refusals come
 * before a job reads anything), and a stand-in for the API's functions.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_EXPORTS_ENV, newLocalUrlSecret } from '../../functions/exports/storage-local.js';
import { businessDate, setClock } from '../../functions/shared/clock.js';
import { defineRoute, tableEnvName } from '../../functions/shared/definitions.js';
import { SCHEDULES, TABLE_LIST } from '../../infra/definitions/index.js';
import { DEMO_USERS, LOCAL_AUDIENCE, LOCAL_ISSUER, LocalIdentity } from '../../infra/local/auth.js';
import { startGateway, type Gateway } from '../../infra/local/gateway.js';
import { REPO_ROOT, invokeLocal } from '../../infra/local/lambda.js';
import { LocalScheduler } from '../../infra/local/scheduler.js';
import { localDownloads, localOperations } from '../../infra/local/stack.js';

const run = promisify(execFile);

const probe = defineRoute({
  operationId: 'probe',
  method: 'GET',
  path: '/probe',
  tag: 'Test',
  summary: 'a secured route',
  roles: ['sales_rep'],
  responses: { 200: { description: 'OK' } },
  function: { id: 'Probe', entry: 'tests/none.ts', description: 'test only', access: {} },
});

let gateway: Gateway;
let dataDir: string;
let identity: LocalIdentity;
const rep = DEMO_USERS.find((u) => u.userId === 'wang.qiang')!;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-gateway-'));
  Object.assign(process.env, { [LOCAL_EXPORTS_ENV.dir]: path.join(dataDir, 'exports'), [LOCAL_EXPORTS_ENV.secret]: newLocalUrlSecret(), LOG_LEVEL: 'SILENT', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  identity = LocalIdentity.open(dataDir);
  const scheduler = new LocalScheduler(SCHEDULES, invokeLocal);
  gateway = await startGateway({
    routes: [probe],
    identity,
    invoke: async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }),
    local: localOperations(scheduler, identity),
    localFiles: localDownloads,
  });
});
afterAll(async () => gateway?.close());
afterEach(() => setClock(undefined));

const call = async (method: string, urlPath: string, body?: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${gateway.url}${urlPath}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: JSON.parse(text) as { message?: string } };
};

describe('local-only paths: bad input is a 4xx with a message, never a 500', () => {
  it('a body that is not JSON, or not an object, to POST /_local/jobs/<job> is a 400 saying so', async () => {
    for (const body of ['{"month":', 'month=2026-11', '\u0000']) {
      const res = await call('POST', '/_local/jobs/statements-due', body);
      expect([res.status, res.contentType], body).toEqual([400, 'application/json']);
      expect(res.body.message).toMatch(/not valid JSON/);
    }
    for (const body of ['[1]', '"2026-11"', 'null']) {
      const res = await call('POST', '/_local/jobs/statements-due', body);
      expect(res.status, body).toBe(400);
      expect(res.body.message).toMatch(/JSON object/);
    }
  });

  it('an unknown job is a 404 naming the jobs there are; an unknown local path a 404', async () => {
    for (const name of ['no-such-job', '%ZZ', '..']) {
      const res = await call('POST', `/_local/jobs/${name}`, '{}');
      expect(res.status, name).toBe(404);
      if (name !== '..') expect(res.body.message).toContain('statements-due');
    }
    expect((await call('GET', '/_local/nothing')).status).toBe(404);
  });

  it('a download path that is not valid percent-encoding is a 400, as S3 answers it; an unsigned one still 403', async () => {
    for (const bad of ['/_local/exports/%ZZ', '/_local/exports/EX-1/%E0%A4%A', '/_local/exports/%']) {
      const res = await call('GET', bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.message).toMatch(/percent-encoding|Bad Request/);
    }
    expect((await call('GET', '/_local/exports/EX-1/manifest.json')).status).toBe(403);
  });

  it('R-BILL-6: statements-due for the month that is still running is a 409 saying it has not ended (today from the clock); a month that is no month is a 400', async () => {
    setClock(new Date('2026-12-07T02:00:00Z'));
    const month = businessDate().slice(0, 7);
    const res = await call('POST', '/_local/jobs/statements-due', JSON.stringify({ month }));
    expect(res.status).toBe(409);
    expect(res.body.message).toBe("2026-12 has not ended yet (today is 2026-12-07): statements are made after the month's last day");
    const bad = await call('POST', '/_local/jobs/statements-due', JSON.stringify({ month: '2026-13' }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^StatementsDue: month: /);
  });

  it('a job whose database does not answer is a 503 saying so, not a 500', async () => {
    // Nothing listens on port 9: DynamoDB as the job's SDK client sees it when it is down.
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    for (const t of TABLE_LIST) process.env[tableEnvName(t.id)] = t.localName;
    setClock(new Date('2026-12-07T02:00:00Z')); // October has ended: the job goes to read the ledger
    const res = await call('POST', '/_local/jobs/statements-due', JSON.stringify({ month: '2026-10' }));
    expect([res.status, res.body.message]).toEqual([503, 'statements-due could not run: a service it needs (DynamoDB, Step Functions) is not answering; try again in a moment']);
  });

  it('npm run job -- statements-due month=<this month> says in one line that the month has not ended and exits 1, no stack trace; an unknown job or a bad argument too', async () => {
    setClock(new Date('2026-12-07T02:00:00Z'));
    const job = (...args: string[]) =>
      run(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['infra/local/run-job.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, PORT: String(gateway.port) } }).then(
        (r) => ({ code: 0, ...r }),
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
    const refused = await job('statements-due', `month=${businessDate().slice(0, 7)}`);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    const lines = (text: string) => text.split('\n').filter((l) => l && !/NodeVersionSupportWarning|AWS SDK|node >=22|upgrade|a\.co\/|trace-warnings|^\s*$/.test(l));
    expect(lines(refused.stderr)).toEqual(["statements-due did not run (409): 2026-12 has not ended yet (today is 2026-12-07): statements are made after the month's last day"]);
    const unknown = await job('no-such-job');
    expect([unknown.code, lines(unknown.stderr).length]).toEqual([1, 1]);
    expect(unknown.stderr).toContain('no-such-job did not run (404): There is no job no-such-job');
    const usage = await job('statements-due', 'month');
    expect([usage.code, lines(usage.stderr)[0]]).toEqual([2, expect.stringMatching(/^usage: npm run job/)]);
  });
});

describe('tokens, as the JWT authorizer checks Cognito’s', () => {
  const key = () => Buffer.from(readFileSync(path.join(dataDir, 'dev-signing-key'), 'utf8'), 'base64');
  const token = (withExpiry: boolean) => {
    const jwt = new SignJWT({ name: rep.name, 'cognito:username': rep.userId, 'cognito:groups': rep.roles, token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(rep.userId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt();
    return (withExpiry ? jwt.setExpirationTime('1h') : jwt).sign(key());
  };

  it('a token without exp (one that would never expire) is refused with the authorizer’s 401; the same token with one passes', async () => {
    const never = await token(false);
    expect(await identity.verify(never)).toBeUndefined();
    const refused = await call('GET', '/probe', undefined, { authorization: `Bearer ${never}` });
    expect([refused.status, refused.body]).toEqual([401, { message: 'Unauthorized' }]);
    expect((await call('GET', '/probe', undefined, { authorization: `Bearer ${await token(true)}` })).status).toBe(200);
    expect((await call('GET', '/probe', undefined, { authorization: `Bearer ${await identity.sign(rep)}` })).status).toBe(200);
    // …and an expired one, as before.
    expect((await call('GET', '/probe', undefined, { authorization: `Bearer ${await identity.sign(rep, '-1h')}` })).status).toBe(401);
  });
});
