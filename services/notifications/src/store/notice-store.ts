import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type BatchGetOptions,
  batchGetAll,
  type Page,
  type PendingEvent,
  queryPage,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import { type Notice, noticeFromStored, type PartnerCopy, type StoredNotice } from "../domain/model.ts";

/**
 * Single-table layout of Notifications.
 *
 * | item          | pk               | sk      | gsi1pk / gsi1sk                     | gsi2pk / gsi2sk            |
 * |---------------|------------------|---------|-------------------------------------|----------------------------|
 * | partner copy  | PARTNER#<id>     | COPY    |                                     |                            |
 * | notice        | NOTICE#<id>      | NOTICE  | NOTICES#<partnerId> / <createdAt>#… | NOTICES / <createdAt>#<id> |
 *
 * A notice's id is derived from its subject (a visit, a placement), the kind of notice, the partner and
 * the recipient, so the same news reaches a recipient once, whatever event carried it and however often.
 * Visit notices written before notices had subjects lack `subjectKind`/`subjectId`; they are read
 * in today's shape (`noticeFromStored`), and a claim writes the fields onto them.
 */
const partnerKey = (partnerId: string) => ({ pk: `PARTNER#${partnerId}`, sk: "COPY" });
const noticeKey = (id: string) => ({ pk: `NOTICE#${id}`, sk: "NOTICE" });
/** A notice being sent is another sender's for this long; after it, a retry may take it over. */
const CLAIM_SECONDS = 120;

/** How hard to retry keys BatchGetItem leaves unprocessed; tests shorten the waits. */
export type PartnerReadOptions = Pick<BatchGetOptions, "maxRounds" | "baseDelayMs" | "sleep">;

/** Loads and writes; what to write is decided in `domain/`. */
export class NoticeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly partnerReads: PartnerReadOptions = {},
  ) {}

  /** The partner copy kept, read strongly: a decision is made on it and written on its version. */
  async partner(partnerId: string): Promise<PartnerCopy | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: partnerKey(partnerId), ConsistentRead: true }),
    );
    return Item && withoutKeys<PartnerCopy>(Item);
  }

  /**
   * Writes a partner copy on the condition that the copy it was decided on (`expectedVersion`, null:
   * none) is still the one stored; a concurrent write makes it throw VersionConflict, to decide again.
   */
  async keepCopy(copy: PartnerCopy, expectedVersion: number | null, updatedAt: Date): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...partnerKey(copy.partnerId), ...copy, updatedAt: updatedAt.toISOString() },
          ...(expectedVersion === null
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "version = :expected",
                ExpressionAttributeValues: { ":expected": expectedVersion },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new VersionConflict(`partner copy ${copy.partnerId} changed while it was being written`);
      }
      throw error;
    }
  }

  /**
   * Every partner copy kept of these partners. Keys DynamoDB leaves unprocessed (it does under
   * throttling) are read again until done: a partner missing here has no copy, never "not read yet".
   * Still unprocessed after the retries, it throws UnprocessedKeysRemain and the event is retried.
   */
  async partners(partnerIds: readonly string[]): Promise<Map<string, PartnerCopy>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(partnerIds)].map(partnerKey),
      this.partnerReads,
    );
    const copies = items.map((item) => withoutKeys<PartnerCopy>(item));
    return new Map(copies.map((copy) => [copy.partnerId, copy]));
  }

  /**
   * Claims a notice for sending and returns it as stored (attempts so far, first creation time).
   * Refused (null) when it was sent already, or another delivery is sending it right now; a failed
   * notice, or one whose sender vanished, can be claimed again.
   */
  async claim(notice: Notice, now: Date): Promise<Notice | null> {
    const seconds = Math.floor(now.getTime() / 1000);
    const { gsi1pk, gsi1sk, gsi2pk, gsi2sk } = this.item(notice);
    const fields: Record<string, unknown> = { ...notice, gsi1pk, gsi1sk, gsi2pk, gsi2sk };
    const kept = new Set(["attempts", "createdAt", "status", "gsi1sk", "gsi2sk"]);
    const settable = Object.entries(fields).filter(([name]) => !kept.has(name));
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: noticeKey(notice.id),
          UpdateExpression: [
            ...settable.map((_, i) => `#f${i} = :f${i}`),
            "#status = :sending",
            "claimedUntil = :until",
            "attempts = if_not_exists(attempts, :zero)",
            "createdAt = if_not_exists(createdAt, :createdAt)",
            "gsi1sk = if_not_exists(gsi1sk, :gsi1sk)",
            "gsi2sk = if_not_exists(gsi2sk, :gsi2sk)",
          ]
            .join(", ")
            .replace(/^/, "SET "),
          ConditionExpression:
            "attribute_not_exists(pk) OR #status = :failed OR (#status = :sending AND claimedUntil < :now)",
          ExpressionAttributeNames: {
            ...Object.fromEntries(settable.map(([name], i) => [`#f${i}`, name])),
            "#status": "status",
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(settable.map(([, value], i) => [`:f${i}`, value])),
            ":sending": "sending",
            ":failed": "failed",
            ":until": seconds + CLAIM_SECONDS,
            ":now": seconds,
            ":zero": 0,
            ":createdAt": notice.createdAt,
            ":gsi1sk": gsi1sk,
            ":gsi2sk": gsi2sk,
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      if (!Attributes) return null;
      const { claimedUntil: _claim, ...stored } = withoutKeys<StoredNotice & { claimedUntil?: number }>(Attributes);
      return noticeFromStored(stored);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  /**
   * Records the outcome of a claimed notice (sent or failed), or a partner without contact; with the event others
   * hear of it (a failure, a send after one), in the same transaction: the outbox publishes it.
   */
  async record(notice: Notice, news: PendingEvent | null = null, context?: WriteContext): Promise<void> {
    if (!news || !context) {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.item(notice) }));
      return;
    }
    await new Transaction(this.tableName, context).put(this.item(notice)).publish(news).commit(this.client);
  }

  async list(
    filter: { partnerId?: string | undefined; from?: string | undefined; to?: string | undefined },
    limit: number,
    cursor?: string,
  ): Promise<Page<Notice>> {
    const byPartner = filter.partnerId !== undefined;
    const index = byPartner ? "gsi1" : "gsi2";
    const values: Record<string, unknown> = { ":partition": byPartner ? `NOTICES#${filter.partnerId}` : "NOTICES" };
    let condition = `${index}pk = :partition`;
    if (filter.from !== undefined || filter.to !== undefined) {
      condition += ` AND ${index}sk BETWEEN :from AND :to`;
      values[":from"] = filter.from ?? "0000";
      // Notices are stamped in UTC; a day's notices all sort before the next day.
      values[":to"] = `${filter.to ?? "9999-12-31"}T\uffff`;
    }
    const query: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    };
    return queryPage(this.client, query, limit, cursor, (item) => {
      const { claimedUntil: _claim, ...notice } = withoutKeys<StoredNotice & { claimedUntil?: number }>(item);
      return noticeFromStored(notice);
    });
  }

  private item(notice: Notice, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      ...noticeKey(notice.id),
      gsi1pk: `NOTICES#${notice.partnerId}`,
      gsi1sk: `${notice.createdAt}#${notice.id}`,
      gsi2pk: "NOTICES",
      gsi2sk: `${notice.createdAt}#${notice.id}`,
      ...notice,
      ...extra,
    };
  }
}
