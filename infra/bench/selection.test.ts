import { describe, expect, it } from "vitest";
import { services as manifests } from "../services.ts";
import { BENCH_PARTS, benchSelection } from "./selection.ts";

describe("what pnpm bench measures", () => {
  it("is every part and every service by default", () => {
    const selection = benchSelection({}, manifests);
    expect([...selection.parts]).toEqual([...BENCH_PARTS]);
    expect(selection.services).toEqual(manifests);
  });

  it("is narrowed by BENCH_PARTS and BENCH_SERVICES", () => {
    const selection = benchSelection({ BENCH_PARTS: "functions, reports", BENCH_SERVICES: "reports" }, manifests);
    expect([...selection.parts]).toEqual(["functions", "reports"]);
    expect(selection.services.map((s) => s.name)).toEqual(["reports"]);
  });

  it("refuses a part or a service it does not know", () => {
    expect(() => benchSelection({ BENCH_PARTS: "functions,speed" }, manifests)).toThrow(/no part speed/);
    expect(() => benchSelection({ BENCH_SERVICES: "report" }, manifests)).toThrow(/no service report /);
  });
});
