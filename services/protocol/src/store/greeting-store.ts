import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  type AuditEntry,
  type Decision,
  type Page,
  queryAll,
  Refused,
  refuse,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import type { Greeting, GreetingStatus } from "../domain/national-days.ts";
import { greetingKey, greetingsIndex } from "./keys.ts";
import { type Period, pageAcross, yearsOf } from "./partitioned-lists.ts";

/**
 * National-day greetings: one item a mission a year (`GREETING#<missionId>-<year>`), listed by year
 * (`GREETINGS#<yyyy>`, by national day). A draft is written only if the year has none, so a schedule that runs
 * twice drafts once; every change is written on the version read, and a release puts its event in the outbox in
 * the same transaction, so the greeting is released and sent exactly once.
 */
export class GreetingStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(greetingId: string, consistent = false): Promise<Greeting | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: greetingKey(greetingId), ConsistentRead: consistent }),
    );
    return Item ? withoutKeys<Greeting>(Item) : undefined;
  }

  /** A page of the greetings whose national day is in the period, by day, of one status or all. */
  async list(
    period: Period,
    status: GreetingStatus | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<Greeting>> {
    const partitions = yearsOf(period).map(greetingsIndex);
    const filter = status && {
      expression: "#status = :status",
      names: { "#status": "status" },
      values: { ":status": status },
    };
    return pageAcross(
      this.client,
      { tableName: this.tableName, partitions, period, ...(filter && { filter }) },
      limit,
      cursor,
      (item) => withoutKeys<Greeting>(item),
    );
  }

  /** The greetings whose national day is `date`, whatever their status: a few a day. */
  async onDay(date: string): Promise<Greeting[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :year AND begins_with(gsi1sk, :day)",
      ExpressionAttributeValues: { ":year": greetingsIndex(date.slice(0, 4)), ":day": `${date}#` },
    });
    return items.map((item) => withoutKeys<Greeting>(item));
  }

  /**
   * Writes a draft (refused as a conflict naming the status when the year has its greeting already) or a change
   * on the version read, with its audit (an approval released at once brings the approval's too) and events.
   */
  async commit(
    decision: Decision<Greeting> & { readonly alsoAudit?: AuditEntry | null },
    context: WriteContext,
  ): Promise<Greeting> {
    const greeting = decision.state;
    const what = `Greeting ${greeting.greetingId}`;
    const tx = new Transaction(this.tableName, context).put(
      {
        ...greetingKey(greeting.greetingId),
        gsi1pk: greetingsIndex(greeting.year),
        gsi1sk: `${greeting.nationalDay}#${greeting.greetingId}`,
        ...greeting,
      },
      decision.expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            // Not a lost race to retry: the year's greeting exists, and a second draft is never wanted.
            onFailed: (current) =>
              new Refused(refuse.conflict(`${what} is drafted already`, String(current?.status ?? "drafted"))),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": decision.expectedVersion },
            onFailed: () => new VersionConflict(`${what} changed since version ${decision.expectedVersion}`),
          },
    );
    if (decision.alsoAudit) tx.audit(decision.alsoAudit);
    await tx.audit(decision.audit).publishAll(decision.events).commit(this.client);
    return greeting;
  }
}
