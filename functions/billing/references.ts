/**
 * A payment's reference is unique per customer and received date (R-BILL-2): a transfer's bank
 * reference, or cash's paper receipt number (收据号). One guard item per reference and day in the
 * customer's ledger partition, `REF#<receivedOn>#<normalised reference>`, put by the payment's own
 * transaction on the condition that it is absent, so two payments with one reference at the same
 * moment never both pass; it names the payment that holds it. A payment recorded with
 * `separatePayment` (finance says: another payment, the same reference) writes no guard when the
 * reference is held: the guard keeps naming the first. A reversal releases the guard its payment
 * holds, or hands it to a separate payment with the same reference still standing.
 *
 * The guard carries none of the attributes of ledger entries (kind, amountMinor, reference, on …),
 * of customer credits (receiptNumber, remainingMinor, receivedOn, unappliedKey) or of the balance,
 * nor the keys of the ledger table's indexes (entriesByMonth, unappliedCredits): whatever reads the
 * ledger by those, or by the E#, CREDIT# and BALANCE keys, never meets it.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../shared/clock.js';
import { type TransactItem, ddb, tableName } from '../shared/dynamo.js';
import { duplicateReference } from '../shared/errors.js';
import { normaliseReference, paymentReference } from './rules.js';
import type { Payment } from './schemas.js';

export const REFERENCE_GUARD_PREFIX = 'REF#';
export const referenceGuardKey = (receivedOn: string, reference: string) => `${REFERENCE_GUARD_PREFIX}${receivedOn}#${normaliseReference(reference)}`;

export type PaymentReference = NonNullable<ReturnType<typeof paymentReference>>;

/** The guard as stored: its keys and who holds it. */
export interface ReferenceGuard {
  customerId: string;
  entryKey: string;
  /** The receipt number of the payment recorded with the reference. */
  heldBy: string;
  /** The field it came from and the reference as typed on that payment. */
  referenceField: PaymentReference['field'];
  referenceText: string;
  heldSince: string;
}

export async function readReferenceGuard(customerId: string, receivedOn: string, reference: PaymentReference): Promise<ReferenceGuard | undefined> {
  const { Item } = await ddb.send(
    new GetCommand({ TableName: tableName('ledger'), Key: { customerId, entryKey: referenceGuardKey(receivedOn, reference.text) }, ConsistentRead: true }),
  );
  return Item as ReferenceGuard | undefined;
}

/** The guard for the payment's transaction, on the condition that nobody holds the reference yet. */
export function referenceGuardPut(customerId: string, receivedOn: string, reference: PaymentReference, receiptNumber: string): TransactItem {
  const guard: ReferenceGuard = {
    customerId,
    entryKey: referenceGuardKey(receivedOn, reference.text),
    heldBy: receiptNumber,
    referenceField: reference.field,
    referenceText: reference.text,
    heldSince: nowIso(),
  };
  return { Put: { TableName: tableName('ledger'), Item: guard, ConditionExpression: 'attribute_not_exists(entryKey)' } };
}

const label = { bankReference: 'bank reference', receiptReference: 'paper receipt number' } as const;

/** 409 naming the field and the payment recorded with the reference (nothing is written). */
export function referenceTaken(customerId: string, receivedOn: string, reference: PaymentReference, guard: ReferenceGuard) {
  const message = `${label[reference.field]} ${reference.text} is already recorded for ${customerId} on ${receivedOn}: receipt ${guard.heldBy}`;
  return duplicateReference(`${message}. If this is another payment with the same reference, send it again with separatePayment: true`, {
    field: `body.${reference.field}`,
    message: `already recorded on receipt ${guard.heldBy}`,
    code: 'duplicate_reference',
  });
}

/**
 * For a reversal's transaction: the guard of the payment's reference, if the payment holds it, goes
 * (the reference is free again), or passes to `successor` (a payment with the same reference and
 * day still standing); conditional on the payment still holding it. Nothing when it holds none.
 */
export function releaseReferenceGuardItem(payment: Pick<Payment, 'customerId' | 'receiptNumber' | 'receivedOn'>, guard: ReferenceGuard | undefined, successor?: string): TransactItem[] {
  if (guard?.heldBy !== payment.receiptNumber) return [];
  const Key = { customerId: payment.customerId, entryKey: guard.entryKey };
  const held = { ConditionExpression: 'heldBy = :me', ExpressionAttributeValues: { ':me': payment.receiptNumber } };
  if (!successor) return [{ Delete: { TableName: tableName('ledger'), Key, ...held } }];
  return [
    {
      Update: {
        TableName: tableName('ledger'),
        Key,
        UpdateExpression: 'SET heldBy = :next, heldSince = :at',
        ...held,
        ExpressionAttributeValues: { ...held.ExpressionAttributeValues, ':next': successor, ':at': nowIso() },
      },
    },
  ];
}

/**
 * The other payments of the customer received that day with the same reference and not reversed,
 * oldest receipt first (the index of a customer's payments by received date).
 */
export async function otherPaymentsWithReference(payment: Pick<Payment, 'customerId' | 'receiptNumber' | 'receivedOn'>, reference: PaymentReference): Promise<string[]> {
  const wanted = normaliseReference(reference.text);
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: tableName('payments'),
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customerId = :c AND begins_with(receivedKey, :day)',
        ExpressionAttributeValues: { ':c': payment.customerId, ':day': `${payment.receivedOn}#` },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of (page.Items ?? []) as Payment[]) {
      const theirs = paymentReference(item);
      if (item.receiptNumber !== payment.receiptNumber && !item.reversal && theirs && normaliseReference(theirs.text) === wanted) found.push(item.receiptNumber);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found.sort();
}
