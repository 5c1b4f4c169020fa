/**
 * Synthesizes the stack in-process, for tests (template assertions, cdk-nag, the parity test
 * with the local stack). Bundling is skipped unless asked for: the template is the same
 * except for asset hashes.
 *
 * The app is a parent stack with nested stacks (one per business area). Tests read them through
 * one merged view (mergeTemplates): every resource of every template, a nested stack's
 * resources keyed `<nested stack resource>/<logical id>`, and every cross-stack reference
 * followed to what it stands for (a nested stack's parameter to the value its parent passes, a
 * parent's `Fn::GetAtt <nested>.Outputs.X` to that output's value), so an assertion such as
 * "the function's TABLE_ORDERS is the orders table" holds across stack boundaries exactly as it
 * did within one stack. The templates one by one (resource counts, limits) are there too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
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

/** The app and stack as constructs (for cdk-nag's validateScope, and logical ids through templateKey). */
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
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown>; DependsOn?: string | string[] }>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown; [key: string]: unknown }>;
  [section: string]: unknown;
}

/** One template of the app: the parent's or a nested stack's. */
export interface StackTemplate {
  /** Construct path of the stack: OrderToCashStack, OrderToCashStack/Functions/Orders. */
  readonly path: string;
  /** The key of this stack's AWS::CloudFormation::Stack resource in the merged view; undefined for the parent. */
  readonly resourceKey?: string;
  /** The path of the stack this one is nested in. */
  readonly parentPath?: string;
  readonly template: CfnTemplate;
}

export interface SynthesizedApp extends BuiltApp {
  readonly assembly: CloudAssembly;
  /** The parent's template first, then every nested stack's. */
  readonly templates: StackTemplate[];
  /** All templates as one, references followed across stacks (see mergeTemplates). */
  readonly template: CfnTemplate;
}

/** Synthesizes the app and reads the parent's and every nested stack's template. */
export function synthesizeApp(options: SynthOptions = {}): SynthesizedApp {
  const { app, stack } = buildApp(options);
  const assembly = app.synth();
  const templates: StackTemplate[] = [{ path: stack.node.path, template: assembly.getStackArtifact(stack.artifactId).template as CfnTemplate }];
  for (const nested of stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)) {
    templates.push({
      path: nested.node.path,
      resourceKey: templateKey(nested.nestedStackResource!),
      parentPath: nested.nestedStackParent!.node.path,
      template: JSON.parse(readFileSync(path.join(assembly.directory, nested.templateFile), 'utf8')) as CfnTemplate,
    });
  }
  return { app, stack, assembly, templates, template: mergeTemplates(templates) };
}

/** The CloudFormation template of the app, parent and nested stacks merged (see mergeTemplates). */
export function synthesizeTemplate(options: SynthOptions = {}): CfnTemplate {
  return synthesizeApp(options).template;
}

/** The key of a resource in the merged view: its logical id, behind its nested stack's key for a nested resource. */
export function templateKey(element: CfnElement): string {
  const stack = Stack.of(element);
  const logicalId = stack.resolve(element.logicalId) as string;
  return stack.nestedStackResource ? `${templateKey(stack.nestedStackResource)}/${logicalId}` : logicalId;
}

/**
 * Parent and nested templates as one template: the parent's sections (Outputs, Parameters, …),
 * and the resources of all. A nested stack's resource is keyed `<key of its stack resource>/<logical id>`
 * and every reference in it is rewritten to match: `Ref`/`Fn::GetAtt`/`DependsOn` of its own
 * resources get the prefix, a `Ref` to one of its parameters becomes the value the parent passes
 * for it, and a `Fn::GetAtt [<nested stack>, Outputs.X]` becomes the value of output X, followed
 * the same way. Pseudo parameters (AWS::Region …) stay as they are.
 */
export function mergeTemplates(templates: readonly StackTemplate[]): CfnTemplate {
  const byPath = new Map(templates.map((t) => [t.path, t]));
  const byResourceKey = new Map(templates.filter((t) => t.resourceKey).map((t) => [t.resourceKey!, t]));
  const root = templates.find((t) => !t.resourceKey);
  if (!root) throw new Error('no parent template');

  const keyIn = (stack: StackTemplate, logicalId: string) => (stack.resourceKey ? `${stack.resourceKey}/${logicalId}` : logicalId);

  const resolve = (stack: StackTemplate, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => resolve(stack, v));
    if (!value || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && typeof object.Ref === 'string') {
      const name = object.Ref;
      if (stack.template.Resources[name]) return { Ref: keyIn(stack, name) };
      if (stack.template.Parameters?.[name] !== undefined && stack.parentPath) {
        const parent = byPath.get(stack.parentPath)!;
        const passed = (parent.template.Resources[stack.resourceKey!.split('/').at(-1)!]?.Properties?.Parameters as Record<string, unknown> | undefined)?.[name];
        if (passed === undefined) throw new Error(`${stack.path}: parameter ${name} is not passed by ${parent.path}`);
        return resolve(parent, passed);
      }
      return { Ref: name }; // a pseudo parameter, or a parameter of the parent (BootstrapVersion)
    }
    if (keys.length === 1 && Array.isArray(object['Fn::GetAtt'])) {
      const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
      if (!stack.template.Resources[logicalId]) throw new Error(`${stack.path}: Fn::GetAtt of unknown resource ${logicalId}`);
      const child = byResourceKey.get(keyIn(stack, logicalId));
      if (child && attribute.startsWith('Outputs.')) {
        const output = child.template.Outputs?.[attribute.slice('Outputs.'.length)];
        if (!output) throw new Error(`${child.path} has no output ${attribute}`);
        return resolve(child, output.Value);
      }
      return { 'Fn::GetAtt': [keyIn(stack, logicalId), attribute] };
    }
    if (keys.length === 1 && object['Fn::Sub'] !== undefined) {
      const text = Array.isArray(object['Fn::Sub']) ? (object['Fn::Sub'][0] as string) : (object['Fn::Sub'] as string);
      const local = [...text.matchAll(/\$\{([^}!]+)\}/g)].map((m) => m[1]!.split('.')[0]!).filter((n) => !n.startsWith('AWS::'));
      if (local.length || Array.isArray(object['Fn::Sub'])) throw new Error(`${stack.path}: Fn::Sub with references (${text}) is not merged`);
      return object;
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(stack, object[k])]));
  };

  const resources: CfnTemplate['Resources'] = {};
  for (const stack of templates) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
      const key = keyIn(stack, logicalId);
      if (resources[key]) throw new Error(`two resources merge into ${key}`);
      const dependsOn = resource.DependsOn === undefined ? undefined : [resource.DependsOn].flat().map((d) => keyIn(stack, d));
      resources[key] = {
        ...resource,
        ...(resource.Properties ? { Properties: resolve(stack, resource.Properties) as Record<string, unknown> } : {}),
        ...(dependsOn ? { DependsOn: dependsOn } : {}),
      };
    }
  }
  const outputs = root.template.Outputs
    ? Object.fromEntries(Object.entries(root.template.Outputs).map(([name, output]) => [name, resolve(root, output) as { Value: unknown }]))
    : undefined;
  return { ...root.template, Resources: resources, ...(outputs ? { Outputs: outputs } : {}) };
}
