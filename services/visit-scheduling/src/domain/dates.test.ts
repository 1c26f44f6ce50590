import { describe, expect, it } from "vitest";
import { addDays, daysBetween, eachDay } from "./dates.ts";

describe("calendar arithmetic on YYYY-MM-DD dates", () => {
  it.each([
    ["2026-06-01", 1, "2026-06-02"],
    ["2026-06-30", 1, "2026-07-01"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2027-02-28", 1, "2027-03-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-04-01", -1, "2026-03-31"],
    ["2026-06-01", 0, "2026-06-01"],
    ["2026-03-29", 7, "2026-04-05"],
  ])("%s + %i days is %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it("is not shifted by daylight saving anywhere: every day has 24 hours in UTC", () => {
    // 2026-03-29 is the EU clock change; 2026-03-08 the US one.
    expect(eachDay("2026-03-07", "2026-03-09")).toHaveLength(3);
    expect(eachDay("2026-03-28", "2026-03-30")).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
  });

  it.each([
    ["2026-06-01", "2026-06-01", 0],
    ["2026-06-01", "2026-06-05", 4],
    ["2026-06-05", "2026-06-01", -4],
    ["2026-04-01", "2027-04-01", 365],
    ["2027-04-01", "2028-04-01", 366],
  ])("from %s to %s is %i days", (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it("lists each day from start to end, both included, and none when the end comes first", () => {
    expect(eachDay("2026-06-29", "2026-07-02")).toEqual(["2026-06-29", "2026-06-30", "2026-07-01", "2026-07-02"]);
    expect(eachDay("2026-06-02", "2026-06-01")).toEqual([]);
  });

  it("refuses what is not a date", () => {
    expect(() => addDays("June 1st", 1)).toThrow(RangeError);
  });
});
