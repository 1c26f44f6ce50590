import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { createDocumentClient } from "../src/dynamo.ts";
import { eventHandler } from "../src/events.ts";
import { defineSubscription, standardTable } from "../src/manifest.ts";
import { problems } from "../src/problems.ts";
import { Transaction } from "../src/transaction.ts";
import { lambdaContext } from "./fixtures.ts";

const table = standardTable("KIT_TEST_TABLE", []);
const tableName = `kit-${randomUUID()}`;
process.env.KIT_TEST_TABLE = tableName;
const raw = new DynamoDBClient({});
const documents = createDocumentClient();

const Ping = {
  source: "test.kit",
  detailType: "Ping.v1",
  detail: z.object({ n: z.int(), correlationId: z.optional(z.string()) }),
};
const subscription = defineSubscription({ name: "ping", contract: Ping, handler: "unused" });

const envelope = (id: string, detail: unknown) => ({
  version: "0",
  id,
  "detail-type": "Ping.v1",
  source: "test.kit",
  account: "123456789012",
  time: "2026-11-28T00:00:00Z",
  region: "ap-northeast-1",
  resources: [],
  detail,
});

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

describe("event consumer", () => {
  it("consumes an event once per id, however often it is delivered", async () => {
    const seen: number[] = [];
    const handler = eventHandler(subscription, async (detail) => void seen.push(detail.n), {
      serviceName: "kit",
      table,
    });
    const id = randomUUID();
    await handler(envelope(id, { n: 1 }), lambdaContext());
    await handler(envelope(id, { n: 1 }), lambdaContext());
    await handler(envelope(randomUUID(), { n: 2 }), lambdaContext());
    expect(seen).toEqual([1, 2]);
  });

  it("throws on a detail that breaks the contract, so it is retried and dead-lettered", async () => {
    const handler = eventHandler(subscription, async () => undefined, { serviceName: "kit", table });
    await expect(handler(envelope(randomUUID(), { n: "one" }), lambdaContext())).rejects.toThrow(
      /breaks its contract at n/,
    );
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
    const id = randomUUID();
    await expect(handler(envelope(id, { n: 3 }), lambdaContext())).rejects.toThrow("transient");
    await handler(envelope(id, { n: 3 }), lambdaContext());
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
      .publish(Ping, { n: 7 })
      .audit({ entity: key.pk, action: "thing.created", beforeVersion: null, afterVersion: 1 })
      .commit(documents);

    const failing = new Transaction(tableName, context)
      .put(
        { ...key, version: 1 },
        { expression: "attribute_not_exists(pk)", onFailed: () => problems.conflict("exists") },
      )
      .publish(Ping, { n: 8 })
      .audit({ entity: key.pk, action: "thing.created", beforeVersion: null, afterVersion: 1 });
    await expect(failing.commit(documents)).rejects.toMatchObject({ status: 409 });

    const { Items = [] } = await raw.send(new ScanCommand({ TableName: tableName }));
    const outbox = Items.filter((i) => i.pk?.S?.startsWith("OUTBOX#")).map((i) => JSON.parse(String(i.detail?.S)));
    expect(outbox).toContainEqual({ n: 7, correlationId: "corr-9" });
    expect(outbox).not.toContainEqual(expect.objectContaining({ n: 8 }));
    expect(Items.filter((i) => i.pk?.S === `AUDIT#${key.pk}`)).toHaveLength(1);
  });

  it("refuses to queue an event that breaks its own contract", () => {
    expect(() => new Transaction(tableName, context).publish(Ping, { n: 1.5 })).toThrow();
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
});
