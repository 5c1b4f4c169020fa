/** The readiness probe's one read: DynamoDB answers, with the access the Health function is given. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, tableName } from '../shared/dynamo.js';
import { logger } from '../shared/logger.js';

/** A key that is never written: the read costs half a read unit and shows no data. */
const PROBE_KEY = { counterName: 'readiness-probe' };
/** Readiness answers within this, however DynamoDB fails (the client's own retries included). */
const PROBE_TIMEOUT_MS = 3_000;

/** True when DynamoDB answers a GetItem on the counters table; false (logged) when it does not. */
export async function dynamoDbAnswers(): Promise<boolean> {
  try {
    await ddb.send(new GetCommand({ TableName: tableName('counters'), Key: PROBE_KEY, ProjectionExpression: 'counterName' }), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch (err) {
    logger.warn('readiness: DynamoDB does not answer', { error: err as Error });
    return false;
  }
}
