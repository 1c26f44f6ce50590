import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  type Decided,
  type Page,
  queryPage,
  Refused,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
  withRetries,
} from "@cdp/lambda-kit";
import type { Report } from "../api.ts";

/** Reports: `REPORT#<id>` / `REPORT`, listed newest first through gsi1 (`REPORTS` / `<requestedAt>#<id>`). */
const reportKey = (reportId: string) => ({ pk: `REPORT#${reportId}`, sk: "REPORT" });
const REPORTS_INDEX = "REPORTS";

export class ReportStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(reportId: string): Promise<Report | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reportKey(reportId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Report>(Item) : undefined;
  }

  list(limit: number, cursor: string | undefined): Promise<Page<Report>> {
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :index",
        ExpressionAttributeValues: { ":index": REPORTS_INDEX },
        ScanIndexForward: false,
      },
      limit,
      cursor,
      (item) => withoutKeys<Report>(item),
    );
  }

  /** Loads the report, decides, writes the decision on the version read; a lost race decides again. */
  async change(
    reportId: string,
    decide: (current: Report | undefined) => Decided<Report>,
    context: WriteContext,
  ): Promise<Report> {
    return withRetries(async () => {
      const outcome = decide(await this.get(reportId));
      if (!outcome.ok) throw new Refused(outcome.refusal);
      const { state, expectedVersion, events, audit } = outcome.decision;
      await new Transaction(this.tableName, context)
        .put(
          { ...reportKey(reportId), gsi1pk: REPORTS_INDEX, gsi1sk: `${state.requestedAt}#${reportId}`, ...state },
          {
            expression: expectedVersion === null ? "attribute_not_exists(pk)" : "version = :version",
            ...(expectedVersion !== null && { values: { ":version": expectedVersion } }),
            onFailed: () => new VersionConflict(`report ${reportId} changed meanwhile`),
          },
        )
        .audit(audit)
        .publishAll(events)
        .commit(this.client);
      return state;
    });
  }
}
