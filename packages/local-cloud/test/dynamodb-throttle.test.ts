import type { Server } from "node:http";
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable, startThrottleProxy, type ThrottleProxy } from "@cdp/dynamodb-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalEventBus } from "../src/eventbridge/bus.ts";
import { createEventBridgeServer } from "../src/eventbridge/server.ts";
import { close, listen } from "../src/http-util.ts";

const TABLE = "faults-throttle-test";

describe("POST /faults {dynamodb: {throttle}}", () => {
  let proxy: ThrottleProxy;
  let server: Server;
  let bare: Server;
  let endpoint: string;
  let bareEndpoint: string;
  let client: DynamoDBClient;

  beforeAll(async () => {
    const direct = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    if (!direct) throw new Error("AWS_ENDPOINT_URL_DYNAMODB is not set: run through the package's vitest setup");
    await ensureTable(new DynamoDBClient({ endpoint: direct }), TABLE, {
      partitionKey: "pk",
      sortKey: "sk",
      indexes: [],
      ttlAttribute: "expiresAt",
    });
    proxy = await startThrottleProxy({ target: direct });
    client = new DynamoDBClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
    server = createEventBridgeServer(new LocalEventBus("test-bus", "ap-northeast-1"), undefined, undefined, {
      dynamodb: proxy,
    });
    endpoint = `http://127.0.0.1:${await listen(server, 0)}`;
    bare = createEventBridgeServer(new LocalEventBus("bare-bus", "ap-northeast-1"));
    bareEndpoint = `http://127.0.0.1:${await listen(bare, 0)}`;
  });
  afterAll(async () => {
    client?.destroy();
    if (server) await close(server);
    if (bare) await close(bare);
    await proxy?.stop();
  });

  const faults = async (method: string, body?: unknown, at = endpoint) => {
    const response = await fetch(`${at}/faults`, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return {
      status: response.status,
      // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
      body: (await response.json()) as any,
    };
  };
  const getItem = () =>
    client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "a" }, sk: { S: "b" } } })).then(
      () => "answered",
      (error: Error) => error.name,
    );

  it("switches throttling on, lists it with the proxy's figures, and DELETE sets it back to 0", async () => {
    expect(await getItem()).toBe("answered");
    const on = await faults("POST", { dynamodb: { throttle: 1 } });
    expect(on.status).toBe(201);
    expect(on.body.faults).toEqual([{ dynamodb: { throttle: 1 } }]);
    expect(proxy.stats().share).toBe(1);
    expect(["ProvisionedThroughputExceededException", "ThrottlingException"]).toContain(await getItem());
    // Control-plane calls pass.
    expect((await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableName).toBe(TABLE);

    const listed = await faults("GET");
    expect(listed.body.faults).toEqual([{ dynamodb: { throttle: 1 } }]);
    expect(listed.body.dynamodb).toMatchObject({ share: 1, calls: 2, throttled: 1 });

    // Posting again replaces the share; beside other faults it is one entry of the list.
    await faults("POST", { dynamodb: { throttle: 0.2 }, deliveries: { copies: 2 } });
    expect((await faults("GET")).body.faults).toEqual([
      { deliveries: { copies: 2, shuffle: false, maxDelayMs: 0 } },
      { dynamodb: { throttle: 0.2 } },
    ]);

    const off = await faults("DELETE");
    expect(off.body.faults).toEqual([]);
    expect(proxy.stats().share).toBe(0);
    expect(await getItem()).toBe("answered");
  });

  it("refuses a share outside 0 to 1, naming the forms it takes", async () => {
    for (const body of [
      { dynamodb: { throttle: 1.5 } },
      { dynamodb: { throttle: -0.1 } },
      { dynamodb: { throttle: "0.2" } },
      { dynamodb: {} },
    ]) {
      const answer = await faults("POST", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toContain('{"dynamodb": {"throttle": 0 to 1}}');
    }
    expect(proxy.stats().share).toBe(0);
  });

  it("without a proxy refuses the switch and arms nothing else of the request", async () => {
    const answer = await faults("POST", { dynamodb: { throttle: 0.5 }, deliveries: { copies: 2 } }, bareEndpoint);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/throttle proxy/);
    const listed = await faults("GET", undefined, bareEndpoint);
    expect(listed.body).toEqual({ faults: [] });
  });
});
