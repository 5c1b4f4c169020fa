/**
 * How every function is bundled: read by the CDK construct (NodejsFunction `bundling`) and by
 * the bench, so the sizes and load times it measures are those of what deploys.
 */
export const BUNDLING = {
  format: 'esm',
  /** Runtime.NODEJS_22_X */
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  // ESM bundles have no `require`; CommonJS dependencies bundled into them need one.
  banner: "import { createRequire as __o2cCreateRequire } from 'node:module'; const require = __o2cCreateRequire(import.meta.url);",
  /** The Lambda runtime provides the AWS SDK v3. */
  externalModules: ['@aws-sdk/*'],
  logLevel: 'error',
} as const;
