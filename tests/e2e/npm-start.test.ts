/**
 * End to end: `npm start`'s program run as a child process, used over HTTP as a client would,
 * stopped with Ctrl-C (SIGINT) and started again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { REPO_ROOT } from '../../infra/local/lambda.js';
import { newCustomer } from '../support/local-stack.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-e2e-'));
let ports: { PORT: string; DYNAMODB_PORT: string; SFN_PORT: string };
let child: ChildProcess | undefined;

async function start(): Promise<string> {
  ports ??= { PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()), SFN_PORT: String(await freePort()) };
  child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...ports, LOCAL_DATA_DIR: dataDir, LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 90s:\n${out}`)), 90_000);
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ctrl-C stops everything.')) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

async function stopWithCtrlC(): Promise<number | null> {
  const proc = child!;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  proc.kill('SIGINT');
  const code = await exited;
  child = undefined;
  return code;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

const tokens = () => JSON.parse(readFileSync(path.join(dataDir, 'tokens.json'), 'utf8')) as Record<string, { token: string }>;

async function call(method: string, urlPath: string, token?: string, body?: unknown) {
  const res = await fetch(`http://localhost:${ports.PORT}${urlPath}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

afterAll(() => {
  child?.kill('SIGKILL');
});

describe('npm start', () => {
  let customerId: string;

  it('starts the stack, loads demo data, prints the URL and a token for every role', async () => {
    const output = await start();
    expect(output).toContain(`API            http://localhost:${ports.PORT}`);
    expect(output).toContain('(demo data loaded)');
    for (const role of ['sales_rep', 'order_desk', 'finance', 'auditor', 'admin']) expect(output).toMatch(new RegExp(`\\n  ${role}\\s+\\S+\\s+eyJ`));
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('with a printed token a client creates a customer, lists it and reads its history; another rep gets 403; no token 401; bad input 400', async () => {
    const rep = tokens().sales_rep!.token;
    const created = await call('POST', '/customers', rep, newCustomer({ name: 'Smoke Test Trading' }));
    expect(created.status).toBe(201);
    customerId = created.body.customerId;
    const list = await call('GET', '/customers?q=smoke', rep);
    expect(list.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([customerId]);
    const history = await call('GET', `/customers/${customerId}/history`, rep);
    expect(history.body.items[0].action).toBe('customer created');
    expect((await call('GET', `/customers/${customerId}`, tokens()['sales_rep (second rep)']!.token)).status).toBe(403);
    expect((await call('GET', '/customers')).status).toBe(401);
    const bad = await call('POST', '/customers', rep, { name: 42 });
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/problem+json');
    expect(bad.body.errors.length).toBeGreaterThan(3);
    // Demo data is there: customers of both reps, and finance has reviews to decide.
    const tasks = await call('GET', '/tasks', tokens().finance!.token);
    expect(tasks.body.items.length).toBeGreaterThan(0);
  });

  it('Ctrl-C stops every child process; a second start keeps all data', async () => {
    expect(await stopWithCtrlC()).toBe(0);
    expect(await portOpen(Number(ports.DYNAMODB_PORT))).toBe(false);
    expect(await portOpen(Number(ports.PORT))).toBe(false);

    const output = await start();
    expect(output).toContain('(kept from the last run)');
    const read = await call('GET', `/customers/${customerId}`, tokens().sales_rep!.token);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Smoke Test Trading');
    expect(await stopWithCtrlC()).toBe(0);
  });

  it('says in one clear line when a port is taken', async () => {
    const blocker = net.createServer().listen(Number(ports.PORT), '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], { cwd: REPO_ROOT, env: { ...process.env, ...ports, LOCAL_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise((r) => proc.once('exit', r));
      expect(code).toBe(1);
      expect(err).toContain(`Cannot start: Port ${ports.PORT} (API gateway, set PORT) is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('says in one clear line when Java is missing', async () => {
    // A PATH with node but without java.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'o2c-nojava-'));
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...ports, LOCAL_DATA_DIR: dataDir, PATH: bin },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc; // killed by afterAll should it start after all
    let err = '';
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((r) => proc.once('exit', r));
    expect(code).toBe(1);
    expect(err.trim().split('\n').filter((l) => l.startsWith('Cannot start'))).toEqual([
      'Cannot start: Java 17 or newer is needed for DynamoDB Local and was not found on PATH (on Debian: apt-get install openjdk-17-jre-headless).',
    ]);
  });
});
