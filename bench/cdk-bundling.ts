/**
 * The esbuild options CDK uses for every business function (infra/definitions/bundling.ts),
 * as esbuild JS API options matching the CLI arguments aws-lambda-nodejs builds
 * (Bundling.buildEsbuildArgs), run from the project root.
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { BUNDLING } from '../infra/definitions/bundling.js';

export const CDK_BUNDLING = BUNDLING;

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
