/**
 * The Standard state machines, from the same ASL files the local stack runs: every
 * `${Placeholder}` of a file is filled with the ARN of the function its STATE_MACHINES entry
 * names, and the machine may invoke exactly those functions.
 *
 * Each machine has a fixed name (`<stack name>-<machine name>`), so functions reach it by an
 * ARN built from that name (stateMachineArnByName) rather than by a reference to the machine:
 * a workflow step that also completes tokens of its own machine (OpenCreditTask, OpenStockWait,
 * OpenDeliveryWait: the machine names the step, the step names the machine) would otherwise be a
 * circular dependency, which CloudFormation refuses, within one stack as across nested stacks.
 */
import { readFileSync } from 'node:fs';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StateMachineDefinition, StateMachineId } from '../../functions/shared/definitions.js';
import type { BusinessFunction } from './business-function.js';
import { fromRepoRoot } from './paths.js';

export interface WorkflowsProps {
  readonly stateMachines: Readonly<Partial<Record<StateMachineId, StateMachineDefinition>>>;
  readonly functions: ReadonlyMap<string, BusinessFunction>;
}

/** The physical name of a state machine of this stack: `<stack name>-<machine name>` (at most 80 characters). */
export function stateMachineName(stack: Stack, def: Pick<StateMachineDefinition, 'name'>): string {
  const name = `${stack.stackName}-${def.name}`;
  if (name.length > 80 || !/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`state machine name ${name} is not a valid name of at most 80 characters`);
  return name;
}

/**
 * The machine as a function in `scope` (the function's nested stack) sees it: an ARN built from
 * its name in this account and region, with the same grants (grantStartExecution,
 * grantTaskResponse) as the machine itself, and no dependency on the machine resource.
 */
export function stateMachineArnByName(scope: Construct, id: string, parent: Stack, def: StateMachineDefinition): sfn.IStateMachine {
  return sfn.StateMachine.fromStateMachineName(scope, id, stateMachineName(parent, def));
}

/** `${Name}` placeholders of an ASL document (definitionSubstitutions syntax). */
export function aslPlaceholders(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!))].sort();
}

export class Workflows extends Construct {
  readonly stateMachines: Partial<Record<StateMachineId, sfn.StateMachine>>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const machines: Partial<Record<StateMachineId, sfn.StateMachine>> = {};

    for (const def of Object.values(props.stateMachines).filter((d) => d !== undefined)) {
      const file = fromRepoRoot(def.file);
      const placeholders = aslPlaceholders(readFileSync(file, 'utf8'));
      const mapped = Object.keys(def.functions).sort();
      if (placeholders.join() !== mapped.join()) {
        throw new Error(`${def.file}: placeholders [${placeholders.join(', ')}] do not match the functions of ${def.id} [${mapped.join(', ')}]`);
      }

      const substitutions: Record<string, string> = {};
      const invoked: BusinessFunction[] = [];
      for (const [placeholder, fnDef] of Object.entries(def.functions)) {
        const fn = props.functions.get(fnDef.id);
        if (!fn) throw new Error(`${def.id}: function ${fnDef.id} was not created`);
        substitutions[placeholder] = fn.functionArn;
        invoked.push(fn);
      }

      const logGroup = new logs.LogGroup(this, `${def.name}Logs`, {
        retention: logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const machine = new sfn.StateMachine(this, def.name, {
        stateMachineName: stateMachineName(Stack.of(this), def),
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromFile(file),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        logs: {
          destination: logGroup,
          level: sfn.LogLevel.ALL,
          // Execution data would put task tokens ($$.Task.Token in Parameters) into the log (DESIGN: never).
          includeExecutionData: false,
        },
      });
      // Invoke the unqualified functions only (grantInvoke would add `<arn>:*` for every version and alias).
      machine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [...new Set(invoked.map((fn) => fn.functionArn))],
        }),
      );
      Validations.of(machine).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Logging to CloudWatch Logs (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no resource-level permissions; Step Functions documents Resource "*" for both.',
      });
      machines[def.id] = machine;
    }
    this.stateMachines = machines;
  }
}
