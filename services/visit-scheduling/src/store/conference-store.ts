import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  batchGetAll,
  type Decision,
  type Page,
  periodQuery,
  queryPage,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import { type Conference, MAX_VISIT_DAYS } from "../domain/model.ts";
import { CONFERENCES_INDEX, conferenceKey, visitKey } from "./keys.ts";

/** Conferences on DynamoDB: the visits they link are checked by the domain, from what this loads. */
export class ConferenceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Which of the ids name a stored visit. Unprocessed keys are read again, never taken as missing. */
  async existingVisitIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const items = await batchGetAll(this.client, this.tableName, [...new Set(ids)].map(visitKey), {
      projection: "id",
    });
    return new Set(items.map((item) => String(item.id)));
  }

  async commit(decision: Decision<Conference>, context: WriteContext): Promise<Conference> {
    const conference = decision.state;
    await new Transaction(this.tableName, context)
      .put(
        {
          ...conferenceKey(conference.id),
          gsi1pk: CONFERENCES_INDEX,
          gsi1sk: `${conference.startDate}#${conference.id}`,
          ...conference,
        },
        {
          expression: "attribute_not_exists(pk)",
          onFailed: () => new VersionConflict(`conference ${conference.id} exists already`),
        },
      )
      .audit(decision.audit)
      .publishAll(decision.events)
      .commit(this.client);
    return conference;
  }

  async list(
    filter: { from?: string | undefined; to?: string | undefined },
    limit: number,
    cursor?: string,
  ): Promise<Page<Conference>> {
    return queryPage(
      this.client,
      periodQuery(this.tableName, CONFERENCES_INDEX, filter, MAX_VISIT_DAYS),
      limit,
      cursor,
      (item) => withoutKeys<Conference>(item),
    );
  }
}
