import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { Refused, refuse } from "../src/decision.ts";
import { eventHandler } from "../src/events.ts";
import { httpHandler } from "../src/http.ts";
import { defineRoute, defineSubscription, standardTable } from "../src/manifest.ts";
import { countMetric, FunctionMetrics, METRIC, METRICS_NAMESPACE } from "../src/metrics.ts";
import { scheduledJob } from "../src/schedule.ts";
import { httpEvent, lambdaContext } from "../src/testing.ts";
import { Ping, pingDelivery } from "./ping.ts";

// Tests do not run in Lambda: ask for the metrics as a function there would write them.
process.env.POWERTOOLS_METRICS_DISABLED = "false";

const table = standardTable("KIT_METRICS_TABLE", []);
const tableName = `kit-metrics-${randomUUID()}`;
process.env.KIT_METRICS_TABLE = tableName;

/** One EMF line as CloudWatch Logs reads it: the metric definitions under `_aws`, the values at the top level. */
interface EmfLine {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: {
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: { Name: string; Unit: string }[];
    }[];
  };
  readonly [field: string]: unknown;
}

/** Every EMF line the process writes to stdout, as Lambda's log agent would see it. */
let emitted: EmfLine[] = [];
let restoreStdout: (() => void) | undefined;
beforeEach(() => {
  emitted = [];
  const write = process.stdout.write.bind(process.stdout);
  // Kept off the test run's output; anything else passes through.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const lines = String(chunk).split("\n");
    for (const line of lines) if (line.includes('"CloudWatchMetrics"')) emitted.push(JSON.parse(line) as EmfLine);
    const others = lines.filter((line) => !line.includes('"CloudWatchMetrics"')).join("\n");
    return others.trim() === "" ? true : write(others, ...(rest as []));
  }) as typeof process.stdout.write;
  restoreStdout = () => {
    process.stdout.write = write;
  };
});
afterEach(() => restoreStdout?.());

/** The counts of the lines, each with its dimensions: `{ Request: 1, service: "kit", operation: "…" }`. */
function counts(lines: readonly EmfLine[]): Record<string, unknown>[] {
  return lines.map((line) => {
    const [definition] = line._aws.CloudWatchMetrics;
    const names = [...(definition?.Dimensions.flat() ?? []), ...(definition?.Metrics.map((m) => m.Name) ?? [])];
    return Object.fromEntries(names.map((name) => [name, line[name]]));
  });
}

describe("metrics in CloudWatch's embedded format", () => {
  it("are written once per invocation, in the platform's namespace, as counts with the service dimension", async () => {
    const metrics = new FunctionMetrics("kit", { operation: "doThing" });
    await metrics.around(async () => {
      metrics.count(METRIC.request);
      countMetric(METRIC.noticeSent, 2);
      countMetric(METRIC.noticeFailed, 0);
    });
    expect(emitted).toHaveLength(1);
    const [line] = emitted;
    expect(line?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [["service", "operation"]],
        Metrics: [
          { Name: "Request", Unit: "Count" },
          { Name: "NoticeSent", Unit: "Count" },
        ],
      },
    ]);
    expect(line).toMatchObject({ service: "kit", operation: "doThing", Request: 1, NoticeSent: 2 });
    // Flushed: the next invocation starts from nothing.
    await metrics.around(async () => undefined);
    expect(emitted).toHaveLength(1);
  });

  it("are flushed when the invocation fails too", async () => {
    const metrics = new FunctionMetrics("kit", { schedule: "nightly" });
    await expect(
      metrics.around(async () => {
        metrics.count(METRIC.jobFailed);
        throw new Error("broken");
      }),
    ).rejects.toThrow("broken");
    expect(counts(emitted)).toEqual([{ service: "kit", schedule: "nightly", JobFailed: 1 }]);
  });

  it("are off outside Lambda unless asked for, and counting outside an invocation does nothing", async () => {
    const metrics = new FunctionMetrics("kit", {}, {});
    await metrics.around(async () => metrics.count(METRIC.request));
    countMetric(METRIC.noticeSent);
    expect(emitted).toEqual([]);
    const inLambda = new FunctionMetrics("kit", {}, { AWS_LAMBDA_FUNCTION_NAME: "cdp-kit" });
    await inLambda.around(async () => inLambda.count(METRIC.request));
    expect(counts(emitted)).toEqual([{ service: "kit", Request: 1 }]);
  });
});

describe("HTTP routes count requests, and refusals by kind", () => {
  const route = defineRoute({
    method: "POST",
    path: "/things/{id}",
    operationId: "changeThing",
    summary: "test",
    handler: "unused",
    roles: ["admin"],
    access: "write",
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: "changed" } },
  });
  const handler = httpHandler(
    route,
    async ({ params }) => {
      if (params.id === "missing") throw new Refused(refuse.notFound("Thing missing"));
      if (params.id === "stale") throw new Refused(refuse.stale(4));
      if (params.id === "boom") throw new Error("broken");
      return { status: 200, body: { id: params.id } };
    },
    { serviceName: "kit" },
  );
  const request = (id: string, groups = "[admin]") =>
    handler(httpEvent({ method: "POST", path: `/things/${id}`, pathParameters: { id }, groups }), lambdaContext());

  it("served, refused by the domain, refused by the kit, failed", async () => {
    expect((await request("ok")).statusCode).toBe(200);
    expect((await request("missing")).statusCode).toBe(404);
    expect((await request("stale")).statusCode).toBe(412);
    expect((await request("ok", "[viewer]")).statusCode).toBe(403);
    expect((await request("boom")).statusCode).toBe(500);
    const operation = { service: "kit", operation: "changeThing" };
    expect(counts(emitted)).toEqual([
      { ...operation, Request: 1 },
      { ...operation, refusal: "not-found", RequestRefused: 1 },
      { ...operation, Request: 1 },
      { ...operation, refusal: "stale", RequestRefused: 1 },
      { ...operation, Request: 1 },
      { ...operation, refusal: "forbidden", RequestRefused: 1 },
      { ...operation, Request: 1 },
      { ...operation, Request: 1, RequestFailed: 1 },
    ]);
  });
});

describe("event consumers count events consumed, duplicates, refusals and failures", () => {
  const subscription = defineSubscription({ name: "ping", contract: Ping, handler: "unused" });

  beforeAll(async () => {
    await ensureTable(new DynamoDBClient({}), tableName, table);
  });

  it("consumed once, then ignored as a duplicate; notices counted under the consumer", async () => {
    let calls = 0;
    const handler = eventHandler(
      subscription,
      async () => {
        calls++;
        countMetric(METRIC.noticeSent, 3);
      },
      { serviceName: "kit", table },
    );
    const eventId = randomUUID();
    await handler(pingDelivery(1, eventId), lambdaContext());
    await handler(pingDelivery(1, eventId), lambdaContext());
    expect(calls).toBe(1);
    const consumer = { service: "kit", subscription: "ping" };
    expect(counts(emitted)).toEqual([
      { ...consumer, NoticeSent: 3, EventConsumed: 1 },
      { ...consumer, EventDuplicate: 1 },
    ]);
  });

  it("refused: by kind and what was done with it; failed: whatever threw", async () => {
    const handler = eventHandler(
      subscription,
      async (detail) => {
        if (detail.n === 1) throw new Refused(refuse.conflict("already done", "completed"));
        if (detail.n === 2) throw new Refused(refuse.notFound("Partner atlantis"));
        throw new Error("transient");
      },
      { serviceName: "kit", table },
    );
    await expect(handler(pingDelivery(1, randomUUID()), lambdaContext())).resolves.toMatchObject({
      ignored: "conflict",
    });
    await expect(handler(pingDelivery(2, randomUUID()), lambdaContext())).rejects.toThrow(/Partner atlantis/);
    await expect(handler(pingDelivery(3, randomUUID()), lambdaContext())).rejects.toThrow("transient");
    const consumer = { service: "kit", subscription: "ping" };
    expect(counts(emitted)).toEqual([
      { ...consumer, refusal: "conflict", outcome: "ignore", EventRefused: 1 },
      { ...consumer, EventConsumed: 1 },
      { ...consumer, refusal: "not-found", outcome: "dead-letter", EventRefused: 1 },
      { ...consumer, EventFailed: 1 },
      { ...consumer, EventFailed: 1 },
    ]);
  });
});

describe("scheduled jobs count runs that succeeded and failed", () => {
  it("one count per run", async () => {
    const spec = {
      name: "nightly",
      expression: "cron(0 3 * * ? *)",
      timezone: "Asia/Tokyo",
      description: "",
      handler: "",
    };
    let fail = false;
    const job = scheduledJob(
      spec,
      async () => {
        if (fail) throw new Error("broken");
        return "done";
      },
      { serviceName: "kit" },
    );
    await job({}, lambdaContext());
    fail = true;
    await expect(job({}, lambdaContext())).rejects.toThrow("broken");
    expect(counts(emitted)).toEqual([
      { service: "kit", schedule: "nightly", JobSucceeded: 1 },
      { service: "kit", schedule: "nightly", JobFailed: 1 },
    ]);
  });
});
