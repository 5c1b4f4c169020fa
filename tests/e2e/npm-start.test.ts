/**
 * End to end: `npm start`'s program run as a child process, used over HTTP as a client would,
 * stopped with Ctrl-C (SIGINT) and started again on the same data. The README's quick start is
 * followed as written, and the demo data's past is there. The child runs on the machine's calendar
 * (TEST_TODAY moves only this process), so dates are taken from the stack's answers.
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
    // A first start loads six months of demo data: half a minute on an idle machine, a few minutes on a busy one.
    const timer = setTimeout(() => reject(new Error(`not ready in 240s:\n${out}`)), 240_000);
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
  }, 250_000);

  it('with a printed token a client creates a customer, lists it and reads its history; another rep gets 403; no token 401; bad input 400', async () => {
    const rep = tokens().sales_rep!.token;
    const created = await call('POST', '/customers', rep, newCustomer({ name: 'Smoke Test Trading' }));
    expect(created.status).toBe(201);
    customerId = created.body.customerId;
    // The README's example numbers: five demo customers, so the one created is the sixth.
    expect(customerId).toBe('CU-000006');
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
    // The README: the new customer's credit review waits in finance's queue (its workflow starts from the
    // outbox a moment after the customer is written: a client polls); its example decision decides it.
    let review: { taskId: string } | undefined;
    for (let attempt = 0; attempt < 100 && !review; attempt++) {
      const tasks = await call('GET', '/tasks', tokens().finance!.token);
      review = tasks.body.items.find((t: { subject: { id: string } }) => t.subject.id === customerId);
      if (!review) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(review, 'the credit review reached finance within 10 s').toBeDefined();
    const decided = await call('POST', `/tasks/${review!.taskId}/decision`, tokens().finance!.token, { outcome: 'APPROVED', rating: 'B', creditLimit: { amountMinor: 30000000, currency: 'CNY' }, paymentTermsDays: 45 });
    expect(decided.status).toBe(200);
  });

  it('R-BILL-6, R-AR-1, R-AR-2, R-BILL-4, R-RETURN-3: the demo data has a past: statements for past months, aging in every bucket, payments on time and late, an allowance and a return, alerts', async () => {
    const finance = tokens().finance!.token;
    const aging = (await call('GET', '/receivables/aging', finance)).body;
    expect(aging.totals.map((b: { bucket: string; amount: { amountMinor: number } }) => `${b.bucket} ${b.amount.amountMinor > 0}`)).toEqual(['not due true', '1-30 true', '31-60 true', '61-90 true', 'over 90 true']);
    // Statements for the past months, newest last month (as of the stack's today), a month after month.
    const months = (await call('GET', '/statements?customerId=CU-000001', finance)).body.items.map((s: { month: string }) => s.month);
    expect(months.length).toBeGreaterThanOrEqual(5);
    const monthBefore = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
    expect(months[0]).toBe(monthBefore(aging.asOf.slice(0, 7)));
    months.slice(1).forEach((m: string, i: number) => expect(m).toBe(monthBefore(months[i])));
    const invoices = (await call('GET', '/invoices?customerId=CU-000001&status=PAID', finance)).body.items as { dueDate: string; paidOn: string }[];
    expect(invoices.some((i) => i.paidOn <= i.dueDate)).toBe(true);
    expect(invoices.some((i) => i.paidOn > i.dueDate)).toBe(true);
    const notes = (await call('GET', '/credit-notes?customerId=CU-000001', finance)).body.items.map((n: { source: string; status: string }) => `${n.source} ${n.status}`);
    expect(notes.sort()).toEqual(['ALLOWANCE ISSUED', 'RETURN ISSUED']);
    expect((await call('GET', '/returns?customerId=CU-000001', finance)).body.items.map((r: { status: string }) => r.status)).toEqual(['COMPLETED']);
    const alerts = (await call('GET', '/notifications?limit=100', finance)).body.items.filter((n: { topic: string }) => n.topic === 'receivable-alert');
    expect(alerts.some((n: { subject: string }) => n.subject.includes('90 days overdue'))).toBe(true);
    expect((await call('GET', '/customers/CU-000001/ledger', finance)).body.entries.length).toBeGreaterThan(10);
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
