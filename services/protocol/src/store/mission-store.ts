import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  type Decision,
  type Page,
  queryAll,
  queryPage,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import type { Mission } from "../domain/missions.ts";
import { MISSIONS_INDEX, missionKey } from "./keys.ts";

export interface MissionFilter {
  readonly country?: string | undefined;
  readonly kind?: Mission["kind"] | undefined;
  readonly partnerId?: string | undefined;
}

/** Missions in Tokyo: one item each, listed by country in one index partition (there are a few hundred at most). */
export class MissionStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(id: string): Promise<Mission | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: missionKey(id) }));
    return Item ? withoutKeys<Mission>(Item) : undefined;
  }

  /** Every mission, by country: what the national-day schedule goes through. */
  async all(): Promise<Mission[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :missions",
      ExpressionAttributeValues: { ":missions": MISSIONS_INDEX },
    });
    return items.map((item) => withoutKeys<Mission>(item));
  }

  /** A page of missions by country; a country narrows the key, kind and partner filter within the page read. */
  list(filter: MissionFilter, limit: number, cursor?: string): Promise<Page<Mission>> {
    const filters: string[] = [];
    const values: Record<string, unknown> = { ":missions": MISSIONS_INDEX };
    if (filter.kind) {
      filters.push("kind = :kind");
      values[":kind"] = filter.kind;
    }
    if (filter.partnerId) {
      filters.push("contains(partnerIds, :partnerId)");
      values[":partnerId"] = filter.partnerId;
    }
    if (filter.country) values[":country"] = `${filter.country}#`;
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: filter.country
          ? "gsi1pk = :missions AND begins_with(gsi1sk, :country)"
          : "gsi1pk = :missions",
        ...(filters.length > 0 && { FilterExpression: filters.join(" AND ") }),
        ExpressionAttributeValues: values,
      },
      limit,
      cursor,
      (item) => withoutKeys<Mission>(item),
    );
  }

  /** Writes a registration (the mission must not exist) or an update (on the version it was decided on). */
  async commit(decision: Decision<Mission>, context: WriteContext): Promise<Mission> {
    const mission = decision.state;
    const item = {
      ...missionKey(mission.id),
      gsi1pk: MISSIONS_INDEX,
      gsi1sk: `${mission.country}#${mission.id}`,
      ...mission,
    };
    const tx = new Transaction(this.tableName, context);
    tx.put(
      item,
      decision.expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            onFailed: () => new VersionConflict(`mission ${mission.id} exists already`),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": decision.expectedVersion },
            onFailed: () =>
              new VersionConflict(`mission ${mission.id} changed since version ${decision.expectedVersion}`),
          },
    );
    await tx.audit(decision.audit).publishAll(decision.events).commit(this.client);
    return mission;
  }
}
