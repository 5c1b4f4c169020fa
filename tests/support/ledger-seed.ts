/**
 * Many ledger entries, fast: written straight into the ledger table of a local stack with
 * BatchWriteItem (25 items a request, several requests in flight), shaped as ledger.ts writes
 * them (E#<seq> per customer, running balance, entryMonth and monthKey for the entriesByMonth
 * index), spread over the days of one month. For the export test of 100,000 entries and the
 * export bench; no API, no workflow. Each customer's BALANCE item is written too, so every
 * customer's balance equals the sum of its entries (R-BILL-5); the entries have no invoices or
 * payments behind them (kinds REVERSAL and ALLOCATION), so the other invariants do not apply.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { businessDayStart } from '../../functions/shared/clock.js';
import { TABLES } from '../../infra/definitions/index.js';

export interface LedgerSeed {
  entries: number;
  customers: number;
  /** YYYY-MM: the entries are spread over its first 28 days. */
  month: string;
  /** Customer ids are CU-<prefix><n>, so seeds of several calls never meet. */
  customerPrefix?: string;
  concurrency?: number;
}

export async function seedLedgerEntries(endpoint: string, seed: LedgerSeed): Promise<{ entries: number; from: string; to: string; customers: string[] }> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const table = TABLES.ledger.localName;
  const customers = Array.from({ length: seed.customers }, (_, i) => `CU-${seed.customerPrefix ?? '9'}${String(i + 1).padStart(5, '0')}`);
  const state = customers.map(() => ({ seq: 0, balance: 0 }));
  const by = { userId: 'seed', name: '种子数据 Seed' };
  const starts: number[] = [];

  function* items(): Generator<Record<string, unknown>> {
    for (let i = 0; i < seed.entries; i++) {
      const c = i % seed.customers;
      const customerId = customers[c]!;
      const s = state[c]!;
      s.seq += 1;
      // Alternately +x and −x: a credit note reversed, a realistic amount in fen.
      const amountMinor = s.seq % 2 === 1 ? 100_000 + ((i * 7919) % 9_999_999) : -s.balance;
      s.balance += amountMinor;
      // In time order over the first 28 days: entry numbers follow time, as the ledger writes them.
      const position = (i * 28) / seed.entries;
      const dayIndex = Math.floor(position);
      const day = `${seed.month}-${String(dayIndex + 1).padStart(2, '0')}`;
      const dayStart = (starts[dayIndex] ??= businessDayStart(day).getTime());
      const at = new Date(dayStart + Math.floor((position - dayIndex) * 86_000_000)).toISOString();
      yield {
        customerId,
        entryKey: `E#${String(s.seq).padStart(10, '0')}`,
        seq: s.seq,
        kind: s.seq % 2 === 1 ? 'REVERSAL' : 'ALLOCATION',
        amountMinor,
        balanceAfterMinor: s.balance,
        currency: 'CNY',
        reference: `SEED-${i}`,
        description: s.seq % 2 === 1 ? '冲销, "seed" entry' : 'allocation',
        on: day,
        at,
        by,
        entryMonth: seed.month,
        monthKey: `${at}#${customerId}#${String(s.seq).padStart(10, '0')}`,
      };
    }
    for (const [c, customerId] of customers.entries()) {
      yield { customerId, entryKey: 'BALANCE', seq: state[c]!.seq, balanceMinor: state[c]!.balance, creditMinor: 0, currency: 'CNY', updatedAt: new Date().toISOString() };
    }
  }

  const source = items();
  async function worker(): Promise<void> {
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      while (batch.length < 25) {
        const next = source.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (batch.length === 0) return;
      let requests: { PutRequest?: { Item: Record<string, unknown> } }[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests && requests.length > 0) {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests as never } }));
        requests = result.UnprocessedItems?.[table] as typeof requests;
      }
    }
  }
  await Promise.all(Array.from({ length: seed.concurrency ?? 8 }, worker));
  client.destroy();
  return { entries: seed.entries, from: `${seed.month}-01`, to: `${seed.month}-28`, customers };
}
