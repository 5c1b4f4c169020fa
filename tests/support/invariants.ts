/** After a scenario: the workflows settle, then the credit and stock invariants hold (every violation named). */
import { expect } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { creditInvariantViolations } from './credit-invariants.js';
import { stockInvariantViolations } from './stock-invariants.js';

export async function expectInvariantsHold(stack: LocalStack): Promise<void> {
  await stack.stepFunctions.idle();
  expect((await creditInvariantViolations(stack)).violations).toEqual([]);
  expect(await stockInvariantViolations(stack)).toEqual([]);
}
