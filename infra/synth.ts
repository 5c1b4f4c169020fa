/**
 * Synthesizes the stack in-process, for tests (template assertions, cdk-nag, the parity test
 * with the local stack). Bundling is skipped unless asked for: the template is the same
 * except for asset hashes.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { fromRepoRoot } from './constructs/paths.js';
import { OrderToCashStack, STACK_ID } from './stack.js';

/** The context (feature flags) of cdk.json, which the CLI passes to `cdk synth`: in-process synthesis must see it too. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export interface SynthOptions {
  /** Bundle every function with esbuild (slow); default false. */
  bundling?: boolean;
  /** Extra CDK context, e.g. { settings: { currency: 'EUR' } }. */
  context?: Record<string, unknown>;
}

export interface BuiltApp {
  app: App;
  stack: OrderToCashStack;
}

/** The app and stack as constructs (for Template.fromStack and cdk-nag's validateScope). */
export function buildApp(options: SynthOptions = {}): BuiltApp {
  const app = new App({
    context: {
      ...cdkJsonContext(),
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stack = new OrderToCashStack(app, STACK_ID);
  return { app, stack };
}

/** A CloudFormation template: resources by logical id. */
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
  [section: string]: unknown;
}

/** The CloudFormation template of the stack, as JSON. */
export function synthesizeTemplate(options: { bundling?: boolean } & Pick<SynthOptions, 'context'> = {}): CfnTemplate {
  const { app, stack } = buildApp(options);
  const assembly = app.synth();
  return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
}
