import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { DeadLetter } from "../src/eventbridge/bus.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";
import { LocalScheduler, scheduleLetterRule } from "../src/scheduler.ts";

/** The flaky fixture fails on a scheduled event (it has no `detail`), as a job that throws would. */
const failingPath = fileURLToPath(new URL("./fixtures/flaky-handler.ts", import.meta.url));
const echoPath = fileURLToPath(new URL("./fixtures/echo-handler.ts", import.meta.url));

describe("the local scheduler's failed runs", () => {
  it("keeps a failed scheduled run as a dead letter under the schedule's own rule, as the cloud's queue would", async () => {
    const letters: DeadLetter[] = [];
    const scheduler = new LocalScheduler(letters);
    scheduler.add("svc.job", "rate(1 day)", "Asia/Tokyo", new LocalFunction("svc-job", failingPath));
    scheduler.add("svc.fine", "rate(1 day)", "Asia/Tokyo", new LocalFunction("svc-fine", echoPath));
    const at = new Date("2027-03-01T00:00:00Z");

    await scheduler.runAsScheduled("svc.job", at);
    await scheduler.runAsScheduled("svc.fine", at);

    expect(letters).toEqual([
      expect.objectContaining({
        rule: scheduleLetterRule("svc.job"),
        target: "svc.job",
        event: { scheduledTime: "2027-03-01T00:00:00.000Z" },
        attempts: 1,
        error: "TypeError",
      }),
    ]);
  });

  it("answers a run fired on demand with its failure, and keeps no letter of it", async () => {
    const letters: DeadLetter[] = [];
    const scheduler = new LocalScheduler(letters);
    scheduler.add("svc.job", "rate(1 day)", "Asia/Tokyo", new LocalFunction("svc-job", failingPath));
    await expect(scheduler.fire("svc.job")).rejects.toThrow();
    expect(letters).toEqual([]);
  });
});
