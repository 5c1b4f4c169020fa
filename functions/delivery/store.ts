/** Delivery notes: versioned items with history, numbered per year, listed by order and by status. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { businessDate } from '../shared/clock.js';
import { ddb, decodeCursor, encodeCursor, nextInSequence, tableName, withoutKeys } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { type TransactItem, versionedStore } from '../shared/versioned.js';
import type { DeliveryNote, DeliveryNoteStatus } from './schemas.js';

export const deliveryNoteSubject = (id: string) => subjectOf('deliveryNote', id);

const toItem = (n: DeliveryNote) => ({ ...n, createdKey: `${n.createdAt}#${n.deliveryNoteId}` });

const notes = versionedStore<DeliveryNote>({
  table: 'deliveryNotes',
  key: 'deliveryNoteId',
  noun: 'delivery note',
  subject: deliveryNoteSubject,
  toItem,
  fromItem: (item) => withoutKeys(item, ['createdKey']) as DeliveryNote,
});

export const { get: getDeliveryNote, replaceItems: deliveryNoteReplaceItems } = notes;

/** The Put that creates a note, with its history entry, for the caller's transaction. */
export function deliveryNoteInsertItems(note: DeliveryNote, action: string): TransactItem[] {
  return [
    { Put: { TableName: tableName('deliveryNotes'), Item: toItem(note), ConditionExpression: 'attribute_not_exists(deliveryNoteId)' } },
    changeEntryPut(deliveryNoteSubject(note.deliveryNoteId), note.createdBy, action, null, note),
  ];
}

/** DN-YYYY-NNNNNN, unique and never reused. */
export async function nextDeliveryNoteNumber(): Promise<string> {
  const year = businessDate().slice(0, 4);
  return formatNumber(`DN-${year}`, await nextInSequence(`delivery-note-${year}`));
}

export async function listNotesOfOrder(orderId: string): Promise<DeliveryNote[]> {
  const result = await ddb.send(
    new QueryCommand({ TableName: tableName('deliveryNotes'), IndexName: 'byOrder', KeyConditionExpression: 'orderId = :o', ExpressionAttributeValues: { ':o': orderId } }),
  );
  return (result.Items ?? []).map((i) => withoutKeys(i, ['createdKey']) as DeliveryNote);
}

export async function listNotesInStatus(status: DeliveryNoteStatus, page: { limit: number; cursor?: string }) {
  const result = await ddb.send(
    new QueryCommand({
      TableName: tableName('deliveryNotes'),
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map((i) => withoutKeys(i, ['createdKey']) as DeliveryNote), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
