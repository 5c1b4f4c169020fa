/**
 * Bundle every function exactly as CDK does, then time its module load in fresh Node processes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import type { FunctionDefinition } from '../functions/shared/definitions.js';
import { stateMachineEnvName, tableEnvName } from '../functions/shared/definitions.js';
import { STATE_MACHINES, TABLE_LIST } from '../infra/definitions/index.js';
import { OUTPUT_FILE, toEsbuildOptions } from './cdk-bundling.js';
import { percentile, round } from './stats.js';

export interface BundleResult {
  id: string;
  entry: string;
  bytes: number;
  kib: number;
  sourceMapBytes: number;
  /** The largest packages (or `(app)` for our own code) by bytes in the output. */
  largestInputs: { name: string; bytes: number }[];
  /** Modules left external (the @aws-sdk/* packages the bundle loads at start). */
  externalImports: string[];
  loadRunsMs: number[];
  loadMedianMs: number;
  loadP90Ms: number;
}

/** Runs inside the child: the time of the dynamic import alone, without process start-up. */
const CHILD_SCRIPT = `
const url = process.argv[2];
const started = performance.now();
const mod = await import(url);
const ms = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error(url + ' does not export a handler');
process.stdout.write(JSON.stringify({ ms }) + '\\n', () => process.exit(0));
`;

function packageOf(input: string): string {
  const i = input.lastIndexOf('node_modules/');
  if (i < 0) return '(app)';
  const rest = input.slice(i + 'node_modules/'.length).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/** One build, one entry: its only JavaScript output (the other is the .map). */
function mainOutput(meta: Metafile) {
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(OUTPUT_FILE))?.[1];
  if (!output) throw new Error(`esbuild wrote no ${OUTPUT_FILE}`);
  return output;
}

function externalImports(meta: Metafile): string[] {
  return [...new Set(mainOutput(meta).imports.filter((i) => i.external).map((i) => i.path))].filter((p) => !p.startsWith('node:')).sort();
}

function largestInputs(meta: Metafile, top = 5): { name: string; bytes: number }[] {
  const output = mainOutput(meta);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

/** What CDK puts in every function's environment, with placeholder resource names; nothing is called at load. */
function lambdaLikeEnvironment(fn: FunctionDefinition): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: fn.id,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb ?? 512),
    POWERTOOLS_SERVICE_NAME: 'order-to-cash',
    APP_VERSION: 'bench',
    NOTIFICATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:bench',
  };
  for (const t of TABLE_LIST) env[tableEnvName(t.id)] = t.localName;
  for (const m of Object.values(STATE_MACHINES)) env[stateMachineEnvName(m.id)] = `arn:aws:states:us-east-1:000000000000:stateMachine:${m.name}`;
  return env;
}

function loadOnce(bundleFile: string, childScript: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // NODE_OPTIONS=--enable-source-maps is what CDK sets on every function, so the load pays for it here too.
    const child = spawn(process.execPath, ['--enable-source-maps', childScript, pathToFileURL(bundleFile).href], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve((JSON.parse(line) as { ms: number }).ms);
      } catch (e) {
        reject(new Error(`loading ${bundleFile} failed (${(e as Error).message}): ${err.trim().slice(0, 2000)}`));
      }
    });
  });
}

export interface BundleBenchOptions {
  functions: readonly FunctionDefinition[];
  projectRoot: string;
  workDir: string;
  loadRuns: number;
  /** Discarded runs per bundle before the measured ones (warm the file cache). */
  warmupRuns: number;
  log: (line: string) => void;
}

export async function benchBundles(options: BundleBenchOptions): Promise<BundleResult[]> {
  const { functions, projectRoot, workDir } = options;
  // The bundles keep @aws-sdk/* external, as on Lambda. Lambda provides them from its runtime;
  // here they resolve from the repository's node_modules through this link.
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(workDir, 'node_modules'), 'dir');
  const childScript = path.join(workDir, 'load-child.mjs');
  writeFileSync(childScript, CHILD_SCRIPT);

  const built = await Promise.all(
    functions.map(async (fn) => {
      const outDir = path.join(workDir, fn.id);
      mkdirSync(outDir, { recursive: true });
      const opts = toEsbuildOptions(fn.entry, outDir, projectRoot);
      const result = await build({ ...opts, metafile: true });
      const outfile = path.resolve(opts.outfile!);
      return { fn, outfile, inputs: largestInputs(result.metafile), externals: externalImports(result.metafile) };
    }),
  );
  options.log(`bundled ${built.length} functions into ${workDir}`);

  const runs = new Map<string, number[]>(built.map((b) => [b.fn.id, []]));
  for (const b of built) {
    for (let i = 0; i < options.warmupRuns; i++) await loadOnce(b.outfile, childScript, lambdaLikeEnvironment(b.fn));
  }
  // Round-robin, so drift in machine load spreads over all functions instead of hitting one.
  for (let i = 0; i < options.loadRuns; i++) {
    for (const b of built) runs.get(b.fn.id)!.push(await loadOnce(b.outfile, childScript, lambdaLikeEnvironment(b.fn)));
    options.log(`load run ${i + 1}/${options.loadRuns} done`);
  }

  return built.map(({ fn, outfile, inputs, externals }) => {
    const bytes = statSync(outfile).size;
    const samples = runs.get(fn.id)!;
    return {
      id: fn.id,
      entry: fn.entry,
      bytes,
      kib: round(bytes / 1024, 1),
      sourceMapBytes: statSync(`${outfile}.map`).size,
      largestInputs: inputs,
      externalImports: externals,
      loadRunsMs: samples.map((s) => round(s, 2)),
      loadMedianMs: round(percentile(samples, 0.5), 2),
      loadP90Ms: round(percentile(samples, 0.9), 2),
    };
  });
}
