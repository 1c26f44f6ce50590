import { compareCodeUnits, formatYen, IsoDate, TRIP_PLAN_GUIDELINE } from "@cdp/contracts";
import * as z from "zod/mini";
import { needsGovernor } from "./clash.ts";
import { Direction, LeaderLevel, PlanSettingsInput, type Visit, VisitPurpose, VisitStatus } from "./model.ts";

/**
 * The annual plan of the governor's overseas trips. The TMG guideline budgets a fixed number of trips a
 * fiscal year at a fixed travel budget; the plan shows what is already committed and which proposals,
 * in order of priority, still fit within both caps.
 */

export type PlanSettings = PlanSettingsInput;

/** Until the planners set the year's caps: the guideline's (shared with the reports through the contracts). */
export const DEFAULT_PLAN_SETTINGS: Readonly<PlanSettings> = TRIP_PLAN_GUIDELINE;

/** Fiscal years run April 1 to March 31 and are named by the year they start in (shared: @cdp/contracts). */
export { fiscalYearOf } from "@cdp/contracts";

/** FY2026 = 2026-04-01..2027-03-31, both included. */
export function fiscalYearRange(fiscalYear: number): { start: string; end: string } {
  const year = (y: number) => String(y).padStart(4, "0");
  return { start: `${year(fiscalYear)}-04-01`, end: `${year(fiscalYear + 1)}-03-31` };
}

/** What the plan needs of a visit, and shows of it. Descriptions go into the OpenAPI document. */
export const PlannedVisitSchema = z.object({
  id: z.string(),
  direction: Direction,
  leaderLevel: LeaderLevel,
  status: VisitStatus,
  priority: z.int().check(z.describe("1 is the highest priority, 5 the lowest")),
  startDate: IsoDate,
  endDate: IsoDate,
  partnerIds: z.array(z.string()),
  purpose: VisitPurpose,
  estimateYen: z.int().check(z.describe("Estimated cost in yen: what a trip not yet completed is counted at")),
  actualCostYen: z.nullable(z.int()).check(z.describe("Settled cost in yen once known: a completed trip counts at it")),
});
export type PlannedVisit = z.infer<typeof PlannedVisitSchema>;

/**
 * The estimate of a visit: the sum of its cost breakdown; while it has no breakdown yet, the lowest
 * vendor quote (the one a procurement would take), else 0.
 */
export function estimateOf(costEstimate: Visit["costEstimate"]): number {
  if (costEstimate.breakdown.length > 0) return costEstimate.totalYen;
  const amounts = costEstimate.quotes.map((quote) => quote.amountYen);
  return amounts.length > 0 ? Math.min(...amounts) : 0;
}

/** The plan's view of a stored visit. */
export function plannedVisitOf(visit: Visit): PlannedVisit {
  return {
    id: visit.id,
    direction: visit.direction,
    leaderLevel: visit.delegationHead.level,
    status: visit.status,
    priority: visit.priority,
    startDate: visit.startDate,
    endDate: visit.endDate,
    partnerIds: [...visit.partnerIds],
    purpose: visit.purpose,
    estimateYen: estimateOf(visit.costEstimate),
    actualCostYen: visit.actualCostYen,
  };
}

const CommittedTripSchema = z.object({
  visit: PlannedVisitSchema,
  costYen: z.int().check(z.describe("What the trip takes from the budget")),
  costBasis: z
    .enum(["actual", "estimate"])
    .check(z.describe("actual for a completed trip whose cost is known, estimate otherwise")),
});
export type CommittedTrip = z.infer<typeof CommittedTripSchema>;

const RankedProposalSchema = z.object({
  rank: z
    .int()
    .check(
      z.minimum(1),
      z.describe("1 for the proposal considered first: highest priority, then earlier start, then id"),
    ),
  visit: PlannedVisitSchema,
  fits: z
    .boolean()
    .check(
      z.describe("One more trip stays within the cap and its estimate within the budget left by those ranked before"),
    ),
  reason: z.optional(z.string()).check(z.describe('Why it does not fit: "trip cap reached" or "over budget by N yen"')),
});
export type RankedProposal = z.infer<typeof RankedProposalSchema>;

export const AnnualPlanSchema = z.object({
  fiscalYear: z.int().check(z.describe("Named by the year it starts in: FY2026 runs 2026-04-01 to 2027-03-31")),
  period: z.object({ start: IsoDate, end: IsoDate }),
  settings: PlanSettingsInput,
  committed: z.array(CommittedTripSchema).check(z.describe("Approved, confirmed and completed trips, by start date")),
  proposals: z.array(RankedProposalSchema).check(z.describe("Proposed trips in rank order")),
  totals: z.object({
    committedTrips: z.int(),
    committedCostYen: z.int(),
    plannedTrips: z.int().check(z.describe("Committed trips plus the proposals that fit")),
    plannedCostYen: z.int(),
    remainingBudgetYen: z
      .int()
      .check(z.describe("Budget minus planned cost; negative when committed trips already exceed the budget")),
    remainingTrips: z
      .int()
      .check(z.describe("Trip cap minus planned trips; negative when committed trips already exceed the cap")),
  }),
  overCommitted: z.boolean().check(z.describe("The committed trips alone exceed the trip cap or the budget")),
});
export type AnnualPlan = z.infer<typeof AnnualPlanSchema>;

const COMMITTED: readonly VisitStatus[] = ["approved", "confirmed", "completed"];

/**
 * The plan of the governor's overseas trips for a fiscal year. Only outbound head-level visits starting
 * within the year count; the caller should pass just those, but anything else is filtered out here.
 * Committed trips always count, even past the caps; cancelled ones never do. Proposals are then taken
 * in rank order, and one that does not fit takes nothing, so a cheaper one ranked after it may still fit.
 */
export function annualPlan(fiscalYear: number, settings: PlanSettings, visits: readonly PlannedVisit[]): AnnualPlan {
  const period = fiscalYearRange(fiscalYear);
  const trips = visits.filter(
    (visit) =>
      visit.direction === "outbound" &&
      needsGovernor({ delegationHead: { level: visit.leaderLevel } }) &&
      visit.startDate >= period.start &&
      visit.startDate <= period.end,
  );

  const committed: CommittedTrip[] = trips
    .filter((visit) => COMMITTED.includes(visit.status))
    .sort((a, b) => compareCodeUnits(a.startDate, b.startDate) || compareCodeUnits(a.id, b.id))
    .map((visit) =>
      visit.status === "completed" && visit.actualCostYen !== null
        ? { visit, costYen: visit.actualCostYen, costBasis: "actual" }
        : { visit, costYen: visit.estimateYen, costBasis: "estimate" },
    );
  const committedTrips = committed.length;
  const committedCostYen = committed.reduce((sum, trip) => sum + trip.costYen, 0);

  const ranked = trips
    .filter((visit) => visit.status === "proposed")
    .sort(
      (a, b) => a.priority - b.priority || compareCodeUnits(a.startDate, b.startDate) || compareCodeUnits(a.id, b.id),
    );
  let plannedTrips = committedTrips;
  let plannedCostYen = committedCostYen;
  const proposals: RankedProposal[] = [];
  for (const [index, visit] of ranked.entries()) {
    const rank = index + 1;
    const remainingBudgetYen = settings.travelBudgetYen - plannedCostYen;
    if (plannedTrips + 1 > settings.tripCap) {
      proposals.push({ rank, visit, fits: false, reason: "trip cap reached" });
    } else if (visit.estimateYen > remainingBudgetYen) {
      const shortfall = formatYen(visit.estimateYen - remainingBudgetYen);
      proposals.push({ rank, visit, fits: false, reason: `over budget by ${shortfall} yen` });
    } else {
      proposals.push({ rank, visit, fits: true });
      plannedTrips += 1;
      plannedCostYen += visit.estimateYen;
    }
  }

  return {
    fiscalYear,
    period,
    settings: { tripCap: settings.tripCap, travelBudgetYen: settings.travelBudgetYen },
    committed,
    proposals,
    totals: {
      committedTrips,
      committedCostYen,
      plannedTrips,
      plannedCostYen,
      remainingBudgetYen: settings.travelBudgetYen - plannedCostYen,
      remainingTrips: settings.tripCap - plannedTrips,
    },
    overCommitted: committedTrips > settings.tripCap || committedCostYen > settings.travelBudgetYen,
  };
}
