import { describe, expect, it } from "vitest";
import type { FunctionKind } from "./functions.ts";
import { aimsLine, evaluateAims, type FunctionFigures, formatTable } from "./report.ts";
import { summarize } from "./stats.ts";

const figures = (id: string, kind: FunctionKind, kb: number, ratio: number, fastestRatio = ratio): FunctionFigures => {
  const any = summarize([1]);
  return {
    id,
    kind,
    bundle: { bytes: kb * 1024, gzipBytes: kb * 300 },
    coldStart: {
      spawnToResponseMs: any,
      inProcessMs: any,
      importMs: any,
      firstInvokeMs: any,
      nodeStartupMs: any,
      initMs: any,
      initRatioToMinimal: ratio,
      fastestInitRatioToMinimal: fastestRatio,
      ratioToMinimal: ratio * 1.2,
      fastestRatioToMinimal: fastestRatio * 1.2,
    },
  };
};

describe("the aims", () => {
  it("hold the platform's own functions, not the yardsticks, against 350 KB and an init of 1.5×", () => {
    const aims = evaluateAims([
      figures("reference.kit-constant", "reference", 900, 3),
      figures("svc.read", "route", 340, 1.2, 1.1),
      figures("svc.consume", "subscription", 360, 1.6, 1.4),
    ]);
    expect(aims.largestBundle).toEqual({ id: "svc.consume", kb: 360, aimKb: 350, met: false });
    expect(aims.worstInitRatio).toEqual({
      id: "svc.consume",
      ratio: 1.6,
      aim: 1.5,
      met: false,
      fastest: { id: "svc.consume", ratio: 1.4 },
    });
    expect(aims.worstFirstResponseRatio).toEqual({ id: "svc.consume", ratio: 1.6 * 1.2 });
  });

  it("list every function over the bundle aim, and leave out those held to an aim of their own", () => {
    const aims = evaluateAims([
      figures("svc.read", "route", 340, 1.2),
      figures("svc.download", "route", 450, 1.3),
      figures("svc.consume", "subscription", 360, 1.4),
      { ...figures("svc.report", "subscription", 2800, 8), ownAim: "its own" },
    ]);
    expect(aims.largestBundle).toMatchObject({ id: "svc.download", met: false });
    expect(aims.overBundleAim).toEqual([
      { id: "svc.download", kb: 450 },
      { id: "svc.consume", kb: 360 },
    ]);
    expect(aims.worstInitRatio.id).toBe("svc.consume");
    expect(aims.heldToOwnAims).toEqual(["svc.report"]);
    expect(aimsLine(aims)).toMatch(/MISSED \(over it: svc\.download 450\.0 KB, svc\.consume 360\.0 KB\);/);
    expect(aimsLine(aims)).toMatch(/held to aims of their own instead: svc\.report$/);
  });

  it("are met at the limits themselves", () => {
    const aims = evaluateAims([figures("svc.read", "route", 350, 1.5)]);
    expect(aims.largestBundle.met).toBe(true);
    expect(aims.worstInitRatio.met).toBe(true);
  });
});

describe("the table", () => {
  it("left-aligns names and right-aligns figures under a rule", () => {
    expect(
      formatTable(
        ["function", "ms"],
        [
          ["a", "1.0"],
          ["longer", "10.5"],
        ],
      ),
    ).toBe(["function    ms", "--------  ----", "a          1.0", "longer    10.5"].join("\n"));
  });
});
