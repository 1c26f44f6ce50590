import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LocalFunction } from "../src/lambda-runtime.ts";

const keyedPath = fileURLToPath(new URL("./fixtures/keyed-logger-handler.ts", import.meta.url));

describe("a local function", () => {
  it("keeps each invocation's log keys and context its own when invocations of one function overlap", async () => {
    const fn = new LocalFunction("svc-keyed", keyedPath);
    // The long one starts first; the short one starts, finishes and removes its keys while the long one works.
    const results = await Promise.all([
      fn.invoke({ id: "long", waitMs: 60 }),
      new Promise((resolve) => setTimeout(resolve, 10)).then(() => fn.invoke({ id: "short", waitMs: 0 })),
    ]);
    expect(results).toEqual([{ id: "long" }, { id: "short" }]);
    const { lines } = (await import(keyedPath)) as { lines: Record<string, unknown>[] };
    expect(lines.map((l) => [l.message, l.eventId])).toEqual([
      ["started", "long"],
      ["started", "short"],
      ["finished", "short"],
      ["finished", "long"],
    ]);
    // Each line names the request it belongs to, as separate Lambda execution environments would.
    const requestOf = (id: string) => new Set(lines.filter((l) => l.eventId === id).map((l) => l.function_request_id));
    expect(requestOf("long").size).toBe(1);
    expect(requestOf("short").size).toBe(1);
    expect([...requestOf("long")]).not.toEqual([...requestOf("short")]);
  });
});
