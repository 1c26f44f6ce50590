import { addDays, daysBetween, fiscalYearOf } from "@cdp/contracts";
import { type FieldError, type Refusal, refuse } from "@cdp/lambda-kit/decision";
import {
  type CostBreakdown,
  type CostNorms,
  type Costs,
  LIMITS,
  type PersonTerm,
  type Placement,
  type PlacementHold,
  type PlacementStatus,
  type Programme,
  type QuotaUse,
  type QuotaView,
} from "./model.ts";

/** The rules a refusal names (409 with the rule), so a caller can tell them apart. */
export const RULES = {
  quota: "quota",
  personOverlap: "person-overlap",
  notBeforeStart: "not-before-start",
  actualExceedsHold: "actual-exceeds-hold",
  incurredExceedsHold: "incurred-exceeds-hold",
  topUpPending: "top-up-pending",
  holdsLimit: "holds-limit",
} as const;

/** Both days counted: a term from April 1 to April 30 is 30 days. */
export function termDays(startDate: string, endDate: string): number {
  return daysBetween(startDate, endDate) + 1;
}

/** The norms applied to a term: monthly amounts pro rata by the day (a month is 30 days), one round trip. */
export function estimateFromNorms(norms: CostNorms, days: number): CostBreakdown {
  const monthly = (perMonth: number) => Math.ceil((perMonth * days) / 30);
  return {
    allowanceYen: monthly(norms.monthlyAllowanceYen),
    housingYen: monthly(norms.monthlyHousingYen),
    travelYen: norms.travelYen,
    insuranceYen: monthly(norms.monthlyInsuranceYen),
    otherYen: 0,
  };
}

export function costsOf(breakdown: CostBreakdown): Costs {
  const totalYen =
    breakdown.allowanceYen + breakdown.housingYen + breakdown.travelYen + breakdown.insuranceYen + breakdown.otherYen;
  return { breakdown, totalYen };
}

/** The term and the estimate must hold together with the programme: every offending field named. */
export function termErrors(
  term: { startDate: string; endDate: string },
  programme: Programme,
  estimate: Costs,
  estimatePath: string,
): FieldError[] {
  const errors: FieldError[] = [];
  if (term.endDate < term.startDate) {
    errors.push({ path: "body.endDate", message: "must not be before startDate" });
  } else {
    const days = termDays(term.startDate, term.endDate);
    if (days < programme.minDays || days > programme.maxDays) {
      errors.push({
        path: "body.endDate",
        message: `the term is ${days} days; programme ${programme.id} allows ${programme.minDays} to ${programme.maxDays}`,
      });
    }
  }
  if (!Number.isSafeInteger(estimate.totalYen)) {
    errors.push({ path: estimatePath, message: "the total is too large to hold" });
  } else if (estimate.totalYen < 1) {
    errors.push({ path: estimatePath, message: "a placement the fund pays for costs at least 1 yen" });
  }
  return errors;
}

/** Another live placement of the same person whose term shares a day with this one. */
export function overlapRefusal(
  placementId: string,
  term: { startDate: string; endDate: string },
  others: readonly PersonTerm[],
): Refusal | undefined {
  const clash = others.find(
    (other) => other.placementId !== placementId && other.startDate <= term.endDate && term.startDate <= other.endDate,
  );
  if (!clash) return undefined;
  return refuse.rule(
    RULES.personOverlap,
    `The person already holds placement ${clash.placementId} from ${clash.startDate} to ${clash.endDate}, which overlaps this term`,
    { placementId: clash.placementId, startDate: clash.startDate, endDate: clash.endDate },
  );
}

/** The quota a placement would use, or the refusal naming which part of it is spent. */
export function quotaRefusal(programme: Programme, placement: Placement, used: QuotaUse): Refusal | undefined {
  return quotaRefusalWithin(placement, quotaOf(programme, placement.direction), used);
}

/**
 * What the store answers when another approval took the last of the quota between the read and the write: the
 * refusal for the quota as its item now stands.
 */
export function quotaTakenRefusal(placement: Placement, quota: QuotaUse, used: QuotaUse): Refusal {
  return (
    quotaRefusalWithin(placement, quota, used) ??
    refuse.rule(RULES.quota, `The FY${placement.fiscalYear} ${placement.direction} quota was taken meanwhile`)
  );
}

function quotaRefusalWithin(placement: Placement, quota: QuotaUse, used: QuotaUse): Refusal | undefined {
  const afterPlacements = used.placements + 1;
  const afterDays = used.days + placement.days;
  if (afterPlacements <= quota.placements && afterDays <= quota.days) return undefined;
  const which = afterPlacements > quota.placements ? "placements" : "days";
  return refuse.rule(
    RULES.quota,
    `The FY${placement.fiscalYear} ${placement.direction} quota of programme ${placement.programmeId} is ${quota.placements} ` +
      `placement(s) and ${quota.days} days; ${used.placements} placement(s) and ${used.days} days are used, ` +
      `so this ${placement.days}-day placement would exceed its ${which}`,
    { fiscalYear: placement.fiscalYear, direction: placement.direction, quota, used, which },
  );
}

export function quotaOf(programme: Programme, direction: Placement["direction"]): QuotaUse {
  return { placements: programme.placementsPerYear[direction], days: programme.totalDaysPerYear[direction] };
}

/** The fiscal year whose quota a term counts against: that of its start. */
export const quotaYearOf = (startDate: string) => fiscalYearOf(startDate);

/** The hold expires with the term's end plus the settlement period, so actual costs can still be posted. */
export const holdExpiryOf = (placement: Placement, programme: Programme) =>
  addDays(placement.endDate, programme.settlementDays);

/** Holds the ledger placed and that are not yet asked to be posted or voided. */
export const placedHolds = (placement: Placement): PlacementHold[] =>
  placement.holds.filter((hold) => hold.status === "placed");
/** Holds asked for and not answered yet. */
export const pendingHolds = (placement: Placement): PlacementHold[] =>
  placement.holds.filter((hold) => hold.status === "requested");
export const heldYen = (placement: Placement) => placedHolds(placement).reduce((sum, hold) => sum + hold.amountYen, 0);

/**
 * Spreads an amount to post over the placed holds in the order they were placed: each posts what it
 * can, the rest of it is released. The caller has checked the amount is within the total.
 */
export function allocatePosting(holds: readonly PlacementHold[], amountYen: number): number[] {
  let left = amountYen;
  return holds.map((hold) => {
    const posted = Math.min(left, hold.amountYen);
    left -= posted;
    return posted;
  });
}

/** The placement's holds are asked of the ledger under `placement:<id>`, then `:2`, `:3` … and `:top-up:<n>`. */
export function holdReferenceOf(placementId: string, purpose: PlacementHold["purpose"], sequence: number): string {
  if (purpose === "top-up") return `placement:${placementId}:top-up:${sequence}`;
  return sequence === 1 ? `placement:${placementId}` : `placement:${placementId}:${sequence}`;
}

/** The placement a hold reference names, or undefined for a reference that is not a placement's. */
export function placementIdOfReference(reference: string): string | undefined {
  return /^placement:([A-Za-z0-9-]+)(?::.*)?$/.exec(reference)?.[1];
}

/** Which step may follow which; anything else is a conflict naming the current state. */
export const STEPS: Readonly<Record<string, readonly PlacementStatus[]>> = {
  edit: ["applied"],
  approve: ["applied"],
  "request funding": ["funding-rejected"],
  "top up": ["funded", "active"],
  start: ["funded"],
  complete: ["active"],
  cancel: ["applied", "approved", "funding-rejected", "funded", "active"],
};

export function stepRefusal(placement: Placement, step: keyof typeof STEPS): Refusal | undefined {
  if (STEPS[step]?.includes(placement.status)) return undefined;
  return refuse.conflict(
    `Placement ${placement.id} is ${placement.status}: it cannot ${step} (allowed from ${STEPS[step]?.join(", ")})`,
    placement.status,
  );
}

/** Statuses that count against the quota: approved and after, until a cancellation before the start. */
export const countsAgainstQuota = (status: PlacementStatus) =>
  status === "approved" ||
  status === "funded" ||
  status === "active" ||
  status === "completed" ||
  status === "funding-rejected";

/** Used and left each way, never below zero left. */
export function quotaViewOf(
  programme: Programme,
  fiscalYear: number,
  used: Readonly<Record<Placement["direction"], QuotaUse>>,
): QuotaView {
  const side = (direction: Placement["direction"]) => {
    const quota = quotaOf(programme, direction);
    const taken = used[direction];
    return {
      used: taken,
      left: {
        placements: Math.max(0, quota.placements - taken.placements),
        days: Math.max(0, quota.days - taken.days),
      },
      quota,
    };
  };
  return { programmeId: programme.id, fiscalYear, outbound: side("outbound"), inbound: side("inbound") };
}

/** A placement asks for at most LIMITS.holds holds, so that settling them all stays one small transaction. */
export function holdsLimitRefusal(placement: Placement): Refusal | undefined {
  if (placement.holds.length < LIMITS.holds) return undefined;
  return refuse.rule(
    RULES.holdsLimit,
    `Placement ${placement.id} has asked the fund for ${placement.holds.length} holds, the most one may; cancel it and propose anew`,
  );
}
