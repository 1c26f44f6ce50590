import { randomUUID } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { EventContract } from "@cdp/contracts";
import type * as z from "zod/v4/core";
import { parse } from "zod/v4/core";
import { VersionConflict } from "./conflict.ts";

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
}

export interface AuditEntry {
  readonly entity: string;
  readonly action: string;
  readonly beforeVersion: number | null;
  readonly afterVersion: number | null;
}

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

  /** Queues an event: the stream relay publishes it once this transaction commits. */
  publish<Schema extends z.$ZodType>(contract: EventContract<string, string, Schema>, detail: z.input<Schema>): this {
    // Validate on the way out as consumers will on the way in: a bad event fails the write, not a consumer.
    const parsed = parse(contract.detail, { ...(detail as object), correlationId: this.context.correlationId });
    const id = randomUUID();
    return this.put({
      pk: `${OUTBOX_PREFIX}${id}`,
      sk: "OUTBOX",
      source: contract.source,
      detailType: contract.detailType,
      detail: JSON.stringify(parsed),
      createdAt: this.context.now.toISOString(),
      expiresAt: Math.floor(this.context.now.getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
    });
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

  async commit(client: DynamoDBDocumentClient): Promise<void> {
    if (this.items.length === 0) return;
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
          throw new VersionConflict("transaction conflict");
      }
      throw error;
    }
  }
}
