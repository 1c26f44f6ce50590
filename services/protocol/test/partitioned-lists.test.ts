import type { Refused } from "@cdp/lambda-kit";
import { describe, expect, it } from "vitest";
import { monthPeriodOf, monthsOf, yearPeriodOf, yearsOf } from "../src/store/partitioned-lists.ts";

/** The periods the lists read, and their partitions: open ends, the calendar's edges, and the longest allowed. */
describe("a listed period", () => {
  const today = "2027-03-15";

  it("opens ahead for calls and behind for records, and around the one end given", () => {
    expect(monthPeriodOf({}, today, { months: 3, from: "ahead" })).toEqual({ from: "2027-03-01", to: "2027-05-31" });
    expect(monthPeriodOf({}, today, { months: 12, from: "behind" })).toEqual({ from: "2026-04-01", to: "2027-03-31" });
    expect(monthPeriodOf({ from: "2027-11-20" }, today, { months: 3, from: "ahead" })).toEqual({
      from: "2027-11-20",
      to: "2028-01-31",
    });
    expect(monthPeriodOf({ to: "2027-02-10" }, today, { months: 3, from: "ahead" })).toEqual({
      from: "2026-12-01",
      to: "2027-02-10",
    });
  });

  it("never leaves the years a date may have, at either edge of the calendar", () => {
    expect(monthPeriodOf({ from: "9999-12-31" }, today, { months: 3, from: "ahead" })).toEqual({
      from: "9999-12-31",
      to: "9999-12-31",
    });
    expect(monthPeriodOf({ to: "0000-01-05" }, today, { months: 12, from: "behind" })).toEqual({
      from: "0000-01-01",
      to: "0000-01-05",
    });
    expect(yearPeriodOf({ from: "9999-06-01" }, today)).toEqual({ from: "9999-06-01", to: "9999-12-31" });
    expect(monthsOf({ from: "9999-11-01", to: "9999-12-31" })).toEqual(["9999-11", "9999-12"]);
  });

  it("reads every month or year it touches, and refuses more than three years of months or thirty years", () => {
    expect(monthsOf({ from: "2026-11-30", to: "2027-02-01" })).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(monthsOf({ from: "2025-01-01", to: "2027-12-31" })).toHaveLength(36);
    const refusalOf = (read: () => unknown) => {
      try {
        read();
      } catch (error) {
        return (error as Refused).refusal;
      }
      throw new Error("not refused");
    };
    expect(refusalOf(() => monthsOf({ from: "2025-01-01", to: "2028-01-01" }))).toEqual({
      kind: "invalid",
      errors: [{ path: "query.from", message: "the period may cover at most 36 months" }],
    });
    expect(yearsOf({ from: "2000-01-01", to: "2029-12-31" })).toHaveLength(30);
    expect(refusalOf(() => yearsOf({ from: "2000-01-01", to: "2030-01-01" }))).toMatchObject({
      errors: [{ path: "query.from", message: "the period may cover at most 30 years" }],
    });
  });
});
