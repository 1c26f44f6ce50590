import { describe, expect, it } from "vitest";
import { addDays } from "./dates.ts";
import type { Visit } from "./model.ts";
import {
  AnnualPlanSchema,
  annualPlan,
  DEFAULT_PLAN_SETTINGS,
  estimateOf,
  fiscalYearOf,
  fiscalYearRange,
  type PlannedVisit,
  plannedVisitOf,
} from "./plan.ts";

const MILLION = 1_000_000;

const trip = (id: string, overrides: Partial<PlannedVisit> = {}): PlannedVisit => ({
  id,
  direction: "outbound",
  leaderLevel: "head",
  status: "proposed",
  priority: 3,
  startDate: "2026-07-01",
  endDate: "2026-07-05",
  partnerIds: ["london"],
  purpose: "relationship-building",
  estimateYen: 14 * MILLION,
  actualCostYen: null,
  ...overrides,
});

const FY2026 = 2026;
const plan2026 = (visits: PlannedVisit[], settings = DEFAULT_PLAN_SETTINGS) => annualPlan(FY2026, settings, visits);
const committedIds = (visits: PlannedVisit[], settings = DEFAULT_PLAN_SETTINGS) =>
  plan2026(visits, settings).committed.map((entry) => entry.visit.id);
const proposalVerdicts = (visits: PlannedVisit[], settings = DEFAULT_PLAN_SETTINGS) =>
  plan2026(visits, settings).proposals.map(({ rank, visit, fits, reason }) => ({ rank, id: visit.id, fits, reason }));

describe("fiscal years", () => {
  it.each([
    ["2026-04-01", 2026],
    ["2026-12-31", 2026],
    ["2027-01-01", 2026],
    ["2027-03-31", 2026],
    ["2027-04-01", 2027],
    ["2026-03-31", 2025],
  ])("%s falls in FY%i", (date, fiscalYear) => {
    expect(fiscalYearOf(date)).toBe(fiscalYear);
  });

  it("FY2026 runs from 2026-04-01 to 2027-03-31", () => {
    expect(fiscalYearRange(2026)).toEqual({ start: "2026-04-01", end: "2027-03-31" });
  });

  it.each([2000, 2026, 2027, 2099])("the range of FY%i agrees with fiscalYearOf at both ends", (fiscalYear) => {
    const { start, end } = fiscalYearRange(fiscalYear);
    expect(fiscalYearOf(addDays(start, -1))).toBe(fiscalYear - 1);
    expect(fiscalYearOf(start)).toBe(fiscalYear);
    expect(fiscalYearOf(end)).toBe(fiscalYear);
    expect(fiscalYearOf(addDays(end, 1))).toBe(fiscalYear + 1);
  });

  it("refuses what is not a date", () => {
    expect(() => fiscalYearOf("2026/04/01")).toThrow(RangeError);
  });
});

describe("the default plan settings", () => {
  it("are the guideline's 3 trips of about 14 million yen", () => {
    expect(DEFAULT_PLAN_SETTINGS).toEqual({ tripCap: 3, travelBudgetYen: 42 * MILLION });
  });
});

describe("which visits the plan counts", () => {
  it("counts a trip by its start date: March 31 is the old year's last day, April 1 the new year's first", () => {
    const visits = [
      trip("starts-on-fy2025-last-day", { status: "approved", startDate: "2026-03-31", endDate: "2026-04-03" }),
      trip("starts-on-fy2026-first-day", { status: "approved", startDate: "2026-04-01", endDate: "2026-04-03" }),
      trip("starts-on-fy2026-last-day", { status: "approved", startDate: "2027-03-31", endDate: "2027-04-04" }),
      trip("starts-on-fy2027-first-day", { status: "approved", startDate: "2027-04-01", endDate: "2027-04-04" }),
    ];
    expect(committedIds(visits)).toEqual(["starts-on-fy2026-first-day", "starts-on-fy2026-last-day"]);
    expect(annualPlan(2025, DEFAULT_PLAN_SETTINGS, visits).committed.map((entry) => entry.visit.id)).toEqual([
      "starts-on-fy2025-last-day",
    ]);
  });

  it("counts only the governor's overseas trips, whatever the caller passes", () => {
    const visits = [
      trip("governor-abroad", { status: "approved" }),
      trip("mayor-in-tokyo", { status: "approved", direction: "inbound" }),
      trip("vice-governor-abroad", { status: "approved", leaderLevel: "deputy" }),
      trip("officials-abroad", { leaderLevel: "official" }),
    ];
    const plan = plan2026(visits);
    expect(plan.committed.map((entry) => entry.visit.id)).toEqual(["governor-abroad"]);
    expect(plan.proposals).toEqual([]);
  });

  it("ignores cancelled trips entirely", () => {
    const plan = plan2026([trip("cancelled", { status: "cancelled", estimateYen: 40 * MILLION })]);
    expect(plan.committed).toEqual([]);
    expect(plan.proposals).toEqual([]);
    expect(plan.totals.plannedCostYen).toBe(0);
  });
});

describe("committed trips", () => {
  it("are approved, confirmed and completed trips, by start date, counted before any proposal", () => {
    const visits = [
      trip("proposal", { priority: 1, startDate: "2026-05-01" }),
      trip("confirmed", { status: "confirmed", startDate: "2026-10-01" }),
      trip("completed", { status: "completed", startDate: "2026-05-10", actualCostYen: 12 * MILLION }),
      trip("approved", { status: "approved", startDate: "2027-02-01" }),
    ];
    expect(committedIds(visits)).toEqual(["completed", "confirmed", "approved"]);
    // Three committed trips fill the cap before the priority-1 proposal is looked at.
    expect(proposalVerdicts(visits)).toEqual([{ rank: 1, id: "proposal", fits: false, reason: "trip cap reached" }]);
  });

  it("count a completed trip at its actual cost when known, everything else at its estimate", () => {
    const plan = plan2026([
      trip("completed-settled", { status: "completed", startDate: "2026-05-01", actualCostYen: 16 * MILLION }),
      trip("completed-unsettled", { status: "completed", startDate: "2026-06-01", actualCostYen: null }),
      // Only a completed trip is settled; an amount recorded earlier is not its final cost.
      trip("confirmed", {
        status: "confirmed",
        startDate: "2026-07-01",
        estimateYen: 9 * MILLION,
        actualCostYen: MILLION,
      }),
    ]);
    expect(plan.committed.map(({ visit, costYen, costBasis }) => [visit.id, costYen, costBasis])).toEqual([
      ["completed-settled", 16 * MILLION, "actual"],
      ["completed-unsettled", 14 * MILLION, "estimate"],
      ["confirmed", 9 * MILLION, "estimate"],
    ]);
    expect(plan.totals.committedCostYen).toBe(39 * MILLION);
    expect(plan.totals.remainingBudgetYen).toBe(3 * MILLION);
    expect(plan.overCommitted).toBe(false);
  });

  it("always count, even beyond the trip cap, and the plan says it is over-committed", () => {
    const visits = ["05", "06", "07", "08"].map((month) =>
      trip(`trip-${month}`, { status: "approved", startDate: `2026-${month}-01`, estimateYen: 5 * MILLION }),
    );
    const plan = plan2026([...visits, trip("cheap-proposal", { estimateYen: 0 })]);
    expect(plan.committed).toHaveLength(4);
    expect(plan.overCommitted).toBe(true);
    expect(plan.totals).toEqual({
      committedTrips: 4,
      committedCostYen: 20 * MILLION,
      plannedTrips: 4,
      plannedCostYen: 20 * MILLION,
      remainingBudgetYen: 22 * MILLION,
      remainingTrips: -1,
    });
    expect(plan.proposals.map((proposal) => proposal.reason)).toEqual(["trip cap reached"]);
  });

  it("always count, even beyond the budget, and then no proposal fits the budget", () => {
    const plan = plan2026([
      trip("london-paris", { status: "completed", actualCostYen: 50 * MILLION }),
      trip("proposal", { startDate: "2026-09-01", estimateYen: 1 * MILLION }),
    ]);
    expect(plan.overCommitted).toBe(true);
    expect(plan.totals.remainingBudgetYen).toBe(-8 * MILLION);
    expect(plan.totals.remainingTrips).toBe(2);
    expect(plan.proposals[0]).toMatchObject({ fits: false, reason: "over budget by 9,000,000 yen" });
  });

  it("exactly at the caps are not over-committed", () => {
    const visits = ["05", "06", "07"].map((month) =>
      trip(`trip-${month}`, { status: "confirmed", startDate: `2026-${month}-01` }),
    );
    const plan = plan2026(visits);
    expect(plan.totals.committedCostYen).toBe(42 * MILLION);
    expect(plan.overCommitted).toBe(false);
    expect(plan.totals.remainingTrips).toBe(0);
    expect(plan.totals.remainingBudgetYen).toBe(0);
  });
});

describe("ranking proposals", () => {
  it("puts higher priority (1) first, then the earlier start, then the id", () => {
    const visits = [
      trip("c-low-early", { priority: 5, startDate: "2026-04-10" }),
      trip("b-high-late", { priority: 1, startDate: "2027-01-10" }),
      trip("z-mid-early", { priority: 2, startDate: "2026-05-10" }),
      trip("a-mid-early", { priority: 2, startDate: "2026-05-10" }),
      trip("m-mid-earlier", { priority: 2, startDate: "2026-05-09" }),
    ];
    const settings = { tripCap: 10, travelBudgetYen: 100 * MILLION };
    expect(proposalVerdicts(visits, settings).map(({ rank, id }) => [rank, id])).toEqual([
      [1, "b-high-late"],
      [2, "m-mid-earlier"],
      [3, "a-mid-early"],
      [4, "z-mid-early"],
      [5, "c-low-early"],
    ]);
  });

  it("lets proposals fit in rank order until the trip cap is reached", () => {
    const visits = [
      trip("first", { priority: 1, estimateYen: 10 * MILLION }),
      trip("second", { priority: 2, estimateYen: 10 * MILLION }),
      trip("third", { priority: 3, estimateYen: 10 * MILLION }),
      trip("fourth", { priority: 4, estimateYen: 1 * MILLION }),
    ];
    expect(proposalVerdicts(visits)).toEqual([
      { rank: 1, id: "first", fits: true, reason: undefined },
      { rank: 2, id: "second", fits: true, reason: undefined },
      { rank: 3, id: "third", fits: true, reason: undefined },
      { rank: 4, id: "fourth", fits: false, reason: "trip cap reached" },
    ]);
    const plan = plan2026(visits);
    expect(plan.totals).toMatchObject({ plannedTrips: 3, plannedCostYen: 30 * MILLION, remainingTrips: 0 });
    expect(plan.proposals[0]).not.toHaveProperty("reason");
  });

  it("skips a proposal over budget without spending on it, so a cheaper one after it may still fit", () => {
    const visits = [
      trip("committed", { status: "approved", estimateYen: 14 * MILLION }),
      trip("expensive", { priority: 1, estimateYen: 30 * MILLION }),
      trip("cheap", { priority: 2, estimateYen: 10 * MILLION }),
      trip("middling", { priority: 3, estimateYen: 20 * MILLION }),
      trip("exactly-the-rest", { priority: 4, estimateYen: 18 * MILLION }),
    ];
    expect(proposalVerdicts(visits)).toEqual([
      { rank: 1, id: "expensive", fits: false, reason: "over budget by 2,000,000 yen" },
      { rank: 2, id: "cheap", fits: true, reason: undefined },
      { rank: 3, id: "middling", fits: false, reason: "over budget by 2,000,000 yen" },
      { rank: 4, id: "exactly-the-rest", fits: true, reason: undefined },
    ]);
    expect(plan2026(visits).totals).toEqual({
      committedTrips: 1,
      committedCostYen: 14 * MILLION,
      plannedTrips: 3,
      plannedCostYen: 42 * MILLION,
      remainingBudgetYen: 0,
      remainingTrips: 0,
    });
  });

  it("names the trip cap when a proposal breaks both caps", () => {
    const settings = { tripCap: 1, travelBudgetYen: 10 * MILLION };
    const visits = [trip("fits", { priority: 1, estimateYen: 10 * MILLION }), trip("both", { priority: 2 })];
    expect(proposalVerdicts(visits, settings)[1]).toMatchObject({ fits: false, reason: "trip cap reached" });
  });

  it("fits nothing with a cap of zero", () => {
    const settings = { tripCap: 0, travelBudgetYen: 42 * MILLION };
    expect(proposalVerdicts([trip("any", { estimateYen: 0 })], settings)).toEqual([
      { rank: 1, id: "any", fits: false, reason: "trip cap reached" },
    ]);
  });
});

describe("the plan as the API returns it", () => {
  it("carries the year, its period and the settings, and matches AnnualPlanSchema", () => {
    const settings = { tripCap: 2, travelBudgetYen: 30 * MILLION };
    const plan = annualPlan(FY2026, settings, [
      trip("done", { status: "completed", actualCostYen: 13 * MILLION }),
      trip("next", { startDate: "2026-11-01" }),
      trip("later", { startDate: "2027-02-01", priority: 5 }),
    ]);
    expect(plan.fiscalYear).toBe(2026);
    expect(plan.period).toEqual({ start: "2026-04-01", end: "2027-03-31" });
    expect(plan.settings).toEqual(settings);
    expect(AnnualPlanSchema.parse(plan)).toEqual(plan);
  });

  it("is empty but complete for a year without trips", () => {
    expect(plan2026([])).toEqual({
      fiscalYear: 2026,
      period: { start: "2026-04-01", end: "2027-03-31" },
      settings: { tripCap: 3, travelBudgetYen: 42 * MILLION },
      committed: [],
      proposals: [],
      totals: {
        committedTrips: 0,
        committedCostYen: 0,
        plannedTrips: 0,
        plannedCostYen: 0,
        remainingBudgetYen: 42 * MILLION,
        remainingTrips: 3,
      },
      overCommitted: false,
    });
  });
});

describe("a stored visit as the plan sees it", () => {
  const quotes = [
    { vendor: "JTB", amountYen: 15 * MILLION, receivedOn: "2026-04-10" },
    { vendor: "KNT", amountYen: 13 * MILLION, receivedOn: "2026-04-12" },
  ];

  it("is estimated at its cost breakdown's total", () => {
    const breakdown = [
      { item: "Air fares", amountYen: 9 * MILLION },
      { item: "Hotels", amountYen: 5 * MILLION },
    ];
    expect(estimateOf({ breakdown, quotes, totalYen: 14 * MILLION })).toBe(14 * MILLION);
  });

  it("is estimated at the lowest quote while it has no breakdown, and at 0 with neither", () => {
    expect(estimateOf({ breakdown: [], quotes, totalYen: 0 })).toBe(13 * MILLION);
    expect(estimateOf({ breakdown: [], quotes: [], totalYen: 0 })).toBe(0);
  });

  it("keeps what the plan shows and counts", () => {
    const visit: Visit = {
      id: "3f1c8f5e-0c1d-4e4a-9a51-1b0b3c1d2e3f",
      direction: "outbound",
      partnerIds: ["london", "paris"],
      delegationHead: {
        name: { en: "Governor", ja: "知事" },
        title: { en: "Governor of Tokyo", ja: "東京都知事" },
        level: "head",
      },
      purpose: "relationship-building",
      purposeStatement: { en: "Strengthen ties", ja: "関係強化" },
      priority: 1,
      startDate: "2026-10-25",
      endDate: "2026-10-31",
      itinerary: [],
      members: [],
      costEstimate: { breakdown: [], quotes, totalYen: 0 },
      actualCostYen: null,
      conferenceId: null,
      status: "approved",
      cancellationReason: null,
      governorEngagement: true,
      version: 3,
      createdAt: "2026-04-01T09:00:00+09:00",
      updatedAt: "2026-04-20T09:00:00+09:00",
    };
    expect(plannedVisitOf(visit)).toEqual({
      id: visit.id,
      direction: "outbound",
      leaderLevel: "head",
      status: "approved",
      priority: 1,
      startDate: "2026-10-25",
      endDate: "2026-10-31",
      partnerIds: ["london", "paris"],
      purpose: "relationship-building",
      estimateYen: 13 * MILLION,
      actualCostYen: null,
    });
  });
});
