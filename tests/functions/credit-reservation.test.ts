/**
 * The reservation's transaction against DynamoDB Local, with faults injected where the emulator
 * never produces them: real DynamoDB cancels a transaction that meets another one on the same item
 * (TransactionConflict), which the SDK does not retry. The credit step retries it with backoff and
 * writes once; a conflict that never clears fails the step (the workflow retries it) and writes nothing.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureAccount } from '../../functions/credit/account.js';
import { checkOrderCredit } from '../../functions/credit/stage.js';
import { getCustomer } from '../../functions/customers/store.js';
import { getOrder, updateOrder } from '../../functions/orders/store.js';
import { SYSTEM_ACTOR } from '../../functions/shared/auth.js';
import { ddb, withTransactionRetry } from '../../functions/shared/dynamo.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { creditInvariantViolations } from '../support/credit-invariants.js';
import { apiAs, snapshotTables, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, seedCatalogueAndPrices } from '../support/order-fixtures.js';

let stack: LocalStack;
let customerId: string;

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
  customerId = await approvedCustomer(stack, 'wang.qiang', 'Conflict Co');
  // The account exists before any check, so "nothing written" is about the reservation alone.
  await ensureAccount(await getCustomer(customerId, true));
});
afterAll(async () => stack?.stop());
afterEach(async () => {
  vi.restoreAllMocks();
  expect((await creditInvariantViolations(stack)).violations).toEqual([]);
});

const conflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, TransactionConflict, None, None]',
    $metadata: {},
    CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
  });

/** A drafted order put straight into APPROVED, as the review's last step leaves it for the credit check. */
async function approvedOrder(): Promise<string> {
  const created = await apiAs(stack, 'wang.qiang').post('/orders', completeOrder(customerId));
  const orderId = created.body.orderId as string;
  await updateOrder(orderId, (o) => ({ ...o, status: 'APPROVED' }), SYSTEM_ACTOR, 'approved (test set-up)');
  return orderId;
}

/** Fails the first `times` transactions with TransactionConflict, then lets them through. */
function injectConflicts(times: number) {
  const send = ddb.send.bind(ddb);
  let injected = 0;
  return vi.spyOn(ddb, 'send').mockImplementation((async (command: unknown) => {
    if (command instanceof TransactWriteCommand && injected < times) {
      injected++;
      throw conflict();
    }
    return send(command as never);
  }) as typeof ddb.send);
}

describe('credit reservation under transaction conflicts', () => {
  it('R-CREDIT-4: a TransactionConflict is retried and the reservation is written once', async () => {
    const orderId = await approvedOrder();
    const spy = injectConflicts(2);
    const result = await checkOrderCredit({ orderId, attempt: 0 });
    const transactions = spy.mock.calls.filter(([c]) => c instanceof TransactWriteCommand);
    expect(transactions).toHaveLength(3);
    spy.mockRestore();
    expect(result).toEqual({ attempt: 1, outcome: 'RESERVED', approverRole: null, stockAttempt: 0 });
    const order = await getOrder(orderId, true);
    expect(order).toMatchObject({ status: 'CREDIT_APPROVED', credit: { attempt: 1, reserved: order.totals.gross } });
    const credit = (await apiAs(stack, 'wu.fang').get(`/customers/${customerId}/credit`)).body;
    expect(credit.openItems.filter((i: { reference: string }) => i.reference === orderId)).toHaveLength(1);
    const history = (await apiAs(stack, 'wang.qiang').get(`/orders/${orderId}/history`)).body.items.map((e: { action: string }) => e.action);
    expect(history.filter((a: string) => a.startsWith('credit check'))).toEqual(['credit check 1: credit approved']);

    // The workflow retrying the step after it succeeded changes nothing and answers the same.
    expect(await checkOrderCredit({ orderId, attempt: 0 })).toEqual(result);
    expect((await getOrder(orderId, true)).version).toBe(order.version);
  });

  it('a conflict that never clears fails the step after its attempts, with nothing written', async () => {
    const orderId = await approvedOrder();
    const before = await snapshotTables(stack);
    const spy = injectConflicts(Number.POSITIVE_INFINITY);
    await expect(checkOrderCredit({ orderId, attempt: 0 })).rejects.toThrow(TransactionCanceledException);
    expect(spy.mock.calls.filter(([c]) => c instanceof TransactWriteCommand)).toHaveLength(8);
    spy.mockRestore();
    expect(await snapshotTables(stack)).toEqual(before);
  });

  it('withTransactionRetry does not retry other failures', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new TransactionCanceledException({ message: 'condition', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    };
    await expect(withTransactionRetry(failing)).rejects.toThrow('condition');
    expect(calls).toBe(1);
  });
});
