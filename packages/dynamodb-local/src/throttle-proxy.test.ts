import {
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type DynamoDbLocal,
  ensureTable,
  startDynamoDbLocal,
  startThrottleProxy,
  type ThrottleProxy,
} from "./index.ts";

const TABLE = "throttle-proxy-test";
const THROTTLING_NAMES = ["ProvisionedThroughputExceededException", "ThrottlingException"];

let dynamo: DynamoDbLocal;
let proxy: ThrottleProxy;
const clients: DynamoDBClient[] = [];
/**
 * The SDK's standard retries (its classification of throttling included), waiting 10 ms a try rather than its
 * seconds of backoff: which errors are retried is under test here, not how long the SDK waits.
 */
const quickRetries = (attempts: number) => new ConfiguredRetryStrategy(attempts, (attempt) => 10 * attempt);
const clientOf = (endpoint: string, config: DynamoDBClientConfig = {}) => {
  const client = new DynamoDBClient({
    endpoint,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    retryStrategy: quickRetries(config.maxAttempts === undefined ? 4 : Number(config.maxAttempts)),
    ...config,
  });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  proxy = await startThrottleProxy({ target: dynamo.endpoint });
  // Through the proxy at share 0: control-plane calls pass as they are.
  await ensureTable(clientOf(proxy.endpoint), TABLE, {
    partitionKey: "pk",
    sortKey: "sk",
    indexes: [],
    ttlAttribute: "expiresAt",
  });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await proxy?.stop();
  await dynamo?.stop();
});
beforeEach(() => proxy.setThrottle(0));

const item = (pk: string, n: number) => ({ pk: { S: pk }, sk: { S: `n#${n}` }, n: { N: String(n) } });

describe("the throttle proxy", () => {
  it("forwards every call at share 0: writes land in DynamoDB Local and read back through the proxy", async () => {
    const client = clientOf(proxy.endpoint);
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item("forward", 1) }));
    const direct = await clientOf(dynamo.endpoint).send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "forward" }, sk: { S: "n#1" } } }),
    );
    expect(direct.Item?.n).toEqual({ N: "1" });
    const { Items } = await client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "forward" } },
      }),
    );
    expect(Items).toHaveLength(1);
  });

  it("counts the writes DynamoDB Local carried out: not reads, not refused conditions, not throttled calls", async () => {
    const client = clientOf(proxy.endpoint);
    const before = proxy.stats().writes;
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item("counted", 1) }));
    await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "counted" }, sk: { S: "n#1" } } }));
    await expect(
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: item("counted", 1),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    ).rejects.toThrow(/conditional/i);
    expect(proxy.stats().writes).toBe(before + 1);
  });

  it("answers as DynamoDB does when it throttles: 400, JSON 1.0, the error type in header and body", async () => {
    proxy.setThrottle(1);
    const response = await fetch(proxy.endpoint, {
      method: "POST",
      headers: { "x-amz-target": "DynamoDB_20120810.GetItem", "content-type": "application/x-amz-json-1.0" },
      body: JSON.stringify({ TableName: TABLE, Key: { pk: { S: "x" }, sk: { S: "y" } } }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    const type = response.headers.get("x-amzn-errortype") ?? "";
    expect(THROTTLING_NAMES).toContain(type);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe(`com.amazonaws.dynamodb.v20120810#${type}`);
    expect(body.message).toBe(
      type === "ThrottlingException"
        ? "Rate of requests exceeds the allowed throughput."
        : "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
    );
  });

  it("at share 1 fails every data-plane call with a throttling error, modelled by the SDK, and passes the rest", async () => {
    proxy.setThrottle(1);
    const noRetries = clientOf(proxy.endpoint, { maxAttempts: 1 });
    const before = proxy.stats();
    const names = new Set<string>();
    for (let n = 0; n < 12; n++) {
      const error = await noRetries.send(new PutItemCommand({ TableName: TABLE, Item: item("refused", n) })).then(
        () => undefined,
        (caught: unknown) => caught as Error & { $metadata: { httpStatusCode?: number } },
      );
      expect(error).toBeDefined();
      expect(THROTTLING_NAMES).toContain(error?.name);
      // The SDK deserialises them as the DynamoDB model's own errors, not as an unknown service error.
      expect(error instanceof ProvisionedThroughputExceededException || error instanceof ThrottlingException).toBe(
        true,
      );
      expect(error?.$metadata.httpStatusCode).toBe(400);
      names.add(String(error?.name));
    }
    expect(names.size).toBe(2); // each name is drawn half the time: both come in 12 draws but for 1 in 2048
    expect(proxy.stats()).toMatchObject({ calls: before.calls + 12, throttled: before.throttled + 12 });
    // Nothing throttled reached DynamoDB Local.
    const direct = await clientOf(dynamo.endpoint).send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "refused" } },
      }),
    );
    expect(direct.Items).toEqual([]);
    // Control-plane calls are never throttled.
    const { Table } = await noRetries.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.TableName).toBe(TABLE);
  });

  it("is retried by the SDK as throttling: with retries on, the error comes after every attempt is spent", async () => {
    proxy.setThrottle(1);
    const error = (await clientOf(proxy.endpoint, { maxAttempts: 3 })
      .send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "x" }, sk: { S: "y" } } }))
      .catch((caught: unknown) => caught)) as Error & { $metadata: { attempts?: number } };
    expect(THROTTLING_NAMES).toContain(error.name);
    expect(error.$metadata.attempts).toBe(3);
  });

  it("at share 0.2 throttles a plausible share of a few hundred calls, and each call ends right or throttled", async () => {
    proxy.setThrottle(0.2);
    const client = clientOf(proxy.endpoint); // the SDK's default retries
    const before = proxy.stats();
    const outcomes = { right: 0, throttled: 0 };
    const one = async (n: number) => {
      try {
        await client.send(new PutItemCommand({ TableName: TABLE, Item: item("mixed", n) }));
      } catch (error) {
        expect(THROTTLING_NAMES).toContain((error as Error).name);
        outcomes.throttled++;
        return;
      }
      try {
        const { Item } = await client.send(
          new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "mixed" }, sk: { S: `n#${n}` } } }),
        );
        expect(Item?.n).toEqual({ N: String(n) });
        outcomes.right++;
      } catch (error) {
        expect(THROTTLING_NAMES).toContain((error as Error).name);
        outcomes.throttled++;
      }
    };
    const total = 200;
    // 25 callers at a time, each taking the next call as soon as its last one ended (a retry waits up to seconds).
    let next = 0;
    const caller = async () => {
      while (next < total) await one(next++);
    };
    await Promise.all(Array.from({ length: 25 }, caller));
    const after = proxy.stats();
    const calls = after.calls - before.calls;
    const throttled = after.throttled - before.throttled;
    // 400 calls and their retries: the binomial's standard deviation is about 2 points of share; 0.12 to 0.28 is 4.
    expect(calls).toBeGreaterThanOrEqual(2 * total);
    expect(throttled / calls).toBeGreaterThan(0.12);
    expect(throttled / calls).toBeLessThan(0.28);
    expect(outcomes.right + outcomes.throttled).toBe(total);
    // A call fails only when all 4 of its attempts are throttled: 0.2⁴ = 0.16 %.
    expect(outcomes.right).toBeGreaterThanOrEqual(total - 5);
    console.log(
      `throttle proxy at 0.2: ${calls} calls, ${throttled} throttled (${((100 * throttled) / calls).toFixed(1)} %), ` +
        `${outcomes.right} of ${total} put-then-get right, ${outcomes.throttled} throttled after the SDK's retries`,
    );
  });

  it("refuses a share outside 0 to 1", () => {
    expect(() => proxy.setThrottle(1.5)).toThrow(RangeError);
    expect(() => proxy.setThrottle(Number.NaN)).toThrow(RangeError);
  });
});
