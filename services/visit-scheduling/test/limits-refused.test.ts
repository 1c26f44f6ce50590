import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, type WriteContext } from "@cdp/lambda-kit";
import { lambdaContext as newLambdaContext, httpEvent as request } from "@cdp/lambda-kit/testing";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../src/domain/dates.ts";
import { MAX_VISIT_DAYS, VISIT_LIMITS } from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { VisitScheduling } from "../src/use-cases.ts";
import { bilingual, largestVisit, MAX_CONFERENCE_VISITS, MAX_REASON, MAX_TEXT, smallVisit, text } from "./largest.ts";

/**
 * One step past a maximum, through the real handlers with API Gateway v2 events: a 400 naming the
 * field, and nothing written. A table of its own keeps the "nothing written" scan small.
 */

const tableName = `visit-scheduling-refused-${randomUUID()}`;
// The handlers build their store from this variable when first imported, below.
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const scheduling = new VisitScheduling(createDocumentClient(), tableName);
const context: WriteContext = { actor: "protocol-officer", correlationId: "limits", now: new Date() };

/** A request from a protocol officer, the visits' writer, as API Gateway sends it. */
function httpEvent(method: string, path: string, body: unknown, options: { id?: string; ifMatch?: string } = {}) {
  return request({
    method,
    path,
    body,
    groups: "[protocol]",
    subject: "protocol-officer",
    ...(options.id && { pathParameters: { id: options.id } }),
    ...(options.ifMatch && { headers: { "if-match": options.ifMatch } }),
  });
}

const lambdaContext = newLambdaContext("limits");

async function itemCount(): Promise<number> {
  const { Count = 0 } = await raw.send(new ScanCommand({ TableName: tableName, Select: "COUNT" }));
  return Count;
}

/** The field paths a 400 names; fails on any other answer. */
function fieldsOf(response: APIGatewayProxyResultV2): string[] {
  const result = typeof response === "string" ? { statusCode: 200, body: response } : response;
  expect(result.statusCode, String(result.body)).toBe(400);
  return (JSON.parse(String(result.body)) as { errors: { path: string }[] }).errors.map((e) => e.path);
}

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

const over = largestVisit("2042-01-01", "a");
const first = <T>(items: readonly T[]): T => items[0] as T;
const { breakdown, quotes } = over.costEstimate;

describe("one step past a maximum", () => {
  const cases: [string, unknown, string][] = [
    ["partners", { ...over, partnerIds: [...over.partnerIds, "paris"] }, "body.partnerIds"],
    // Not a maximum, but found by the fuzz suite at one (a 500: two writes of one partner facet in a transaction).
    [
      "a partner named twice",
      { ...over, partnerIds: [...over.partnerIds.slice(0, -1), first(over.partnerIds)] },
      `body.partnerIds.${over.partnerIds.length - 1}`,
    ],
    ["days", { ...over, endDate: addDays(over.startDate, MAX_VISIT_DAYS) }, "body.endDate"],
    ["itinerary entries", { ...over, itinerary: [...over.itinerary, first(over.itinerary)] }, "body.itinerary"],
    [
      "an itinerary activity",
      { ...over, itinerary: [{ ...first(over.itinerary), activity: text(VISIT_LIMITS.activityLength + 1) }] },
      "body.itinerary.0.activity",
    ],
    ["members", { ...over, members: [...over.members, first(over.members)] }, "body.members"],
    [
      "a member's name",
      { ...over, members: [{ ...first(over.members), name: bilingual(VISIT_LIMITS.memberNameLength + 1) }] },
      "body.members.0.name.ja",
    ],
    [
      "a member's medical notes",
      {
        ...over,
        members: [{ ...first(over.members), personal: { medicalNotes: text(VISIT_LIMITS.notesLength + 1) } }],
      },
      "body.members.0.personal.medicalNotes",
    ],
    [
      "cost lines",
      { ...over, costEstimate: { quotes, breakdown: [...breakdown, first(breakdown)] } },
      "body.costEstimate.breakdown",
    ],
    [
      "quotes",
      { ...over, costEstimate: { breakdown, quotes: [...quotes, first(quotes)] } },
      "body.costEstimate.quotes",
    ],
    ["the purpose statement", { ...over, purposeStatement: bilingual(MAX_TEXT + 1) }, "body.purposeStatement.ja"],
  ];

  it.each(cases)("of %s in a proposal is a 400 naming the field, and nothing is written", async (_, body, field) => {
    const { handler } = await import("../src/handlers/propose-visit.ts");
    const before = await itemCount();
    expect(fieldsOf(await handler(httpEvent("POST", "/visits", body), lambdaContext))).toContain(field);
    expect(await itemCount()).toBe(before);
  });

  it("in an edit, a cancellation or a conference is a 400 naming the field, and nothing is written", async () => {
    const visit = await scheduling.propose(smallVisit("2042-06-01"), context);
    const before = await itemCount();

    const edit = (await import("../src/handlers/edit-visit.ts")).handler;
    const tooLong = { itinerary: [...over.itinerary, first(over.itinerary)] };
    const edited = await edit(
      httpEvent("PATCH", `/visits/${visit.id}`, tooLong, { id: visit.id, ifMatch: '"1"' }),
      lambdaContext,
    );
    expect(fieldsOf(edited)).toContain("body.itinerary");

    const cancel = (await import("../src/handlers/cancel-visit.ts")).handler;
    const reason = { reason: text(MAX_REASON + 1) };
    const cancelled = await cancel(
      httpEvent("POST", `/visits/${visit.id}/cancel`, reason, { id: visit.id }),
      lambdaContext,
    );
    expect(fieldsOf(cancelled)).toContain("body.reason");

    const conference = (await import("../src/handlers/create-conference.ts")).handler;
    const recorded = await conference(
      httpEvent("POST", "/conferences", {
        name: bilingual(10),
        city: { partnerId: "seoul" },
        startDate: "2042-06-01",
        endDate: "2042-06-02",
        role: "participate",
        visitIds: Array.from({ length: MAX_CONFERENCE_VISITS + 1 }, () => randomUUID()),
      }),
      lambdaContext,
    );
    expect(fieldsOf(recorded)).toContain("body.visitIds");

    const plan = (await import("../src/handlers/set-plan.ts")).handler;
    const planned = await plan(
      {
        ...httpEvent("PUT", "/plans/2042", { tripCap: 21, travelBudgetYen: 10_000_000_001 }),
        pathParameters: { fiscalYear: "2042" },
      },
      lambdaContext,
    );
    expect(fieldsOf(planned)).toEqual(["body.tripCap", "body.travelBudgetYen"]);

    expect(await itemCount()).toBe(before);
    expect((await scheduling.visits.get(visit.id))?.version).toBe(1);
  });
});
