import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "../src/dynamo.ts";
import { eventHandler } from "../src/events.ts";
import { EventInProgress, IdempotencyStore } from "../src/idempotency.ts";
import { defineSubscription, standardTable } from "../src/manifest.ts";
import { lambdaContext } from "../src/testing.ts";
import { Ping, pingDelivery } from "./ping.ts";

const table = standardTable("KIT_IDEMPOTENCY_TABLE", []);
const tableName = `kit-idempotency-${randomUUID()}`;
process.env.KIT_IDEMPOTENCY_TABLE = tableName;
const documents = createDocumentClient();
const WEEK_SECONDS = 7 * 24 * 3600;

beforeAll(async () => {
  await ensureTable(new DynamoDBClient({}), tableName, table);
});

/** A store on DynamoDB Local whose clock the test moves. */
function storeAt(clock: { now: number }, scope = "svc#consumer") {
  return new IdempotencyStore<{ consumed: string }>(documents, tableName, table, scope, {
    expiresAfterSeconds: WEEK_SECONDS,
    now: () => clock.now,
  });
}

describe("idempotency records", () => {
  it("claim, then in progress, then completed with the stored result", async () => {
    const clock = { now: Date.parse("2026-11-28T00:00:00Z") };
    const store = storeAt(clock);
    const eventId = randomUUID();
    expect(await store.claim(eventId, 30_000)).toEqual({ status: "claimed" });
    expect(await store.claim(eventId, 30_000)).toEqual({ status: "in-progress" });
    await store.complete(eventId, { consumed: eventId });
    expect(await store.claim(eventId, 30_000)).toEqual({ status: "completed", result: { consumed: eventId } });
  });

  it("kept in the service's table, expiring a week later (DynamoDB TTL)", async () => {
    const clock = { now: Date.parse("2026-11-28T00:00:00Z") };
    const eventId = randomUUID();
    await storeAt(clock).claim(eventId, 30_000);
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: "IDEMPOTENCY#svc#consumer", sk: `EVENT#${eventId}` } }),
    );
    expect(Item).toMatchObject({ status: "IN_PROGRESS", expiresAt: clock.now / 1000 + WEEK_SECONDS });
  });

  it("released on failure, so the retry acts", async () => {
    const store = storeAt({ now: Date.now() });
    const eventId = randomUUID();
    await store.claim(eventId, 30_000);
    await store.release(eventId);
    expect(await store.claim(eventId, 30_000)).toEqual({ status: "claimed" });
  });

  it("a claim lapses when its invocation's time is up (a timeout or crash left it)", async () => {
    const clock = { now: Date.parse("2026-11-28T00:00:00Z") };
    const store = storeAt(clock);
    const eventId = randomUUID();
    await store.claim(eventId, 30_000);
    clock.now += 29_000;
    expect(await store.claim(eventId, 30_000)).toEqual({ status: "in-progress" });
    clock.now += 2_000;
    expect(await store.claim(eventId, 30_000)).toEqual({ status: "claimed" });
  });

  it("a completed event is remembered a week, even before TTL has deleted its record", async () => {
    const clock = { now: Date.parse("2026-11-28T00:00:00Z") };
    const store = storeAt(clock);
    const eventId = randomUUID();
    await store.claim(eventId, 30_000);
    await store.complete(eventId, { consumed: eventId });
    clock.now += (WEEK_SECONDS - 60) * 1000;
    expect((await store.claim(eventId, 30_000)).status).toBe("completed");
    clock.now += 120_000;
    expect(await store.claim(eventId, 30_000)).toEqual({ status: "claimed" });
  });

  it("of simultaneous claims exactly one wins; each consumer has its own", async () => {
    const clock = { now: Date.now() };
    const eventId = randomUUID();
    const claims = await Promise.all(Array.from({ length: 5 }, () => storeAt(clock).claim(eventId, 30_000)));
    expect(claims.filter((claim) => claim.status === "claimed")).toHaveLength(1);
    expect(await storeAt(clock, "svc#other-consumer").claim(eventId, 30_000)).toEqual({ status: "claimed" });
  });
});

describe("a consumer and a redelivery arriving while it works", () => {
  const subscription = defineSubscription({ name: "slow-ping", contract: Ping, handler: "unused" });

  it("the redelivery fails (the platform retries it later), and the retry gets the first one's result", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const working = new Promise<void>((resolve) => {
      started = resolve;
    });
    let calls = 0;
    const handler = eventHandler(
      subscription,
      async () => {
        calls++;
        started();
        await gate;
      },
      { serviceName: "kit", table },
    );
    const eventId = randomUUID();
    const first = handler(pingDelivery(1, eventId), lambdaContext());
    await working;
    await expect(handler(pingDelivery(1, eventId), lambdaContext())).rejects.toBeInstanceOf(EventInProgress);
    release();
    await expect(first).resolves.toEqual({ consumed: eventId });
    await expect(handler(pingDelivery(1, eventId), lambdaContext())).resolves.toEqual({ consumed: eventId });
    expect(calls).toBe(1);
  });
});
