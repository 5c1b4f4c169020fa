/**
 * The esbuild options CDK uses for every business function.
 *
 * COPIED from the `bundling` block of infra/constructs/business-function.ts (NodejsFunction
 * props), because that module does not export them and the bench must not import aws-cdk-lib.
 * They should live in one exported constant that both the construct and the bench read;
 * until then tests/bench/bench-smoke.test.ts checks that every value below still appears in
 * the construct's source, so a change there fails the test instead of silently diverging.
 *
 * toEsbuildOptions() turns them into the esbuild JS API options that match the CLI arguments
 * CDK builds (aws-cdk-lib/aws-lambda-nodejs Bundling.buildEsbuildArgs): `--bundle <entry>
 * --target --platform --format --outfile=index.mjs --minify --sourcemap --sources-content=false
 * --external:... --log-level --keep-names --banner:js --main-fields`, run from the project root.
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

export const CDK_BUNDLING = {
  /** OutputFormat.ESM */
  format: 'esm',
  /** Runtime.NODEJS_22_X */
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  banner: "import { createRequire as __o2cCreateRequire } from 'node:module'; const require = __o2cCreateRequire(import.meta.url);",
  externalModules: ['@aws-sdk/*'],
  /** LogLevel.ERROR */
  logLevel: 'error',
} as const;

/** CDK names the ESM output index.mjs (index.js for CommonJS). */
export const OUTPUT_FILE = CDK_BUNDLING.format === 'esm' ? 'index.mjs' : 'index.js';

export function toEsbuildOptions(entry: string, outDir: string, projectRoot: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: [path.resolve(projectRoot, entry)],
    bundle: true,
    outfile: path.join(outDir, OUTPUT_FILE),
    format: CDK_BUNDLING.format,
    target: CDK_BUNDLING.target,
    platform: CDK_BUNDLING.platform,
    mainFields: [...CDK_BUNDLING.mainFields],
    minify: CDK_BUNDLING.minify,
    keepNames: CDK_BUNDLING.keepNames,
    sourcemap: CDK_BUNDLING.sourceMap,
    sourcesContent: CDK_BUNDLING.sourcesContent,
    banner: { js: CDK_BUNDLING.banner },
    external: [...CDK_BUNDLING.externalModules],
    logLevel: CDK_BUNDLING.logLevel,
  };
}
