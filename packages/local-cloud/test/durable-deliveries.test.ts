import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BusEvent, LocalEventBus } from "../src/eventbridge/bus.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";

/**
 * A target that records when it got what; in a run that is killed it never answers an event whose detail says `hang`
 * (the function was running when the process died), in the next it takes 100 ms over it; it fails one that says `fail`.
 */
class Target extends LocalFunction {
  readonly received: { id: string; key: string; at: number }[] = [];

  constructor(private readonly killed: boolean) {
    super("target", "(in memory)");
  }

  override async invoke(event: unknown): Promise<unknown> {
    const { id, detail } = event as BusEvent;
    const { key } = detail as { key: string };
    this.received.push({ id, key, at: Date.now() });
    if (key === "hang" && this.killed) return new Promise(() => undefined);
    if (key === "hang") await new Promise((resolve) => setTimeout(resolve, 100));
    if (key === "fail") throw new Error("fails");
    return { consumed: key };
  }
}

const fast = { attempts: 3, firstDelayMs: 5 };
const FUNCTION_TIMEOUT_MS = 300;

function busOn(
  dir: string,
  killed = false,
): { bus: LocalEventBus; target: Target; resumed: ReturnType<LocalEventBus["keepJournal"]> } {
  const bus = new LocalEventBus("test-bus", "ap-northeast-1", fast);
  const target = new Target(killed);
  bus.addRule("svc.target", { source: ["tmg.test"] }, target);
  return { bus, target, resumed: bus.keepJournal(dir, FUNCTION_TIMEOUT_MS) };
}

const put = (bus: LocalEventBus, ...keys: string[]) =>
  bus.putBatch(keys.map((key) => ({ source: "tmg.test", detailType: "Thing.v1", detail: { key } })));
const entries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".json"));

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the bus's journal of deliveries, with data on disk", () => {
  it("keeps a delivery until it is done; the next run delivers what a killed one left, once the killed invocations have timed out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bus-journal-"));
    const killed = busOn(dir, true);
    expect(killed.resumed).toEqual({ resumed: 0 });
    const [, stuck] = put(killed.bus, "quick", "hang") as [BusEvent, BusEvent];
    // Written as PutEvents accepts, before any delivery has run.
    expect(entries(dir)).toHaveLength(2);
    await until(() => killed.target.received.length === 2);
    await until(() => entries(dir).length === 1);
    // The process dies here: its deliveries stop, and so does its heartbeat.
    killed.bus.closeJournal();
    const diedAt = Date.now();

    const next = busOn(dir);
    expect(next.resumed.resumed).toBe(1);
    const holdUntil = next.resumed.holdUntil?.getTime() ?? 0;
    expect(holdUntil).toBeGreaterThanOrEqual(diedAt - 1000 + FUNCTION_TIMEOUT_MS);
    // Every delivery waits, the new ones too, and until the resumed ones are done: a copy of a killed invocation's
    // event, published again, must neither find its claim held nor race the resumed delivery for it.
    put(next.bus, "new");
    expect(next.bus.events.map((e) => e.id)[0]).toBe(stuck.id);
    await next.bus.idle();
    expect(next.target.received.map((r) => [r.id, r.key])).toEqual([
      [stuck.id, "hang"],
      [next.bus.events[1]?.id, "new"],
    ]);
    expect(next.target.received.every((r) => r.at >= holdUntil)).toBe(true);
    const [resumedAt, newAt] = next.target.received.map((r) => r.at) as [number, number];
    expect(newAt - resumedAt).toBeGreaterThanOrEqual(99);
    expect(next.bus.deliveries.map((d) => [d.eventId, d.copy, d.status])).toContainEqual([stuck.id, 1, "delivered"]);
    expect(entries(dir)).toEqual([]);
    next.bus.closeJournal();
  });

  it("leaves nothing after deliveries that were delivered or dead-lettered, and the next run then waits for nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bus-journal-"));
    const first = busOn(dir);
    put(first.bus, "ok", "fail");
    await first.bus.idle();
    expect(first.bus.deadLetters.map((d) => d.attempts)).toEqual([3]);
    expect(entries(dir)).toEqual([]);
    first.bus.closeJournal();

    const next = busOn(dir);
    expect(next.resumed).toEqual({ resumed: 0 });
    const before = Date.now();
    put(next.bus, "ok");
    await next.bus.idle();
    expect(next.target.received[0]?.at).toBeLessThan(before + FUNCTION_TIMEOUT_MS);
    next.bus.closeJournal();
  });
});
