import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  type Decision,
  type Page,
  queryAll,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import type { Hospitality } from "../domain/hospitality.ts";
import { hospitalityIndex, hospitalityKey } from "./keys.ts";
import { monthsOf, type Period, pageAcross } from "./partitioned-lists.ts";

/**
 * Hospitality records: one item each, listed by month (`HOSPITALITY#<yyyy-mm>`, sorted by date), so a period
 * reads only its months and the monthly public list one partition. A record whose date changes moves month.
 */
export class HospitalityStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(id: string, consistent = false): Promise<Hospitality | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: hospitalityKey(id), ConsistentRead: consistent }),
    );
    return Item ? withoutKeys<Hospitality>(Item) : undefined;
  }

  /** A page of the period's records, cancelled ones included, by date. */
  async list(period: Period, limit: number, cursor?: string): Promise<Page<Hospitality>> {
    const partitions = monthsOf(period).map(hospitalityIndex);
    return pageAcross(this.client, { tableName: this.tableName, partitions, period }, limit, cursor, (item) =>
      withoutKeys<Hospitality>(item),
    );
  }

  /** Every record dated in the month `YYYY-MM`: a few dozen at most, for the public list. */
  async ofMonth(month: string): Promise<Hospitality[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :month",
      ExpressionAttributeValues: { ":month": hospitalityIndex(month) },
    });
    return items.map((item) => withoutKeys<Hospitality>(item));
  }

  /** Writes a new record (it must not exist) or a change (on the version it was decided on), with its audit. */
  async commit(decision: Decision<Hospitality>, context: WriteContext): Promise<Hospitality> {
    const record = decision.state;
    const tx = new Transaction(this.tableName, context);
    tx.put(
      {
        ...hospitalityKey(record.id),
        gsi1pk: hospitalityIndex(record.date.slice(0, 7)),
        gsi1sk: `${record.date}#${record.id}`,
        ...record,
      },
      decision.expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            onFailed: () => new VersionConflict(`hospitality ${record.id} exists already`),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": decision.expectedVersion },
            onFailed: () =>
              new VersionConflict(`hospitality ${record.id} changed since version ${decision.expectedVersion}`),
          },
    );
    await tx.audit(decision.audit).publishAll(decision.events).commit(this.client);
    return record;
  }
}
