import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LocalEventBus } from "../src/eventbridge/bus.ts";
import { InvalidEventPatternError } from "../src/eventbridge/pattern.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";

const flakyPath = fileURLToPath(new URL("./fixtures/flaky-handler.ts", import.meta.url));
const fast = { attempts: 3, firstDelayMs: 5 };

function busWithFlakyRule(): { bus: LocalEventBus; target: LocalFunction } {
  const bus = new LocalEventBus("test-bus", "ap-northeast-1", fast);
  const target = new LocalFunction("flaky", flakyPath);
  bus.addRule("svc.flaky", { source: ["test"], detail: { failTimes: [{ numeric: [">=", 0] }] } }, target);
  return { bus, target };
}

describe("local event bus", () => {
  it("retries a failing delivery and succeeds without a dead letter", async () => {
    const { bus } = busWithFlakyRule();
    bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: 2 } });
    await bus.idle();
    expect(bus.deadLetters).toEqual([]);
  });

  it("dead-letters a delivery that fails every attempt, keeping the event", async () => {
    const { bus } = busWithFlakyRule();
    const event = bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: 99 } });
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.deadLetters[0]).toMatchObject({
      rule: "svc.flaky",
      target: "flaky",
      attempts: 3,
      error: "attempt 3 fails",
    });
    expect(bus.deadLetters[0]?.event).toEqual(event);
  });

  it("delivers only events the rule's pattern matches, and records every event", async () => {
    const { bus } = busWithFlakyRule();
    bus.put({ source: "other", detailType: "T.v1", detail: { failTimes: 99 } });
    bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: "many" } });
    await bus.idle();
    expect(bus.deadLetters).toEqual([]);
    expect(bus.events.map((e) => e.source)).toEqual(["other", "test"]);
  });

  it("replays an event with its own id to the rules it matches", async () => {
    const { bus } = busWithFlakyRule();
    const event = bus.put({ source: "test", detailType: "T.v1", detail: { failTimes: 3 } });
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);
    // The fourth attempt (first of the replay) succeeds: same id, same handler state.
    expect(bus.replay(event.id)).toBe(true);
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.replay("no-such-id")).toBe(false);
  });

  it("refuses a rule whose pattern EventBridge would refuse", () => {
    const bus = new LocalEventBus("b", "ap-northeast-1", fast);
    expect(() => bus.addRule("bad", { source: "test" }, new LocalFunction("x", flakyPath))).toThrow(
      InvalidEventPatternError,
    );
  });
});
