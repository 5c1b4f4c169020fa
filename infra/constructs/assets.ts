/**
 * Files a function reads at run time besides its code (a font), copied into its bundle after
 * esbuild ran (FunctionDefinition.assets): `from` is a package export, resolved here as Node
 * resolves an import of it, so the file is the installed package's; `to` is its place beside
 * index.mjs, where the function looks first (functions/statements/font.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { FunctionAsset } from '../../functions/shared/definitions.js';

const requireFromHere = createRequire(import.meta.url);

/** The absolute path of an asset's source file; throws naming the asset if it is not installed. */
export function assetSource(asset: FunctionAsset): string {
  return requireFromHere.resolve(asset.from);
}

const quote = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;

/** Shell commands (local bundling, no Docker) that copy each asset into the bundle's output folder. */
export function assetHooks(assets: readonly FunctionAsset[]): ICommandHooks {
  const copies = (outputDir: string) =>
    assets.flatMap((asset) => {
      if (path.isAbsolute(asset.to) || asset.to.split(/[\\/]/).includes('..')) throw new Error(`asset ${asset.from}: ${asset.to} must stay inside the bundle`);
      const target = path.join(outputDir, asset.to);
      return [`mkdir -p ${quote(path.dirname(target))}`, `cp ${quote(assetSource(asset))} ${quote(target)}`];
    });
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => copies(outputDir),
  };
}
