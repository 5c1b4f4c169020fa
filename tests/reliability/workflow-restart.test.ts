/**
 * Reliability (issue 8, part 3): the local stack stopped and started again while orders wait — one
 * at the order desk's review, one for its delivery — with faults on both sides of the restart (its
 * own file: SDK clients in the loaded handlers keep their endpoints, so one process runs one stack's
 * ports, as in tests/workflows/credit-review-restart.test.ts).
 *
 * Before the stop, steps of both orders lost their answer once after their function ran (their
 * retries are in the execution's journal); after the start, another one does. The orders are decided
 * and delivered after the restart, and each must finish exactly once: one execution, every step run
 * once (nothing that ran before the stop runs again on resume), one reservation per line, one
 * invoice, one ledger entry per invoice, no history entry, task or notification twice.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../infra/definitions/index.js';
import { freePort } from '../../infra/local/dynamodb.js';
import type { LocalStack } from '../../infra/local/stack.js';
import type { TaskFaultOptions } from '../../infra/local/stepfunctions/index.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { CREDIT_PASSED_STATES, approvedCustomer, completeOrder, expectStatus, seedCatalogueAndPrices, shipAtTheGate } from '../support/order-fixtures.js';
import { scanAll } from '../support/scan.js';

const REP = 'wang.qiang';
const DESK = 'chen.jie';
/** The function ran, then its answer was lost: the Retry runs it again. */
const ONCE: TaskFaultOptions = { times: 1, when: 'after', error: 'Lambda.ServiceException', cause: 'injected: the answer was lost' };

/** The states an order passes from submission to invoiced, each once. */
const WHOLE_PATH = ['Start', 'PreCheck', 'RouteSpecialApprovals', 'OrderDeskReview', 'AfterOrderDesk', 'FinishApproved', ...CREDIT_PASSED_STATES, 'AfterDelivery', 'InvoiceOrder', 'Delivered'];

const executionsOf = (stack: LocalStack, orderId: string) => stack.stepFunctions.listExecutions().filter((e) => (e.input as { orderId?: string }).orderId === orderId);

/** Everything about an order that must exist once: history entries, tasks, notifications, stock movements, invoices, ledger entries. */
async function twiceAbout(stack: LocalStack, orderId: string) {
  const history = (await apiAs(stack, REP).get(`/orders/${orderId}/history?limit=100`)).body.items.map((e: { action: string }) => e.action) as string[];
  const tasks = (await scanAll(stack, TABLES.tasks.localName)).filter((t) => t.subject?.id === orderId).map((t) => t.title as string);
  const notes = (await scanAll(stack, TABLES.notifications.localName)).filter((n) => `${n.subject} ${n.body}`.includes(orderId)).map((n) => `${n.recipient} ${n.subject} ${n.body}`);
  const movements = (await scanAll(stack, TABLES.stock.localName)).filter((m) => m.kind === 'RESERVATION' && JSON.stringify(m).includes(orderId)).map((m) => `${m.kind} ${m.reference}`);
  const invoices = (await scanAll(stack, TABLES.invoices.localName)).filter((i) => i.orderId === orderId);
  const entries = (await scanAll(stack, TABLES.ledger.localName)).filter((e) => invoices.some((i) => JSON.stringify(e).includes(i.invoiceId)) && e.kind === 'INVOICE').map((e) => `${e.kind} ${e.reference ?? ''}`);
  const twice = (items: string[]) => items.filter((item, i) => items.indexOf(item) !== i);
  return { history: twice(history), tasks: twice(tasks), notifications: twice(notes), movements: twice(movements), invoices: invoices.length, ledger: entries.length };
}

describe('a restart while orders wait at review and for their delivery', () => {
  it('the stack stops and starts again; the order desk decides, both orders are delivered, and each finishes exactly once', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-restart-orders-'));
    const ports = { dynamoPort: await freePort(), stepFunctionsPort: await freePort(), port: await freePort() };
    const first = await startTestStack({ dataDir, inMemory: false, ...ports });
    let atReview: string;
    let atDelivery: string;
    let waitingTask: { taskId: string };
    let deliveryExecution: { journal: number; visited: string[] };
    try {
      await seedCatalogueAndPrices(first);
      const customerId = await approvedCustomer(first, REP, 'Restart Trading');
      const draft = async () => (await expectStatus(first, apiAs(first, REP).post('/orders', completeOrder(customerId, { delivery: { mode: 'pickup' } })), 201)).orderId as string;
      atReview = await draft();
      atDelivery = await draft();
      // Before the stop: the pre-check of one, the credit check and the stock reservation of the other lose their answer once.
      first.faults.failTask('OrderReview', 'PreCheck', { ...ONCE, input: { orderId: atReview } });
      first.faults.failTask('OrderReview', 'CreditCheck', { ...ONCE, input: { orderId: atDelivery } });
      first.faults.failTask('OrderReview', 'ReserveStock', { ...ONCE, input: { orderId: atDelivery } });
      for (const orderId of [atReview, atDelivery]) await expectStatus(first, apiAs(first, REP).post(`/orders/${orderId}/submission`), 202);
      const deskTask = async (orderId: string) => ((await apiAs(first, DESK).get('/tasks?limit=100')).body.items as { taskId: string; subject: { id: string } }[]).find((t) => t.subject.id === orderId)!;
      await expectStatus(first, apiAs(first, DESK).post(`/tasks/${(await deskTask(atDelivery)).taskId}/decision`, { outcome: 'APPROVED' }));
      waitingTask = await deskTask(atReview);
      expect(waitingTask).toBeDefined();
      expect((await apiAs(first, REP).get(`/orders/${atDelivery}`)).body.status).toBe('GOODS_RESERVED');
      expect(first.faults.injected.map((f) => f.state).sort()).toEqual(['CreditCheck', 'PreCheck', 'ReserveStock']);
      const [waiting] = executionsOf(first, atDelivery);
      deliveryExecution = { journal: waiting!.visitedStates.length, visited: waiting!.visitedStates };
      expect(deliveryExecution.visited.at(-1)).toBe('WaitForDelivery');
    } finally {
      await first.stop();
    }

    const second = await startTestStack({ dataDir, inMemory: false, ...ports });
    try {
      // Both executions are back, waiting where they were; nothing ran again on resume.
      await second.stepFunctions.idle();
      expect(executionsOf(second, atReview).map((e) => [e.status, e.visitedStates.at(-1)])).toEqual([['RUNNING', 'OrderDeskReview']]);
      expect(executionsOf(second, atDelivery).map((e) => [e.status, e.visitedStates])).toEqual([['RUNNING', deliveryExecution.visited]]);
      expect(second.faults.injected).toEqual([]);
      // After the start, the step that finishes the review loses its answer once.
      const finish = second.faults.failTask('OrderReview', 'FinishApproved', { ...ONCE, input: { orderId: atReview } });
      const invoicing = second.faults.failTask('OrderReview', 'InvoiceOrder', { ...ONCE, input: { orderId: atDelivery } });

      // The same task waits in the order desk's queue; its decision goes through.
      const same = ((await apiAs(second, DESK).get('/tasks?limit=100')).body.items as { taskId: string; subject: { id: string } }[]).find((t) => t.subject.id === atReview);
      expect(same?.taskId).toBe(waitingTask.taskId);
      await expectStatus(second, apiAs(second, DESK).post(`/tasks/${waitingTask.taskId}/decision`, { outcome: 'APPROVED' }));
      expect((await apiAs(second, REP).get(`/orders/${atReview}`)).body.status).toBe('GOODS_RESERVED');
      for (const orderId of [atDelivery, atReview]) await shipAtTheGate(second, orderId);
      expect(finish.hits).toHaveLength(1);
      expect(invoicing.hits).toHaveLength(1);

      for (const orderId of [atReview, atDelivery]) {
        expect((await apiAs(second, REP).get(`/orders/${orderId}`)).body.status).toBe('DELIVERED');
        // One execution, every state once (a retried state counts once), ended where an order ends.
        const executions = executionsOf(second, orderId);
        expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
        expect(executions[0]!.visitedStates).toEqual(WHOLE_PATH);
        expect(await twiceAbout(second, orderId)).toEqual({ history: [], tasks: [], notifications: [], movements: [], invoices: 1, ledger: 1 });
      }
      const history = (await apiAs(second, REP).get(`/orders/${atReview}/history?limit=100`)).body.items.map((e: { action: string }) => e.action) as string[];
      expect(history.filter((a) => a.startsWith('pre-check'))).toHaveLength(1);
      await expectInvariantsHold(second);
    } finally {
      await second.stop();
    }
  }, 180_000);
});
