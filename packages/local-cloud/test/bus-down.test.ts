import type { Server } from "node:http";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEventBus } from "../src/eventbridge/bus.ts";
import { createEventBridgeServer } from "../src/eventbridge/server.ts";
import { close, listen } from "../src/http-util.ts";
import { eventsClientFor } from "./fixtures/events-client.ts";

describe('POST /faults {"putEvents": {"down": true}}: the bus unavailable', () => {
  let bus: LocalEventBus;
  let server: Server;
  let endpoint: string;
  let client: EventBridgeClient;
  beforeEach(async () => {
    bus = new LocalEventBus("test-bus", "ap-northeast-1", { attempts: 3, firstDelayMs: 5 });
    server = createEventBridgeServer(bus);
    endpoint = `http://127.0.0.1:${await listen(server, 0)}`;
    client = eventsClientFor(endpoint);
  });
  afterEach(async () => {
    client.destroy();
    await close(server);
  });

  const faults = async (method: string, body?: unknown) => {
    const response = await fetch(`${endpoint}/faults`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as { faults?: unknown[]; message?: string } };
  };
  const put = () =>
    client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: "test-bus", Source: "tmg.test", DetailType: "Thing.v1", Detail: "{}" }],
      }),
    );

  it("fails every PutEvents call with 503 ServiceUnavailableException, which the SDK retries, accepting nothing", async () => {
    expect((await faults("POST", { putEvents: { down: true } })).status).toBe(201);
    for (let call = 0; call < 2; call++) {
      const failure = await put().then(
        () => undefined,
        (error: unknown) => error as { name: string; $metadata: { httpStatusCode: number; attempts: number } },
      );
      expect(failure?.name).toBe("ServiceUnavailableException");
      expect(failure?.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 3 });
    }
    expect(bus.events).toEqual([]);
    // Listed with the calls it refused, the SDK's retries included; still on, until DELETE /faults.
    expect((await faults("GET")).body.faults).toEqual([
      { putEvents: { down: true, answer: "unavailable", refused: 6 } },
    ]);

    expect((await faults("DELETE")).body.faults).toEqual([]);
    const result = await put();
    expect(result.FailedEntryCount).toBe(0);
    expect(result.$metadata.attempts).toBe(1);
    expect(bus.events).toHaveLength(1);
  });

  it("answers 500 InternalException when asked, beside an armed acceptThenFail that waits its turn", async () => {
    await faults("POST", { putEvents: { acceptThenFail: 1, answer: "failed-entries" } });
    await faults("POST", { putEvents: { down: true, answer: "error" } });
    await expect(put()).rejects.toMatchObject({ name: "InternalException", $metadata: { httpStatusCode: 500 } });
    expect(bus.events).toEqual([]);
    expect((await faults("GET")).body.faults).toEqual([
      { putEvents: { down: true, answer: "error", refused: 3 } },
      { putEvents: { acceptThenFail: 1, answer: "failed-entries" } },
    ]);
    await faults("DELETE");
    expect((await faults("GET")).body.faults).toEqual([]);
  });

  it("refuses a malformed switch, naming the down form among those it takes", async () => {
    for (const body of [
      { putEvents: { down: false } },
      { putEvents: { down: "yes" } },
      { putEvents: { down: true, answer: "failed-entries" } },
    ]) {
      const answer = await faults("POST", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toContain('{"putEvents": {"down": true, "answer"?: "unavailable" | "error"}}');
    }
    expect((await faults("GET")).body.faults).toEqual([]);
  });
});
