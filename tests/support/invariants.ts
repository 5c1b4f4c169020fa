/** After a scenario: the workflows settle, then the credit, stock, receivables and task invariants hold (every violation named). */
import { expect } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { billingInvariantViolations } from './billing-invariants.js';
import { creditInvariantViolations } from './credit-invariants.js';
import { stockInvariantViolations } from './stock-invariants.js';
import { taskInvariantViolations } from './task-invariants.js';

export async function expectInvariantsHold(stack: LocalStack): Promise<void> {
  await stack.stepFunctions.idle();
  expect((await creditInvariantViolations(stack)).violations).toEqual([]);
  expect(await stockInvariantViolations(stack)).toEqual([]);
  expect(await billingInvariantViolations(stack)).toEqual([]);
  expect(await taskInvariantViolations(stack)).toEqual([]);
}
