/**
 * Reliability (issue 14): DynamoDB unreachable. The local stack's DynamoDB Local is taken down for
 * real (its process stopped: the port refuses connections, as a database gone does) through the
 * test-only switch `stack.outage`, then brought back on the same port.
 *
 * While it is down, the API answers what an outage is (DESIGN.md "API": bad input is a 4xx, never a
 * 500): 503 application/problem+json of type /problems/unavailable with Retry-After, without the
 * machinery behind it in the text, on a read and on a write; GET /health, the readiness check,
 * answers 503 with dynamodb down. Once it is back, /health is ok again and the routes answer.
 *
 * Its own file and its own stack: the handlers' SDK clients keep the endpoint of the first stack they
 * served, once per process. The times to answer are printed, not asserted (speed is the bench's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { apiAs, newCustomer, startTestStack, type ApiResponse } from '../support/local-stack.js';

let stack: LocalStack;
const rep = () => apiAs(stack, 'wang.qiang');
const anonymous = () => apiAs(stack);

beforeAll(async () => {
  // DynamoDB Local on files in the test's data folder (not in memory), so that it comes back with its data, as DynamoDB does.
  stack = await startTestStack({ inMemory: false });
});
afterAll(async () => stack?.stop());

/** The answer and how long it took. */
async function timed<T>(request: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T> & { ms: number }> {
  const started = performance.now();
  const res = await request();
  return { ...res, ms: Math.round(performance.now() - started) };
}

function expectOutageProblem(res: ApiResponse, instance: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.body).toMatchObject({ type: '/problems/unavailable', status: 503, title: 'Try again in a moment', instance });
  expect(res.body.detail).toMatch(/try again in \d+ seconds/);
  // Nothing of what is behind it: no address, port, error code or stack.
  expect(JSON.stringify(res.body)).not.toMatch(/ECONN|127\.0\.0\.1|localhost|:\d{4,5}|dynamo|at \w+ \(|Error/i);
}

describe('DynamoDB unreachable: 503 with Retry-After, never 500; /health says so', () => {
  it('with DynamoDB up, /health is ok and the routes answer', async () => {
    const health = await anonymous().get('/health');
    expect([health.status, health.body.status, health.body.dependencies]).toEqual([200, 'ok', { dynamodb: 'up' }]);
    expect((await rep().get('/customers')).status).toBe(200);
    expect((await rep().post('/customers', newCustomer({ name: 'Before The Outage Co' }))).status).toBe(201);
  });

  it('while DynamoDB is down, a read and a write answer 503 problem+json with Retry-After, and /health answers 503 with dynamodb down', async () => {
    await stack.outage.stopDynamoDb();
    const read = await timed(() => rep().get('/customers'));
    expectOutageProblem(read, '/customers');
    const write = await timed(() => rep().post('/customers', newCustomer({ name: 'During The Outage Co' })));
    expectOutageProblem(write, '/customers');
    // A creating POST with an Idempotency-Key: the key's own record cannot be read either; still a 503.
    const keyed = await timed(() => rep().post('/customers', newCustomer({ name: 'Keyed Co' }), { 'idempotency-key': 'outage-test-key-1' }));
    expectOutageProblem(keyed, '/customers');
    const health = await timed(() => anonymous().get('/health'));
    expect(health.status).toBe(503);
    expect(health.headers.get('content-type')).toBe('application/json');
    expect(Number(health.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(health.body).toMatchObject({ status: 'degraded', dependencies: { dynamodb: 'down' } });
    console.info(`[outage] time to answer with DynamoDB down: read ${read.ms} ms, write ${write.ms} ms, keyed write ${keyed.ms} ms, /health ${health.ms} ms`);
  });

  it('once DynamoDB is back, /health is ok again and the routes answer, with what was written before and nothing of what was refused', async () => {
    await stack.outage.startDynamoDb();
    const health = await timed(() => anonymous().get('/health'));
    expect([health.status, health.body.status, health.body.dependencies]).toEqual([200, 'ok', { dynamodb: 'up' }]);
    const names = async () => ((await rep().get('/customers')).body.items as { name: string }[]).map((c) => c.name).sort();
    expect(await names()).toEqual(['Before The Outage Co']);
    // The key of the refused request was never recorded: the retry is a first request.
    const created = await rep().post('/customers', newCustomer({ name: 'Keyed Co' }), { 'idempotency-key': 'outage-test-key-1' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await names()).toEqual(['Before The Outage Co', 'Keyed Co']);
    console.info(`[outage] /health after the restart: ${health.ms} ms`);
  });
});
