import { describe, expect, it } from "vitest";
import { withBackoff } from "./retry.ts";

describe("sending with backoff", () => {
  it("retries after growing delays and reports the attempts a success took", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withBackoff(
      async () => {
        calls++;
        if (calls < 3) throw new Error("throttled");
        return "message-id";
      },
      { attempts: 4, firstDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toEqual({ ok: true, value: "message-id", attempts: 3 });
    expect(delays).toEqual([100, 200]);
  });

  it("gives up after the last attempt with the last error", async () => {
    const result = await withBackoff(
      async () => {
        throw new Error("rejected");
      },
      { attempts: 3, firstDelayMs: 1, sleep: async () => undefined },
    );
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(3);
    expect(!result.ok && (result.error as Error).message).toBe("rejected");
  });
});
