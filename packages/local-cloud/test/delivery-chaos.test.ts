import type { Server } from "node:http";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BusEvent, LocalEventBus } from "../src/eventbridge/bus.ts";
import { createEventBridgeServer } from "../src/eventbridge/server.ts";
import { close, listen } from "../src/http-util.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";
import { eventsClientFor } from "./fixtures/events-client.ts";

/** A target that records what it received, in the order it was invoked: no module to load. */
class RecordingTarget extends LocalFunction {
  readonly received: { eventId: string; n: unknown }[] = [];

  constructor(name: string) {
    super(name, "(in memory)");
  }

  override async invoke(event: unknown): Promise<unknown> {
    const { id, detail } = event as BusEvent;
    this.received.push({ eventId: id, n: (detail as { n?: unknown }).n });
    return { ok: true };
  }
}

/** mulberry32: a small seeded generator, so the bus's draws are the same every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fast = { attempts: 3, firstDelayMs: 5 };
const entries = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ source: "tmg.test", detailType: "Thing.v1", detail: { n: from + i } }));

function busWithTwoTargets(random: () => number = Math.random) {
  const bus = new LocalEventBus("test-bus", "ap-northeast-1", fast, random);
  const first = new RecordingTarget("first");
  const second = new RecordingTarget("second");
  bus.addRule("svc.first", { source: ["tmg.test"] }, first);
  bus.addRule("svc.second", { source: ["tmg.test"] }, second);
  return { bus, first, second };
}

const countsPerEvent = (target: RecordingTarget) =>
  target.received.reduce(
    (counts, r) => counts.set(r.eventId, (counts.get(r.eventId) ?? 0) + 1),
    new Map<string, number>(),
  );

describe("the local bus's delivery chaos", () => {
  it("is off by default: one delivery per event and target, in the entries' order", async () => {
    const { bus, first, second } = busWithTwoTargets();
    bus.putBatch(entries(5));
    await bus.idle();
    expect(first.received.map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    expect(second.received.map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    expect(bus.deliveries.map((d) => d.copy)).toEqual(Array(10).fill(1));
  });

  it("delivers each event to each target 1 to `copies` times, and idle waits for every copy", async () => {
    const { bus, first, second } = busWithTwoTargets(seeded(7));
    bus.deliveryChaos = { copies: 3, shuffle: false, maxDelayMs: 0 };
    const events = bus.putBatch(entries(60));
    await bus.idle();
    for (const target of [first, second]) {
      const counts = countsPerEvent(target);
      expect([...counts.keys()].sort()).toEqual(events.map((e) => e.id).sort());
      expect(new Set(counts.values())).toEqual(new Set([1, 2, 3]));
    }
    expect(bus.deliveries).toHaveLength(first.received.length + second.received.length);
    expect(bus.deliveries.every((d) => d.status === "delivered")).toBe(true);
    // Copies are numbered per event and target, from 1: a test can count the duplicates.
    const copiesOf = (eventId: string) =>
      bus.deliveries.filter((d) => d.eventId === eventId && d.rule === "svc.first").map((d) => d.copy);
    for (const event of events) {
      const copies = copiesOf(event.id);
      expect(copies).toEqual(copies.map((_, i) => i + 1));
    }
    // The history keeps each event once: the copies are deliveries, not new events.
    expect(bus.events).toHaveLength(60);
  });

  it("shuffles the deliveries of a batch, the same way for the same draws", async () => {
    const orderWith = async (seed: number) => {
      const { bus, first } = busWithTwoTargets(seeded(seed));
      bus.deliveryChaos = { copies: 1, shuffle: true, maxDelayMs: 0 };
      bus.putBatch(entries(10));
      await bus.idle();
      return first.received.map((r) => r.n);
    };
    const order = await orderWith(11);
    expect([...order].sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(order).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await orderWith(11)).toEqual(order);
  });

  it("delays deliveries at random, so a later batch may overtake an earlier one; idle waits for both", async () => {
    // One target; draws: batch 1's delivery waits ~150 ms, batch 2's waits 0.
    const draws = [0.75, 0];
    const bus = new LocalEventBus("test-bus", "ap-northeast-1", fast, () => draws.shift() ?? 0);
    const target = new RecordingTarget("only");
    bus.addRule("svc.only", { source: ["tmg.test"] }, target);
    bus.deliveryChaos = { copies: 1, shuffle: false, maxDelayMs: 200 };
    bus.put({ source: "tmg.test", detailType: "Thing.v1", detail: { n: "earlier" } });
    bus.put({ source: "tmg.test", detailType: "Thing.v1", detail: { n: "later" } });
    expect(target.received.map((r) => r.n)).not.toContain("earlier");
    await bus.idle();
    expect(target.received.map((r) => r.n)).toEqual(["later", "earlier"]);
  });

  it("leaves replays alone: a replay is one delivery per matching rule", async () => {
    const { bus, first } = busWithTwoTargets(() => 0.99);
    const event = bus.put({ source: "tmg.test", detailType: "Thing.v1", detail: { n: 0 } });
    await bus.idle();
    bus.deliveryChaos = { copies: 3, shuffle: true, maxDelayMs: 0 };
    expect(bus.replay(event.id)).toBe(true);
    await bus.idle();
    expect(first.received.map((r) => r.eventId)).toEqual([event.id, event.id]);
  });
});

describe("the delivery chaos switch over HTTP", () => {
  let bus: LocalEventBus;
  let target: RecordingTarget;
  let server: Server;
  let endpoint: string;
  let client: EventBridgeClient;
  let settles = 0;

  beforeEach(async () => {
    bus = new LocalEventBus("test-bus", "ap-northeast-1", fast, seeded(3));
    target = new RecordingTarget("echo");
    bus.addRule("svc.echo", { source: ["tmg.test"] }, target);
    server = createEventBridgeServer(bus, undefined, async () => {
      settles++;
      await bus.idle();
    });
    endpoint = `http://127.0.0.1:${await listen(server, 0)}`;
    client = eventsClientFor(endpoint);
  });

  afterEach(async () => {
    client.destroy();
    await bus.idle();
    await close(server);
  });

  const faults = async (method: string, body?: unknown) => {
    const response = await fetch(`${endpoint}/faults`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as { faults?: unknown[] } };
  };
  const send = (count: number, from = 0) =>
    client.send(
      new PutEventsCommand({
        Entries: entries(count, from).map((e) => ({
          EventBusName: "test-bus",
          Source: e.source,
          DetailType: e.detailType,
          Detail: JSON.stringify(e.detail),
        })),
      }),
    );

  it("switches on with POST /faults, shows in GET /faults with its defaults, and off with DELETE /faults", async () => {
    const on = await faults("POST", { deliveries: { copies: 3, shuffle: true } });
    expect(on.status).toBe(201);
    expect(on.body.faults).toEqual([{ deliveries: { copies: 3, shuffle: true, maxDelayMs: 0 } }]);
    expect(bus.deliveryChaos).toEqual({ copies: 3, shuffle: true, maxDelayMs: 0 });

    const result = await send(10);
    expect(result.FailedEntryCount).toBe(0);
    expect((await fetch(`${endpoint}/settle`, { method: "POST" })).status).toBe(200);
    expect(settles).toBe(1);
    // Settled means every copy has run.
    expect(bus.deliveries.every((d) => d.status === "delivered")).toBe(true);
    expect(target.received.length).toBe(bus.deliveries.length);
    expect(target.received.length).toBeGreaterThan(10);
    expect(new Set(target.received.map((r) => r.eventId))).toEqual(new Set(result.Entries?.map((e) => e.EventId)));

    // With a PutEvents fault armed beside it, both are listed; DELETE clears both.
    await faults("POST", { putEvents: { acceptThenFail: 1 } });
    expect((await faults("GET")).body.faults).toHaveLength(2);
    expect((await faults("DELETE")).body.faults).toEqual([]);
    expect(bus.deliveryChaos).toBeUndefined();
    const before = target.received.length;
    await send(4, 100);
    await bus.idle();
    expect(target.received.slice(before).map((r) => r.n)).toEqual([100, 101, 102, 103]);
  });

  it("answers a PutEvents fault only once every copy of the batch has been delivered", async () => {
    await faults("POST", {
      deliveries: { copies: 3, maxDelayMs: 50 },
      putEvents: { acceptThenFail: 1, answer: "failed-entries" },
    });
    const result = await send(3);
    expect(result.FailedEntryCount).toBe(3);
    expect(bus.deliveries.every((d) => d.status === "delivered")).toBe(true);
  });

  it("refuses a malformed switch, saying what it takes", async () => {
    for (const body of [
      { deliveries: { copies: 0 } },
      { deliveries: { copies: 11 } },
      { deliveries: { copies: 2.5 } },
      { deliveries: { shuffle: "yes" } },
      { deliveries: { maxDelayMs: -1 } },
      {},
    ]) {
      const answer = await faults("POST", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect(JSON.stringify((await faults("POST", {})).body)).toContain("deliveries");
    expect(bus.deliveryChaos).toBeUndefined();
  });
});
