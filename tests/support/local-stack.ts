/**
 * Test harness: one local stack per test file (DynamoDB Local in memory, workflow retries
 * without waiting, no cron), plus an HTTP client that speaks as a demo user.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScanCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_LIST } from '../../infra/definitions/index.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/stack.js';

export async function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'o2c-test-')),
    inMemory: true,
    retryIntervalMs: 0,
    timeoutPollMs: 0,
    logLevel: 'ERROR',
    ...options,
  });
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A client that calls the local gateway over real HTTP as one demo user (or anonymously). */
export function apiAs(stack: Pick<LocalStack, 'url' | 'tokenFor'>, userId?: string) {
  async function request<T = any>(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const all: Record<string, string> = { ...headers };
    if (userId) all.authorization = `Bearer ${await stack.tokenFor(userId)}`;
    if (body !== undefined) all['content-type'] ??= 'application/json';
    const res = await fetch(`${stack.url}${urlPath}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }
  return {
    get: <T = any>(p: string, h?: Record<string, string>) => request<T>('GET', p, undefined, h),
    post: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => request<T>('POST', p, b, h),
    patch: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => request<T>('PATCH', p, b, h),
    put: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => request<T>('PUT', p, b, h),
    request,
  };
}

/**
 * Every item of every table, to prove that a refused request wrote nothing. Work already under way
 * settles first (workflows started from the outbox a moment after the write that asked for them).
 */
export async function snapshotTables(stack: Pick<LocalStack, 'dynamoEndpoint'> & Partial<Pick<LocalStack, 'idle'>>): Promise<Record<string, unknown[]>> {
  await stack.idle?.();
  const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const out: Record<string, unknown[]> = {};
  for (const t of TABLE_LIST) {
    const items: unknown[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: t.localName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    out[t.localName] = items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  client.destroy();
  return out;
}

/** A valid new customer; override what a test is about. */
export function newCustomer(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Test Trading Co',
    contacts: [{ name: 'Zhang San', phone: '+86 21 1234 5678' }],
    addresses: [{ label: 'Head office', line1: '1 Test Road', city: 'Shanghai', region: 'Shanghai' }],
    region: 'East',
    businessScope: 'Trading',
    class: 'regular',
    fulfilmentMode: 'delivery',
    ...overrides,
  };
}

export function newProduct(overrides: Record<string, unknown> = {}) {
  return {
    productCode: 'TEST-PLATE',
    name: 'Test steel plate',
    specifications: ['10mm', '12mm'],
    unit: 't',
    quantityScale: 3,
    productType: 'manufactured',
    ...overrides,
  };
}

/** The open task about `subjectId` (a customer, an order, a price list) in `userId`'s queue, once the workflows are idle. */
/** Decides the open task about `subjectId` in `userId`'s queue; returns the answer. */
export async function decideTaskAbout(stack: LocalStack, userId: string, subjectId: string, body: Record<string, unknown>) {
  await stack.stepFunctions.idle();
  const api = apiAs(stack, userId);
  const tasks = await api.get('/tasks?limit=100');
  const task = tasks.body.items.find((t: { subject: { id: string } }) => t.subject.id === subjectId);
  if (!task) throw new Error(`${userId} has no task about ${subjectId}: ${JSON.stringify(tasks.body.items.map((t: { title: string }) => t.title))}`);
  const res = await api.post(`/tasks/${task.taskId}/decision`, body);
  await stack.stepFunctions.idle();
  return { task, res };
}

export async function openTaskAbout(stack: LocalStack, userId: string, subjectId: string): Promise<any> {
  await stack.stepFunctions.idle();
  const tasks = await apiAs(stack, userId).get('/tasks?limit=100');
  return tasks.body.items.find((t: { subject: { id: string } }) => t.subject.id === subjectId);
}

/** A credit review approval as finance gives it. */
export const creditApproval = {
  outcome: 'APPROVED',
  rating: 'B',
  creditLimit: { amountMinor: 30_000_000, currency: 'CNY' },
  paymentTermsDays: 45,
  contract: { number: 'HT-2026-0100', validFrom: '2026-01-01', validTo: '2027-06-30' },
};
