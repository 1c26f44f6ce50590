import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { OUTBOX_STREAM_FILTER } from "@cdp/lambda-kit";
import { afterEach, describe, expect, it } from "vitest";
import { type BusEvent, type DeadLetter, LocalEventBus } from "../src/eventbridge/bus.ts";
import { createEventBridgeServer } from "../src/eventbridge/server.ts";
import { close, listen } from "../src/http-util.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";
import { StreamPoller } from "../src/stream-poller.ts";
import { recorder } from "./fixtures/recording-relay.ts";

/** A target that fails an event as many times as `failures` says for its detail's key, recording what it got. */
class FailingTarget extends LocalFunction {
  readonly received: string[] = [];
  readonly failures = new Map<string, number>();

  constructor(name: string) {
    super(name, "(in memory)");
  }

  override async invoke(event: unknown): Promise<unknown> {
    const { key } = (event as BusEvent).detail as { key: string };
    this.received.push(key);
    const left = this.failures.get(key) ?? 0;
    if (left > 0) {
      this.failures.set(key, left - 1);
      throw new Error(`${this.name} fails ${key}`);
    }
    return { consumed: key };
  }
}

const fast = { attempts: 3, firstDelayMs: 5 };
const servers: Server[] = [];
const pollers: StreamPoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  await Promise.all(servers.splice(0).map((server) => close(server)));
});

async function serve(bus: LocalEventBus, poller?: StreamPoller): Promise<string> {
  const server = createEventBridgeServer(bus, undefined, undefined, {
    ...(poller && { streams: { rules: () => [poller.rule], redrive: (letters) => poller.redeliver(letters) } }),
  });
  servers.push(server);
  return `http://127.0.0.1:${await listen(server, 0)}`;
}

async function redrive(endpoint: string, rule?: string): Promise<{ status: number; body: unknown }> {
  const query = rule === undefined ? "" : `?rule=${encodeURIComponent(rule)}`;
  const response = await fetch(`${endpoint}/dead-letters/redrive${query}`, { method: "POST" });
  return { status: response.status, body: await response.json() };
}

function busWithTwoRules() {
  const bus = new LocalEventBus("test-bus", "ap-northeast-1", fast);
  const first = new FailingTarget("first");
  const second = new FailingTarget("second");
  bus.addRule("svc.first", { source: ["tmg.test"] }, first);
  bus.addRule("svc.second", { source: ["tmg.test"], "detail-type": ["Second.v1"] }, second);
  return { bus, first, second };
}

describe("POST /dead-letters/redrive: a bus rule's letters", () => {
  it("hands each letter again to its own rule's target only, and answers once they have finished", async () => {
    const { bus, first, second } = busWithTwoRules();
    const endpoint = await serve(bus);
    first.failures.set("a", 3);
    const [event] = bus.putBatch([{ source: "tmg.test", detailType: "Second.v1", detail: { key: "a" } }]);
    await bus.idle();
    expect(bus.deadLetters.map((d) => [d.rule, d.attempts])).toEqual([["svc.first", 3]]);
    expect(second.received).toEqual(["a"]);

    expect(await redrive(endpoint)).toEqual({ status: 200, body: { redriven: 1, deadLettersLeft: 0 } });

    // Answered after the delivery: nothing is left running, the target acted, and the other rule saw nothing new.
    expect(first.received).toEqual(["a", "a", "a", "a"]);
    expect(second.received).toEqual(["a"]);
    expect(bus.deadLetters).toEqual([]);
    const redelivered = bus.deliveries.filter((d) => d.rule === "svc.first").at(-1);
    expect(redelivered).toMatchObject({ eventId: event?.id, copy: 2, status: "delivered", attempts: 1 });
  });

  it("puts a letter that fails again back on the list, its attempts counted on, until a redrive gets it through", async () => {
    const { bus, first } = busWithTwoRules();
    const endpoint = await serve(bus);
    first.failures.set("stubborn", 6);
    first.failures.set("fixed", 3);
    bus.putBatch(["stubborn", "fixed"].map((key) => ({ source: "tmg.test", detailType: "First.v1", detail: { key } })));
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(2);

    expect((await redrive(endpoint)).body).toEqual({ redriven: 2, deadLettersLeft: 1 });
    expect(bus.deadLetters).toMatchObject([
      { rule: "svc.first", attempts: 6, error: "first fails stubborn", event: { detail: { key: "stubborn" } } },
    ]);

    expect((await redrive(endpoint)).body).toEqual({ redriven: 1, deadLettersLeft: 0 });
    expect(first.received.filter((key) => key === "stubborn")).toHaveLength(7);
    expect(first.received.filter((key) => key === "fixed")).toHaveLength(4);
  });

  it("redrives one rule's letters when named, leaves the others, and refuses a rule it does not know", async () => {
    const { bus, first, second } = busWithTwoRules();
    const endpoint = await serve(bus);
    first.failures.set("both", 3);
    second.failures.set("both", 3);
    bus.putBatch([{ source: "tmg.test", detailType: "Second.v1", detail: { key: "both" } }]);
    await bus.idle();
    expect(bus.deadLetters.map((d) => d.rule).sort()).toEqual(["svc.first", "svc.second"]);

    expect((await redrive(endpoint, "svc.second")).body).toEqual({ redriven: 1, deadLettersLeft: 0 });
    expect(bus.deadLetters.map((d) => d.rule)).toEqual(["svc.first"]);
    expect(second.received).toHaveLength(4);
    expect(first.received).toHaveLength(3);

    const unknown = await redrive(endpoint, "svc.nothing");
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain("svc.first");
    // Without the stream pollers' side, a stream's letters are no rule of this server's.
    expect((await redrive(endpoint, "some-table-stream")).status).toBe(404);
    expect(bus.deadLetters).toHaveLength(1);
    expect((await redrive(endpoint)).body).toEqual({ redriven: 1, deadLettersLeft: 0 });
  });
});

describe("POST /dead-letters/redrive: a stream's letters", () => {
  const client = new DynamoDBClient({});
  const spec = {
    partitionKey: "pk",
    sortKey: "sk",
    indexes: [] as { name: string; partitionKey: string; sortKey: string }[],
    ttlAttribute: "expiresAt",
  };
  const relay = new LocalFunction("relay", fileURLToPath(new URL("./fixtures/recording-relay.ts", import.meta.url)));
  const put = (table: string, pk: string) =>
    client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: "OUTBOX" } } }));

  async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("hands the records to that table's relay again, in order, the bus's letters untouched", async () => {
    const table = `redrive-${randomUUID()}`;
    await ensureTable(client, table, spec);
    const { bus, first } = busWithTwoRules();
    first.failures.set("bus", 3);
    bus.putBatch([{ source: "tmg.test", detailType: "First.v1", detail: { key: "bus" } }]);
    await bus.idle();
    const poller = new StreamPoller(table, relay, OUTBOX_STREAM_FILTER, bus.deadLetters);
    pollers.push(poller);
    await poller.start();
    const endpoint = await serve(bus, poller);

    // The relay fails the first record three times (the poller's attempts), the second six: two redrives.
    const [once, twice] = [`OUTBOX#${table}-once`, `OUTBOX#${table}-twice`];
    recorder().failuresLeft.set(once, 3);
    recorder().failuresLeft.set(twice, 6);
    const streamLetters = () => bus.deadLetters.filter((d) => d.rule === `${table}-stream`);
    // One after the other, so that each is a batch of its own and spends its own attempts.
    await put(table, once);
    await until(() => streamLetters().length === 1);
    await put(table, twice);
    await until(() => streamLetters().length === 2);
    await poller.caughtUp();
    const pkOf = (letter: DeadLetter) =>
      (letter.event as { dynamodb: { NewImage: { pk: { S: string } } } }).dynamodb.NewImage.pk.S;
    expect(streamLetters().map((d) => [pkOf(d), d.target, d.attempts])).toEqual([
      [once, "relay", 3],
      [twice, "relay", 3],
    ]);

    expect((await redrive(endpoint, `${table}-stream`)).body).toEqual({ redriven: 2, deadLettersLeft: 1 });
    expect(recorder().delivered.filter((pk) => pk.includes(table))).toEqual([once]);
    expect(streamLetters().map((d) => [pkOf(d), d.attempts])).toEqual([[twice, 6]]);
    expect(bus.deadLetters.filter((d) => d.rule === "svc.first")).toHaveLength(1);

    expect((await redrive(endpoint, `${table}-stream`)).body).toEqual({ redriven: 1, deadLettersLeft: 0 });
    expect(recorder().delivered.filter((pk) => pk.includes(table))).toEqual([once, twice]);
    // Without a rule: what is left, the bus rule's letter.
    expect((await redrive(endpoint)).body).toEqual({ redriven: 1, deadLettersLeft: 0 });
    expect(first.received).toEqual(["bus", "bus", "bus", "bus"]);
  });
});
