import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { eventBridgeEvent, eventMetadata, httpEvent, lambdaContext } from "@cdp/lambda-kit/testing";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { fiscalYearOf, tokyoDate } from "../src/domain/fiscal-year.ts";
import { table } from "../src/manifest.ts";

/** The ledger's functions as API Gateway and EventBridge invoke them, on DynamoDB Local. */

const tableName = `fund-ledger-handlers-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(raw);
type Handler = (event: unknown, context: Context) => Promise<unknown>;
let placeHold: Handler;
let onHoldRequested: Handler;
const FY = fiscalYearOf(tokyoDate(new Date()));

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  // Handler modules read the table name when loaded: import them once it is set.
  const { seed } = await import("../src/seed.ts");
  await seed({ now: new Date() });
  placeHold = (await import("../src/handlers/place-hold.ts")).handler as Handler;
  onHoldRequested = (await import("../src/handlers/on-hold-requested.ts")).handler as Handler;
}, 120_000);

const holdBody = (reference: string, amountYen = 120_000) => ({
  reference,
  programme: "staff-exchange",
  fiscalYear: FY,
  amountYen,
  description: { ja: "派遣旅費", en: "Secondment travel" },
});

async function post(
  body: unknown,
  key?: string,
): Promise<APIGatewayProxyStructuredResultV2 & { json: Record<string, unknown> }> {
  const response = (await placeHold(
    httpEvent({
      method: "POST",
      path: "/holds",
      routeKey: "POST /holds",
      groups: "[fund-manager]",
      subject: "manager-1",
      body,
      headers: key ? { "idempotency-key": key } : {},
    }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  return { ...response, json: JSON.parse(String(response.body)) as Record<string, unknown> };
}

async function outbox(detailType: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documents.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: "detailType = :t",
      ExpressionAttributeValues: { ":t": detailType },
    }),
  );
  return Items.map((item) => JSON.parse(String(item.detail)) as Record<string, unknown>);
}

describe("Idempotency-Key on POST /holds", () => {
  it("answers a repeat with the first response, a changed request with 422, and a missing key with 400", async () => {
    const key = `key-${randomUUID()}`;
    const first = await post(holdBody("placement:idem"), key);
    expect(first.statusCode).toBe(201);
    const again = await post(holdBody("placement:idem"), key);
    expect(again.statusCode).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers?.["idempotent-replayed"]).toBe("true");
    const changed = await post(holdBody("placement:idem", 130_000), key);
    expect(changed.statusCode).toBe(422);
    expect(changed.json).toMatchObject({ type: expect.stringMatching(/unprocessable$/), idempotencyKey: key });
    const missing = await post(holdBody("placement:no-key"));
    expect(missing.statusCode).toBe(400);
    expect(missing.json.errors).toEqual([{ path: "headers.idempotency-key", message: "is required" }]);
    const placed = (await outbox("FundHoldPlaced.v1")).filter((d) => d.reference === "placement:idem");
    expect(placed).toHaveLength(1);
    // The journal's audit trail names who and which request made it.
    const { reads } = await import("../src/handlers/shared.ts");
    const journal = await reads.journal(String(first.json.journalId));
    expect(journal).toMatchObject({ actor: "manager-1", requestId: expect.any(String), approval: null });
  });
});

describe("FundHoldRequested.v1 from another service", () => {
  const requested = (reference: string, amountYen: number, fiscalYear = FY) =>
    eventBridgeEvent("tmg.fund-ledger", "FundHoldRequested.v1", {
      ...holdBody(reference, amountYen),
      fiscalYear,
      requester: "staff-exchange",
      metadata: eventMetadata(),
    });

  it("places the hold once per reference, whatever event brings it again", async () => {
    expect(await onHoldRequested(requested("placement:event-1", 200_000), lambdaContext())).toEqual({
      consumed: expect.any(String),
    });
    // The same request in a new event (a new eventId): the reference was acted on, so it is ignored.
    expect(await onHoldRequested(requested("placement:event-1", 200_000), lambdaContext())).toMatchObject({
      ignored: "conflict",
    });
    const placed = (await outbox("FundHoldPlaced.v1")).filter((d) => d.reference === "placement:event-1");
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatchObject({ requester: "staff-exchange", amountYen: 200_000 });
  });

  it("answers a request for a year with no appropriation with FundHoldRejected.v1, not a dead letter", async () => {
    expect(await onHoldRequested(requested("placement:event-2", 300_000, FY + 3), lambdaContext())).toEqual({
      consumed: expect.any(String),
    });
    const rejected = (await outbox("FundHoldRejected.v1")).filter((d) => d.reference === "placement:event-2");
    expect(rejected).toEqual([
      expect.objectContaining({ reason: "unknown-appropriation", requester: "staff-exchange" }),
    ]);
  });
});
