import { projectAll } from "@cdp/reports/domain/changes";
import { aHistory } from "@cdp/reports/domain/history-builders";
import { describe, expect, it } from "vitest";
import { dealt, reportYearOnly, tenYears } from "./reports-history.ts";

describe("the reports' histories", () => {
  it("are dealt to the writers whole: every entity and fund month once", () => {
    const set = projectAll(aHistory({ firstFiscalYear: 2025, lastFiscalYear: 2026 }));
    const parts = dealt(set, 4);
    expect(parts).toHaveLength(4);
    const entities = parts.flatMap((part) => [...part.entities.keys()]);
    const months = parts.flatMap((part) => [...part.fundMonths.keys()]);
    expect(entities.sort()).toEqual([...set.entities.keys()].sort());
    expect(months.sort()).toEqual([...set.fundMonths.keys()].sort());
    expect(Math.min(...parts.map((part) => part.entities.size + part.fundMonths.size))).toBeGreaterThan(0);
  });

  it("are named by their size and years", () => {
    expect(tenYears(100_000)).toEqual({
      label: "100k over FY2017–2026",
      targetEvents: 100_000,
      firstFiscalYear: 2017,
      lastFiscalYear: 2026,
    });
    expect(reportYearOnly(10_000).label).toBe("10k in FY2026 alone");
  });
});
