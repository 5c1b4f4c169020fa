/**
 * Keeps the bench from rotting: the smoke run must bundle and load every function and measure
 * every route. No timing is asserted.
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
  it('produces a result row for every function and every route', { timeout: 180_000 }, async () => {
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

    expect(existsSync(path.join(outDir, 'results.md'))).toBe(true);
    const markdown = readFileSync(path.join(outDir, 'results.md'), 'utf8');
    for (const fn of FUNCTIONS) expect(markdown).toContain(`| ${fn.id} |`);
    for (const route of ROUTES) expect(markdown).toContain(`| ${route} |`);
  });
});
