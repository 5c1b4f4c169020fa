/**
 * Loads the ASL files of the one-definition registry for the local Step Functions service:
 * reads the file, fills every `${Placeholder}` with the local ARN of its function (the same
 * substitution CDK does with `definitionSubstitutions`), validates it with the library's ASL
 * validator, and refuses what the local service cannot execute faithfully.
 */
import './polyfill.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition as LibraryDefinition } from 'aws-local-stepfunctions';
import type { FunctionDefinition, StateMachineDefinition } from '../../../functions/shared/definitions.js';
import { LOCAL_ACCOUNT, LOCAL_REGION, REPO_ROOT, localFunctionArn } from '../lambda.js';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Resource of the Task state that stands in for a Wait state in the copy given to the library. */
const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';
/**
 * The library races every Task with a `setTimeout` of the state's TimeoutSeconds (60 s when
 * absent). The service enforces the real timeouts itself (against its clock, resumable), so the
 * copy given to the library carries the largest delay `setTimeout` accepts (~24.8 days).
 */
const LIBRARY_TASK_TIMEOUT_SECONDS = 2_147_483;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Json;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Seconds?: number;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
  [key: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [key: string]: unknown;
}

export interface LoadedStateMachine {
  name: string;
  arn: string;
  file: string;
  /** Placeholder → local function ARN, exactly what was substituted. */
  substitutions: Record<string, string>;
  /** The ASL with placeholders filled (executions pin the definition they started with). */
  definition: AslDefinition;
}

export function stateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
}

export function executionArnOf(machineName: string, executionName: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machineName}:${executionName}`;
}

/** Local functions by ARN and by id; resolves the FunctionName forms Lambda accepts. */
export class FunctionRegistry {
  private readonly byId = new Map<string, FunctionDefinition>();

  add(fn: FunctionDefinition): void {
    const seen = this.byId.get(fn.id);
    if (seen && seen !== fn) throw new Error(`two functions share the id ${fn.id}`);
    this.byId.set(fn.id, fn);
  }

  /** `arn:aws:lambda:<local region>:<local account>:function:Id[:qualifier]`, `Id` or `Id:qualifier`. */
  resolve(nameOrArn: unknown): FunctionDefinition | undefined {
    if (typeof nameOrArn !== 'string') return undefined;
    const arn = /^arn:aws:lambda:([^:]+):(\d{12}):function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
    if (arn) {
      if (arn[1] !== LOCAL_REGION || arn[2] !== LOCAL_ACCOUNT) return undefined;
      return this.byId.get(arn[3] ?? '');
    }
    const bare = /^([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
    return bare ? this.byId.get(bare[1] ?? '') : undefined;
  }
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export function loadStateMachine(def: StateMachineDefinition, functions: FunctionRegistry): LoadedStateMachine {
  const where = `state machine ${def.name} (${def.file})`;
  const text = readFileSync(path.resolve(REPO_ROOT, def.file), 'utf8');
  const placeholders = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''));
  const missing = [...placeholders].filter((p) => !Object.hasOwn(def.functions, p));
  if (missing.length > 0) throw new Error(`${where}: placeholder(s) without a function: ${missing.join(', ')}`);
  const unused = Object.keys(def.functions).filter((p) => !placeholders.has(p));
  if (unused.length > 0) throw new Error(`${where}: function(s) without a placeholder: ${unused.join(', ')}`);

  const substitutions: Record<string, string> = {};
  for (const [placeholder, fn] of Object.entries(def.functions)) {
    functions.add(fn);
    substitutions[placeholder] = localFunctionArn(fn);
  }
  let definition: AslDefinition;
  try {
    definition = JSON.parse(text.replace(PLACEHOLDER, (_, p: string) => substitutions[p] ?? '')) as AslDefinition;
  } catch (error) {
    throw new Error(`${where}: not valid JSON after substitution: ${(error as Error).message}`, { cause: error });
  }
  try {
    new StateMachine(definition as unknown as LibraryDefinition); // asl-validator, with ARN and path checks
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
  assertSupported(definition, functions, where);
  return { name: def.name, arn: stateMachineArn(def.name), file: def.file, substitutions, definition };
}

/** Throws for every construct the local service would not execute the way AWS does. */
function assertSupported(definition: AslDefinition, functions: FunctionRegistry, where: string): void {
  if (definition['QueryLanguage'] === 'JSONata') throw new Error(`${where}: JSONata is not supported locally`);
  for (const [name, state] of Object.entries(definition.States)) {
    const at = `${where}, state ${name}`;
    if (state['QueryLanguage'] === 'JSONata') throw new Error(`${at}: JSONata is not supported locally`);
    if (state.Type === 'Parallel' || state.Type === 'Map') {
      throw new Error(`${at}: ${state.Type} states are not supported locally (replay needs a sequential execution)`);
    }
    if (state.Type !== 'Task') continue;
    for (const field of ['TimeoutSecondsPath', 'HeartbeatSecondsPath', 'Credentials'] as const) {
      if (state[field] !== undefined) throw new Error(`${at}: ${field} is not supported locally`);
    }
    const resource = state.Resource ?? '';
    if (resource === LAMBDA_INVOKE || resource === LAMBDA_INVOKE_WAIT) {
      const params = state.Parameters;
      if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error(`${at}: Parameters must be an object`);
      if ('FunctionName' in params && !functions.resolve(params['FunctionName'])) {
        throw new Error(`${at}: FunctionName ${JSON.stringify(params['FunctionName'])} is not a local function`);
      }
      if (!('FunctionName' in params) && !('FunctionName.$' in params)) throw new Error(`${at}: Parameters.FunctionName is missing`);
      const invocationType = params['InvocationType'];
      if (invocationType !== undefined && invocationType !== 'RequestResponse') {
        throw new Error(`${at}: InvocationType ${String(invocationType)} is not supported locally`);
      }
      if (resource === LAMBDA_INVOKE_WAIT && !JSON.stringify(params).includes('$$.Task.Token')) {
        throw new Error(`${at}: a .waitForTaskToken task must pass $$.Task.Token in its Parameters`);
      }
    } else if (!functions.resolve(resource)) {
      throw new Error(`${at}: Resource ${resource} is not supported locally (only lambda:invoke, lambda:invoke.waitForTaskToken and local function ARNs)`);
    }
  }
}

/**
 * The copy of a definition given to the library: Task timeouts and the execution timeout are
 * enforced by the service, and Wait states become Task states whose local handler waits on the
 * service's clock (so they can be resumed and driven by expireDue). Paths are kept, so the data
 * flow is the same; the Task has no ResultPath, so its output is its (InputPath'd) input, as for Wait.
 */
export function toLibraryDefinition(definition: AslDefinition): LibraryDefinition {
  const copy = structuredClone(definition);
  delete copy.TimeoutSeconds;
  for (const [name, state] of Object.entries(copy.States)) {
    if (state.Type === 'Task') {
      state.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_SECONDS;
    } else if (state.Type === 'Wait') {
      const task: AslState = { Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS };
      for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End'] as const) {
        if (key in state) task[key] = state[key];
      }
      copy.States[name] = task;
    }
  }
  return copy as unknown as LibraryDefinition;
}

/**
 * Resolves an ASL reference path (`$`, `$.a.b`, `$.a[0]`, `$['a']`) against a value; enough for
 * Wait's SecondsPath / TimestampPath. Throws for anything else.
 */
export function readReferencePath(referencePath: string, value: Json): Json {
  if (!referencePath.startsWith('$') || referencePath.startsWith('$$')) {
    throw new Error(`unsupported reference path ${referencePath}`);
  }
  const segment = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]/y;
  let current: Json | undefined = value;
  let index = 1;
  while (index < referencePath.length) {
    segment.lastIndex = index;
    const m = segment.exec(referencePath);
    if (!m) throw new Error(`unsupported reference path ${referencePath}`);
    index = segment.lastIndex;
    const key = m[1] ?? m[3];
    if (key !== undefined) {
      current = current && typeof current === 'object' && !Array.isArray(current) ? current[key] : undefined;
    } else {
      current = Array.isArray(current) ? current[Number(m[2])] : undefined;
    }
    if (current === undefined) throw new Error(`reference path ${referencePath} matched nothing`);
  }
  return current;
}
