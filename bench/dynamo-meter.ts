/**
 * DynamoDB request units of what the handlers do, measured in the bench's stack process without
 * touching product code: two middlewares on the shared document client (`ddb`).
 *
 * - initialize step: asks for ReturnConsumedCapacity=TOTAL (the handlers do not);
 * - build step: sees the marshalled request (what DynamoDB receives) and the response.
 *
 * Reads: the ConsumedCapacity DynamoDB Local returns (it follows the AWS rules: 0.5 per 4 KB
 * eventually consistent, 1 strongly consistent).
 * Writes: DynamoDB Local reports single-item writes by the AWS rules (index writes included) but
 * not TransactWriteItems (it reports per table, not 2 per KB per item). So every write is
 * computed here from item sizes by the AWS rules, with the items before and after read by a
 * separate, unmetered client; for single-item writes the computed units are checked against
 * DynamoDB Local's report. Rules used (Amazon DynamoDB Developer Guide, "Read/write capacity
 * unit consumption" and "Global secondary indexes: provisioned throughput considerations"):
 * - a write is ceil(size / 1 KB) units, size being the larger of the item before and after;
 *   a delete or ConditionCheck the size of the item as it is (at least 1 unit);
 * - TransactWriteItems: twice that for every action, ConditionCheck included;
 * - each global secondary index the item is in before or after: 1 write of the index entry
 *   (projection ALL: the item), 2 if the index key changed (delete + put); not doubled in a
 *   transaction (index maintenance is a standard write) — an assumption, stated in the notes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../functions/shared/definitions.js';

type Item = Record<string, AttributeValue>;

const KB = 1024;
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Bytes of a number by the AWS rule: 1 byte per two significant digits, plus 1. */
export function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

/** Bytes of one attribute value (without its name). */
export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return v.SS.reduce((s, x) => s + utf8(x), 0);
  if (v.NS !== undefined) return v.NS.reduce((s, x) => s + numberSize(x), 0);
  if (v.BS !== undefined) return v.BS.reduce((s, x) => s + x.length, 0);
  // List and Map: 3 bytes of overhead plus 1 per element.
  if (v.L !== undefined) return 3 + v.L.reduce((s, x) => s + 1 + valueSize(x), 0);
  if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + utf8(k) + valueSize(x), 0);
  return 0;
}

/** Item size by the AWS rules: attribute names plus values. */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((s, [k, v]) => s + utf8(k) + valueSize(v), 0);
}

/** Write units of one item write: ceil(size / 1 KB), at least 1. */
export const writeUnitsFor = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

interface IndexKeys {
  name: string;
  keys: string[];
}

const sameValue = (a: AttributeValue | undefined, b: AttributeValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Write units a global secondary index (projection ALL) consumes when an item goes from
 * `before` to `after` (undefined: absent).
 */
export function indexWriteUnits(index: IndexKeys, before: Item | undefined, after: Item | undefined): number {
  const inIndex = (item: Item | undefined) => item !== undefined && index.keys.every((k) => item[k] !== undefined);
  const b = inIndex(before);
  const a = inIndex(after);
  if (!b && !a) return 0;
  if (!b) return writeUnitsFor(itemSize(after));
  if (!a) return writeUnitsFor(itemSize(before));
  if (index.keys.some((k) => !sameValue(before![k], after![k]))) return writeUnitsFor(itemSize(before)) + writeUnitsFor(itemSize(after));
  if (JSON.stringify(before) === JSON.stringify(after)) return 0;
  return writeUnitsFor(Math.max(itemSize(before), itemSize(after)));
}

export interface DynamoUsage {
  /** Requests by operation (PutItem, TransactWriteItems, Query …). */
  requests: Record<string, number>;
  /** Computed by the AWS rules: table + index. */
  writeUnits: number;
  tableWriteUnits: number;
  indexWriteUnits: number;
  /** Part of writeUnits that TransactWriteItems consumed. */
  transactionalWriteUnits: number;
  /** As DynamoDB Local reports them (ConsumedCapacity). */
  readUnits: number;
  /** Single-item writes (Put/Update/Delete/BatchWrite): computed here vs reported by DynamoDB Local. */
  singleItemWriteUnitsComputed: number;
  singleItemWriteUnitsReported: number;
  /** What DynamoDB Local reports for TransactWriteItems (not the AWS rule; for the record). */
  transactionalWriteUnitsReported: number;
  /** Items written (put, updated or deleted) per table. */
  itemsWritten: Record<string, number>;
  /** Conditional writes or transactions that failed; counted at the table units of the item as it was. */
  failedWrites: number;
}

export const emptyUsage = (): DynamoUsage => ({
  requests: {},
  writeUnits: 0,
  tableWriteUnits: 0,
  indexWriteUnits: 0,
  transactionalWriteUnits: 0,
  readUnits: 0,
  singleItemWriteUnitsComputed: 0,
  singleItemWriteUnitsReported: 0,
  transactionalWriteUnitsReported: 0,
  itemsWritten: {},
  failedWrites: 0,
});

export function addUsage(into: DynamoUsage, u: DynamoUsage): DynamoUsage {
  for (const [k, v] of Object.entries(u.requests)) into.requests[k] = (into.requests[k] ?? 0) + v;
  for (const [k, v] of Object.entries(u.itemsWritten)) into.itemsWritten[k] = (into.itemsWritten[k] ?? 0) + v;
  into.writeUnits += u.writeUnits;
  into.tableWriteUnits += u.tableWriteUnits;
  into.indexWriteUnits += u.indexWriteUnits;
  into.transactionalWriteUnits += u.transactionalWriteUnits;
  into.readUnits += u.readUnits;
  into.singleItemWriteUnitsComputed += u.singleItemWriteUnitsComputed;
  into.singleItemWriteUnitsReported += u.singleItemWriteUnitsReported;
  into.transactionalWriteUnitsReported += u.transactionalWriteUnitsReported;
  into.failedWrites += u.failedWrites;
  return into;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

interface PlannedWrite {
  table: string;
  key: Item;
  kind: 'put' | 'update' | 'delete' | 'check';
  item?: Item;
  before?: Item;
}

interface ConsumedCapacity {
  CapacityUnits?: number;
}

function reportedUnits(output: unknown): number {
  const cc = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] } | undefined)?.ConsumedCapacity;
  if (!cc) return 0;
  return (Array.isArray(cc) ? cc : [cc]).reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
}

/** The part of the document client this needs: its middleware stack. */
export interface MeteredClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize' | 'build'; name: string; tags?: string[] }): void;
  };
}

export class DynamoMeter {
  /** Off by default: the latency runs are not slowed down by the extra reads. */
  enabled = false;
  /** Who is charged for a request outside attribute() (the API function being called). */
  defaultOwner = 'unattributed';
  private readonly owner = new AsyncLocalStorage<string>();
  private readonly usage = new Map<string, DynamoUsage>();
  private readonly raw: DynamoDBClient;
  private readonly tables: Map<string, { keys: string[]; indexes: IndexKeys[] }>;

  constructor(options: { endpoint: string; tables: readonly TableDefinition[] }) {
    this.raw = new DynamoDBClient({ endpoint: options.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    this.tables = new Map(
      options.tables.map((t) => [
        t.localName,
        {
          keys: [t.partitionKey.name, ...(t.sortKey ? [t.sortKey.name] : [])],
          indexes: t.indexes.map((i) => ({ name: i.name, keys: [i.partitionKey.name, ...(i.sortKey ? [i.sortKey.name] : [])] })),
        },
      ]),
    );
  }

  /** Runs `fn` with its DynamoDB requests charged to `owner` (a workflow step's function). */
  attribute<T>(owner: string, fn: () => Promise<T>): Promise<T> {
    return this.owner.run(owner, fn);
  }

  /** Usage since the last take(), by owner; resets. */
  take(): Map<string, DynamoUsage> {
    const out = new Map(this.usage);
    this.usage.clear();
    return out;
  }

  install(client: MeteredClient): void {
    client.middlewareStack.add(
      (next: (args: { input: Record<string, unknown> }) => Promise<unknown>) => async (args: { input: Record<string, unknown> }) =>
        next(this.enabled ? { ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } } : args),
      { step: 'initialize', name: 'benchReturnConsumedCapacity', tags: ['BENCH'] },
    );
    client.middlewareStack.add(
      (next: (args: { input: Record<string, unknown>; request: unknown }) => Promise<{ output: unknown }>) =>
        async (args: { input: Record<string, unknown>; request: unknown }) => {
          if (!this.enabled) return next(args);
          const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
          const operation = (headers['x-amz-target'] ?? '').split('.').pop() ?? 'unknown';
          return this.measure(operation, args.input, () => next(args));
        },
      { step: 'build', name: 'benchMeasureCapacity', tags: ['BENCH'] },
    );
  }

  destroy(): void {
    this.raw.destroy();
  }

  private usageOf(): DynamoUsage {
    const owner = this.owner.getStore() ?? this.defaultOwner;
    let u = this.usage.get(owner);
    if (!u) this.usage.set(owner, (u = emptyUsage()));
    return u;
  }

  private async read(table: string, key: Item): Promise<Item | undefined> {
    const { Item } = await this.raw.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item;
  }

  private keyOf(table: string, item: Item): Item {
    const def = this.tables.get(table);
    if (!def) throw new Error(`the meter does not know table ${table}`);
    return Object.fromEntries(def.keys.map((k) => [k, item[k]!]));
  }

  private plan(operation: string, input: Record<string, unknown>): PlannedWrite[] {
    const t = (x: { TableName?: string }) => String(x.TableName);
    switch (operation) {
      case 'PutItem': {
        const item = input.Item as Item;
        return [{ table: t(input), key: this.keyOf(t(input), item), kind: 'put', item }];
      }
      case 'UpdateItem':
        return [{ table: t(input), key: input.Key as Item, kind: 'update' }];
      case 'DeleteItem':
        return [{ table: t(input), key: input.Key as Item, kind: 'delete' }];
      case 'BatchWriteItem':
        return Object.entries(input.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>).flatMap(([table, requests]) =>
          requests.map((r): PlannedWrite => (r.PutRequest ? { table, key: this.keyOf(table, r.PutRequest.Item), kind: 'put', item: r.PutRequest.Item } : { table, key: r.DeleteRequest!.Key, kind: 'delete' })),
        );
      case 'TransactWriteItems':
        return (input.TransactItems as Record<string, { TableName: string; Item?: Item; Key?: Item }>[]).map((action): PlannedWrite => {
          if (action.Put) return { table: action.Put.TableName, key: this.keyOf(action.Put.TableName, action.Put.Item!), kind: 'put', item: action.Put.Item! };
          if (action.Update) return { table: action.Update.TableName, key: action.Update.Key!, kind: 'update' };
          if (action.Delete) return { table: action.Delete.TableName, key: action.Delete.Key!, kind: 'delete' };
          const check = action.ConditionCheck!;
          return { table: check.TableName, key: check.Key!, kind: 'check' };
        });
      default:
        return [];
    }
  }

  private async measure(operation: string, input: Record<string, unknown>, send: () => Promise<{ output: unknown }>): Promise<{ output: unknown }> {
    const usage = this.usageOf();
    usage.requests[operation] = (usage.requests[operation] ?? 0) + 1;
    if (READS.has(operation)) {
      const result = await send();
      usage.readUnits += reportedUnits(result.output);
      return result;
    }
    if (!WRITES.has(operation)) return send();

    const transactional = operation === 'TransactWriteItems';
    const factor = transactional ? 2 : 1;
    const planned = this.plan(operation, input);
    for (const w of planned) w.before = await this.read(w.table, w.key);
    let result: { output: unknown };
    try {
      result = await send();
    } catch (err) {
      usage.failedWrites++;
      const units = planned.reduce((s, w) => s + factor * writeUnitsFor(Math.max(itemSize(w.before), itemSize(w.item))), 0);
      usage.writeUnits += units;
      usage.tableWriteUnits += units;
      if (transactional) usage.transactionalWriteUnits += units;
      throw err;
    }
    let computed = 0;
    for (const w of planned) {
      const after = w.kind === 'put' ? w.item : w.kind === 'update' ? await this.read(w.table, w.key) : w.kind === 'delete' ? undefined : w.before;
      const table = factor * writeUnitsFor(w.kind === 'check' ? itemSize(w.before) : Math.max(itemSize(w.before), itemSize(after)));
      const index = w.kind === 'check' ? 0 : (this.tables.get(w.table)?.indexes ?? []).reduce((s, i) => s + indexWriteUnits(i, w.before, after), 0);
      usage.tableWriteUnits += table;
      usage.indexWriteUnits += index;
      computed += table + index;
      if (w.kind !== 'check') usage.itemsWritten[w.table] = (usage.itemsWritten[w.table] ?? 0) + 1;
    }
    usage.writeUnits += computed;
    if (transactional) {
      usage.transactionalWriteUnits += computed;
      usage.transactionalWriteUnitsReported += reportedUnits(result.output);
    } else {
      usage.singleItemWriteUnitsComputed += computed;
      usage.singleItemWriteUnitsReported += reportedUnits(result.output);
    }
    return result;
  }
}
