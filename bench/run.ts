/**
 * npm run bench [-- --smoke] [-- --out DIR]
 *
 * 1. Bundles every function (FUNCTIONS) with the CDK construct's esbuild options into a temp
 *    folder, records the bundle size and times `await import(bundle)` in fresh Node processes.
 * 2. Starts a local stack and measures API latency over HTTP at two concurrencies.
 * 3. Writes results.json and results.md (default: bench/) and prints the table.
 * Missed aims print OVER; they never fail the run. Real failures (a bundle that does not
 * build or load, a stack that does not start) do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FUNCTIONS } from '../infra/definitions/index.js';
import { benchApi } from './api.js';
import { benchBundles } from './bundles.js';
import { CDK_BUNDLING } from './cdk-bundling.js';
import { AIMS, type BenchResults, toMarkdown, verdict } from './report.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: { smoke: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const smoke = args.smoke === true;
const outDir = path.resolve(args.out ?? path.join(REPO_ROOT, 'bench'));

const settings = smoke
  ? { loadRuns: 2, loadWarmupRuns: 0, requestsPerRoute: 5, warmupRequestsPerRoute: 1, concurrencies: [1, 2] }
  : { loadRuns: 10, loadWarmupRuns: 1, requestsPerRoute: 200, warmupRequestsPerRoute: 10, concurrencies: [1, 10] };

const log = (line: string) => console.error(`[bench] ${line}`);

async function main() {
  const started = performance.now();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-'));
  try {
    log(`${smoke ? 'smoke' : 'full'} run; bundles in ${workDir}`);
    const bundles = await benchBundles({
      functions: FUNCTIONS,
      projectRoot: REPO_ROOT,
      workDir,
      loadRuns: settings.loadRuns,
      warmupRuns: settings.loadWarmupRuns,
      log,
    });
    const api = await benchApi({
      requestsPerRoute: settings.requestsPerRoute,
      concurrencies: settings.concurrencies,
      warmupRequests: settings.warmupRequestsPerRoute,
      log,
    });

    const cpus = os.cpus();
    const results: BenchResults = {
      mode: smoke ? 'smoke' : 'full',
      machine: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? 'unknown',
        totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
        date: new Date().toISOString(),
      },
      settings,
      aims: AIMS,
      notes: [
        `Bundles are built with esbuild using the options CDK deploys with (infra/definitions/bundling.ts: format ${CDK_BUNDLING.format}, target ${CDK_BUNDLING.target}, minify, keepNames, external: ${CDK_BUNDLING.externalModules.join(', ') || 'none, the AWS SDK is bundled'}, require banner, mainFields ${CDK_BUNDLING.mainFields.join(',')}), written to a temp folder. Size is the .mjs file; the source map ships beside it.`,
        `Load time is \`await import(bundle)\` timed with performance.now() inside a fresh \`node --enable-source-maps\` process (CDK sets NODE_OPTIONS=--enable-source-maps), excluding process start-up; nearest-rank median and p90.`,
        CDK_BUNDLING.externalModules.length
          ? `${CDK_BUNDLING.externalModules.join(', ')} are external in the bundles; here they resolve from the repository's node_modules (through a node_modules link in the temp folder), so their load time is included, as Lambda also loads them on a cold start.`
          : 'The AWS SDK is inside each bundle, so the load time includes it, as a Lambda cold start does.',
        `Measured on Node ${process.version} ${process.arch}; Lambda runs nodejs22.x on ARM64 (Graviton) with the memory-proportional CPU of the function, so absolute times differ.`,
        `API latency: startLocalStack (DynamoDB Local in memory, temp data dir, logLevel ERROR, retryIntervalMs 0, timeoutPollMs 0) in a child process; the load generator sends keep-alive HTTP requests to 127.0.0.1 with demo users' tokens (GET /health anonymous, customers and products as wang.qiang); time is from sending to the end of the response body. Handlers run in-process in the local stack (TypeScript via tsx, warm after the warm-up requests), so these are warm, local figures, not Lambda cold starts; DynamoDB Local (Java) runs on the same machine.`,
        `POST /customers sends a unique Idempotency-Key each time and starts a credit review workflow per customer (local Step Functions, same process as the gateway). GET /customers/{id} cycles through 5 customers owned by the caller (owner reads are not access-logged).`,
      ],
      bundles: bundles.map((b) => ({ ...b, sizeAim: verdict(b.bytes, AIMS.bundleBytes), loadAim: verdict(b.loadMedianMs, AIMS.loadMedianMs) })),
      api,
    };

    mkdirSync(outDir, { recursive: true });
    const markdown = toMarkdown(results);
    writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(outDir, 'results.md'), markdown);
    console.log(markdown);
    const over = results.bundles.filter((b) => b.sizeAim === 'OVER' || b.loadAim === 'OVER').map((b) => b.id);
    log(over.length ? `aims missed by: ${over.join(', ')} (reported, not a failure)` : 'every function within the aims');
    log(`wrote ${path.join(outDir, 'results.json')} and results.md in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
