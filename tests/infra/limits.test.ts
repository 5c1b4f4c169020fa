/**
 * The app as CloudFormation deploys it: a parent stack and one nested stack per business area
 * (infra/constructs/areas.ts). Each template is checked on its own, the way CloudFormation
 * checks it: at most 500 resources (we hold every stack under 400, so that an area can grow
 * before it must split), 200 parameters, 200 outputs, 1 MB of template, and no circular
 * dependency between its resources.
 */
import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDefinition, RouteDefinition } from '../../functions/shared/definitions.js';
import { FUNCTIONS, ROUTES } from '../../infra/definitions/index.js';
import { AREA_RESOURCE_BUDGET, areaOf, planAreas } from '../../infra/constructs/areas.js';
import { CLOUD_ONLY_FUNCTIONS, type OrderToCashStack } from '../../infra/stack.js';
import { type StackTemplate, synthesizeApp } from '../../infra/synth.js';

/** CloudFormation's quotas per template, and the share of them the app may use. */
const MAX_RESOURCES = 400; // of 500
const MAX_PARAMETERS = 160; // of 200
const MAX_OUTPUTS = 160; // of 200
const MAX_TEMPLATE_BYTES = 800_000; // of 1 MB (from S3; the CLI uploads the parent there too when it passes 51,200 bytes)

let stack: OrderToCashStack;
let templates: StackTemplate[];

beforeAll(() => {
  const synthesized = synthesizeApp();
  stack = synthesized.stack;
  templates = synthesized.templates;
  const rows = templates.map((t) => ({
    stack: t.path,
    resources: Object.keys(t.template.Resources).length,
    parameters: Object.keys(t.template.Parameters ?? {}).length,
    outputs: Object.keys(t.template.Outputs ?? {}).length,
    kB: Math.round(JSON.stringify(t.template).length / 1000),
  }));
  console.log(
    [
      `stack resources (of 500; bar ${MAX_RESOURCES}), parameters, outputs, template kB:`,
      ...rows.map((r) => `  ${r.stack.padEnd(42)} ${String(r.resources).padStart(4)} ${String(r.parameters).padStart(4)} ${String(r.outputs).padStart(4)} ${String(r.kB).padStart(5)}`),
      `  ${'all stacks'.padEnd(42)} ${String(rows.reduce((n, r) => n + r.resources, 0)).padStart(4)}`,
    ].join('\n'),
  );
});

describe('CloudFormation limits, stack by stack', () => {
  it(`every stack, parent and nested, has fewer than ${MAX_RESOURCES} resources (CloudFormation refuses more than 500)`, () => {
    expect(templates.length).toBeGreaterThan(1);
    for (const { path, template } of templates) {
      expect(Object.keys(template.Resources).length, path).toBeLessThan(MAX_RESOURCES);
    }
  });

  it('every stack stays well within the parameter, output and template size quotas', () => {
    for (const { path, template } of templates) {
      expect(Object.keys(template.Parameters ?? {}).length, path).toBeLessThanOrEqual(MAX_PARAMETERS);
      expect(Object.keys(template.Outputs ?? {}).length, path).toBeLessThanOrEqual(MAX_OUTPUTS);
      expect(JSON.stringify(template).length, path).toBeLessThan(MAX_TEMPLATE_BYTES);
    }
  });

  it('no stack has a circular dependency between its resources (CloudFormation refuses the template)', () => {
    for (const { path, template } of templates) {
      expect(cyclesOf(template.Resources), path).toEqual([]);
    }
  });
});

describe('nested stacks by business area', () => {
  const ALL_FUNCTIONS = [...FUNCTIONS, ...CLOUD_ONLY_FUNCTIONS];

  it("the parent holds the shared resources, no function or route (but CDK's upload of the web console)", () => {
    const parent = templates.find((t) => !t.resourceKey)!.template;
    const types = new Set(Object.entries(parent.Resources).filter(([id]) => !id.startsWith('CustomCDKBucketDeployment')).map(([, r]) => r.Type));
    for (const type of ['AWS::Lambda::Function', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Integration', 'AWS::Lambda::Permission']) {
      expect(types.has(type), type).toBe(false);
    }
    for (const type of ['AWS::Cognito::UserPool', 'AWS::DynamoDB::Table', 'AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Authorizer', 'AWS::StepFunctions::StateMachine', 'AWS::Scheduler::Schedule', 'AWS::SNS::Topic', 'AWS::S3::Bucket', 'AWS::CloudFront::Distribution']) {
      expect(types.has(type), type).toBe(true);
    }
  });

  it('every function is in the nested stack of its business area (the folder of its entry), with its routes', () => {
    for (const def of ALL_FUNCTIONS) {
      const fn = stack.functions.get(def.id)!;
      const area = stack.areas.get(fn.node.scope!.node.id)!;
      expect(Stack.of(fn), def.id).toBe(area);
      expect(area.nestedStackParent, def.id).toBe(stack);
      expect(area.plan.area, def.id).toBe(areaOf(def));
    }
    for (const route of ROUTES) {
      const key = `${route.method} ${route.path}`;
      expect(Stack.of(stack.api.routes.get(key)!), key).toBe(Stack.of(stack.functions.get(route.function.id)!));
    }
    expect([...stack.areas.values()].flatMap((a) => a.plan.functions.map((f) => f.id)).sort()).toEqual(ALL_FUNCTIONS.map((f) => f.id).sort());
  });

  it(`an area whose estimate passes the budget (${AREA_RESOURCE_BUDGET}) is split into parts, each function with its routes`, () => {
    const fn = (id: string, area = 'billing'): FunctionDefinition => ({ id, entry: `functions/${area}/handlers/${id}.ts`, description: id, access: {} });
    const route = (f: FunctionDefinition, n: number) => ({ operationId: `${f.id}${n}`, method: 'GET', path: `/${f.id}/${n}`, function: f }) as unknown as RouteDefinition;
    const billing = Array.from({ length: 30 }, (_, i) => fn(`Bill${String(i).padStart(2, '0')}`));
    const other = fn('ListCarriers', 'logistics');
    const routes = [...billing.flatMap((f) => [route(f, 1), route(f, 2)]), route(other, 1)];
    // 30 functions × (3 + 1 integration + 2 × 2 per route) = 240: two parts under a budget of 150.
    const plans = planAreas([...billing, other], routes, new Map(), 150);
    expect(plans.map((p) => [p.id, p.functions.length, p.routes.length, p.estimatedResources])).toEqual([
      ['Billing', 18, 36, 144],
      ['Billing2', 12, 24, 96],
      ['Logistics', 1, 1, 6],
    ]);
    // Filled in id order: a function's routes go with it, nothing is left out.
    expect(plans[0]!.functions.at(-1)!.id).toBe('Bill17');
    expect(plans[1]!.routes.every((r) => plans[1]!.functions.includes(r.function))).toBe(true);
    // Under the real budget and definitions, no area is split today and every estimate stays under the budget.
    for (const area of stack.areas.values()) expect(area.plan.estimatedResources).toBeLessThanOrEqual(AREA_RESOURCE_BUDGET);
  });
});

/** Cycles among a template's resources through Ref, Fn::GetAtt, Fn::Sub and DependsOn (each as a path of logical ids). */
function cyclesOf(resources: StackTemplate['template']['Resources']): string[][] {
  const edges = new Map<string, Set<string>>();
  const collect = (value: unknown, into: Set<string>): void => {
    if (Array.isArray(value)) return value.forEach((v) => collect(v, into));
    if (typeof value === 'string' || !value || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string' && resources[o.Ref]) into.add(o.Ref);
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && resources[getAtt[0]]) into.add(getAtt[0]);
    const sub = o['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') {
      for (const m of text.matchAll(/\$\{([^}!.]+)/g)) if (resources[m[1]!]) into.add(m[1]!);
    }
    for (const v of Object.values(o)) collect(v, into);
  };
  for (const [id, resource] of Object.entries(resources)) {
    const into = new Set<string>();
    collect(resource.Properties, into);
    for (const d of [resource.DependsOn ?? []].flat()) into.add(d);
    edges.set(id, into);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(id, 'done');
  };
  for (const id of edges.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
