import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { beforeAll, describe, expect, it } from "vitest";
import { BATCH_GET_MAX_KEYS, batchGetAll, UnprocessedKeysRemain } from "../src/batch-get.ts";
import { createDocumentClient } from "../src/dynamo.ts";
import { standardTable } from "../src/manifest.ts";
import { throttledBatchGets } from "../src/testing.ts";

const table = standardTable("KIT_BATCH_TEST_TABLE", []);
const tableName = `kit-batch-${randomUUID()}`;
const documents = createDocumentClient();

type Key = { pk: string; sk: string };
const keyOf = (n: number): Key => ({ pk: `THING#${String(n).padStart(4, "0")}`, sk: "THING" });
/** 250 items stored: more than two requests' worth of keys. */
const STORED = 250;

beforeAll(async () => {
  await ensureTable(new DynamoDBClient({}), tableName, table);
  const items = Array.from({ length: STORED }, (_, n) => ({
    ...keyOf(n),
    n,
    label: `thing ${n}`,
    body: "x".repeat(200),
  }));
  for (let start = 0; start < items.length; start += 25) {
    await documents.send(
      new BatchWriteCommand({
        RequestItems: { [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
});

/** Withholds the keys past the first `share` of each request, as DynamoDB does when throttled. */
function throttlingClient(options: { throttledCalls: number; share: number }) {
  const { client, state } = throttledBatchGets({
    tableName,
    throttledCalls: options.throttledCalls,
    withhold: (keys) => keys.slice(Math.floor(keys.length * options.share)),
  });
  return { client, requests: state.requests as Key[][] };
}

/** Records the backoff waits instead of sleeping them. */
function recordedSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const ns = (items: Record<string, unknown>[]) => items.map((item) => item.n as number).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("batchGetAll on DynamoDB Local", () => {
  it("returns every item although DynamoDB leaves most keys unprocessed the first rounds, waiting longer each round", async () => {
    const { client, requests } = throttlingClient({ throttledCalls: 3, share: 0.3 });
    const { waits, sleep } = recordedSleep();
    const wanted = range(0, 40).map(keyOf);

    const items = await batchGetAll(client, tableName, wanted, { sleep, baseDelayMs: 100 });

    expect(ns(items)).toEqual(range(0, 40));
    // 40 keys, then the 28 left unprocessed, then 20, then 14: the fourth call is served in full.
    expect(requests.map((keys) => keys.length)).toEqual([40, 28, 20, 14]);
    expect(waits).toHaveLength(3);
    waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it("asks for at most 100 keys at a time and returns every item of a larger list, throttled or not", async () => {
    const { client, requests } = throttlingClient({ throttledCalls: 2, share: 0.5 });
    const { sleep } = recordedSleep();
    const wanted = range(0, STORED).map(keyOf);

    const items = await batchGetAll(client, tableName, wanted, { sleep });

    expect(ns(items)).toEqual(range(0, STORED));
    expect(requests.every((keys) => keys.length <= BATCH_GET_MAX_KEYS)).toBe(true);
    const asked = requests.flat().map((key) => key.pk);
    expect(new Set(asked)).toEqual(new Set(wanted.map((key) => key.pk)));
    // First chunk: 100, its 50 unprocessed, its 25 unprocessed... then the chunks of 100 and 50 in full.
    expect(requests.map((keys) => keys.length)).toEqual([100, 50, 25, 100, 50]);
  });

  it("leaves out only keys DynamoDB processed and found nothing for", async () => {
    const { client } = throttlingClient({ throttledCalls: 2, share: 0.5 });
    const { sleep } = recordedSleep();
    const missing = range(STORED, STORED + 5).map(keyOf);

    const items = await batchGetAll(client, tableName, [...range(0, 5).map(keyOf), ...missing], { sleep });

    expect(ns(items)).toEqual(range(0, 5));
  });

  it("keeps the projection on the keys it reads again", async () => {
    const { client } = throttlingClient({ throttledCalls: 1, share: 0.5 });
    const { sleep } = recordedSleep();

    const items = await batchGetAll(client, tableName, range(0, 6).map(keyOf), {
      sleep,
      projection: "#n, #label",
      names: { "#n": "n", "#label": "label" },
    });

    expect(items).toHaveLength(6);
    for (const item of items) expect(Object.keys(item).sort()).toEqual(["label", "n"]);
  });

  it("throws UnprocessedKeysRemain when keys stay unprocessed after every retry, rather than call them missing", async () => {
    const { client, requests } = throttlingClient({ throttledCalls: Number.POSITIVE_INFINITY, share: 0.5 });
    const { waits, sleep } = recordedSleep();

    const reading = batchGetAll(client, tableName, range(0, 8).map(keyOf), { sleep, maxRounds: 3 });

    await expect(reading).rejects.toBeInstanceOf(UnprocessedKeysRemain);
    await expect(reading).rejects.toThrow("1 key(s) still unprocessed after 3 retries");
    // The first call and three retries: 8, 4, 2, 1 keys; the last key is never read.
    expect(requests.map((keys) => keys.length)).toEqual([8, 4, 2, 1]);
    expect(waits).toHaveLength(3);
  });
});
