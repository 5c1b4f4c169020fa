/**
 * Runs a function's handler in this process the way Lambda would: the module is loaded once
 * (a warm container), each call gets a fresh context with a request id.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionDefinition } from '../../functions/shared/definitions.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const loaded = new Map<string, Promise<Handler>>();

function load(fn: FunctionDefinition): Promise<Handler> {
  let handler = loaded.get(fn.id);
  if (!handler) {
    handler = import(pathToFileURL(path.join(REPO_ROOT, fn.entry)).href).then((mod: { handler?: Handler }) => {
      if (typeof mod.handler !== 'function') throw new Error(`${fn.entry} does not export a handler`);
      return mod.handler;
    });
    loaded.set(fn.id, handler);
  }
  return handler;
}

export function localFunctionArn(fn: FunctionDefinition): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${fn.id}`;
}

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export async function invokeLocal(fn: FunctionDefinition, event: unknown): Promise<unknown> {
  const handler = await load(fn);
  const timeoutMs = (fn.timeoutSeconds ?? 30) * 1000;
  const started = Date.now();
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.id,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(fn),
    memoryLimitInMB: String(fn.memoryMb ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  return handler(event, context);
}
