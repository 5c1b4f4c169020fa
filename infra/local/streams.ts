/**
 * The local stand-in for Lambda's DynamoDB event source mappings: reads DynamoDB Local's table
 * streams (the real Streams API) and hands each consumer of the one definition (STREAM_CONSUMERS,
 * those that run locally) its events in the shape Lambda gives them, in order per shard, with the
 * event source's filter. A batch item failure is retried from that record on the next poll, a few
 * times, then skipped (in the cloud: parked in the on-failure queue), as the event source does.
 *
 * Where each shard was read up to is kept under the data folder, so a restart carries on from there:
 * a record delivered but not yet checkpointed when the process died is delivered again, as Lambda
 * may (at least once). drain() delivers everything written so far; the test harness and idle() use it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { FunctionDefinition, StreamConsumerDefinition, TableDefinition } from '../../functions/shared/definitions.js';

/** Deliveries of one record before it is skipped (the cloud's retryAttempts + the first try). */
const MAX_DELIVERIES = 6;

export interface LocalStreamsOptions {
  endpoint: string;
  consumers: readonly StreamConsumerDefinition[];
  tables: readonly TableDefinition[];
  invoke: (fn: FunctionDefinition, event: unknown) => Promise<unknown>;
  /** Checkpoints live here (streams.json); undefined keeps them in memory. */
  dataDir?: string;
  pollIntervalMs?: number;
  log?: (line: string) => void;
}

type Checkpoints = Record<string, Record<string, string>>;

/** A consumer's place in its table's stream: each open shard with its iterator (undefined: start from the checkpoint). */
interface Reading {
  streamArn: string;
  shards: Map<string, string | undefined>;
  closed: Set<string>;
  listedAt: number;
}

const LIST_SHARDS_EVERY_MS = 5_000;

/** Sequence numbers are decimal strings: compared as numbers. */
function before(a: _Record | string, b: string): boolean {
  const seq = typeof a === 'string' ? a : a.dynamodb!.SequenceNumber!;
  return BigInt(seq) < BigInt(b);
}

export class LocalStreams {
  private readonly dynamo: DynamoDBClient;
  private readonly streams: DynamoDBStreamsClient;
  private readonly file: string | undefined;
  private checkpoints: Checkpoints = {};
  private readonly deliveries = new Map<string, number>();
  private readonly readings = new Map<string, Reading>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);
  private paused = false;
  private stopped = false;
  /** Records handed to consumers since the start (tests count them). */
  delivered = 0;

  constructor(private readonly options: LocalStreamsOptions) {
    const config = { endpoint: options.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    this.dynamo = new DynamoDBClient(config);
    this.streams = new DynamoDBStreamsClient(config);
    this.file = options.dataDir ? path.join(options.dataDir, 'streams.json') : undefined;
    if (this.file && existsSync(this.file)) this.checkpoints = JSON.parse(readFileSync(this.file, 'utf8')) as Checkpoints;
  }

  private get consumers() {
    return this.options.consumers.filter((c) => c.runsLocally);
  }

  /** Polls every pollIntervalMs (default 200) until stop(). */
  start(): void {
    const every = this.options.pollIntervalMs ?? 200;
    const tick = () => {
      if (this.stopped) return;
      void this.drain()
        .catch((err: unknown) => this.options.log?.(`[streams] ${(err as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, every);
        });
    };
    this.timer = setTimeout(tick, every);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
    this.dynamo.destroy();
    this.streams.destroy();
  }

  /** Tests only: nothing is delivered until resume() (a consumer that is down). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Delivers every record written so far to its consumers; how many were delivered. One pass at a time. */
  drain(): Promise<number> {
    if (this.paused || this.stopped) return Promise.resolve(0);
    const next = this.running.catch(() => 0).then(() => this.pass());
    this.running = next;
    return next;
  }

  private async pass(): Promise<number> {
    let count = 0;
    for (const consumer of this.consumers) {
      const reading = await this.readingOf(consumer);
      try {
        for (const shardId of [...reading.shards.keys()]) count += await this.readShard(consumer, reading, shardId);
      } catch (err) {
        // An iterator expired, the table was made again (DynamoDB Local restarted in memory), the service is down:
        // start over from the checkpoints on the next poll.
        this.readings.delete(consumer.function.id);
        throw err;
      }
    }
    return count;
  }

  /**
   * Where a consumer reads: its table's stream, the shards (listed again every few seconds, as shards
   * close and open) and each shard's iterator kept between polls, so that an idle poll is one
   * GetRecords per open shard.
   */
  private async readingOf(consumer: StreamConsumerDefinition): Promise<Reading> {
    let reading = this.readings.get(consumer.function.id);
    if (!reading) {
      const table = this.options.tables.find((t) => t.id === consumer.table);
      if (!table) throw new Error(`stream consumer ${consumer.function.id}: no table ${consumer.table}`);
      const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: table.localName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${table.localName} has no stream`);
      reading = { streamArn: Table.LatestStreamArn, shards: new Map(), closed: new Set(), listedAt: 0 };
      this.readings.set(consumer.function.id, reading);
    }
    if (Date.now() - reading.listedAt > LIST_SHARDS_EVERY_MS) {
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: reading.streamArn }));
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!reading.shards.has(shard.ShardId!) && !reading.closed.has(shard.ShardId!)) reading.shards.set(shard.ShardId!, undefined);
      }
      reading.listedAt = Date.now();
    }
    return reading;
  }

  private async readShard(consumer: StreamConsumerDefinition, reading: Reading, shardId: string): Promise<number> {
    const { streamArn } = reading;
    const fromCheckpoint = async () => {
      const after = this.checkpoints[streamArn]?.[shardId];
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return ShardIterator;
    };
    let kept = reading.shards.get(shardId);
    let iterator = kept ?? (await fromCheckpoint());
    let count = 0;
    let failed = false;
    while (iterator && !this.paused && !this.stopped) {
      let page;
      try {
        page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: consumer.batchSize }));
      } catch (err) {
        // A kept iterator can expire (15 minutes) or fall behind the trim horizon: start again from the checkpoint.
        if (!kept || !/ExpiredIterator|TrimmedDataAccess/.test((err as Error).name)) throw err;
        kept = undefined;
        iterator = await fromCheckpoint();
        continue;
      }
      kept = undefined;
      const records = page.Records ?? [];
      iterator = page.NextShardIterator;
      if (records.length === 0) break;
      const wanted = records.filter((r) => consumer.events.includes(r.eventName as 'INSERT'));
      const failedAt = wanted.length ? await this.deliver(consumer, streamArn, wanted) : undefined;
      const done = failedAt === undefined ? records : records.filter((r) => before(r, failedAt));
      count += wanted.length;
      if (done.length) this.checkpoint(streamArn, shardId, done.at(-1)!.dynamodb!.SequenceNumber!);
      if (failedAt !== undefined) {
        // From the failed record on the next poll (the checkpoint), as the event source retries.
        failed = true;
        iterator = undefined;
        break;
      }
    }
    if (iterator || failed) {
      reading.shards.set(shardId, iterator);
    } else {
      // No next iterator after the last records: the shard is closed, its records all read.
      reading.shards.delete(shardId);
      reading.closed.add(shardId);
    }
    return count;
  }

  /** One batch to the consumer; the sequence number to retry from, or undefined when it all went through. */
  private async deliver(consumer: StreamConsumerDefinition, streamArn: string, records: _Record[]): Promise<string | undefined> {
    const event = {
      Records: records.map((r) => ({
        eventID: r.eventID,
        eventName: r.eventName,
        eventVersion: r.eventVersion ?? '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: { ...r.dynamodb, ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime ? r.dynamodb.ApproximateCreationDateTime.getTime() / 1000 : undefined },
        eventSourceARN: streamArn,
      })),
    };
    this.delivered += records.length;
    let failed: string | undefined;
    try {
      const answer = (await this.options.invoke(consumer.function, event)) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
      failed = answer?.batchItemFailures?.map((f) => f.itemIdentifier).sort()[0];
    } catch (err) {
      this.options.log?.(`[streams] ${consumer.function.id} failed: ${(err as Error).message}`);
      failed = records[0]!.dynamodb!.SequenceNumber!;
    }
    if (failed === undefined) return undefined;
    const key = `${streamArn}#${failed}`;
    const tries = (this.deliveries.get(key) ?? 0) + 1;
    this.deliveries.set(key, tries);
    if (tries < MAX_DELIVERIES) return failed;
    // Given up, as the event source does after its retries: the record is skipped (the outbox's sweeper makes its start).
    this.options.log?.(`[streams] ${consumer.function.id}: record ${failed} skipped after ${tries} deliveries`);
    this.deliveries.delete(key);
    const next = records.find((r) => before(failed, r.dynamodb!.SequenceNumber!) && r.dynamodb!.SequenceNumber! !== failed);
    return next?.dynamodb?.SequenceNumber;
  }

  private checkpoint(streamArn: string, shardId: string, sequenceNumber: string): void {
    (this.checkpoints[streamArn] ??= {})[shardId] = sequenceNumber;
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(this.checkpoints));
    renameSync(temp, this.file);
  }
}
