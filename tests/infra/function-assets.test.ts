/**
 * Function assets (FunctionDefinition.assets): a file a function reads at run time is in the
 * bundle CDK deploys. Here the statement PDF's font (R-BILL-6): Lambda has no system fonts, so
 * without it a statement could not be printed in the cloud. The statement reads function is
 * bundled for real (esbuild, as `cdk synth` does it) and its asset folder is looked at.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { STATEMENT_FONT, statementFontPath } from '../../functions/statements/font.js';
import { statementRoutes } from '../../functions/statements/routes.js';
import { assetHooks } from '../../infra/constructs/assets.js';
import { BusinessFunction } from '../../infra/constructs/business-function.js';
import { FUNCTIONS } from '../../infra/definitions/index.js';

const outdir = mkdtempSync(path.join(os.tmpdir(), 'o2c-assets-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function assets', () => {
  it('R-BILL-6: the statement reads function is bundled with the font beside index.mjs, byte for byte the package’s', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'StatementAssets');
    const definition = statementRoutes.getStatementPdf.function;
    expect(definition.assets).toEqual([STATEMENT_FONT]);
    new BusinessFunction(stack, definition.id, { definition });
    app.synth();
    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(path.join(outdir, d, 'index.mjs')));
    expect(bundles).toHaveLength(1);
    const bundle = path.join(outdir, bundles[0]!);
    const font = path.join(bundle, STATEMENT_FONT.to);
    expect(existsSync(font), font).toBe(true);
    expect(readFileSync(font).equals(readFileSync(statementFontPath()))).toBe(true);
    // The code looks for it there (the path relative to the handler module).
    expect(readFileSync(path.join(bundle, 'index.mjs'), 'utf8')).toContain(STATEMENT_FONT.to);
  }, 120_000);

  it('only the functions that declare assets carry them, and an asset cannot leave its bundle', () => {
    expect(FUNCTIONS.filter((f) => f.assets?.length).map((f) => f.id)).toEqual(['StatementReads']);
    expect(() => assetHooks([{ from: STATEMENT_FONT.from, to: '../outside.woff' }]).afterBundling('/in', '/out')).toThrow(/inside the bundle/);
    expect(assetHooks([STATEMENT_FONT]).afterBundling('/in', '/out/x')).toEqual([`mkdir -p '/out/x/fonts'`, `cp '${statementFontPath()}' '/out/x/${STATEMENT_FONT.to}'`]);
  });
});
