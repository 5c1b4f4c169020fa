/**
 * How the demo data is entered: over HTTP through the local gateway, as the demo user who owns
 * each step, so it passes the same rules, workflows and history as anything a user enters.
 */
import type { LocalStack } from './stack.js';

// Tokens are signed per stack (each has its own key) and live 7 days: one per user and stack is enough for a load.
const tokens = new WeakMap<LocalStack, Map<string, Promise<string>>>();

function tokenOf(stack: LocalStack, user: string): Promise<string> {
  const mine = tokens.get(stack) ?? new Map<string, Promise<string>>();
  tokens.set(stack, mine);
  if (!mine.has(user)) mine.set(user, stack.tokenFor(user));
  return mine.get(user)!;
}

/** One API call as `user`; anything but a 2xx stops the load with what the API said. */
export async function call<T = Record<string, unknown>>(stack: LocalStack, user: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await tokenOf(stack, user)}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`demo data: ${user} ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

/** A GET as `user` that may find nothing (404: undefined). */
export async function find<T = Record<string, unknown>>(stack: LocalStack, user: string, path: string): Promise<T | undefined> {
  const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${await tokenOf(stack, user)}` } });
  if (res.status === 404) return undefined;
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`demo data: ${user} GET ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

/** The open task of `userId` about `subjectId`, if there is one (after the workflows settled). */
export async function openTaskAbout(stack: LocalStack, userId: string, subjectId: string): Promise<{ taskId: string } | undefined> {
  await stack.stepFunctions.idle();
  const tasks = await call<{ items: { taskId: string; subject: { id: string } }[] }>(stack, userId, 'GET', '/tasks?limit=100');
  return tasks.items.find((t) => t.subject.id === subjectId);
}

/** `userId` decides the open task about `subjectId`; the workflows settle before and after. */
export async function decideTaskAbout(stack: LocalStack, userId: string, subjectId: string, decision: Record<string, unknown>): Promise<void> {
  const task = await openTaskAbout(stack, userId, subjectId);
  if (!task) throw new Error(`demo data: ${userId} has no task about ${subjectId}`);
  await call(stack, userId, 'POST', `/tasks/${task.taskId}/decision`, decision);
  await stack.stepFunctions.idle();
}

export type Money = { amountMinor: number; currency: string };

export const yuan = (major: number) => ({ amountMinor: Math.round(major * 100), currency: 'CNY' });
