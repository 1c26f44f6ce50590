import { describe, expect, it } from "vitest";
import { createLogger, runInvocation } from "../src/logger.ts";
import { lambdaContext } from "../src/testing.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the logger under overlapping invocations of one module", () => {
  function moduleLogger() {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger("svc", { level: "INFO", write: (line) => lines.push(JSON.parse(line)) });
    // Appended at module load: every invocation's.
    log.appendKeys({ build: "b-1" });
    /** What the kit's consumers do: keys on entry, work, keys off on exit. */
    const invoke = async (id: string, waitMs: number) => {
      log.addContext({ ...lambdaContext(), awsRequestId: `request-${id}` });
      log.appendKeys({ eventId: id });
      try {
        await pause(waitMs);
        log.info("done");
      } finally {
        log.removeKeys(["eventId"]);
      }
    };
    return { log, lines, invoke };
  }

  it("keeps each invocation's keys and context its own inside runInvocation", async () => {
    const { log, lines, invoke } = moduleLogger();
    await Promise.all([runInvocation(() => invoke("long", 40)), runInvocation(() => invoke("short", 0))]);
    expect(lines.map((l) => [l.eventId, l.function_request_id, l.build])).toEqual([
      ["short", "request-short", "b-1"],
      ["long", "request-long", "b-1"],
    ]);
    // Nothing an invocation appended outlives it.
    log.info("after");
    expect(lines.at(-1)).not.toHaveProperty("eventId");
  });

  it("shares one state outside it, as one Lambda environment runs one invocation at a time", async () => {
    const { lines, invoke } = moduleLogger();
    await Promise.all([invoke("long", 40), invoke("short", 0)]);
    // Overlapping without a scope, the short one's exit took the long one's key away: why the local cloud scopes.
    expect(lines.map((l) => l.eventId)).toEqual(["short", undefined]);
  });
});
