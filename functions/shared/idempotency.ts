/**
 * Idempotency-Key for creating POSTs (DESIGN.md "API"). The key is scoped to the route and
 * the caller, so two users' keys never collide; the request body is compared as parsed JSON
 * (key order and white space do not matter). A retry returns the first answer; the same key
 * with another body is refused (422); a retry while the first is still running gets 409.
 * Stored answers expire after 24 hours (the table's TTL attribute `expiration`).
 *
 * Nothing twice, also after a crash: the request's effect and its stored answer are written in ONE
 * transaction (Stripe's "atomic phases"). The handler builds its answer before it writes and adds
 * `answerItems(answer)` to the effect's TransactWriteItems; the record goes from IN_PROGRESS to
 * COMPLETED with the answer in the same write. So whoever finds the key later finds either nothing
 * written (the record still IN_PROGRESS: safe to run again once its holder is presumed dead) or the
 * finished answer (replayed). Each claim carries a lease: a run that was presumed dead and taken over
 * cannot complete afterwards (its effect's transaction fails on the lease), so two runs never both
 * write. Writes before the effect take nothing anyone sees twice (a number from a sequence at most
 * leaves a gap, which sequences allow).
 *
 * Powertools' idempotency utility was considered: it keys on raw event paths and compares raw
 * bodies, and it stores the answer after the handler returned, which is exactly the window a crash
 * must not fall into; we also want per-caller scope and problem+json answers.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { now } from './clock.js';
import { type TransactItem, ddb, isConditionalFailure, tableName } from './dynamo.js';
import { HttpError, PROBLEM_TYPES, validationFailed } from './errors.js';
import { type HttpResult, jsonResponse } from './http.js';
import { canonicalJson } from './json.js';
import { logger } from './logger.js';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** A record left IN_PROGRESS longer than this (a crashed invocation) may be taken over. */
export const IN_PROGRESS_TIMEOUT_SECONDS = 60;

/** How a creating request answers once what it creates is built: written with the effect (answerItems). */
export type Answer<T> = (created: T) => HttpResult;

interface Claim {
  id: string;
  lease: string;
  /** The answer written with the effect, once the handler built it. */
  answer?: APIGatewayProxyStructuredResultV2;
}

const claims = new AsyncLocalStorage<Claim>();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The write that completes this request's idempotency record with its answer, for the effect's own
 * TransactWriteItems: none outside a request with an Idempotency-Key (a workflow step, a job, a
 * request without a key), so actions can add it unconditionally.
 */
export function answerItems(answer: HttpResult): TransactItem[] {
  const claim = claims.getStore();
  if (!claim) return [];
  const response = jsonResponse(answer);
  claim.answer = response;
  return [
    {
      Update: {
        TableName: tableName('idempotency'),
        Key: { id: claim.id },
        UpdateExpression: 'SET #s = :completed, #r = :response',
        // Still ours: a run presumed dead and taken over must not write its effect after all.
        ConditionExpression: '#s = :inProgress AND #l = :lease',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'response', '#l': 'lease' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED', ':inProgress': 'IN_PROGRESS', ':response': response, ':lease': claim.lease },
      },
    },
  ];
}

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
  const lease = randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: { id, status: 'IN_PROGRESS', bodyHash, lease, startedAt: nowSeconds, expiration: nowSeconds + IDEMPOTENCY_TTL_SECONDS },
          // TTL deletion lags, so an expired record counts as absent; so does an abandoned IN_PROGRESS one
          // (abandoned means nothing was written: a run that wrote its effect left the record COMPLETED).
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

  const claim: Claim = { id, lease };
  let response: APIGatewayProxyStructuredResultV2;
  try {
    response = await claims.run(claim, run);
  } catch (err) {
    // Nothing was created: free the key so the client can retry. Unless the effect went through
    // before the failure (the record is COMPLETED: a retry gets that answer) or another request took
    // the key over (not our lease): then the record is not ours to delete.
    await ddb
      .send(
        new DeleteCommand({
          TableName: table,
          Key: { id },
          ConditionExpression: '#s = :inProgress AND #l = :lease',
          ExpressionAttributeNames: { '#s': 'status', '#l': 'lease' },
          ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':lease': lease },
        }),
      )
      .catch((deleteErr: unknown) => {
        if (!isConditionalFailure(deleteErr)) logger.warn('idempotency key not freed', { error: deleteErr as Error });
      });
    throw err;
  }
  // The answer went in with the effect: that is the answer, now and on every retry.
  if (claim.answer) return claim.answer;
  // A creating request that wrote no answer with its effect: complete the record now (not crash-safe).
  logger.error('idempotent request completed outside its effect’s transaction', { scope: request.scope });
  await ddb.send(
    new UpdateCommand({
      TableName: table,
      Key: { id },
      UpdateExpression: 'SET #s = :completed, #r = :response',
      ConditionExpression: '#s = :inProgress AND #l = :lease',
      ExpressionAttributeNames: { '#s': 'status', '#r': 'response', '#l': 'lease' },
      ExpressionAttributeValues: { ':completed': 'COMPLETED', ':inProgress': 'IN_PROGRESS', ':response': response, ':lease': lease },
    }),
  );
  return response;
}
