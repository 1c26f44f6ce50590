import { type DynamoDBDocumentClient, GetCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { type Page, queryAll, queryPage, Refused, withoutKeys } from "@cdp/lambda-kit";
import type { Agreement, CategoryType, CooperationArea, Partner, Project, RelationStatus } from "../domain/model.ts";
import { partnerNotFound } from "../domain/partners.ts";
import { type EstablishedRelation, type TargetsProgress, targetsProgress } from "../domain/targets.ts";
import {
  AGREEMENT_REVIEW_INDEX,
  AGREEMENTS_INDEX,
  ESTABLISHED_INDEX,
  PARTNER_FACET_PREFIX,
  PROJECTS_INDEX,
  partnerKey,
  partnerPk,
} from "./keys.ts";

export interface PartnerFilter {
  readonly category?: CategoryType | undefined;
  readonly status?: RelationStatus | undefined;
  readonly country?: string | undefined;
  readonly area?: CooperationArea | undefined;
  readonly sort: "id" | "priority";
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** The registry's read side: every list is one Query on an index, never a scan. */
export class RegistryReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPartner(id: string, options: { consistent?: boolean } = {}): Promise<Partner | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: partnerKey(id), ConsistentRead: options.consistent }),
    );
    return Item ? withoutKeys<Partner>(Item) : undefined;
  }

  async listPartners(filter: PartnerFilter): Promise<Page<Partner>> {
    // Query the most selective facet; the other filters become a filter expression on the copies.
    const facet = filter.category
      ? `category#${filter.category}`
      : filter.area
        ? `area#${filter.area}`
        : filter.country
          ? `country#${filter.country}`
          : filter.status
            ? `status#${filter.status}`
            : "all";
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":facet": `${PARTNER_FACET_PREFIX}${facet}` };
    if (filter.status && facet !== `status#${filter.status}`) {
      conditions.push("#relation.#status = :status");
      Object.assign(names, { "#relation": "relation", "#status": "status" });
      values[":status"] = filter.status;
    }
    if (filter.country && facet !== `country#${filter.country}`) {
      conditions.push("#country = :country");
      names["#country"] = "country";
      values[":country"] = filter.country;
    }
    if (filter.area && facet !== `area#${filter.area}`) {
      conditions.push("contains(#areas, :area)");
      names["#areas"] = "cooperationAreas";
      values[":area"] = filter.area;
    }
    const index = filter.sort === "priority" ? "gsi2" : "gsi1";
    return queryPage<Partner>(
      this.client,
      {
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `${index}pk = :facet`,
        ...(conditions.length > 0 && { FilterExpression: conditions.join(" AND "), ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
      },
      filter.limit,
      filter.cursor,
      (item) => withoutKeys<Partner>(item),
    );
  }

  async listPartnerAgreements(partnerId: string, limit: number, cursor?: string): Promise<Page<Agreement>> {
    if (!(await this.getPartner(partnerId))) throw new Refused(partnerNotFound(partnerId));
    return queryPage<Agreement>(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :agreement)",
        ExpressionAttributeValues: { ":pk": partnerPk(partnerId), ":agreement": "AGREEMENT#" },
      },
      limit,
      cursor,
      (item) => withoutKeys<Agreement>(item),
    );
  }

  async listAgreements(reviewDueBefore: string | undefined, limit: number, cursor?: string): Promise<Page<Agreement>> {
    const query: QueryCommandInput = reviewDueBefore
      ? {
          TableName: this.tableName,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :index AND gsi2sk < :before",
          ExpressionAttributeValues: { ":index": AGREEMENT_REVIEW_INDEX, ":before": reviewDueBefore },
        }
      : {
          TableName: this.tableName,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :index",
          ExpressionAttributeValues: { ":index": AGREEMENTS_INDEX },
        };
    return queryPage<Agreement>(this.client, query, limit, cursor, (item) => withoutKeys<Agreement>(item));
  }

  async listProjects(partnerId: string | undefined, limit: number, cursor?: string): Promise<Page<Project>> {
    const query: QueryCommandInput = partnerId
      ? {
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :project)",
          ExpressionAttributeValues: { ":pk": partnerPk(partnerId), ":project": "PROJECT#" },
        }
      : {
          TableName: this.tableName,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :index",
          ExpressionAttributeValues: { ":index": PROJECTS_INDEX },
        };
    return queryPage<Project>(this.client, query, limit, cursor, (item) => withoutKeys<Project>(item));
  }

  async targetsProgress(asOf: string): Promise<TargetsProgress> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :index",
      ExpressionAttributeValues: { ":index": ESTABLISHED_INDEX },
    });
    const relations: EstablishedRelation[] = items.map((item) => ({
      partnerId: String(item.partnerId),
      on: String(item.on),
    }));
    return targetsProgress(relations, asOf);
  }
}
