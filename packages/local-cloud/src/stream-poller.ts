import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse } from "aws-lambda";
import type { DeadLetter } from "./eventbridge/bus.ts";
import { type EventPattern, matchesEventPattern, parseEventPattern } from "./eventbridge/pattern.ts";
import { streamLetterRule } from "./inventory.ts";
import { endedInvocations, type LocalFunction } from "./lambda-runtime.ts";

const POLL_INTERVAL_MS = 100;
/**
 * Polls cost DynamoDB Local and the SDK real work (an idle cloud spent a quarter of a core on them at one poll per
 * 100 ms), so an idle poller asks again only once a function has run (any write comes from one) or, for a write
 * from elsewhere (a test's own, a seed), after this long; one waiting for `caughtUp` asks at once.
 */
const IDLE_POLL_MS = 2000;
/** The shard list is read when a shard ends (its successor then exists), and otherwise this often. */
const SHARDS_REFRESH_MS = 10_000;
const BATCH_SIZE = 100;
const ATTEMPTS = 3;

/**
 * The DynamoDB Streams event source mapping, locally: polls every shard of a table's stream, keeps
 * only the records that pass the mapping's filter, and invokes the function with them. A batch item
 * failure retries from that record on; after the last attempt the rest goes to the dead letters.
 * With data kept on disk it checkpoints, as the mapping does: after each batch is handled, the shard's
 * position is saved, and a start resumes after it, so what was written but not yet relayed when the
 * process stopped (or was killed) is relayed then. A batch cut short is handled again: at least once.
 */
export class StreamPoller {
  private readonly streams = new DynamoDBStreamsClient({});
  private readonly filter: EventPattern;
  private readonly iterators = new Map<string, string | undefined>();
  /** The last record handed to the function, per shard: where to resume when an iterator is lost. */
  private readonly lastSequence = new Map<string, string>();
  private readonly finishedShards = new Set<string>();
  private running = false;
  private loop: Promise<void> | undefined;
  private streamArn: string | undefined;
  /** Redrives under way: `caughtUp` waits for them too. */
  private readonly redrives = new Set<Promise<void>>();
  private pollsStarted = 0;
  private shards: { readonly ids: readonly string[]; readonly readAt: number } | undefined;
  private recordsDelivered = 0;
  /** Callers of `caughtUp`, each with the last poll that had started when it asked. */
  private readonly waiters: { after: number; resolve: () => void }[] = [];

  constructor(
    private readonly tableName: string,
    private readonly target: LocalFunction,
    filter: unknown,
    private readonly deadLetters: DeadLetter[],
    /**
     * Where the shards' positions are kept, with data kept on disk. Without a saved position (a data
     * directory from before checkpoints) a start skips what the stream holds, which earlier runs published.
     */
    private readonly checkpointFile?: string,
  ) {
    this.filter = parseEventPattern(filter);
  }

  async start(): Promise<void> {
    const { Table } = await new DynamoDBClient({}).send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`Table ${this.tableName} has no stream`);
    this.streamArn = streamArn;
    if (this.checkpointFile) {
      const saved = this.savedPositions();
      if (saved) for (const [shardId, sequence] of Object.entries(saved)) this.lastSequence.set(shardId, sequence);
      else {
        await this.skipToEnd(streamArn);
        this.checkpoint();
      }
    }
    this.running = true;
    this.loop = this.run(streamArn);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  /** The rule its dead letters are kept under. */
  get rule(): string {
    return streamLetterRule(this.tableName);
  }

  /** Records handed to the function so far. */
  get delivered(): number {
    return this.recordsDelivered;
  }

  /**
   * Resolves once a poll that started after this call found nothing new: everything written to the
   * table before the call has been read from the stream and handed to the relay.
   */
  caughtUp(): Promise<void> {
    const redrives = Promise.allSettled([...this.redrives]).then(() => undefined);
    if (!this.running) return redrives;
    const polled = new Promise<void>((resolve) => this.waiters.push({ after: this.pollsStarted, resolve }));
    return Promise.all([polled, redrives]).then(() => undefined);
  }

  /**
   * A redrive: hands the records of these dead letters (this stream's, in their order) to the function again, as
   * the poller hands a batch, retried the same way; what still fails goes back to the dead letters, its attempts
   * counted on from the letter's. Resolves once done.
   */
  async redeliver(letters: readonly DeadLetter[]): Promise<void> {
    const streamArn = this.streamArn;
    if (!streamArn) throw new Error(`The stream poller of ${this.tableName} has not started`);
    const before = new Map<StreamRecord, number>();
    for (const letter of letters) {
      if (letter.rule !== this.rule) throw new Error(`${letter.rule} is not the stream of ${this.tableName}`);
      before.set(letter.event as StreamRecord, letter.attempts);
    }
    const records = [...before.keys()];
    this.recordsDelivered += records.length;
    const done = (async () => {
      for (let start = 0; start < records.length; start += BATCH_SIZE) {
        await this.deliver(records.slice(start, start + BATCH_SIZE), streamArn, (record) => before.get(record) ?? 0);
      }
    })();
    this.redrives.add(done);
    try {
      await done;
    } finally {
      this.redrives.delete(done);
    }
  }

  private async run(streamArn: string): Promise<void> {
    while (this.running) {
      try {
        const poll = ++this.pollsStarted;
        const invocationsBefore = endedInvocations();
        const moved = await this.pollOnce(streamArn);
        if (!moved) {
          for (let i = this.waiters.length - 1; i >= 0; i--) {
            const waiter = this.waiters[i];
            if (waiter && waiter.after < poll) {
              this.waiters.splice(i, 1);
              waiter.resolve();
            }
          }
          await this.idle(invocationsBefore);
        }
      } catch (error) {
        if (!this.running) return;
        console.error(`[streams] ${this.tableName}:`, error instanceof Error ? error.message : error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Until a function has run since the last poll began, someone waits for `caughtUp`, or the idle time is up. */
  private async idle(invocationsBefore: number): Promise<void> {
    const until = Date.now() + IDLE_POLL_MS;
    do await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    while (this.running && this.waiters.length === 0 && endedInvocations() === invocationsBefore && Date.now() < until);
  }

  private async shardIds(streamArn: string): Promise<readonly string[]> {
    if (!this.shards || Date.now() - this.shards.readAt >= SHARDS_REFRESH_MS) {
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const ids = (StreamDescription?.Shards ?? []).flatMap((shard) => (shard.ShardId ? [shard.ShardId] : []));
      this.shards = { ids, readAt: Date.now() };
    }
    return this.shards.ids;
  }

  private async pollOnce(streamArn: string): Promise<boolean> {
    let moved = false;
    for (const shardId of await this.shardIds(streamArn)) {
      if (this.finishedShards.has(shardId)) continue;
      if (!this.iterators.has(shardId)) this.iterators.set(shardId, await this.iteratorFor(streamArn, shardId));
      const iterator = this.iterators.get(shardId);
      if (!iterator) {
        this.finishShard(shardId);
        continue;
      }
      let page: { Records?: StreamRecord[] | undefined; NextShardIterator?: string | undefined };
      try {
        page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: BATCH_SIZE }));
      } catch (error) {
        // DynamoDB Local refuses an iterator taken on a then-empty shard once records arrive, and any
        // iterator expires: take a new one where we left off.
        if (error instanceof TrimmedDataAccessException || error instanceof ExpiredIteratorException) {
          this.iterators.delete(shardId);
          continue;
        }
        throw error;
      }
      const { Records, NextShardIterator } = page;
      if (NextShardIterator) this.iterators.set(shardId, NextShardIterator);
      else {
        this.iterators.delete(shardId);
        this.finishShard(shardId);
      }
      const last = Records?.at(-1)?.dynamodb?.SequenceNumber;
      if (last) this.lastSequence.set(shardId, last);
      const wanted = (Records ?? []).filter((record) => matchesEventPattern(this.filter, record));
      if (wanted.length > 0) {
        moved = true;
        this.recordsDelivered += wanted.length;
        await this.deliver(wanted, streamArn);
      }
      // Only once the batch is handled (delivered, or dead-lettered after its attempts).
      if (last) this.checkpoint();
    }
    return moved;
  }

  /** A closed shard: its successor is read from the next shard list, fetched at the next poll. */
  private finishShard(shardId: string): void {
    this.finishedShards.add(shardId);
    this.shards = undefined;
  }

  /**
   * Reads every shard to its end without delivering, remembering where it ended. Runs before anything
   * can write (the local cloud awaits it before seeding and serving), so nothing new is skipped.
   */
  private async skipToEnd(streamArn: string): Promise<void> {
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId) continue;
      let iterator = await this.iteratorFor(streamArn, shardId);
      while (iterator) {
        let page: { Records?: StreamRecord[] | undefined; NextShardIterator?: string | undefined };
        try {
          page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        } catch (error) {
          if (error instanceof TrimmedDataAccessException) break;
          throw error;
        }
        const last = page.Records?.at(-1)?.dynamodb?.SequenceNumber;
        if (last) this.lastSequence.set(shardId, last);
        if (!page.NextShardIterator) this.finishedShards.add(shardId);
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
  }

  private savedPositions(): Record<string, string> | undefined {
    if (!this.checkpointFile || !existsSync(this.checkpointFile)) return undefined;
    return JSON.parse(readFileSync(this.checkpointFile, "utf8")) as Record<string, string>;
  }

  /** Written aside and renamed: a stop in the middle leaves the old position or the new one, never half. */
  private checkpoint(): void {
    if (!this.checkpointFile) return;
    mkdirSync(dirname(this.checkpointFile), { recursive: true });
    const temporary = `${this.checkpointFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.lastSequence)));
    renameSync(temporary, this.checkpointFile);
  }

  private async iteratorFor(streamArn: string, shardId: string): Promise<string | undefined> {
    const after = this.lastSequence.get(shardId);
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
          : { ShardIteratorType: "TRIM_HORIZON" }),
      }),
    );
    return ShardIterator;
  }

  /** @param attemptsBefore what a redriven record had already been through: its dead letter counts on from there. */
  private async deliver(
    records: StreamRecord[],
    streamArn: string,
    attemptsBefore: (record: StreamRecord) => number = () => 0,
  ): Promise<void> {
    let pending = records;
    let lastError = "";
    for (let attempt = 1; attempt <= ATTEMPTS && pending.length > 0; attempt++) {
      try {
        const result = (await this.target.invoke({
          Records: pending.map((r) => ({ ...r, eventSourceARN: streamArn })),
        })) as DynamoDBBatchResponse | undefined;
        const failures = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        const firstFailure = pending.findIndex(
          (r) => r.dynamodb?.SequenceNumber && failures.has(r.dynamodb.SequenceNumber),
        );
        pending = firstFailure === -1 ? [] : pending.slice(firstFailure);
        lastError = "batch item failure";
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      if (pending.length > 0 && attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    for (const record of pending) {
      this.deadLetters.push({
        rule: this.rule,
        target: this.target.name,
        event: record,
        attempts: attemptsBefore(record) + ATTEMPTS,
        error: lastError,
        failedAt: new Date().toISOString(),
      });
    }
  }
}
