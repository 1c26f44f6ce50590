import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { TransactionTooLarge } from "../src/conflict.ts";
import { event, Refused, refuse } from "../src/decision.ts";
import { createDocumentClient } from "../src/dynamo.ts";
import { eventHandler } from "../src/events.ts";
import { defineMultiSubscription, defineSubscription, standardTable } from "../src/manifest.ts";
import { problems } from "../src/problems.ts";
import { eventBridgeEvent, eventMetadata, lambdaContext } from "../src/testing.ts";
import { Transaction } from "../src/transaction.ts";
import { Ping, pingDelivery } from "./ping.ts";

const table = standardTable("KIT_TEST_TABLE", []);
const tableName = `kit-${randomUUID()}`;
process.env.KIT_TEST_TABLE = tableName;
const raw = new DynamoDBClient({});
const documents = createDocumentClient();

const subscription = defineSubscription({ name: "ping", contract: Ping, handler: "unused" });

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

describe("event consumer", () => {
  it("consumes an event once per its own id, whatever envelope id each delivery has", async () => {
    const seen: number[] = [];
    const handler = eventHandler(subscription, async (detail) => void seen.push(detail.n), {
      serviceName: "kit",
      table,
    });
    const eventId = randomUUID();
    // A relay retry after a lost response: same event, new envelope id.
    await handler(pingDelivery(1, eventId), lambdaContext());
    await handler(pingDelivery(1, eventId), lambdaContext());
    // Two different events may even share an envelope id in a replay: each is its own.
    const sharedEnvelope = randomUUID();
    await handler(pingDelivery(2, randomUUID(), sharedEnvelope), lambdaContext());
    await handler(pingDelivery(3, randomUUID(), sharedEnvelope), lambdaContext());
    expect(seen).toEqual([1, 2, 3]);
  });

  it("maps refusals by the consumer's policy: ignore, retry, or dead-letter with the reason", async () => {
    let calls = 0;
    const make = (thrown: () => Error, onRefusal?: Parameters<typeof eventHandler>[2]["onRefusal"]) =>
      eventHandler(
        subscription,
        async () => {
          calls++;
          throw thrown();
        },
        { serviceName: "kit", table, ...(onRefusal && { onRefusal }) },
      );
    const conflict = () => new Refused(refuse.conflict("already done", "completed"));
    await expect(make(conflict)(pingDelivery(1), lambdaContext())).resolves.toMatchObject({
      ignored: "conflict",
    });
    const stale = () => new Refused(refuse.stale(3));
    await expect(make(stale)(pingDelivery(1), lambdaContext())).rejects.toBeInstanceOf(Refused);
    const missing = () => new Refused(refuse.notFound("Partner atlantis"));
    await expect(make(missing)(pingDelivery(1), lambdaContext())).rejects.toThrow(
      /Ping\.v1 .*: Partner atlantis does not exist/,
    );
    await expect(make(missing, { "not-found": "ignore" })(pingDelivery(1), lambdaContext())).resolves.toMatchObject({
      ignored: "not-found",
    });
    expect(calls).toBe(4);
  });

  it("checks each event of a consumer of several against its own contract, and takes no other", async () => {
    const Pong = {
      source: "test.other",
      detailType: "Pong.v1",
      detail: z.object({ word: z.string(), metadata: z.looseObject({ eventId: z.string() }) }),
    };
    const readModel = defineMultiSubscription({ name: "read-model", contracts: [Ping, Pong], handler: "unused" });
    expect(readModel.pattern).toEqual({ source: ["test.kit", "test.other"], "detail-type": ["Ping.v1", "Pong.v1"] });
    const seen: [string, unknown][] = [];
    const handler = eventHandler(
      readModel,
      async (detail, { envelope }) => void seen.push([envelope["detail-type"], detail]),
      {
        serviceName: "kit",
        table,
      },
    );
    const pong = (word: unknown) => eventBridgeEvent(Pong.source, Pong.detailType, { word, metadata: eventMetadata() });
    await handler(pingDelivery(7), lambdaContext());
    await handler(pong("hello"), lambdaContext());
    expect(seen.map(([type]) => type)).toEqual(["Ping.v1", "Pong.v1"]);
    // A Pong is not a Ping: its own contract is applied, and its fields are named.
    await expect(handler(pong(42), lambdaContext())).rejects.toThrow(/Pong\.v1 breaks its contract at word/);
    await expect(
      handler(eventBridgeEvent("test.kit", "Other.v1", { metadata: eventMetadata() }), lambdaContext()),
    ).rejects.toThrow(/test\.kit Other\.v1 is not consumed by read-model/);
  });

  it("throws on a detail that breaks the contract, so it is retried and dead-lettered", async () => {
    const handler = eventHandler(subscription, async () => undefined, { serviceName: "kit", table });
    await expect(handler(pingDelivery("one"), lambdaContext())).rejects.toThrow(/breaks its contract at n/);
  });

  it("lets a failed consumption be retried: the idempotency record is released", async () => {
    let calls = 0;
    const handler = eventHandler(
      subscription,
      async () => {
        calls++;
        if (calls === 1) throw new Error("transient");
      },
      { serviceName: "kit", table },
    );
    const eventId = randomUUID();
    await expect(handler(pingDelivery(3, eventId), lambdaContext())).rejects.toThrow("transient");
    await handler(pingDelivery(3, eventId), lambdaContext());
    expect(calls).toBe(2);
  });
});

describe("transaction with outbox", () => {
  const context = { actor: "tester", correlationId: "corr-9", now: new Date("2026-11-28T00:00:00Z") };

  it("writes the state, the outbox event and the audit record together, or nothing", async () => {
    const key = { pk: `THING#${randomUUID()}`, sk: "THING" };
    await new Transaction(tableName, context)
      .put(
        { ...key, version: 1 },
        { expression: "attribute_not_exists(pk)", onFailed: () => problems.conflict("exists") },
      )
      .publish(event(Ping, { n: 7 }))
      .audit({ entity: key.pk, action: "thing.created", beforeVersion: null, afterVersion: 1 })
      .commit(documents);

    const failing = new Transaction(tableName, context)
      .put(
        { ...key, version: 1 },
        { expression: "attribute_not_exists(pk)", onFailed: () => problems.conflict("exists") },
      )
      .publish(event(Ping, { n: 8 }))
      .audit({ entity: key.pk, action: "thing.created", beforeVersion: null, afterVersion: 1 });
    await expect(failing.commit(documents)).rejects.toMatchObject({ status: 409 });

    const { Items = [] } = await raw.send(new ScanCommand({ TableName: tableName }));
    const outbox = Items.filter((i) => i.pk?.S?.startsWith("OUTBOX#")).map((i) => JSON.parse(String(i.detail?.S)));
    const published = outbox.find((detail) => detail.n === 7);
    expect(published).toEqual({
      n: 7,
      correlationId: "corr-9",
      metadata: { eventId: expect.any(String), correlationId: "corr-9", occurredAt: "2026-11-28T00:00:00.000Z" },
    });
    // The event's identity is the outbox record's: set once, when the change is written.
    expect(Items.some((i) => i.pk?.S === `OUTBOX#${published.metadata.eventId}`)).toBe(true);
    expect(outbox).not.toContainEqual(expect.objectContaining({ n: 8 }));
    expect(Items.filter((i) => i.pk?.S === `AUDIT#${key.pk}`)).toHaveLength(1);
  });

  it("refuses to queue an event that breaks its own contract", () => {
    expect(() => new Transaction(tableName, context).publish(event(Ping, { n: 1.5 }))).toThrow();
  });

  it("passes the item as it was to the failure mapper (for 412 with the current version)", async () => {
    const key = { pk: `THING#${randomUUID()}`, sk: "THING" };
    await new Transaction(tableName, context).put({ ...key, version: 4 }).commit(documents);
    const stale = new Transaction(tableName, context).put(
      { ...key, version: 3 },
      {
        expression: "version = :v",
        values: { ":v": 2 },
        onFailed: (item) => problems.preconditionFailed(Number(item?.version)),
      },
    );
    await expect(stale.commit(documents)).rejects.toMatchObject({ status: 412, extensions: { currentVersion: 4 } });
  });

  it("refuses, before sending, more than 100 actions and names the count; nothing is written", async () => {
    const pk = `MANY#${randomUUID()}`;
    const tx = new Transaction(tableName, context);
    for (let i = 0; i < 101; i++) tx.put({ pk, sk: `ITEM#${i}` });
    await expect(tx.commit(documents)).rejects.toThrow(
      new TransactionTooLarge("A transaction takes at most 100 actions; this one has 101"),
    );
    const { Items = [] } = await raw.send(new ScanCommand({ TableName: tableName }));
    expect(Items.filter((i) => i.pk?.S === pk)).toHaveLength(0);
  });

  it("writes exactly 100 actions in one transaction", async () => {
    const pk = `HUNDRED#${randomUUID()}`;
    const tx = new Transaction(tableName, context);
    for (let i = 0; i < 100; i++) tx.put({ pk, sk: `ITEM#${i}` });
    await tx.commit(documents);
    const { Items = [] } = await raw.send(new ScanCommand({ TableName: tableName }));
    expect(Items.filter((i) => i.pk?.S === pk)).toHaveLength(100);
  });

  it("refuses an item over 400 KB and a transaction over 4 MB before DynamoDB does", async () => {
    const pk = `BIG#${randomUUID()}`;
    const big = new Transaction(tableName, context).put({ pk, sk: "ONE", text: "東".repeat(140_000) });
    expect(() => big.assertWithinLimits()).toThrow(/An item takes at most 409600 bytes; BIG#.* \/ ONE has 42\d{4}/);
    // Just under 400 KB, DynamoDB takes it: our estimate does not refuse what AWS accepts.
    const fits = new Transaction(tableName, context).put({ pk, sk: "FITS", text: "a".repeat(400 * 1024 - 100) });
    await fits.commit(documents);
    const heavy = new Transaction(tableName, context);
    for (let i = 0; i < 11; i++) heavy.put({ pk, sk: `PART#${i}`, text: "a".repeat(390 * 1024) });
    expect(() => heavy.assertWithinLimits()).toThrow(/at most 4194304 bytes; this one has \d+ in 11 actions/);
  });
});
