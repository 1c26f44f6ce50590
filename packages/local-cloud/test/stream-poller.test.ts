import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { OUTBOX_STREAM_FILTER } from "@cdp/lambda-kit";
import { afterEach, describe, expect, it } from "vitest";
import type { DeadLetter } from "../src/eventbridge/bus.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";
import { StreamPoller } from "../src/stream-poller.ts";
import { recorder } from "./fixtures/recording-relay.ts";

const client = new DynamoDBClient({});
const relay = new LocalFunction("relay", fileURLToPath(new URL("./fixtures/recording-relay.ts", import.meta.url)));
const spec = {
  partitionKey: "pk",
  sortKey: "sk",
  indexes: [] as { name: string; partitionKey: string; sortKey: string }[],
  ttlAttribute: "expiresAt",
};
const pollers: StreamPoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

async function pollerOn(table: string, deadLetters: DeadLetter[], checkpointFile?: string): Promise<StreamPoller> {
  const poller = new StreamPoller(table, relay, OUTBOX_STREAM_FILTER, deadLetters, checkpointFile);
  pollers.push(poller);
  await poller.start();
  return poller;
}

const put = (table: string, pk: string) =>
  client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: "OUTBOX" } } }));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("stream poller", () => {
  it("delivers the outbox items written after it started on an empty table, and nothing else, in order", async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(client, table, spec);
    await pollerOn(table, []);
    const ids = Array.from({ length: 5 }, (_, i) => `OUTBOX#${table}-${i}`);
    await put(table, `PARTNER#${table}`);
    for (const id of ids) await put(table, id);
    await until(() => ids.every((id) => recorder().delivered.includes(id)));
    const mine = recorder().delivered.filter((pk) => pk.includes(table));
    expect(mine).toEqual(ids);
  });

  it("says when it has caught up: every record written before the question has been delivered", async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(client, table, spec);
    const poller = await pollerOn(table, []);
    const ids = Array.from({ length: 30 }, (_, i) => `OUTBOX#${table}-caught-${i}`);
    for (const id of ids) await put(table, id);
    await poller.caughtUp();
    // No polling in the test: the answer itself is the condition.
    expect(recorder().delivered.filter((pk) => pk.includes(`${table}-caught-`))).toEqual(ids);
    expect(poller.delivered).toBe(30);
  });

  it("retries from the failed record on, then dead-letters what still fails", async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(client, table, spec);
    const deadLetters: DeadLetter[] = [];
    await pollerOn(table, deadLetters);
    const flaky = `OUTBOX#${table}-flaky`;
    const broken = `OUTBOX#${table}-broken`;
    recorder().failuresLeft.set(flaky, 1);
    recorder().failuresLeft.set(broken, 99);
    await put(table, flaky);
    await until(() => recorder().delivered.includes(flaky));
    await put(table, broken);
    await until(() => deadLetters.length === 1);
    expect(deadLetters[0]).toMatchObject({ rule: `${table}-stream`, target: "relay", attempts: 3 });
    expect(recorder().delivered.filter((pk) => pk === flaky)).toHaveLength(1);
    expect(recorder().delivered).not.toContain(broken);
  });

  it("with data kept on disk and no saved position, skips what the stream holds (earlier runs published it)", async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(client, table, spec);
    const old = `OUTBOX#${table}-old`;
    await put(table, old);
    await pollerOn(table, [], join(mkdtempSync(join(tmpdir(), "positions-")), `${table}.json`));
    const fresh = `OUTBOX#${table}-fresh`;
    await put(table, fresh);
    await until(() => recorder().delivered.includes(fresh));
    expect(recorder().delivered).not.toContain(old);
  });

  it("resumes after its saved position: what was written while it was stopped is delivered at its next start, once", async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(client, table, spec);
    const positions = join(mkdtempSync(join(tmpdir(), "positions-")), `${table}.json`);
    const first = await pollerOn(table, [], positions);
    const before = `OUTBOX#${table}-before`;
    await put(table, before);
    await first.caughtUp();
    await first.stop();
    pollers.splice(pollers.indexOf(first), 1);
    const whileStopped = Array.from({ length: 3 }, (_, i) => `OUTBOX#${table}-stopped-${i}`);
    for (const id of whileStopped) await put(table, id);
    const second = await pollerOn(table, [], positions);
    await second.caughtUp();
    const mine = recorder().delivered.filter((pk) => pk.includes(table));
    expect(mine).toEqual([before, ...whileStopped]);
  });
});
