/**
 * A restart of the local stack while a credit review waits (its own file: SDK clients in the
 * loaded handlers keep their endpoints, so one process runs one stack's ports).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { apiAs, creditApproval, newCustomer, openTaskAbout, startTestStack } from '../support/local-stack.js';

describe('a restart while a review waits', () => {
  it('loses neither the customer nor the pending review; finance decides after the restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'o2c-restart-'));
    const ports = { dynamoPort: await freePort(), stepFunctionsPort: await freePort(), port: await freePort() };
    const first = await startTestStack({ dataDir, inMemory: false, ...ports });
    const created = (await apiAs(first, 'wang.qiang').post('/customers', newCustomer({ name: 'Restart Ltd' }))).body;
    const task = await openTaskAbout(first, 'wu.fang', created.customerId);
    expect(task).toBeDefined();
    await first.stop();

    const second = await startTestStack({ dataDir, inMemory: false, ...ports });
    try {
      expect((await apiAs(second, 'wang.qiang').get(`/customers/${created.customerId}`)).body.name).toBe('Restart Ltd');
      const same = await openTaskAbout(second, 'wu.fang', created.customerId);
      expect(same.taskId).toBe(task.taskId);
      const decided = await apiAs(second, 'wu.fang').post(`/tasks/${task.taskId}/decision`, creditApproval);
      expect(decided.status).toBe(200);
      await second.stepFunctions.idle();
      expect((await apiAs(second, 'wang.qiang').get(`/customers/${created.customerId}`)).body.credit.status).toBe('APPROVED');
      const history = await apiAs(second, 'wang.qiang').get(`/customers/${created.customerId}/history`);
      // The step that ran before the restart was not run again.
      expect(history.body.items.filter((e: { action: string }) => e.action === 'credit review round 1 opened')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
