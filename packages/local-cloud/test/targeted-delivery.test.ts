import type { Server } from "node:http";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BusEvent, LocalEventBus, TargetedDeliveryRefused } from "../src/eventbridge/bus.ts";
import { createEventBridgeServer } from "../src/eventbridge/server.ts";
import { close, listen } from "../src/http-util.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";
import { eventsClientFor } from "./fixtures/events-client.ts";

/**
 * A target that records what it received and how many invocations ran at once; it fails `failTimes` times per
 * event when the detail says so, and waits `holdMs` inside each invocation so that overlapping ones overlap.
 */
class RecordingTarget extends LocalFunction {
  readonly received: { eventId: string; n: unknown }[] = [];
  private running = 0;
  maxRunning = 0;
  private readonly failures = new Map<string, number>();

  constructor(
    name: string,
    private readonly holdMs = 0,
  ) {
    super(name, "(in memory)");
  }

  override async invoke(event: unknown): Promise<unknown> {
    const { id, detail } = event as BusEvent;
    const { n, failTimes } = detail as { n?: unknown; failTimes?: number };
    this.received.push({ eventId: id, n });
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.holdMs > 0) await new Promise((resolve) => setTimeout(resolve, this.holdMs));
      const failed = this.failures.get(id) ?? 0;
      if (failed < (failTimes ?? 0)) {
        this.failures.set(id, failed + 1);
        throw new Error(`${this.name} refuses ${String(n)}: field n is wrong`);
      }
      return { consumed: n };
    } finally {
      this.running--;
    }
  }
}

const fast = { attempts: 3, firstDelayMs: 5 };

function busWithTwoRules(holdMs = 0) {
  const bus = new LocalEventBus("test-bus", "ap-northeast-1", fast);
  const first = new RecordingTarget("first", holdMs);
  const second = new RecordingTarget("second", holdMs);
  bus.addRule("svc.first", { source: ["tmg.test"] }, first);
  bus.addRule("svc.second", { source: ["tmg.test"], "detail-type": ["Second.v1"] }, second);
  return { bus, first, second };
}

/** Three events both rules match, delivered once as PutEvents delivers them; the targets then forget them. */
async function threeReceived(bus: LocalEventBus, ...targets: RecordingTarget[]): Promise<BusEvent[]> {
  const events = bus.putBatch([0, 1, 2].map((n) => ({ source: "tmg.test", detailType: "Second.v1", detail: { n } })));
  await bus.idle();
  for (const target of targets) target.received.length = 0;
  return events;
}

describe("delivering received events again to one rule's target", () => {
  it("hands the listed events to that target only, in the listed order, the list `copies` times over", async () => {
    const { bus, first, second } = busWithTwoRules();
    const [a, b, c] = (await threeReceived(bus, first, second)) as [BusEvent, BusEvent, BusEvent];

    const deliveries = await bus.deliverTo("svc.first", { events: [c.id, a.id, b.id], copies: 2 });

    expect(first.received.map((r) => r.n)).toEqual([2, 0, 1, 2, 0, 1]);
    expect(second.received).toEqual([]);
    expect(first.maxRunning).toBe(1);
    // Numbered on from the first delivery PutEvents made: copies 2 and 3 of each event.
    expect(deliveries.map((d) => [d.eventId, d.copy, d.status, d.result])).toEqual([
      [c.id, 2, "delivered", { consumed: 2 }],
      [a.id, 2, "delivered", { consumed: 0 }],
      [b.id, 2, "delivered", { consumed: 1 }],
      [c.id, 3, "delivered", { consumed: 2 }],
      [a.id, 3, "delivered", { consumed: 0 }],
      [b.id, 3, "delivered", { consumed: 1 }],
    ]);
    // The same records the bus keeps for `GET /deliveries`.
    expect(bus.deliveries.slice(-6)).toEqual(deliveries);
  });

  it("starts every copy at once when concurrent, and resolves when the last has finished", async () => {
    const { bus, first, second } = busWithTwoRules(30);
    const [a, b] = (await threeReceived(bus, first, second)) as [BusEvent, BusEvent, BusEvent];

    const deliveries = await bus.deliverTo("svc.second", { events: [b.id, a.id], copies: 3, concurrent: true });

    expect(second.maxRunning).toBe(6);
    expect(second.received.map((r) => r.n)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(deliveries.every((d) => d.status === "delivered")).toBe(true);
    expect(deliveries.map((d) => d.copy).sort()).toEqual([2, 2, 3, 3, 4, 4]);
    expect(first.received).toEqual([]);
  });

  it("retries each copy as any delivery and dead-letters it with the reason", async () => {
    const { bus, first } = busWithTwoRules();
    const event = bus.put({ source: "tmg.test", detailType: "Thing.v1", detail: { n: 7, failTimes: 5 } });
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);

    const [delivery] = await bus.deliverTo("svc.first", { events: [event.id] });

    // Two failures were left: the copy fails twice, then succeeds on its third attempt.
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, result: { consumed: 7 } });
    const [last] = await bus.deliverTo("svc.first", { events: [event.id] });
    expect(last).toMatchObject({ status: "delivered", attempts: 1 });
    expect(first.received).toHaveLength(3 + 3 + 1);

    const failing = bus.put({ source: "tmg.test", detailType: "Thing.v1", detail: { n: 8, failTimes: 99 } });
    await bus.idle();
    const [dead] = await bus.deliverTo("svc.first", { events: [failing.id] });
    expect(dead).toMatchObject({ status: "dead-lettered", attempts: 3, error: "first refuses 8: field n is wrong" });
    expect(bus.deadLetters.map((d) => [d.rule, d.error])).toEqual([
      ["svc.first", "first refuses 7: field n is wrong"],
      ["svc.first", "first refuses 8: field n is wrong"],
      ["svc.first", "first refuses 8: field n is wrong"],
    ]);
  });

  it("counts as work under way: idle waits for it", async () => {
    const { bus, first } = busWithTwoRules(20);
    const [a] = (await threeReceived(bus, first)) as [BusEvent, BusEvent, BusEvent];
    const startedBefore = bus.started;
    const delivering = bus.deliverTo("svc.first", { events: [a.id], copies: 2 });
    await bus.idle();
    expect(first.received).toHaveLength(2);
    expect(bus.started).toBe(startedBefore + 2);
    await delivering;
  });

  it("refuses an unknown rule, an unknown event and an event the rule's pattern does not match, delivering nothing", async () => {
    const { bus, first, second } = busWithTwoRules();
    const [a] = (await threeReceived(bus, first, second)) as [BusEvent, BusEvent, BusEvent];
    const other = bus.put({ source: "tmg.test", detailType: "Thing.v1", detail: { n: 9 } });
    await bus.idle();
    const deliveriesBefore = bus.deliveries.length;
    first.received.length = 0;

    const refusal = (rule: string, events: string[]) =>
      bus.deliverTo(rule, { events }).catch((error: unknown) => error);
    expect(await refusal("svc.none", [a.id])).toMatchObject({ reason: "unknown-rule" });
    expect(await refusal("svc.second", [a.id, "no-such-id"])).toMatchObject({
      reason: "unknown-event",
      message: "No event no-such-id was received",
    });
    const unmatched = await refusal("svc.second", [a.id, other.id]);
    expect(unmatched).toBeInstanceOf(TargetedDeliveryRefused);
    expect(unmatched).toMatchObject({ reason: "not-matched" });

    expect(bus.deliveries).toHaveLength(deliveriesBefore);
    expect([...first.received, ...second.received]).toEqual([]);
  });
});

describe("POST /rules/{rule}/deliver", () => {
  let bus: LocalEventBus;
  let first: RecordingTarget;
  let second: RecordingTarget;
  let server: Server;
  let endpoint: string;
  let client: EventBridgeClient;

  beforeEach(async () => {
    ({ bus, first, second } = busWithTwoRules());
    server = createEventBridgeServer(bus);
    endpoint = `http://127.0.0.1:${await listen(server, 0)}`;
    client = eventsClientFor(endpoint);
  });

  afterEach(async () => {
    client.destroy();
    await bus.idle();
    await close(server);
  });

  const deliver = (rule: string, body: unknown) =>
    fetch(`${endpoint}/rules/${encodeURIComponent(rule)}/deliver`, { method: "POST", body: JSON.stringify(body) });

  it("delivers to the named rule's target what a producer put with PutEvents, and answers with the records", async () => {
    const put = await client.send(
      new PutEventsCommand({
        Entries: [0, 1].map((n) => ({
          EventBusName: "test-bus",
          Source: "tmg.test",
          DetailType: "Second.v1",
          Detail: JSON.stringify({ n }),
        })),
      }),
    );
    const ids = (put.Entries ?? []).map((entry) => String(entry.EventId));
    await bus.idle();
    first.received.length = 0;
    second.received.length = 0;

    const response = await deliver("svc.second", { events: [...ids].reverse(), copies: 2, concurrent: true });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { rule: string; deliveries: { eventId: string; status: string }[] };
    expect(body.rule).toBe("svc.second");
    expect(body.deliveries.map((d) => [d.eventId, d.status])).toEqual(
      [ids[1], ids[0], ids[1], ids[0]].map((id) => [id, "delivered"]),
    );
    expect(second.received.map((r) => r.n)).toEqual([1, 0, 1, 0]);
    expect(first.received).toEqual([]);
    const listed = (await (await fetch(`${endpoint}/deliveries?event=${ids[0]}`)).json()) as {
      deliveries: { rule: string; copy: number; result: unknown }[];
    };
    expect(listed.deliveries.map((d) => [d.rule, d.copy, d.result])).toEqual([
      ["svc.first", 1, { consumed: 0 }],
      ["svc.second", 1, { consumed: 0 }],
      ["svc.second", 2, { consumed: 0 }],
      ["svc.second", 3, { consumed: 0 }],
    ]);
  });

  it("answers 400 for a malformed request, 404 for an unknown rule or event, 422 for an unmatched event", async () => {
    const other = bus.put({ source: "tmg.test", detailType: "Thing.v1", detail: { n: 1 } });
    await bus.idle();
    expect((await deliver("svc.first", { events: [] })).status).toBe(400);
    expect((await deliver("svc.first", { events: [other.id], copies: 11 })).status).toBe(400);
    expect((await deliver("svc.none", { events: [other.id] })).status).toBe(404);
    expect((await deliver("svc.first", { events: ["no-such-id"] })).status).toBe(404);
    const unmatched = await deliver("svc.second", { events: [other.id] });
    expect(unmatched.status).toBe(422);
    expect(await unmatched.json()).toEqual({
      reason: "not-matched",
      message: `Event ${other.id} does not match the pattern of rule svc.second`,
    });
  });
});
