/**
 * Keeps the bench from rotting: the smoke run must bundle and load every function, measure
 * every route, and take an order with no finding from submission to CREDIT_APPROVED (review and
 * credit) with its usage and cost counted. No timing is asserted, nor whether an aim is met.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/report.js';
import { FUNCTIONS } from '../../infra/definitions/index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUTES = ['GET /health', 'GET /customers', 'GET /customers/{id}', 'POST /customers', 'GET /products'];
const ORDER_ROUTES = ['POST /orders', 'POST /orders/{id}/submission'];
const COST_ITEMS = [
  'Step Functions Standard state transitions',
  'DynamoDB write request units',
  'DynamoDB read request units',
  'Lambda requests',
  'Lambda duration',
];

const outDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runSmoke(): Promise<{ code: number | null; output: string }> {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, 'bench/run.ts', '--smoke', '--out', outDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('bench --smoke', () => {
  it('produces a result row for every function, every route and the order usage and cost', { timeout: 240_000 }, async () => {
    const { code, output } = await runSmoke();
    expect(code, output).toBe(0);

    const results = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')) as BenchResults;
    expect(results.mode).toBe('smoke');
    expect(results.machine.node).toBe(process.version);

    expect(results.bundles.map((b) => b.id).sort()).toEqual(FUNCTIONS.map((f) => f.id).sort());
    for (const b of results.bundles) {
      expect(b.bytes, b.id).toBeGreaterThan(0);
      expect(b.loadRunsMs, b.id).toHaveLength(results.settings.loadRuns);
      expect(['PASS', 'OVER']).toContain(b.sizeAim);
      expect(['PASS', 'OVER']).toContain(b.loadAim);
    }

    expect(results.api.map((r) => r.route).sort()).toEqual([...ROUTES].sort());
    for (const route of results.api) {
      expect(route.results.map((r) => r.concurrency), route.route).toEqual([1, 2]);
      for (const r of route.results) {
        expect(r.requests, route.route).toBe(results.settings.requestsPerRoute);
        // Every request got the expected answer: a route that starts failing fails here.
        expect(r.errors, route.route).toBe(0);
      }
    }

    const { orders } = results;
    expect(orders.latency.map((r) => r.route)).toEqual(ORDER_ROUTES);
    for (const r of orders.latency) {
      expect(r.concurrency, r.route).toBe(orders.settings.concurrency);
      expect(r.requests, r.route).toBe(orders.settings.requests);
      expect(r.errors, r.route).toBe(0);
    }
    expect(orders.latency.map((r) => r.expectedStatus)).toEqual([201, 202]);

    // One order with no finding went from submission to CREDIT_APPROVED (review and credit) and its usage was counted.
    const { cost } = orders;
    expect(cost.samples).toHaveLength(orders.settings.costOrders);
    expect(cost.visitedStates).toEqual(expect.arrayContaining(['FinishApproved', 'CreditCheck']));
    expect(cost.visitedStates.at(-1)).toBe('Done');
    expect(cost.functions.map((f) => f.functionId)).toContain('CheckOrderCredit');
    expect(cost.perOrder.stateTransitions).toBe(cost.visitedStates.length);
    expect(cost.perOrder.lambdaInvocations).toBe(2 + cost.perOrder.taskStates);
    expect(cost.functions.map((f) => f.functionId)).toEqual(expect.arrayContaining(['SubmitOrder', 'DecideTask']));
    expect(cost.perOrder.writeRequestUnits).toBeGreaterThan(0);
    expect(cost.perOrder.readRequestUnits).toBeGreaterThan(0);
    // The size rules agree with DynamoDB Local where it applies them (single-item writes).
    expect(cost.singleItemWriteUnits.computed).toBe(cost.singleItemWriteUnits.reportedByDynamoDbLocal);
    expect(orders.per1000Orders.rows.map((r) => r.item)).toEqual(COST_ITEMS);
    expect(orders.per1000Orders.totalUsd).toBeGreaterThan(0);
    expect(['PASS', 'OVER']).toContain(orders.aims.createP50.verdict);
    expect(['PASS', 'OVER']).toContain(orders.aims.stateTransitions.verdict);

    expect(existsSync(path.join(outDir, 'results.md'))).toBe(true);
    const markdown = readFileSync(path.join(outDir, 'results.md'), 'utf8');
    for (const fn of FUNCTIONS) expect(markdown).toContain(`| ${fn.id} |`);
    for (const route of ROUTES) expect(markdown).toContain(`| ${route} |`);
    for (const route of ORDER_ROUTES) expect(markdown).toContain(`| ${route} |`);
    for (const item of [...COST_ITEMS, 'State transitions', 'Lambda invocations', 'DynamoDB write request units', 'Total']) expect(markdown).toContain(`| ${item} |`);
    expect(output).toMatch(/orders: (PASS|OVER) POST \/orders p50/);
    expect(output).toMatch(/orders: (PASS|OVER) [\d.]+ state transitions submission → CREDIT_APPROVED/);
  });
});
