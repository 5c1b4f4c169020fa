/**
 * Nothing stuck (issue 14, part 2): a crash between a status and its workflow's start. Every place
 * that writes a status a workflow carries on from writes the start in the same transaction (the
 * outbox of workflow starts, functions/outbox). Here each such place is killed right after that write
 * (the crash switch), with the stream consumer down too, as when the whole process dies; the stack is
 * stopped and started again on the same data, and each workflow must start then, exactly once, and
 * reach the person who decides. Then the starter itself dies between its start and its mark, and the
 * stream gives up on a record: the sweeper makes the start, still once.
 * (Its own file: one process runs one stack's ports, as in workflow-restart.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../functions/shared/clock.js';
import { ROUTES, TABLES } from '../../infra/definitions/index.js';
import { freePort } from '../../infra/local/dynamodb.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, newCustomer, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, completeOrder, decideTaskAbout, deliveredOrder, expectStatus, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';
import { scanAll } from '../support/scan.js';
import { backToToday, later } from '../support/time.js';

const REP = 'wang.qiang';
const CLERK = 'zhao.min';
const FINANCE = 'wu.fang';
const STARTS = TABLES.workflowStarts.localName;

const fnOf = (operationId: string) => ROUTES.find((r) => r.operationId === operationId)!.function.id;

interface Start {
  startKey: string;
  stateMachine: string;
  executionName: string;
  input: string;
  pending?: string;
  executionArn?: string;
}

/** A place that asks for a workflow: what it does, as the person who does it, given what it stands on. */
interface Site {
  name: string;
  functionId: string;
  act(stack: LocalStack): Promise<{ status: number; body: unknown }>;
  /** What a person must see once the workflow runs: a task about the subject, or (an export) its files. */
  expectsTask: boolean;
}

let dataDir: string;
let ports: { dynamoPort: number; stepFunctionsPort: number; port: number };
let second: LocalStack;
/** Per site: the starts its killed request had written. */
const asked = new Map<string, Start[]>();

const startsOf = async (stack: LocalStack) => (await scanAll(stack, STARTS)) as Start[];
const subjectOf = (start: Start) => {
  const input = JSON.parse(start.input) as Record<string, string>;
  return input.orderId ?? input.customerId ?? input.priceListId ?? input.subjectId ?? input.exportId!;
};
const executionsNamed = (stack: LocalStack, start: Start) =>
  stack.stepFunctions.listExecutions().filter((e) => e.name === start.executionName && e.stateMachineArn.endsWith(`:${machineName(start.stateMachine)}`));
const machineName = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-restart-starts-'));
  ports = { dynamoPort: await freePort(), stepFunctionsPort: await freePort(), port: await freePort() };
  const first = await startTestStack({ dataDir, inMemory: false, ...ports });
  try {
    // What the sites stand on, made while everything runs.
    await seedCatalogueAndPrices(first);
    const customer = await approvedCustomer(first, REP, 'Start Sites Co');
    const lowered = await approvedCustomer(first, REP, 'Limit Cut Co');
    const reviewed = await approvedCustomer(first, REP, 'Review Again Co');
    const rep = apiAs(first, REP);
    const draft = (await expectStatus(first, rep.post('/orders', completeOrder(customer)), 201)).orderId as string;
    const approvedOrder = async (customerId: string) => {
      const orderId = (await expectStatus(first, rep.post('/orders', completeOrder(customerId)), 201)).orderId as string;
      await expectStatus(first, rep.post(`/orders/${orderId}/submission`), 202);
      expect((await decideTaskAbout(first, 'chen.jie', orderId, { outcome: 'APPROVED' })).res.status).toBe(200);
      return orderId;
    };
    const toChange = await approvedOrder(customer);
    await approvedOrder(lowered);
    const invoiced = await deliveredOrder(first, REP, customer, [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '40' }]);
    const invoiceId = (await rep.get(`/orders/${invoiced}`)).body.billing.invoices[0] as string;
    const priceDraft = await expectStatus(
      first,
      apiAs(first, CLERK).post(`/price-lists/${customer}/versions`, { effectiveFrom: '2099-01-01', items: [{ productCode: 'PLATE-Q235', specification: '10mm', listPrice: yuan(4100), minimumPrice: yuan(3900) }] }),
      201,
    );
    const qualityReturn = await expectStatus(
      first,
      rep.post('/returns', { invoiceId, kind: 'QUALITY', lines: [{ lineNo: 1, quantity: '1' }], reason: 'two valves leak' }),
      202,
    );
    const loweredEtag = (await apiAs(first, FINANCE).get(`/customers/${lowered}`)).headers.get('etag')!;

    const SITES: Site[] = [
      { name: 'order submission', functionId: fnOf('submitOrder'), expectsTask: true, act: (s) => apiAs(s, REP).post(`/orders/${draft}/submission`) },
      {
        name: 'order change request',
        functionId: fnOf('requestOrderChange'),
        expectsTask: true,
        act: (s) => apiAs(s, REP).post(`/orders/${toChange}/change-requests`, { kind: 'amend', changes: { remarks: 'unload at gate 2' }, reason: 'site asked' }, { 'idempotency-key': 'starts-change-0001' }),
      },
      { name: 'new customer (credit review)', functionId: fnOf('createCustomer'), expectsTask: true, act: (s) => apiAs(s, REP).post('/customers', newCustomer({ name: 'Crashed At Birth Co' })) },
      { name: 'credit review asked for', functionId: fnOf('requestCreditReview'), expectsTask: true, act: (s) => apiAs(s, FINANCE).post(`/customers/${reviewed}/credit-reviews`, { comment: 'new balance sheet' }) },
      {
        name: 'credit limit lowered below the exposure (order re-check)',
        functionId: fnOf('updateCreditProfile'),
        expectsTask: true,
        act: (s) => apiAs(s, FINANCE).patch(`/customers/${lowered}/credit-profile`, { limit: yuan(1_000), reason: 'payments late' }, { 'if-match': loweredEtag }),
      },
      { name: 'price list version submitted', functionId: fnOf('submitPriceListVersion'), expectsTask: true, act: (s) => apiAs(s, CLERK).post(`/price-lists/${customer}/versions/${priceDraft.version}/submission`) },
      {
        name: 'goods reservation requested',
        functionId: fnOf('requestGoodsReservation'),
        expectsTask: true,
        act: (s) => apiAs(s, REP).post('/goods-reservations', { customerId: customer, lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '3' }], deposit: { amount: yuan(1000), reference: 'RC-DEP-1' }, reason: 'contract next week' }),
      },
      {
        name: 'samples requested',
        functionId: fnOf('requestSamples'),
        expectsTask: true,
        act: (s) => apiAs(s, REP).post('/sample-requests', { purpose: 'SAMPLE', customerId: customer, recipient: 'quality lab', lines: [{ productCode: 'VALVE-DN50', specification: 'PN16', quantity: '2' }], reason: 'trial' }),
      },
      {
        name: 'safety stock proposed',
        functionId: fnOf('proposeSafetyStock'),
        expectsTask: true,
        act: (s) => apiAs(s, CLERK).post('/stock/PLATE-Q235/safety-stock', { warehouseId: 'MAIN', specification: '10mm', quantity: '5', basis: 'two weeks of sales' }),
      },
      { name: 'credit note requested', functionId: fnOf('requestCreditNote'), expectsTask: true, act: (s) => apiAs(s, FINANCE).post('/credit-notes', { invoiceId, amount: yuan(50), reason: 'late delivery' }) },
      {
        name: 'return requested',
        functionId: fnOf('requestReturn'),
        expectsTask: true,
        act: (s) => apiAs(s, REP).post('/returns', { invoiceId, kind: 'OTHER', lines: [{ lineNo: 1, quantity: '2' }], reason: 'ordered too many', rootCause: 'quantity keyed wrong', responsibleParty: 'SALES' }),
      },
      {
        name: 'quality return inspected (defect confirmed)',
        functionId: fnOf('recordReturnInspection'),
        expectsTask: true,
        act: (s) => apiAs(s, 'xu.gang').post(`/returns/${qualityReturn.returnId}/inspection`, { defectConfirmed: true, findings: 'gland leaks', rootCause: 'bad packing lot', responsibleParty: 'PRODUCTION' }),
      },
      { name: 'finance export started', functionId: fnOf('startExport'), expectsTask: false, act: (s) => apiAs(s, 'zheng.hao').post('/exports', { kind: 'ledger', from: businessDate(), to: businessDate(), format: 'csv' }) },
      {
        name: 'periodic credit review (the nightly job)',
        functionId: 'CreditReviewsDue',
        expectsTask: true,
        act: async (s) => {
          try {
            return { status: 200, body: await s.runJob('credit-reviews-due', { asOf: '2099-12-31' }) };
          } catch (err) {
            return { status: 500, body: { message: (err as Error).message } };
          }
        },
      },
    ];

    // The process dies: the consumer of the outbox never reads it, and each place dies right after its write.
    await first.idle();
    first.streams.pause();
    for (const site of SITES) {
      const before = new Set((await startsOf(first)).map((s) => s.startKey));
      first.crashes.crash(site.functionId, { afterWriteTo: STARTS });
      const res = await site.act(first);
      expect(res.status, `${site.name} died after its write: ${JSON.stringify(res.body)}`).toBe(500);
      const written = (await startsOf(first)).filter((s) => !before.has(s.startKey));
      expect(written.length, `${site.name} wrote its start with its status`).toBeGreaterThanOrEqual(1);
      for (const start of written) {
        expect(start.pending, start.startKey).toBe('PENDING');
        expect(executionsNamed(first, start), `${start.startKey} not started before the stop`).toEqual([]);
      }
      asked.set(site.name, written);
    }
    expect(first.crashes.struck.map((c) => c.functionId)).toEqual(SITES.map((s) => s.functionId));
  } finally {
    await first.stop();
  }
  second = await startTestStack({ dataDir, inMemory: false, ...ports });
  await second.idle();
}, 300_000);

afterAll(async () => second?.stop());

describe('a crash between a status and its workflow start, then a restart (issue 14)', () => {
  const sites = [
    'order submission',
    'order change request',
    'new customer (credit review)',
    'credit review asked for',
    'credit limit lowered below the exposure (order re-check)',
    'price list version submitted',
    'goods reservation requested',
    'samples requested',
    'safety stock proposed',
    'credit note requested',
    'return requested',
    'quality return inspected (defect confirmed)',
    'finance export started',
    'periodic credit review (the nightly job)',
  ];
  for (const site of sites) {
    it(`${site}: killed right after its write, the workflow starts after the restart, exactly once`, async () => {
      const starts = asked.get(site)!;
      expect(starts.length).toBeGreaterThanOrEqual(1);
      const now = new Map((await startsOf(second)).map((s) => [s.startKey, s]));
      for (const start of starts) {
        expect(executionsNamed(second, start).length, `${start.startKey}: one execution`).toBe(1);
        expect(now.get(start.startKey)?.pending, `${start.startKey} marked started`).toBeUndefined();
        expect(now.get(start.startKey)?.executionArn).toBe(executionsNamed(second, start)[0]!.executionArn);
        if (site === 'finance export started') {
          const exportId = subjectOf(start);
          expect((await apiAs(second, 'zheng.hao').get(`/exports/${exportId}`)).body.status).toBe('SUCCEEDED');
        } else {
          const subject = subjectOf(start);
          // A safety stock proposal's subject is product/proposal; its task is about the product.
          const tasks = (await scanAll(second, TABLES.tasks.localName)).filter((t) => (t.subject?.id === subject || subject.startsWith(`${t.subject?.id}/`)) && t.status === 'OPEN');
          expect(tasks.length, `${site}: someone has the task about ${subject}`).toBeGreaterThanOrEqual(1);
        }
      }
    });
  }

  it('the starter dies after starting an execution, before marking it: delivered again, the same execution, marked once', async () => {
    second.crashes.crash('StartWorkflows', { beforeWrite: 1 });
    const customer = await expectStatus(second, apiAs(second, REP).post('/customers', newCustomer({ name: 'Starter Died Co' })), 201);
    const starts = (await startsOf(second)).filter((s) => s.startKey === `creditReview#${customer.customerId}-round-1`);
    expect(starts).toHaveLength(1);
    expect(second.crashes.struck.at(-1)?.functionId).toBe('StartWorkflows');
    expect(executionsNamed(second, starts[0]!)).toHaveLength(1);
    expect(starts[0]!.pending).toBeUndefined();
  });

  it('the stream gives up on a start (the starter down for good): the sweeper starts it after two minutes, once', async () => {
    // Six deliveries fail (the event source's retries), then the record is skipped, as in the cloud it is parked.
    second.crashes.crash('StartWorkflows', { beforeWrite: 1, times: 6 });
    const parked = await expectStatus(second, apiAs(second, REP).post('/customers', newCustomer({ name: 'Parked Start Co' })), 201);
    const key = `creditReview#${parked.customerId}-round-1`;
    // Its execution started at the first delivery (the start is not the write that failed): still one.
    const start = (await startsOf(second)).find((s) => s.startKey === key)!;
    expect(executionsNamed(second, start)).toHaveLength(1);
    expect(start.pending, 'never marked: the sweeper finds it').toBe('PENDING');
    // Within two minutes the sweeper leaves it to the stream; after them it makes the start (the same execution) and marks it.
    expect(await second.runJob('workflow-starts-due')).toMatchObject({ started: 0 });
    later(3 * 60 * 1000);
    expect(await second.runJob('workflow-starts-due')).toMatchObject({ started: 1, failed: 0 });
    await second.idle();
    const swept = (await startsOf(second)).find((s) => s.startKey === key)!;
    expect(swept.pending).toBeUndefined();
    expect(executionsNamed(second, swept)).toHaveLength(1);
    expect(await second.runJob('workflow-starts-due')).toMatchObject({ started: 0 });
    backToToday();
    await expectInvariantsHold(second);
  });
});
