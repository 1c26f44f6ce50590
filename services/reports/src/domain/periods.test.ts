import { describe, expect, it } from "vitest";
import { fiscalYearsOf, MAX_PERIOD_DAYS, periodOf, periodProblem, previousMonth } from "./periods.ts";

describe("report periods", () => {
  it("the monthly report on the 1st covers the month before, across a year's end too", () => {
    expect(previousMonth("2026-12-01")).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(previousMonth("2027-01-01")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(previousMonth("2028-03-01")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
  });

  it("labels a month, a fiscal year to date and a range in Japanese and English", () => {
    expect(periodOf("2027-02-01", "2027-02-28").label).toEqual({ ja: "2027年2月", en: "February 2027" });
    expect(periodOf("2026-04-01", "2027-01-31").label).toEqual({
      ja: "2026年度（1月31日まで）",
      en: "FY2026 to 31 January 2027",
    });
    expect(periodOf("2026-11-03", "2026-11-09").label).toEqual({
      ja: "2026年11月3日〜2026年11月9日",
      en: "3 November 2026 – 9 November 2026",
    });
  });

  it("refuses a period that ends before it starts or is longer than five fiscal years", () => {
    expect(periodProblem("2026-11-30", "2026-11-01")).toBe("must not be before from");
    expect(periodProblem("2020-01-01", "2026-01-01")).toMatch(String(MAX_PERIOD_DAYS));
    expect(periodProblem("2026-11-01", "2026-11-01")).toBeNull();
  });

  it("lists the fiscal years a period touches", () => {
    expect(fiscalYearsOf("2026-03-15", "2026-04-15")).toEqual([2025, 2026]);
    expect(fiscalYearsOf("2026-11-01", "2026-11-30")).toEqual([2026]);
  });
});
