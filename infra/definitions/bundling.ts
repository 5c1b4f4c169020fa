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
  /**
   * The AWS SDK is bundled (tree-shaken) rather than taken from the Lambda runtime: measured
   * here, GetCustomer loads in ~130-150 ms bundled against ~210 ms with @aws-sdk/* external,
   * and the deployed code runs the SDK version the tests ran.
   */
  externalModules: [] as string[],
  logLevel: 'error',
} as const;
