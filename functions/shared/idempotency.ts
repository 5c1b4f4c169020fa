/**
 * Idempotency-Key for creating POSTs (DESIGN.md "API"). The key is scoped to the route and
 * the caller, so two users' keys never collide; the request body is compared as parsed JSON
 * (key order and white space do not matter). A retry returns the first answer; the same key
 * with another body is refused (422); a retry while the first is still running gets 409.
 * Stored answers expire after 24 hours (the table's TTL attribute `expiration`).
 * Powertools' idempotency utility was considered: it keys on raw event paths and compares raw
 * bodies, and we want per-caller scope and problem+json answers, so this is the small version.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { now } from './clock.js';
import { ddb, isConditionalFailure, tableName } from './dynamo.js';
import { HttpError, PROBLEM_TYPES, validationFailed } from './errors.js';
import { canonicalJson } from './json.js';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** A record left IN_PROGRESS longer than this (a crashed invocation) may be taken over. */
const IN_PROGRESS_TIMEOUT_SECONDS = 60;


const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function withIdempotency(
  request: { key: string; scope: string; body: unknown },
  run: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (request.key.length < 8 || request.key.length > 128) {
    throw validationFailed([{ field: 'headers.idempotency-key', message: '8 to 128 characters', code: 'invalid_idempotency_key' }]);
  }
  const id = sha256(`${request.scope}#${request.key}`);
  const bodyHash = sha256(canonicalJson(request.body));
  const nowSeconds = Math.floor(now().getTime() / 1000);
  const table = tableName('idempotency');
  for (let attempt = 1; ; attempt++) {
    try {
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: { id, status: 'IN_PROGRESS', bodyHash, startedAt: nowSeconds, expiration: nowSeconds + IDEMPOTENCY_TTL_SECONDS },
          // TTL deletion lags, so an expired record counts as absent; so does an abandoned IN_PROGRESS one.
          ConditionExpression: 'attribute_not_exists(id) OR expiration < :now OR (#s = :inProgress AND startedAt < :stale)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':now': nowSeconds, ':inProgress': 'IN_PROGRESS', ':stale': nowSeconds - IN_PROGRESS_TIMEOUT_SECONDS },
        }),
      );
      break;
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
    const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }));
    if (!Item) {
      // Gone between our write and our read: the request holding the key failed and freed it. Claim it again.
      if (attempt < 3) continue;
      throw new HttpError(409, PROBLEM_TYPES.requestInProgress, 'Request in progress', 'Another request with this Idempotency-Key is running; retry in a moment');
    }
    if (Item.bodyHash !== bodyHash) {
      throw new HttpError(422, PROBLEM_TYPES.idempotencyKeyReused, 'Idempotency-Key reused', 'This Idempotency-Key was used with another request body; use a new key for a new request');
    }
    if (Item.status !== 'COMPLETED') {
      throw new HttpError(409, PROBLEM_TYPES.requestInProgress, 'Request in progress', 'The first request with this Idempotency-Key is still running; retry in a moment');
    }
    const stored = Item.response as APIGatewayProxyStructuredResultV2;
    return { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } };
  }
  let response: APIGatewayProxyStructuredResultV2;
  try {
    response = await run();
  } catch (err) {
    // Nothing was created: free the key so the client can retry.
    await ddb.send(new DeleteCommand({ TableName: table, Key: { id } }));
    throw err;
  }
  await ddb.send(
    new UpdateCommand({
      TableName: table,
      Key: { id },
      UpdateExpression: 'SET #s = :completed, #r = :response',
      ExpressionAttributeNames: { '#s': 'status', '#r': 'response' },
      ExpressionAttributeValues: { ':completed': 'COMPLETED', ':response': response },
    }),
  );
  return response;
}
