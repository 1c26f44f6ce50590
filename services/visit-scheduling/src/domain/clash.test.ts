import { describe, expect, it } from "vitest";
import { engagementDays, governorClashes, needsGovernor } from "./clash.ts";
import type { Direction, LeaderLevel, VisitStatus } from "./model.ts";

interface Engagement {
  id: string;
  direction: Direction;
  status: VisitStatus;
  startDate: string;
  endDate: string;
  delegationHead: { level: LeaderLevel };
}

const engagement = (
  id: string,
  startDate: string,
  endDate: string,
  overrides: { status?: VisitStatus; level?: LeaderLevel; direction?: Direction } = {},
): Engagement => ({
  id,
  direction: overrides.direction ?? "outbound",
  status: overrides.status ?? "approved",
  startDate,
  endDate,
  delegationHead: { level: overrides.level ?? "head" },
});

const ids = (visits: readonly Engagement[]) => visits.map((visit) => visit.id);

describe("whether a visit needs the governor", () => {
  it.each([
    ["head", true],
    ["deputy", false],
    ["official", false],
  ] as const)("a %s-level delegation: %s", (level, expected) => {
    expect(needsGovernor({ delegationHead: { level } })).toBe(expected);
  });
});

describe("the days a visit takes", () => {
  it("lists every calendar day, both ends included", () => {
    expect(engagementDays({ startDate: "2026-06-01", endDate: "2026-06-03" })).toEqual([
      "2026-06-01",
      "2026-06-02",
      "2026-06-03",
    ]);
  });

  it("is one day for a day visit", () => {
    expect(engagementDays({ startDate: "2026-06-01", endDate: "2026-06-01" })).toEqual(["2026-06-01"]);
  });

  it("crosses month ends, leap days and year ends", () => {
    expect(engagementDays({ startDate: "2028-02-28", endDate: "2028-03-01" })).toEqual([
      "2028-02-28",
      "2028-02-29",
      "2028-03-01",
    ]);
    expect(engagementDays({ startDate: "2026-12-31", endDate: "2027-01-01" })).toEqual(["2026-12-31", "2027-01-01"]);
  });
});

describe("clashes on the governor's calendar", () => {
  const candidate = engagement("candidate", "2026-06-10", "2026-06-14", { status: "proposed" });

  it.each([
    ["overlapping the start", "2026-06-08", "2026-06-10"],
    ["overlapping the end", "2026-06-14", "2026-06-16"],
    ["inside it", "2026-06-11", "2026-06-12"],
    ["around it", "2026-06-01", "2026-06-30"],
    ["the same days", "2026-06-10", "2026-06-14"],
  ])("an approved governor trip %s clashes", (_case, startDate, endDate) => {
    expect(ids(governorClashes(candidate, [engagement("other", startDate, endDate)]))).toEqual(["other"]);
  });

  it("a trip ending on the day the candidate starts shares that day and clashes", () => {
    expect(ids(governorClashes(candidate, [engagement("before", "2026-06-05", "2026-06-10")]))).toEqual(["before"]);
  });

  it("trips on adjacent days do not clash", () => {
    const others = [
      engagement("day-before", "2026-06-05", "2026-06-09"),
      engagement("day-after", "2026-06-15", "2026-06-20"),
    ];
    expect(governorClashes(candidate, others)).toEqual([]);
  });

  it.each(["approved", "confirmed"] as const)("a %s engagement holds the calendar", (status) => {
    expect(ids(governorClashes(candidate, [engagement("other", "2026-06-12", "2026-06-12", { status })]))).toEqual([
      "other",
    ]);
  });

  it.each(["proposed", "completed", "cancelled"] as const)("a %s engagement does not hold the calendar", (status) => {
    expect(governorClashes(candidate, [engagement("other", "2026-06-12", "2026-06-12", { status })])).toEqual([]);
  });

  it.each(["deputy", "official"] as const)("another visit led at %s level does not need the governor", (level) => {
    expect(governorClashes(candidate, [engagement("other", "2026-06-12", "2026-06-12", { level })])).toEqual([]);
  });

  it.each(["deputy", "official"] as const)("a candidate led at %s level clashes with nothing", (level) => {
    const deputyTrip = engagement("candidate", "2026-06-10", "2026-06-14", { level });
    expect(governorClashes(deputyTrip, [engagement("other", "2026-06-12", "2026-06-12")])).toEqual([]);
  });

  it("ignores the candidate's own stored version (same id), e.g. when its dates are edited", () => {
    const stored = engagement("candidate", "2026-06-12", "2026-06-13", { status: "approved" });
    expect(governorClashes(candidate, [stored])).toEqual([]);
  });

  it.each([
    ["outbound", "inbound"],
    ["inbound", "outbound"],
    ["outbound", "outbound"],
    ["inbound", "inbound"],
  ] as const)("a %s candidate clashes with an %s head-level visit on a shared day", (mine, theirs) => {
    const trip = engagement("candidate", "2026-06-10", "2026-06-14", { direction: mine });
    const other = engagement("other", "2026-06-14", "2026-06-15", { direction: theirs });
    expect(ids(governorClashes(trip, [other]))).toEqual(["other"]);
  });

  it("returns every clash, earliest first, and only clashes", () => {
    const others = [
      engagement("late", "2026-06-13", "2026-06-20", { status: "confirmed" }),
      engagement("early", "2026-06-01", "2026-06-10"),
      engagement("elsewhere", "2026-07-01", "2026-07-05"),
      engagement("cancelled", "2026-06-11", "2026-06-11", { status: "cancelled" }),
    ];
    expect(ids(governorClashes(candidate, others))).toEqual(["early", "late"]);
  });
});
