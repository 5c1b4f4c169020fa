/**
 * The state machine files: valid Amazon States Language (asl-validator), placeholders and
 * functions in one-to-one agreement with STATE_MACHINES, and no Task without a timeout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATE_MACHINES } from '../../infra/definitions/index.js';
import { fromRepoRoot } from '../../infra/constructs/paths.js';
import { aslPlaceholders } from '../../infra/constructs/workflows.js';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validate = createRequire(import.meta.url)('asl-validator') as AslValidator;

const FAKE_LAMBDA_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Fake';
const DIR = fromRepoRoot('state-machines');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.asl.json')).sort();
const MACHINES = Object.values(STATE_MACHINES);

type State = Record<string, any> & { Type: string };
const read = (file: string) => readFileSync(path.join(DIR, file), 'utf8');
const substituted = (asl: string) => JSON.parse(asl.replace(/\$\{[A-Za-z0-9_]+\}/g, FAKE_LAMBDA_ARN)) as { States: Record<string, State> };

/** Every state, including those inside Parallel branches and Map processors. */
function allStates(states: Record<string, State>, prefix = ''): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => {
    const nested = [
      ...(state.Branches ?? []).map((b: { States: Record<string, State> }) => b.States),
      state.ItemProcessor?.States,
      state.Iterator?.States,
    ].filter(Boolean) as Record<string, State>[];
    return [[`${prefix}${name}`, state] as [string, State], ...nested.flatMap((s) => allStates(s, `${prefix}${name}/`))];
  });
}

describe('state machine files', () => {
  it('there is at least one, and each belongs to a STATE_MACHINES entry', () => {
    expect(FILES.length).toBeGreaterThan(0);
    // One file may serve several machines (the approval file: one machine per kind of request).
    expect(FILES.map((f) => `state-machines/${f}`)).toEqual([...new Set(MACHINES.map((m) => m.file))].sort());
  });

  it.each(FILES)('%s is valid Amazon States Language (placeholders filled with a Lambda ARN)', (file) => {
    const result = validate(substituted(read(file)), { checkPaths: true, checkArn: true });
    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });

  it.each(MACHINES.map((m) => [m.id, m] as const))('%s: every ${Placeholder} has a function, and every function a placeholder', (_id, def) => {
    const placeholders = aslPlaceholders(readFileSync(fromRepoRoot(def.file), 'utf8'));
    expect(placeholders.length).toBeGreaterThan(0);
    expect(placeholders).toEqual(Object.keys(def.functions).sort());
  });

  it.each(FILES)('%s: every Task state has TimeoutSeconds', (file) => {
    const tasks = allStates(substituted(read(file)).States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    const without = tasks.filter(([, s]) => !(Number.isInteger(s.TimeoutSeconds) && s.TimeoutSeconds > 0)).map(([n]) => n);
    expect(without).toEqual([]);
  });

  it.each(FILES)('%s: every task waiting for a person (.waitForTaskToken) catches its timeout (escalation or a clear outcome)', (file) => {
    const waiting = allStates(substituted(read(file)).States).filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'));
    for (const [name, state] of waiting) {
      const catches = (state.Catch ?? []) as { ErrorEquals: string[] }[];
      expect(
        catches.some((c) => c.ErrorEquals.includes('States.Timeout') || c.ErrorEquals.includes('States.ALL')),
        name,
      ).toBe(true);
    }
  });

  it.each(FILES)('%s uses the JSONPath dialect (the local runner does not execute JSONata)', (file) => {
    const asl = JSON.parse(read(file)) as { QueryLanguage?: string; States: Record<string, State> };
    expect(asl.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [name, state] of allStates(asl.States)) expect(state.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
  });
});
