import type { Server } from "node:http";
import { SQSClient } from "@aws-sdk/client-sqs";
import { deadLetterPrefixOf, deadLetterQueueName } from "@cdp/lambda-kit";
import type { DeadLetter } from "@cdp/local-cloud/eventbridge/bus";
import { LocalEventBus } from "@cdp/local-cloud/eventbridge/bus";
import { createEventBridgeServer } from "@cdp/local-cloud/eventbridge/server";
import { close, listen } from "@cdp/local-cloud/http-util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadLetterCounter } from "../src/dead-letter-counts.ts";
import { countDeadLetters } from "../src/generator.ts";

/**
 * The report counts what waits in every dead-letter queue of its stage, through the SQS API as in AWS, here against
 * the local cloud's dead-letter queues (its bus's dead letters, answered in SQS's JSON protocol). More queues than one
 * `ListQueues` page holds, so the pages are followed; queues of another stage are not counted.
 */

const PREFIX = deadLetterPrefixOf("test");
/** SQS lists at most 1,000 queues a page. */
const SERVICES = 1_205;

const queues = [
  ...Array.from({ length: SERVICES }, (_, index) => ({
    name: deadLetterQueueName(PREFIX, `service${index}`, "consumer"),
    rule: `service${index}.consumer`,
  })),
  { name: deadLetterQueueName(deadLetterPrefixOf("prod"), "service0", "consumer"), rule: "prod.service0.consumer" },
];
const letter = (rule: string): DeadLetter => ({
  rule,
  target: rule,
  event: {},
  attempts: 3,
  error: "ContractViolation",
  failedAt: "2026-12-01T00:00:00Z",
});
const letters = [
  letter("service7.consumer"),
  letter("service7.consumer"),
  letter("service1204.consumer"),
  letter("prod.service0.consumer"),
];

let server: Server;
let sqs: SQSClient;

beforeAll(async () => {
  server = createEventBridgeServer(new LocalEventBus("test", "ap-northeast-1"), undefined, undefined, {
    deadLetterQueues: { queues: () => queues, letters },
  });
  const port = await listen(server, 0);
  sqs = new SQSClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});

afterAll(async () => {
  sqs?.destroy();
  if (server) await close(server);
});

describe("counting the dead letters", () => {
  it("counts every queue of the stage, empty ones too, over several pages, and no queue of another stage", async () => {
    const rows = await deadLetterCounter(sqs, PREFIX)();
    expect(rows).toHaveLength(SERVICES);
    expect(rows.filter((row) => (row.count ?? 0) > 0)).toEqual([
      { queue: "service1204-consumer", count: 1 },
      { queue: "service7-consumer", count: 2 },
    ]);
    expect(rows.every((row) => row.queue.startsWith("service"))).toBe(true);
  });

  it("says the queues were not counted when SQS cannot be reached, and tells why, rather than failing the report", async () => {
    const failures: unknown[] = [];
    const unreachable = deadLetterCounter(
      new SQSClient({
        endpoint: "http://127.0.0.1:9",
        region: "ap-northeast-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 1,
      }),
      PREFIX,
    );
    const rows = await countDeadLetters({ deadLetters: unreachable, onCountFailed: (error) => failures.push(error) });
    expect(rows).toEqual([{ queue: "*", count: null }]);
    expect(failures).toHaveLength(1);
    expect(await countDeadLetters({})).toEqual([{ queue: "*", count: null }]);
  });
});
