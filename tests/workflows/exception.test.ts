/**
 * A workflow step that fails for good compensates and leaves the order in a visible exception state
 * with the reason (fulfilment issue, item 9). The failure is injected where the emulator never fails:
 * every stock reservation transaction is refused, so ReserveStock spends its retries and gives up.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ddb } from '../../functions/shared/dynamo.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, seedCatalogueAndPrices } from '../support/order-fixtures.js';

let stack: LocalStack;
let customerId: string;
const rep = () => apiAs(stack, 'wang.qiang');

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
  customerId = await approvedCustomer(stack, 'wang.qiang', 'Exception Co');
});
afterAll(async () => stack?.stop());
afterEach(async () => {
  vi.restoreAllMocks();
  await expectInvariantsHold(stack);
});

/** Every transaction that reserves stock for an order line fails, as a broken dependency would. */
function breakStockReservations() {
  const send = ddb.send.bind(ddb);
  return vi.spyOn(ddb, 'send').mockImplementation((async (command: unknown) => {
    if (command instanceof TransactWriteCommand && JSON.stringify(command.input).includes('"RES#')) {
      throw Object.assign(new Error('simulated outage of the stock table'), { name: 'InternalServerError' });
    }
    return send(command as never);
  }) as typeof ddb.send);
}

describe('a step that fails for good', () => {
  it('gives back what the order held and leaves it in EXCEPTION with the step and the reason; the rep resubmits it and it goes through', async () => {
    const created = await rep().post('/orders', completeOrder(customerId));
    const orderId = created.body.orderId as string;
    expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(202);
    const broken = breakStockReservations();
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' });
    await stack.stepFunctions.idle();
    broken.mockRestore();

    const order = (await rep().get(`/orders/${orderId}`)).body;
    expect(order.status).toBe('EXCEPTION');
    expect(order.exception).toMatchObject({ step: 'ReserveStock', cause: expect.stringContaining('simulated outage'), released: ['credit'] });
    expect(order.credit.reserved).toBeUndefined();
    expect((await apiAs(stack, 'wu.fang').get(`/customers/${customerId}/credit`)).body.exposure.amountMinor).toBe(0);
    const [execution] = stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId: string }).orderId === orderId);
    expect(execution!.status).toBe('FAILED');
    expect(execution!.visitedStates.slice(-4)).toEqual(['ReserveStock', 'ReserveStockFailed', 'RecordException', 'OrderException']);
    const subjects = async (userId: string) => ((await apiAs(stack, userId).get('/notifications?limit=100')).body.items as { subject: string }[]).map((n) => n.subject);
    expect(await subjects('wang.qiang')).toContain(`Order ${orderId} needs attention: ReserveStock failed`);
    expect(await subjects('chen.jie')).toContain(`Order ${orderId} needs attention: ReserveStock failed`);
    const history = (await rep().get(`/orders/${orderId}/history?limit=100`)).body.items.map((e: { action: string }) => e.action);
    expect(history.at(-1)).toMatch(/^exception: ReserveStock failed for good \(.*simulated outage.*\); released credit$/);

    // The cause is gone: the rep submits it again and it goes through.
    expect((await rep().post(`/orders/${orderId}/submission`)).status).toBe(202);
    await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' });
    expect((await rep().get(`/orders/${orderId}`)).body.status).toBe('GOODS_RESERVED');
  });
});
