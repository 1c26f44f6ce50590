import { randomUUID } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { parse } from "zod/v4/core";
import { TransactionConflict, TransactionTooLarge } from "./conflict.ts";
import type { AuditEntry, PendingEvent } from "./decision.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
type Item = Record<string, unknown>;
/** Builds the error to throw when this write's condition fails; gets the item as it was. */
type OnConditionFailed = (current: Item | undefined) => Error;

export const OUTBOX_PREFIX = "OUTBOX#";

/**
 * The event-source filter of the relay: only new outbox items. The CDK event source mapping and the
 * local stream poller both apply it, so the relay never sees anything else.
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: ["INSERT"],
  dynamodb: { Keys: { pk: { S: [{ prefix: OUTBOX_PREFIX }] } } },
} as const;

const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

export interface WriteContext {
  /** The token subject, or the service itself for events and schedules. */
  readonly actor: string;
  readonly correlationId: string;
  readonly now: Date;
  /** The HTTP request's id, when the change came over HTTP. */
  readonly requestId?: string | undefined;
}

/** DynamoDB's limits on one TransactWriteItems call. */
export const TRANSACTION_MAX_ACTIONS = 100;
export const TRANSACTION_MAX_BYTES = 4 * 1024 * 1024;
/** DynamoDB's limit on one item, names and values together. */
export const ITEM_MAX_BYTES = 400 * 1024;

/**
 * A unit of work: state changes, the events they cause (outbox items) and the audit record,
 * committed together with TransactWriteItems so none is ever written without the others.
 */
export class Transaction {
  private readonly items: TransactItem[] = [];
  private readonly onFailure: (OnConditionFailed | undefined)[] = [];

  constructor(
    private readonly tableName: string,
    private readonly context: WriteContext,
  ) {}

  put(
    item: Item,
    condition?: { expression: string; names?: Record<string, string>; values?: Item; onFailed: OnConditionFailed },
  ): this {
    this.items.push({
      Put: {
        TableName: this.tableName,
        Item: item,
        ...(condition && {
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: condition.names,
          ExpressionAttributeValues: condition.values,
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      },
    });
    this.onFailure.push(condition?.onFailed);
    return this;
  }

  /**
   * Changes an item in place (`ADD` counters, `SET` fields), optionally on a condition. The update's and the
   * condition's placeholders share one namespace: keep them apart.
   */
  update(
    key: { pk: string; sk: string },
    change: {
      expression: string;
      names?: Record<string, string>;
      values?: Item;
      condition?: { expression: string; onFailed: OnConditionFailed };
    },
  ): this {
    this.items.push({
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: change.expression,
        ...(change.names && { ExpressionAttributeNames: change.names }),
        ...(change.values && { ExpressionAttributeValues: change.values }),
        ...(change.condition && {
          ConditionExpression: change.condition.expression,
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      },
    });
    this.onFailure.push(change.condition?.onFailed);
    return this;
  }

  delete(key: { pk: string; sk: string }): this {
    this.items.push({ Delete: { TableName: this.tableName, Key: key } });
    this.onFailure.push(undefined);
    return this;
  }

  /** Asserts something about an item this transaction does not write. */
  check(
    key: { pk: string; sk: string },
    condition: { expression: string; names?: Record<string, string>; values?: Item; onFailed: OnConditionFailed },
  ): this {
    this.items.push({
      ConditionCheck: {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: condition.values,
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    });
    this.onFailure.push(condition.onFailed);
    return this;
  }

  /**
   * Queues an event: the stream relay publishes it once this transaction commits. Its identity is
   * the outbox record's id, written into the detail now, so every retry or replay carries the same.
   */
  publish({ contract, detail }: PendingEvent): this {
    const eventId = randomUUID();
    const occurredAt = this.context.now.toISOString();
    const { correlationId } = this.context;
    // Validate on the way out as consumers will on the way in: a bad event fails the write, not a consumer.
    const parsed = parse(contract.detail, {
      ...(detail as object),
      correlationId,
      metadata: { eventId, correlationId, occurredAt },
    });
    return this.put({
      pk: `${OUTBOX_PREFIX}${eventId}`,
      sk: "OUTBOX",
      source: contract.source,
      detailType: contract.detailType,
      detail: JSON.stringify(parsed),
      createdAt: occurredAt,
      expiresAt: Math.floor(this.context.now.getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
    });
  }

  publishAll(events: readonly PendingEvent[]): this {
    for (const pending of events) this.publish(pending);
    return this;
  }

  /** Who changed what, when, from which version to which; never the changed content itself. */
  audit(entry: AuditEntry): this {
    return this.put({
      pk: `AUDIT#${entry.entity}`,
      sk: `${this.context.now.toISOString()}#${randomUUID()}`,
      actor: this.context.actor,
      correlationId: this.context.correlationId,
      action: entry.action,
      beforeVersion: entry.beforeVersion,
      afterVersion: entry.afterVersion,
      at: this.context.now.toISOString(),
    });
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Refuses, before sending, what DynamoDB would refuse: more than 100 actions, more than 4 MB, or
   * an item over 400 KB. Callers bound their inputs so that this never happens; it is the last guard.
   */
  assertWithinLimits(): void {
    if (this.items.length > TRANSACTION_MAX_ACTIONS) {
      throw new TransactionTooLarge(
        `A transaction takes at most ${TRANSACTION_MAX_ACTIONS} actions; this one has ${this.items.length}`,
      );
    }
    let total = 0;
    for (const action of this.items) {
      const item = action.Put?.Item;
      const size = item ? itemSize(item) : action.Update ? itemSize(action.Update.ExpressionAttributeValues ?? {}) : 0;
      if (size > ITEM_MAX_BYTES) {
        throw new TransactionTooLarge(
          `An item takes at most ${ITEM_MAX_BYTES} bytes; ${String(item?.pk)} / ${String(item?.sk)} has ${size}`,
        );
      }
      total += size;
    }
    if (total > TRANSACTION_MAX_BYTES) {
      throw new TransactionTooLarge(
        `A transaction takes at most ${TRANSACTION_MAX_BYTES} bytes; this one has ${total} in ${this.items.length} actions`,
      );
    }
  }

  async commit(client: DynamoDBDocumentClient): Promise<void> {
    if (this.items.length === 0) return;
    this.assertWithinLimits();
    try {
      await client.send(new TransactWriteCommand({ TransactItems: this.items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        for (const [index, reason] of reasons.entries()) {
          const onFailed = this.onFailure[index];
          if (reason.Code === "ConditionalCheckFailed" && onFailed) {
            throw onFailed(reason.Item ? unmarshall(reason.Item) : undefined);
          }
        }
        // Another transaction was writing the same items at that moment: re-read and try again.
        if (reasons.some((reason) => reason.Code === "TransactionConflict"))
          throw new TransactionConflict("transaction conflict");
      }
      throw error;
    }
  }
}

/**
 * An item's size as DynamoDB counts it, closely enough to guard the limits: the UTF-8 bytes of every
 * attribute name and string, numbers as written, and a few bytes per list, map and boolean.
 */
export function itemSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return Buffer.byteLength(value, "utf8");
  if (typeof value === "number" || typeof value === "bigint") return Math.ceil(String(value).length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || value instanceof Set) {
    let size = 3;
    for (const element of value) size += itemSize(element) + 1;
    return size;
  }
  let size = 3;
  for (const [name, element] of Object.entries(value as Record<string, unknown>)) {
    if (element === undefined) continue;
    size += Buffer.byteLength(name, "utf8") + itemSize(element) + 1;
  }
  return size;
}
