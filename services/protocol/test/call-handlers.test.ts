import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { VISIT_SCHEDULING_SOURCE } from "@cdp/contracts";
import { ensureTable } from "@cdp/dynamodb-local";
import {
  answer,
  eventBridgeEvent,
  eventMetadata,
  type HttpEventOptions,
  httpEvent,
  lambdaContext,
} from "@cdp/lambda-kit/testing";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { aCallInput, aMissionInput, aVisit, VISITORS } from "../src/domain/call-builders.ts";
import { table } from "../src/manifest.ts";

/** The routes of courtesy calls and the visit events' consumer, as API Gateway and EventBridge invoke them. */

const tableName = `protocol-call-handlers-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const handlers: Record<string, Handler> = {};
const NAMES = [
  "register-mission",
  "schedule-call",
  "reschedule-call",
  "get-call",
  "get-call-visitors",
  "cancel-call",
  "on-visit-event",
];

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  // Handler modules read the table name when loaded: imported once it is set.
  for (const name of NAMES) handlers[name] = (await import(`../src/handlers/${name}.ts`)).handler as Handler;
  await invoke("register-mission", { method: "POST", path: "/missions", body: aMissionInput() });
});

async function invoke(name: string, options: HttpEventOptions) {
  const handler = handlers[name];
  if (!handler) throw new Error(`no handler ${name}`);
  const response = (await handler(httpEvent({ groups: "[protocol]", ...options }), lambdaContext())) as
    | APIGatewayProxyStructuredResultV2
    | undefined;
  return answer(response ?? {});
}

const scheduleAt = (startsAt: string, overrides = {}) =>
  invoke("schedule-call", { method: "POST", path: "/calls", body: aCallInput({ startsAt, ...overrides }) });

async function deliver(detailType: string, detail: Record<string, unknown>) {
  const event = eventBridgeEvent(VISIT_SCHEDULING_SOURCE, detailType, { ...detail, metadata: eventMetadata() });
  return handlers["on-visit-event"]?.(event, lambdaContext("governor-abroad"));
}

describe("the courtesy call routes", () => {
  it("answers 400 naming the field for a call with a mission that is not registered", async () => {
    const refused = await scheduleAt("2027-03-01T10:00:00+09:00", { missionId: "embassy-zz" });
    expect(refused).toMatchObject({ status: 400, body: { errors: [{ path: "body.missionId" }] } });
  });

  it("answers 400 naming the repeat for a call naming one partner twice", async () => {
    const refused = await scheduleAt("2027-03-01T11:00:00+09:00", { partnerIds: ["seoul", "paris", "seoul"] });
    expect(refused).toMatchObject({ status: 400, body: { errors: [{ path: "body.partnerIds.2" }] } });
  });

  it("answers 400 naming the field for a start outside fiscal years 2000–2099 in Tokyo, at either edge and at any offset", async () => {
    // Far instants once moved to Tokyo left the four-digit years and the call was a 500 (found by the fuzz suite).
    const last = await scheduleAt("2100-03-31T14:00:00Z", { host: "vice-governor" });
    expect(last.status).toBe(201);
    const id = String(last.body.id);
    const rescheduleTo = (startsAt: string) =>
      invoke("reschedule-call", {
        method: "POST",
        path: `/calls/${id}/reschedule`,
        pathParameters: { id },
        body: { startsAt },
      });
    for (const startsAt of ["9999-12-31T23:00:00Z", "0000-01-01T00:00:00-23:59", "2100-03-31T15:00:00Z"]) {
      const refusals = [await scheduleAt(startsAt), await rescheduleTo(startsAt)];
      for (const refused of refusals)
        expect(refused, startsAt).toMatchObject({ status: 400, body: { errors: [{ path: "body.startsAt" }] } });
    }
    expect((await rescheduleTo("2000-03-31T15:00:00Z")).status).toBe(200);
  });

  it("schedules with 201 and shows every reader the call without visitors, the visitors to the office alone", async () => {
    const created = await scheduleAt("2027-03-02T10:00:00+09:00");
    expect(created).toMatchObject({ status: 201, headers: { etag: '"1"' }, body: { visitors: VISITORS } });
    const id = String(created.body.id);
    expect(created.headers.location).toBe(`/calls/${id}`);
    const read = await invoke("get-call", { path: `/calls/${id}`, groups: "[viewer]", pathParameters: { id } });
    expect(read).toMatchObject({ status: 200, body: { id, status: "scheduled" } });
    expect(read.body).not.toHaveProperty("visitors");
    const path = `/calls/${id}/visitors`;
    expect((await invoke("get-call-visitors", { path, groups: "[viewer]", pathParameters: { id } })).status).toBe(403);
    expect(await invoke("get-call-visitors", { path, pathParameters: { id } })).toMatchObject({
      status: 200,
      body: { callId: id, visitors: VISITORS },
    });
    const unknown = { id: "no-such-call" };
    expect((await invoke("get-call", { path: "/calls/no-such-call", pathParameters: unknown })).status).toBe(404);
  });

  it("takes If-Match on a step when sent: a stale one is 412", async () => {
    const { body } = await scheduleAt("2027-03-03T10:00:00+09:00");
    const cancel = (headers: Record<string, string>) =>
      invoke("cancel-call", {
        method: "POST",
        path: `/calls/${body.id}/cancel`,
        pathParameters: { id: String(body.id) },
        headers,
        body: { reason: "Postponed at the embassy's request" },
      });
    expect((await cancel({ "if-match": '"2"' })).status).toBe(412);
    expect(await cancel({})).toMatchObject({ status: 200, headers: { etag: '"2"' }, body: { status: "cancelled" } });
  });

  it("learns the governor's days abroad from Visit Scheduling's events, and frees them on a cancellation", async () => {
    const trip = aVisit({ visitId: `v-${randomUUID()}`, startDate: "2027-07-01", endDate: "2027-07-03" });
    await deliver("VisitApproved.v1", trip);
    expect(await scheduleAt("2027-07-02T10:00:00+09:00")).toMatchObject({
      status: 409,
      body: { rule: "governor-calendar", heldBy: { kind: "abroad", visitId: trip.visitId } },
    });
    await deliver("VisitCancelled.v1", { ...trip, reason: "Postponed", previousStatus: "approved" });
    expect((await scheduleAt("2027-07-02T10:00:00+09:00")).status).toBe(201);
  });
});
