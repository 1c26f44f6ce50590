import { describe, expect, it } from "vitest";
import { type CpuProfile, originOf, summarizeProfile } from "./load-profile.ts";

describe("where the profile's time went", () => {
  it("names packages under pnpm's store, the workspace's own, Node's and V8's", () => {
    const pnpm = "file:///w/node_modules/.pnpm/@smithy+core@3.1.0/node_modules/@smithy/core/dist-cjs/index.js";
    expect(originOf(pnpm, "read")).toBe("@smithy/core");
    expect(originOf("file:///w/node_modules/.pnpm/jose@6.2.18/node_modules/jose/dist/x.js", "f")).toBe("jose");
    expect(originOf("file:///w/packages/lambda-kit/src/http.ts", "f")).toBe("@cdp/lambda-kit");
    expect(originOf("file:///w/services/city-registry/src/store/keys.ts", "f")).toBe("service city-registry");
    expect(originOf("node:internal/streams/writable", "write")).toBe("node internals");
    expect(originOf("", "JSON.parse")).toBe("V8 built-ins");
    expect(originOf("", "(garbage collector)")).toBe("V8 garbage collector");
  });

  it("counts built-ins and Node's internals under their nearest caller of a package, and leaves idle out", () => {
    const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      startTime: 0,
      endTime: 100_000, // µs: 100 ms over 10 hits, 10 ms a hit
      nodes: [
        { id: 1, callFrame: frame("(root)"), children: [2, 3, 6] },
        { id: 2, callFrame: frame("(idle)"), hitCount: 5 },
        { id: 3, callFrame: frame("send", "file:///w/node_modules/@smithy/core/index.js"), hitCount: 1, children: [4] },
        { id: 4, callFrame: frame("write", "node:net"), hitCount: 1, children: [5] },
        { id: 5, callFrame: frame("writev"), hitCount: 2 },
        { id: 6, callFrame: frame("processTicksAndRejections", "node:internal/process/task_queues"), hitCount: 1 },
      ],
    };
    const hotspots = summarizeProfile(profile);
    expect(hotspots.profiledMs).toBe(100);
    expect(hotspots.idleMs).toBe(50);
    expect(hotspots.origins).toEqual([
      { name: "@smithy/core", ms: 40, share: 0.8 },
      { name: "node internals", ms: 10, share: 0.2 },
    ]);
    expect(hotspots.functions[0]).toEqual({ name: "writev (native) [@smithy/core]", ms: 20, share: 0.4 });
  });
});
