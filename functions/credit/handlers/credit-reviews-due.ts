/**
 * Nightly job (R-CREDIT-1, R-CREDIT-2, R-CREDIT-7): starts the periodic credit reviews that are due,
 * any new-customer review whose start failed, and any order re-check whose start failed. Reads only the sparse due index. Running it
 * twice on one day starts nothing twice (round numbers and execution names are deterministic).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { fromItem } from '../../customers/store.js';
import { notifyOnce, toRole } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { businessDate, now } from '../../shared/clock.js';
import { getOrder, listOrders } from '../../orders/store.js';
import { type Recheck, startRechecks } from '../limits.js';
import { ddb, tableName } from '../../shared/dynamo.js';
import { HttpError } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import { stepHandler } from '../../shared/step.js';
import { requestNewRound, startReviewExecution } from '../review.js';

/** The scheduler's event is ignored except for an optional business date, for catch-up runs. */
const Input = z.looseObject({ asOf: z.iso.date().optional() }).catch({});

export const handler = stepHandler('CreditReviewsDue', Input, async (input) => {
  const asOf = input.asOf ?? businessDate();
  let periodic = 0;
  let restarted = 0;
  let failed = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: tableName('customers'),
        IndexName: 'byCreditReviewDue',
        KeyConditionExpression: 'creditReviewDueKey = :due AND nextCreditReviewOn <= :asOf',
        ExpressionAttributeValues: { ':due': 'DUE', ':asOf': asOf },
        ExclusiveStartKey: cursor,
      }),
    );
    for (const item of page.Items ?? []) {
      const customer = fromItem(item);
      try {
        if (customer.credit.status === 'REQUESTED') {
          if (await startReviewExecution(customer)) restarted++;
          else failed++;
        } else if (customer.credit.status === 'APPROVED') {
          await requestNewRound(customer.customerId, 'PERIODIC', SYSTEM_ACTOR, `periodic review due ${customer.credit.nextReviewOn}`);
          periodic++;
        }
      } catch (err) {
        // A 409 means someone started a round meanwhile; anything else is logged and retried tomorrow.
        if (!(err instanceof HttpError && err.status === 409)) {
          failed++;
          logger.error('could not start credit review', { customerId: customer.customerId, error: err as Error });
        }
      }
    }
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  if (periodic > 0) {
    await notifyOnce({
      dedupeKey: `credit-reviews-due#${asOf}`,
      recipient: toRole('finance'),
      topic: 'credit-review',
      subject: `${periodic} periodic credit review${periodic === 1 ? '' : 's'} due`,
      body: `The periodic credit reviews due by ${asOf} are in your task list.`,
      link: '/tasks',
    });
  }
  const rechecksRestarted = await restartStalledRechecks();
  return { asOf, periodic, restarted, failed, rechecksRestarted };
});

/**
 * R-CREDIT-7: an order a lower limit put in CREDIT_REVIEW whose credit decision never opened (the
 * start after the limit change failed) gets its decision started again; the name is the same, so
 * one that did start is not started twice. Reads only the orders in CREDIT_REVIEW.
 */
async function restartStalledRechecks(): Promise<number> {
  const stalled: Recheck[] = [];
  const before = new Date(now().getTime() - 15 * 60_000).toISOString();
  let cursor: string | undefined;
  do {
    const page = await listOrders({ status: 'CREDIT_REVIEW', limit: 100, cursor });
    for (const summary of page.items) {
      const order = await getOrder(summary.orderId, true);
      const credit = order.credit;
      if (order.status !== 'CREDIT_REVIEW' || !credit || credit.pendingTask || credit.outcome !== 'OVER_LIMIT' || (credit.checkedAt ?? '') > before) continue;
      stalled.push({ orderId: order.orderId, attempt: credit.attempt, approverRole: credit.approverRole ?? 'finance_manager' });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await startRechecks(stalled);
  return stalled.length;
}
