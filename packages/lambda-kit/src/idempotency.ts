import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { TableSpec } from "./manifest.ts";

/** What claiming an event found. */
export type Claim<Result> =
  /** Never seen (or its record expired): this invocation acts on it and must complete or release it. */
  | { readonly status: "claimed" }
  /** Acted on before: here is what that invocation returned. */
  | { readonly status: "completed"; readonly result: Result }
  /** Another invocation is acting on it right now. */
  | { readonly status: "in-progress" };

/** Thrown for an event another invocation is still acting on: the platform retries it later. */
export class EventInProgress extends Error {
  override readonly name = "EventInProgress";
}

const IN_PROGRESS = "IN_PROGRESS";
const COMPLETED = "COMPLETED";

export interface IdempotencyOptions {
  /** How long a completed event is remembered; a redelivery after that acts again. */
  readonly expiresAfterSeconds: number;
  readonly now?: () => number;
}

/**
 * Once per event, in the service's own table (the semantics of Powertools idempotency, without its weight in the
 * bundle): claiming writes an IN_PROGRESS record on condition that none is live; completing stores the result, which
 * a redelivery gets back without acting again; a failure releases the record so the retry can act. A claim whose
 * invocation died (a timeout, a crash) lapses when that invocation's time is up.
 */
export class IdempotencyStore<Result> {
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly table: Pick<TableSpec, "partitionKey" | "sortKey" | "ttlAttribute">,
    /** One scope per consumer: the same event reaching two consumers is acted on by each. */
    private readonly scope: string,
    private readonly options: IdempotencyOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private key(eventId: string): Record<string, string> {
    return { [this.table.partitionKey]: `IDEMPOTENCY#${this.scope}`, [this.table.sortKey]: `EVENT#${eventId}` };
  }

  private expiresAt(now: number): number {
    return Math.floor(now / 1000) + this.options.expiresAfterSeconds;
  }

  /** @param claimForMs how long this invocation may take (Lambda's remaining time): the claim lapses after it. */
  async claim(eventId: string, claimForMs: number): Promise<Claim<Result>> {
    const now = this.now();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...this.key(eventId),
            status: IN_PROGRESS,
            inProgressUntil: now + claimForMs,
            [this.table.ttlAttribute]: this.expiresAt(now),
          },
          // TTL deletes lazily (within days), so an expired record may still be there: it counts as absent.
          ConditionExpression:
            "attribute_not_exists(#pk) OR #expiresAt < :nowSeconds OR (#status = :inProgress AND inProgressUntil < :now)",
          ExpressionAttributeNames: {
            "#pk": this.table.partitionKey,
            "#expiresAt": this.table.ttlAttribute,
            "#status": "status",
          },
          ExpressionAttributeValues: { ":nowSeconds": Math.floor(now / 1000), ":inProgress": IN_PROGRESS, ":now": now },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { status: "claimed" };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item ? unmarshall(error.Item) : undefined;
      if (existing?.status === COMPLETED && typeof existing.result === "string") {
        return { status: "completed", result: JSON.parse(existing.result) as Result };
      }
      return { status: "in-progress" };
    }
  }

  async complete(eventId: string, result: Result): Promise<void> {
    const now = this.now();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...this.key(eventId),
          status: COMPLETED,
          result: JSON.stringify(result),
          [this.table.ttlAttribute]: this.expiresAt(now),
        },
      }),
    );
  }

  /** Forgets a claim whose invocation failed, so the platform's retry acts on the event. */
  async release(eventId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(eventId) }));
  }
}
