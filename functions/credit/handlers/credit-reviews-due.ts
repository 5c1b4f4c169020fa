/**
 * Nightly job (R-CREDIT-1): starts the periodic credit reviews that are due. Reads only the sparse due
 * index. Running it twice on one day starts nothing twice (a round already requested is refused, and
 * its start was written with it: the outbox of workflow starts).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { fromItem } from '../../customers/store.js';
import { notifyOnce, toRole } from '../../notifications/outbox.js';
import { SYSTEM_ACTOR } from '../../shared/auth.js';
import { businessDate } from '../../shared/clock.js';
import { ddb, tableName } from '../../shared/dynamo.js';
import { HttpError } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import { stepHandler } from '../../shared/step.js';
import { requestNewRound } from '../review.js';

/** The scheduler's event is ignored except for an optional business date, for catch-up runs. */
const Input = z.looseObject({ asOf: z.iso.date().optional() }).catch({});

export const handler = stepHandler('CreditReviewsDue', Input, async (input) => {
  const asOf = input.asOf ?? businessDate();
  let periodic = 0;
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
        // A round REQUESTED has its start in the outbox since the write that requested it (workflow-starts-due sweeps).
        if (customer.credit.status === 'APPROVED') {
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
  return { asOf, periodic, failed };
});
