/** Step Functions access: start executions and complete task tokens. The SDK reads AWS_ENDPOINT_URL_SFN locally. */
import { SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DEPENDENCY_CLIENT_CONFIG } from './aws-clients.js';
import { stateMachineEnvName, type StateMachineId } from './definitions.js';

const sfn = new SFNClient({ ...DEPENDENCY_CLIENT_CONFIG });

function stateMachineArn(id: StateMachineId): string {
  const arn = process.env[stateMachineEnvName(id)];
  if (!arn) throw new Error(`${stateMachineEnvName(id)} is not set: the function was not allowed to start ${id}`);
  return arn;
}

/**
 * Starts an execution with a deterministic name, so a repeated start (a retried request, the
 * nightly job catching up) is harmless: Step Functions answers a same-name, same-input start
 * with the existing execution.
 */
export async function startExecution(id: StateMachineId, name: string, input: unknown): Promise<string> {
  const result = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(id), name, input: JSON.stringify(input) }));
  return result.executionArn ?? '';
}

/** An execution's ARN from its machine and name (the same form in AWS and locally). */
export function executionArnOf(id: StateMachineId, name: string): string {
  return `${stateMachineArn(id).replace(':stateMachine:', ':execution:')}:${name}`;
}

export async function sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
  await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
}

export async function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
  await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
}

/** The token no longer waits: the task timed out or the execution ended. */
export function isStaleToken(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken';
}
