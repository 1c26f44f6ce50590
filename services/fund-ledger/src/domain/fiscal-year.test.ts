import { describe, expect, it } from "vitest";
import {
  type FiscalYearPhase,
  fiscalYearOf,
  fiscalYearRange,
  phaseOf,
  settlementEnd,
  tokyoDate,
} from "./fiscal-year.ts";

describe("fiscalYearOf", () => {
  it.each([
    ["2027-03-31", 2026],
    ["2027-04-01", 2027],
    ["2026-04-01", 2026],
    ["2026-03-31", 2025],
    ["2027-01-01", 2026],
    ["2026-12-31", 2026],
    ["2027-05-31", 2027],
  ])("%s is in FY%i", (date, fiscalYear) => {
    expect(fiscalYearOf(date)).toBe(fiscalYear);
  });
});

describe("fiscalYearRange and settlementEnd", () => {
  it("FY2026 runs from 2026-04-01 to 2027-03-31 and settles by 2027-05-31", () => {
    expect(fiscalYearRange(2026)).toEqual({ start: "2026-04-01", end: "2027-03-31" });
    expect(settlementEnd(2026)).toBe("2027-05-31");
  });
});

describe("phaseOf", () => {
  const cases: [string, FiscalYearPhase][] = [
    ["2025-06-15", "upcoming"],
    ["2026-03-31", "upcoming"],
    ["2026-04-01", "open"],
    ["2026-12-31", "open"],
    ["2027-03-31", "open"],
    ["2027-04-01", "settlement"],
    ["2027-05-31", "settlement"],
    ["2027-06-01", "closable"],
    ["2030-01-01", "closable"],
  ];

  it.each(cases)("FY2026 on %s is %s", (today, phase) => {
    expect(phaseOf(2026, today, false)).toBe(phase);
  });

  it.each(cases.map(([today]) => today))("a closed FY2026 is closed on %s, whatever the date", (today) => {
    expect(phaseOf(2026, today, true)).toBe("closed");
  });

  it("the settlement period of one year overlaps the opening of the next", () => {
    expect(phaseOf(2026, "2027-04-15", false)).toBe("settlement");
    expect(phaseOf(2027, "2027-04-15", false)).toBe("open");
  });
});

describe("tokyoDate", () => {
  it("is the next day in Tokyo from 15:00 UTC (JST is UTC+9, no daylight saving)", () => {
    expect(tokyoDate(new Date("2027-03-31T14:59:59.999Z"))).toBe("2027-03-31");
    expect(tokyoDate(new Date("2027-03-31T15:00:00Z"))).toBe("2027-04-01");
  });

  it("moves the fiscal year at Tokyo's midnight, not UTC's", () => {
    expect(fiscalYearOf(tokyoDate(new Date("2027-03-31T14:59:59Z")))).toBe(2026);
    expect(fiscalYearOf(tokyoDate(new Date("2027-03-31T15:00:00Z")))).toBe(2027);
  });

  it("is the same calendar day in the Tokyo morning, when UTC is still on the previous day's evening", () => {
    expect(tokyoDate(new Date("2026-06-14T23:30:00Z"))).toBe("2026-06-15");
    expect(tokyoDate(new Date("2026-06-15T01:00:00Z"))).toBe("2026-06-15");
    expect(tokyoDate(new Date("2026-06-15T14:59:00Z"))).toBe("2026-06-15");
  });

  it("crosses the year and leap days", () => {
    expect(tokyoDate(new Date("2026-12-31T15:00:00Z"))).toBe("2027-01-01");
    expect(tokyoDate(new Date("2028-02-28T15:00:00Z"))).toBe("2028-02-29");
    expect(tokyoDate(new Date("2028-02-29T15:00:00Z"))).toBe("2028-03-01");
  });

  it("accepts instants given with another offset", () => {
    expect(tokyoDate(new Date("2027-04-01T00:00:00+09:00"))).toBe("2027-04-01");
    expect(tokyoDate(new Date("2027-03-31T23:59:59+09:00"))).toBe("2027-03-31");
  });
});
