/**
 * Production and purchase requests (R-FULFIL-2): raised by an order's stock reservation for what it
 * lacks, worked on by production (manufactured goods) or the warehouse (traded goods, bought in).
 * Completing one receives the goods into stock — the request, the balance and the movement in one
 * transaction — and resumes the order that waits for it, which then reserves again. An order that
 * is cancelled, changed or returned withdraws its open requests.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Product } from '../catalog/schemas.js';
import { notifyOnce, toRole } from '../notifications/outbox.js';
import { getOrder } from '../orders/store.js';
import { nowIso } from '../shared/clock.js';
import { ddb, isConditionalFailure, mergedPartitionsPage, tableName, transactConditional, withoutKeys } from '../shared/dynamo.js';
import { conflict } from '../shared/errors.js';
import { toUnits } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import type { Actor } from '../shared/schemas.js';
import { endWait } from '../tasks/waits.js';
import type { SupplyRequest } from './schemas.js';
import { checkSafetyStock } from './safety.js';
import { balanceChange, movementPut } from './store.js';

const STORE_ONLY = ['queueKey', 'createdKey'] as const;

export async function getRequest(requestId: string): Promise<SupplyRequest | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('requests'), Key: { requestId }, ConsistentRead: true }));
  return Item ? (withoutKeys(Item, STORE_ONLY) as SupplyRequest) : undefined;
}

/** The open requests of these departments, oldest first. */
export async function listOpenRequests(departments: readonly Role[], page: { limit: number; cursor?: string }) {
  const { items, nextCursor } = await mergedPartitionsPage({
    table: 'requests',
    index: 'byQueue',
    partitionKey: 'queueKey',
    sortKey: 'createdKey',
    partitions: departments,
    newestFirst: false,
    page,
  });
  return { items: items.map((i) => withoutKeys(i, STORE_ONLY) as SupplyRequest), nextCursor };
}

/** Receives what was produced or bought into stock and closes the request, once; then the order reserves again. */
export async function completeRequest(
  request: SupplyRequest,
  product: Pick<Product, 'productCode' | 'unit' | 'quantityScale'>,
  input: { quantity: string; batch?: string; reference?: string },
  by: Actor,
): Promise<SupplyRequest> {
  const units = toUnits(input.quantity, product.quantityScale);
  const completedAt = nowIso();
  const written = await transactConditional([
    {
      Update: {
        TableName: tableName('requests'),
        Key: { requestId: request.requestId },
        UpdateExpression: `SET #status = :done, completedAt = :at, completedBy = :by, received = :received${input.batch ? ', #batch = :batch' : ''} REMOVE queueKey`,
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status', ...(input.batch ? { '#batch': 'batch' } : {}) },
        ExpressionAttributeValues: { ':done': 'COMPLETED', ':open': 'OPEN', ':at': completedAt, ':by': by, ':received': input.quantity, ...(input.batch ? { ':batch': input.batch } : {}) },
      },
    },
    balanceChange(product, request, 'RECEIPT', units),
    movementPut(product, {
      kind: 'RECEIPT',
      warehouseId: request.warehouseId,
      ...(request.specification ? { specification: request.specification } : {}),
      units,
      reference: input.reference ?? request.requestId,
      source: request.kind,
      ...(input.batch ? { batch: input.batch } : {}),
      reason: `${request.kind === 'PRODUCTION' ? 'produced' : 'bought in'} for ${request.orderId} line ${request.lineNo} (${request.requestId})`,
      by,
    }),
  ]);
  if (!written.ok) throw conflict(`${request.requestId} was completed or cancelled a moment ago`);
  // R-FULFIL-9: the goods received may lift the balance back over its safety stock.
  await checkSafetyStock(product.productCode, [request]);
  await resumeOrderWaitingFor(request.orderId);
  return { ...request, status: 'COMPLETED', completedAt, completedBy: by, received: input.quantity, ...(input.batch ? { batch: input.batch } : {}) };
}

/** Ends the order's wait for stock, if it waits; false if not (not waiting yet, or moved on). */
export async function resumeOrderWaitingFor(orderId: string): Promise<boolean> {
  const order = await getOrder(orderId, true);
  const taskId = order.status === 'AWAITING_STOCK' ? order.fulfilment?.pendingTask?.taskId : undefined;
  return taskId ? endWait(taskId, { outcome: 'STOCK_RECEIVED' }, 'RESUMED') : false;
}

/** The order no longer needs its open requests (cancelled, changed, returned): they are withdrawn and their department told. */
export async function withdrawRequests(order: { orderId: string; fulfilment?: { requests: string[] } | undefined }, reason: string): Promise<number> {
  let withdrawn = 0;
  for (const requestId of order.fulfilment?.requests ?? []) {
    try {
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tableName('requests'),
          Key: { requestId },
          UpdateExpression: 'SET #status = :cancelled, cancelReason = :reason, completedAt = :at REMOVE queueKey',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':open': 'OPEN', ':reason': reason, ':at': nowIso() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      withdrawn++;
      const request = Attributes as SupplyRequest;
      await notifyOnce({
        dedupeKey: `${requestId}#withdrawn`,
        recipient: toRole(request.department as Role),
        topic: 'supply-request',
        subject: `${request.kind === 'PRODUCTION' ? 'Production' : 'Purchase'} request ${requestId} withdrawn`,
        body: `${order.orderId} no longer needs ${request.quantity} ${request.unit} ${request.productCode}: ${reason}.`,
        link: `/supply-requests/${requestId}`,
      });
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
  }
  return withdrawn;
}
