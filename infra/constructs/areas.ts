/**
 * The business functions, in CloudFormation nested stacks: one per business area (the folder of
 * a function's entry, functions/orders → Orders), holding the area's functions (each with its log
 * group and role) and their routes (route, integration, invoke permission). The parent stack keeps
 * what they share (identity, tables, the API and its authorizer, workflows, schedules,
 * notifications, exports) and passes references in as nested-stack parameters; what the parent
 * needs back (function ARNs for state machines and schedules) comes out as outputs. CloudFormation
 * refuses more than 500 resources per template: this way each template grows with one area only.
 *
 * An area whose estimate passes AREA_RESOURCE_BUDGET is split into parts (Billing, Billing2, …),
 * filled in function id order, so that a new function moves at most the few at a part's end.
 * Moving is a replacement: the function is re-created in the other nested stack (it is
 * stateless; its log group starts anew), and its routes too. CloudFormation may create the new
 * route before it deletes the old one, which the API refuses (same route key): when a split
 * moves routes, deploy it in two steps, or expect to re-run the deployment after a rollback.
 */
import { NestedStack, type Stack } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type {
  FunctionDefinition,
  RouteDefinition,
  StateMachineDefinition,
  StateMachineId,
  TableId,
} from '../../functions/shared/definitions.js';
import type { Api } from './api.js';
import { BusinessFunction, type TableResource } from './business-function.js';
import { stateMachineArnByName } from './workflows.js';

/**
 * Estimated resources one nested stack may plan for. CloudFormation refuses more than 500; the
 * infra tests hold every stack under 400, and the estimate leaves room above it for what is not
 * counted (a second event source, a future per-function alarm) before a part nears that bar.
 */
export const AREA_RESOURCE_BUDGET = 300;

/** Resources per function (log group, role with its inline policy, function), per routed function (integration), per route (route, permission). */
const PER_FUNCTION = 3;
const PER_ROUTED_FUNCTION = 1;
const PER_ROUTE = 2;
const PER_EVENT_SOURCE = 1;

export interface AreaPlan {
  /** Construct id of the nested stack: the area in PascalCase, with the part number from the second part on. */
  readonly id: string;
  /** The folder under functions/. */
  readonly area: string;
  readonly functions: readonly FunctionDefinition[];
  readonly routes: readonly RouteDefinition[];
  readonly estimatedResources: number;
}

/** functions/orders/handlers/submit-order.ts → orders */
export function areaOf(def: Pick<FunctionDefinition, 'id' | 'entry'>): string {
  const match = /^functions\/([a-z0-9-]+)\//.exec(def.entry);
  if (!match) throw new Error(`${def.id}: entry ${def.entry} is not in a business area folder (functions/<area>/…)`);
  return match[1]!;
}

function pascalCase(area: string): string {
  return area
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * Groups the functions by area, each function with its routes, and splits an area whose
 * estimate passes the budget. `eventSources` counts event source mappings per function id.
 */
export function planAreas(
  functions: readonly FunctionDefinition[],
  routes: readonly RouteDefinition[],
  eventSources: ReadonlyMap<string, number> = new Map(),
  budget = AREA_RESOURCE_BUDGET,
): AreaPlan[] {
  const routesOf = new Map<string, RouteDefinition[]>();
  for (const route of routes) routesOf.set(route.function.id, [...(routesOf.get(route.function.id) ?? []), route]);
  for (const id of routesOf.keys()) {
    if (!functions.some((f) => f.id === id)) throw new Error(`a route is served by ${id}, which is not among the functions`);
  }
  const cost = (f: FunctionDefinition) => {
    const own = routesOf.get(f.id) ?? [];
    return PER_FUNCTION + (own.length ? PER_ROUTED_FUNCTION : 0) + PER_ROUTE * own.length + PER_EVENT_SOURCE * (eventSources.get(f.id) ?? 0);
  };

  const byArea = new Map<string, FunctionDefinition[]>();
  for (const f of functions) byArea.set(areaOf(f), [...(byArea.get(areaOf(f)) ?? []), f]);

  const plans: AreaPlan[] = [];
  for (const [area, members] of [...byArea].sort(([a], [b]) => a.localeCompare(b))) {
    const parts: { functions: FunctionDefinition[]; estimate: number }[] = [];
    for (const f of [...members].sort((a, b) => a.id.localeCompare(b.id))) {
      const c = cost(f);
      if (c > budget) throw new Error(`${f.id} alone needs about ${c} resources, more than a stack's budget of ${budget}`);
      let part = parts.at(-1);
      if (!part || part.estimate + c > budget) parts.push((part = { functions: [], estimate: 0 }));
      part.functions.push(f);
      part.estimate += c;
    }
    parts.forEach((part, i) => {
      const ids = new Set(part.functions.map((f) => f.id));
      plans.push({
        id: `${pascalCase(area)}${i === 0 ? '' : i + 1}`,
        area,
        functions: part.functions,
        routes: routes.filter((r) => ids.has(r.function.id)),
        estimatedResources: part.estimate,
      });
    });
  }
  return plans;
}

export interface AreaStackProps {
  readonly plan: AreaPlan;
  /** Company settings overrides as JSON (CDK context `settings`), passed to every function. */
  readonly settingsJson?: string;
  /** The parent's tables, state machine definitions (reached by name), notifications topic, exports bucket and API. */
  readonly tables: Readonly<Record<TableId, TableResource>>;
  readonly stateMachines: Readonly<Partial<Record<StateMachineId, StateMachineDefinition>>>;
  readonly notificationsTopic: sns.ITopic;
  /** The finance exports bucket (R-AR-3), for the functions that declare `exportsBucket`. */
  readonly exportsBucket: s3.IBucket;
  readonly api: Api;
}

/** One business area's functions and routes, as a nested stack of the parent. */
export class AreaStack extends NestedStack {
  readonly plan: AreaPlan;
  readonly functions = new Map<string, BusinessFunction>();

  constructor(scope: Construct, id: string, props: AreaStackProps) {
    const { plan } = props;
    super(scope, id, {
      description: `Order-to-cash ${plan.area}: ${plan.functions.length} functions and ${plan.routes.length} routes`,
    });
    this.plan = plan;
    const parent = this.nestedStackParent as Stack;

    const stateMachines: Partial<Record<StateMachineId, sfn.IStateMachine>> = {};
    for (const def of Object.values(props.stateMachines).filter((d) => d !== undefined)) {
      stateMachines[def.id] = stateMachineArnByName(this, `${def.name}StateMachine`, parent, def);
    }

    for (const definition of plan.functions) {
      const fn = new BusinessFunction(this, definition.id, { definition, settingsJson: props.settingsJson });
      fn.grantAccess({ tables: props.tables, stateMachines, notificationsTopic: props.notificationsTopic, exportsBucket: props.exportsBucket });
      this.functions.set(definition.id, fn);
    }
    for (const route of plan.routes) {
      const fn = this.functions.get(route.function.id);
      if (!fn) throw new Error(`route ${route.operationId}: function ${route.function.id} is not in ${id}`);
      props.api.addRoute(this, route, fn);
    }
  }
}
