import { randomUUID } from "node:crypto";
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable, startThrottleProxy, type ThrottleProxy } from "@cdp/dynamodb-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { UnprocessedKeysRemain } from "../src/batch-get.ts";
import { TransactionConflict } from "../src/conflict.ts";
import { Refused } from "../src/decision.ts";
import { createDocumentClient, DYNAMODB_RETRY } from "../src/dynamo.ts";
import { eventHandler } from "../src/events.ts";
import { httpHandler } from "../src/http.ts";
import { defineRoute, defineSubscription, standardTable } from "../src/manifest.ts";
import { answer, httpEvent, lambdaContext } from "../src/testing.ts";
import { isThrottling } from "../src/throttling.ts";
import { Ping, pingDelivery } from "./ping.ts";

const meta = { $metadata: {} };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    ...meta,
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe("isThrottling", () => {
  it("knows DynamoDB's throttling errors by name, as the SDK throws them once its retries are spent", () => {
    expect(isThrottling(new ProvisionedThroughputExceededException({ ...meta, message: "exceeded" }))).toBe(true);
    expect(isThrottling(new ThrottlingException({ ...meta, message: "rate" }))).toBe(true);
    expect(isThrottling(new RequestLimitExceeded({ ...meta, message: "account limit" }))).toBe(true);
    // An error rebuilt from a response, or from another copy of the SDK: the name is what counts.
    expect(isThrottling(Object.assign(new Error("rate"), { name: "ThrottlingException" }))).toBe(true);
    expect(isThrottling(new UnprocessedKeysRemain("3 key(s) still unprocessed after 10 retries"))).toBe(true);
  });

  it("knows a transaction cancelled for throttling by its cancellation reasons, and only that", () => {
    expect(isThrottling(cancelled("None", "ThrottlingError"))).toBe(true);
    expect(isThrottling(cancelled("ProvisionedThroughputExceeded", "None"))).toBe(true);
    expect(isThrottling(cancelled("None", "ConditionalCheckFailed"))).toBe(false);
    expect(isThrottling(cancelled("TransactionConflict"))).toBe(false);
    expect(isThrottling(new TransactionCanceledException({ ...meta, message: "cancelled" }))).toBe(false);
  });

  it("sees through a wrapper naming throttling as its cause, and nothing else counts", () => {
    expect(isThrottling(new Error("load failed", { cause: new ThrottlingException({ ...meta, message: "x" }) }))).toBe(
      true,
    );
    expect(isThrottling(new ConditionalCheckFailedException({ ...meta, message: "condition" }))).toBe(false);
    expect(isThrottling(new TransactionConflict("transaction conflict"))).toBe(false);
    expect(isThrottling(new Error("ProvisionedThroughputExceededException"))).toBe(false);
    for (const value of [undefined, null, "ThrottlingException", 42, {}]) expect(isThrottling(value)).toBe(false);
    const loop: Error & { cause?: unknown } = new Error("loop");
    loop.cause = loop;
    expect(isThrottling(loop)).toBe(false);
  });
});

const route = defineRoute({
  method: "GET",
  path: "/things/{id}",
  operationId: "getThing",
  summary: "test",
  handler: "unused",
  roles: ["admin"],
  access: "read",
  request: { params: z.object({ id: z.string() }) },
  responses: { 200: { description: "the thing" } },
});

const failingWith = (error: () => unknown) =>
  httpHandler(
    route,
    async () => {
      throw error();
    },
    { serviceName: "kit" },
  );
const get = (handler: ReturnType<typeof failingWith>) =>
  handler(httpEvent({ path: "/things/a", pathParameters: { id: "a" }, groups: "[admin]" }), lambdaContext()).then(
    answer,
  );

describe("the HTTP kit under throttling", () => {
  it("answers throttling with 503 problem+json and Retry-After, not 500", async () => {
    for (const error of [
      () => new ProvisionedThroughputExceededException({ ...meta, message: "exceeded" }),
      () => new ThrottlingException({ ...meta, message: "rate" }),
      () => cancelled("None", "ThrottlingError"),
    ]) {
      const reply = await get(failingWith(error));
      expect(reply.status).toBe(503);
      expect(reply.headers["content-type"]).toBe("application/problem+json");
      expect(reply.headers["retry-after"]).toBe("1");
      expect(reply.body).toMatchObject({
        status: 503,
        type: expect.stringMatching(/\/unavailable$/),
        instance: "/things/a",
      });
      expect(reply.body.correlationId).toBeTruthy();
    }
    // Anything else unexpected is still a 500 without a Retry-After.
    const other = await get(failingWith(() => new Error("boom")));
    expect(other.status).toBe(500);
    expect(other.headers["retry-after"]).toBeUndefined();
  });
});

/** The kit's own clients, with their retry settings, against DynamoDB Local behind the throttle proxy. */
describe("the kit's clients behind a throttling DynamoDB", () => {
  const table = standardTable("KIT_THROTTLE_TABLE", []);
  const tableName = `kit-throttle-${randomUUID()}`;
  const direct = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  let proxy: ThrottleProxy;

  beforeAll(async () => {
    if (!direct) throw new Error("AWS_ENDPOINT_URL_DYNAMODB is not set: run through the kit's vitest setup");
    await ensureTable(new DynamoDBClient({ endpoint: direct }), tableName, table);
    proxy = await startThrottleProxy({ target: direct });
    // Clients made from here on in this file (the kit makes them from the standard variable) go through it.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
    process.env.KIT_THROTTLE_TABLE = tableName;
  });
  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = direct;
    await proxy?.stop();
  });

  it("retries a throttled call DYNAMODB_RETRY.maxAttempts times, then the route answers 503 with Retry-After", async () => {
    const documents = createDocumentClient();
    const handler = httpHandler(
      route,
      async ({ params }) => {
        const { Item } = await documents.send(
          new GetCommand({ TableName: tableName, Key: { pk: params.id, sk: "x" } }),
        );
        return { status: 200, body: Item ?? {} };
      },
      { serviceName: "kit" },
    );
    proxy.setThrottle(1);
    const before = proxy.stats();
    const reply = await get(handler);
    expect(reply.status).toBe(503);
    expect(reply.headers["retry-after"]).toBe("1");
    expect(proxy.stats().throttled - before.throttled).toBe(DYNAMODB_RETRY.maxAttempts);
    proxy.setThrottle(0);
    expect((await get(handler)).status).toBe(200);
  });

  it("makes an event consumer throw on throttling, so the bus retries it, and the retry consumes it", async () => {
    const subscription = defineSubscription({ name: "ping-throttled", contract: Ping, handler: "unused" });
    const documents = createDocumentClient();
    let calls = 0;
    const handler = eventHandler(
      subscription,
      async (detail, { eventId }) => {
        calls++;
        // The consumer's own write is throttled, after the claim was taken; its release is not.
        proxy.setThrottle(calls === 1 ? 1 : 0);
        try {
          await documents.send(
            new PutCommand({ TableName: tableName, Item: { pk: `PING#${eventId}`, sk: "PING", n: detail.n } }),
          );
        } finally {
          proxy.setThrottle(0);
        }
      },
      // Even a consumer that ignores every refusal must not ignore throttling: it is no refusal.
      {
        serviceName: "kit",
        table,
        onRefusal: { "not-found": "ignore", conflict: "ignore", "rule-broken": "ignore", invalid: "ignore" },
      },
    );
    const eventId = randomUUID();
    const failure = await handler(pingDelivery(7, eventId), lambdaContext()).catch((error: unknown) => error);
    expect(isThrottling(failure)).toBe(true);
    expect(failure).not.toBeInstanceOf(Refused);
    // The bus's retry: the claim was released, so it acts, and the write lands.
    await expect(handler(pingDelivery(7, eventId), lambdaContext())).resolves.toEqual({ consumed: eventId });
    expect(calls).toBe(2);
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: `PING#${eventId}`, sk: "PING" } }),
    );
    expect(Item?.n).toBe(7);
    // And it is done once: a third delivery is a duplicate.
    await expect(handler(pingDelivery(7, eventId), lambdaContext())).resolves.toEqual({ consumed: eventId });
    expect(calls).toBe(2);
  });
});
