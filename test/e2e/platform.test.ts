import { PutEventsCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { api, call, eventBridge, eventsEndpoint } from "./client.ts";

describe("the local cloud", () => {
  it("answers health, OpenAPI and docs without a token", async () => {
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    // The local cloud runs on the Lambda runtime's Node major (nodejs24.x), whatever the machine has.
    expect(((await health.json()) as { node: string }).node).toMatch(/^v24\./);
    const openApi = (await (await fetch(`${api}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { "x-roles": string[] }>>;
    };
    expect(openApi.openapi).toBe("3.1.0");
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining([
        "/partners",
        "/partners/{id}",
        "/partners/{id}/agreements",
        "/agreements",
        "/projects",
        "/targets/progress",
      ]),
    );
    expect(openApi.paths["/partners"]?.post?.["x-roles"]).toEqual(["international-affairs", "admin"]);
    const docs = await fetch(`${api}/docs`);
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(await docs.text()).toContain("/openapi.json");
  });

  it("answers 404 as API Gateway does for a route it does not have", async () => {
    const reply = await call("GET", "/nowhere");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ message: "Not Found" });
  });

  it("speaks EventBridge's protocol to the real SDK: TestEventPattern and its refusals", async () => {
    const event = JSON.stringify({
      id: "1",
      account: "000000000000",
      source: "tmg.visit-scheduling",
      time: "2026-11-28T00:00:00Z",
      region: "ap-northeast-1",
      resources: [],
      "detail-type": "VisitCompleted.v1",
      detail: { leaderLevel: "head", partnerIds: ["paris", "london"] },
    });
    const matching = await eventBridge.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: JSON.stringify({
          detail: { partnerIds: [{ prefix: "lon" }], leaderLevel: [{ "anything-but": "deputy" }] },
        }),
      }),
    );
    expect(matching.Result).toBe(true);
    const other = await eventBridge.send(
      new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ source: ["tmg.city-registry"] }) }),
    );
    expect(other.Result).toBe(false);
    await expect(
      eventBridge.send(
        new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ source: "not-an-array" }) }),
      ),
    ).rejects.toMatchObject({ name: "InvalidEventPatternException" });
  });

  it("refuses malformed PutEvents entries one by one, as EventBridge does", async () => {
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: "city-diplomacy", Source: "e2e.test", DetailType: "Ping.v1", Detail: "{not json" },
          { EventBusName: "no-such-bus", Source: "e2e.test", DetailType: "Ping.v1", Detail: "{}" },
          { EventBusName: "city-diplomacy", Source: "e2e.test", DetailType: "Ping.v1", Detail: '{"n":1}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[0]?.ErrorCode).toBe("MalformedDetail");
    expect(result.Entries?.[1]?.ErrorCode).toBe("ResourceNotFoundException");
    const id = result.Entries?.[2]?.EventId;
    const events = (await (await fetch(`${eventsEndpoint}/events?source=e2e.test`)).json()) as {
      events: { id: string }[];
    };
    expect(events.events.map((e) => e.id)).toEqual([id]);
  });
});
