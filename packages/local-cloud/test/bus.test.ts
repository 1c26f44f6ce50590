import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEventBus } from "../src/eventbridge/bus.ts";
import { InvalidEventPatternError } from "../src/eventbridge/pattern.ts";
import { createEventBridgeServer } from "../src/eventbridge/server.ts";
import { close, listen } from "../src/http-util.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";
import { eventsClientFor } from "./fixtures/events-client.ts";

const flakyPath = fileURLToPath(new URL("./fixtures/flaky-handler.ts", import.meta.url));
const echoPath = fileURLToPath(new URL("./fixtures/echo-handler.ts", import.meta.url));
const fast = { attempts: 3, firstDelayMs: 5 };

function busWithFlakyRule(): { bus: LocalEventBus; target: LocalFunction } {
  const bus = new LocalEventBus("test-bus", "ap-northeast-1", fast);
  const target = new LocalFunction("flaky", flakyPath);
  bus.addRule("svc.flaky", { source: ["test"], detail: { failTimes: [{ numeric: [">=", 0] }] } }, target);
  return { bus, target };
}

describe("local event bus", () => {
  it("retries a failing delivery and succeeds without a dead letter", async () => {
    const { bus } = busWithFlakyRule();
    bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: 2 } });
    await bus.idle();
    expect(bus.deadLetters).toEqual([]);
  });

  it("dead-letters a delivery that fails every attempt, keeping the event", async () => {
    const { bus } = busWithFlakyRule();
    const event = bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: 99 } });
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.deadLetters[0]).toMatchObject({
      rule: "svc.flaky",
      target: "flaky",
      attempts: 3,
      error: "attempt 3 fails",
    });
    expect(bus.deadLetters[0]?.event).toEqual(event);
  });

  it("delivers only events the rule's pattern matches, and records every event", async () => {
    const { bus } = busWithFlakyRule();
    bus.put({ source: "other", detailType: "T.v1", detail: { failTimes: 99 } });
    bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: "many" } });
    await bus.idle();
    expect(bus.deadLetters).toEqual([]);
    expect(bus.events.map((e) => e.source)).toEqual(["other", "test"]);
  });

  it("replays an event with its own id to the rules it matches", async () => {
    const { bus } = busWithFlakyRule();
    const event = bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: 3 } });
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);
    // The fourth attempt (first of the replay) succeeds: same id, same handler state.
    expect(bus.replay(event.id)).toBe(true);
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.replay("no-such-id")).toBe(false);
  });

  it("refuses a rule whose pattern EventBridge would refuse", () => {
    const bus = new LocalEventBus("b", "ap-northeast-1", fast);
    expect(() => bus.addRule("bad", { source: "test" }, new LocalFunction("x", flakyPath))).toThrow(
      InvalidEventPatternError,
    );
  });
});

describe("the local EventBridge's fault switch", () => {
  let bus: LocalEventBus;
  let server: Server;
  let endpoint: string;
  let client: EventBridgeClient;

  beforeEach(async () => {
    bus = new LocalEventBus("test-bus", "ap-northeast-1", fast);
    bus.addRule("svc.echo", { source: ["tmg.test"] }, new LocalFunction("echo", echoPath));
    server = createEventBridgeServer(bus);
    endpoint = `http://127.0.0.1:${await listen(server, 0)}`;
    client = eventsClientFor(endpoint);
  });

  afterEach(async () => {
    client.destroy();
    await bus.idle();
    await close(server);
  });

  const entry = (detailType: string, detail: unknown = { outboxId: "o-1" }): PutEventsRequestEntry => ({
    EventBusName: "test-bus",
    Source: "tmg.test",
    DetailType: detailType,
    Detail: JSON.stringify(detail),
  });

  async function arm(fault: unknown): Promise<Response> {
    return fetch(`${endpoint}/faults`, { method: "POST", body: JSON.stringify(fault) });
  }

  async function armed(): Promise<unknown[]> {
    return ((await (await fetch(`${endpoint}/faults`)).json()) as { faults: unknown[] }).faults;
  }

  it("accepts a batch and answers 500: the SDK sends it again, so it arrives twice under new envelope ids", async () => {
    expect((await arm({ putEvents: { acceptThenFail: 1 } })).status).toBe(201);
    expect(await armed()).toEqual([{ putEvents: { acceptThenFail: 1, answer: "error" } }]);

    const result = await client.send(new PutEventsCommand({ Entries: [entry("Thing.v1")] }));

    expect(result.FailedEntryCount).toBe(0);
    expect(result.$metadata.attempts).toBe(2);
    expect(bus.events.map((e) => e.detail)).toEqual([{ outboxId: "o-1" }, { outboxId: "o-1" }]);
    expect(new Set(bus.events.map((e) => e.id)).size).toBe(2);
    expect(result.Entries?.[0]?.EventId).toBe(bus.events[1]?.id);
    // The failure was answered only once the first copy had been delivered, as a late retry finds it.
    expect(bus.deliveries[0]).toMatchObject({ eventId: bus.events[0]?.id, status: "delivered" });
    await bus.idle();
    expect(bus.deliveries.map((d) => [d.eventId, d.status])).toEqual(bus.events.map((e) => [e.id, "delivered"]));
    expect(await armed()).toEqual([]);
  });

  it("can answer with failed entries instead, for the relay to retry what the bus already delivered", async () => {
    await arm({ putEvents: { acceptThenFail: 1, answer: "failed-entries" } });
    const first = await client.send(
      new PutEventsCommand({ Entries: [entry("Thing.v1"), { ...entry("Thing.v1"), Source: "" }] }),
    );
    expect(first.$metadata.attempts).toBe(1);
    expect(first.FailedEntryCount).toBe(2);
    expect(first.Entries?.map((e) => e.ErrorCode)).toEqual(["InternalFailure", "InvalidArgument"]);
    expect(bus.events).toHaveLength(1);

    const second = await client.send(new PutEventsCommand({ Entries: [entry("Thing.v1")] }));
    expect(second.FailedEntryCount).toBe(0);
    expect(bus.events).toHaveLength(2);
    await bus.idle();
    expect(bus.deliveries.filter((d) => d.status === "delivered")).toHaveLength(2);
  });

  it("trips only on a call carrying an accepted entry of the detail-type it names", async () => {
    await arm({ putEvents: { acceptThenFail: 1, answer: "failed-entries", detailType: "Wanted.v1" } });
    const other = await client.send(new PutEventsCommand({ Entries: [entry("Other.v1")] }));
    expect(other.FailedEntryCount).toBe(0);
    const refused = await client.send(
      new PutEventsCommand({ Entries: [{ ...entry("Wanted.v1"), EventBusName: "no-such-bus" }] }),
    );
    expect(refused.Entries?.[0]?.ErrorCode).toBe("ResourceNotFoundException");
    expect(await armed()).toHaveLength(1);

    const wanted = await client.send(new PutEventsCommand({ Entries: [entry("Other.v1"), entry("Wanted.v1")] }));
    expect(wanted.Entries?.map((e) => e.ErrorCode)).toEqual(["InternalFailure", "InternalFailure"]);
    expect(await armed()).toEqual([]);
  });

  it("refuses a malformed fault and disarms every fault on DELETE", async () => {
    expect((await arm({ putEvents: { acceptThenFail: 0 } })).status).toBe(400);
    expect((await arm({ putEvents: { acceptThenFail: 2, answer: "sometimes" } })).status).toBe(400);
    expect((await arm({ sendEmail: {} })).status).toBe(400);
    await arm({ putEvents: { acceptThenFail: 5 } });
    expect(await armed()).toHaveLength(1);
    expect((await fetch(`${endpoint}/faults`, { method: "DELETE" })).status).toBe(200);
    expect(await armed()).toEqual([]);
    const result = await client.send(new PutEventsCommand({ Entries: [entry("Thing.v1")] }));
    expect(result.$metadata.attempts).toBe(1);
  });
});
