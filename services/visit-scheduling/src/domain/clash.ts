import { compareCodeUnits } from "@cdp/contracts";
import { type Refusal, refuse } from "@cdp/lambda-kit/decision";
import { eachDay } from "./dates.ts";
import { VISIT_RULES } from "./lifecycle.ts";
import type { LeaderLevel, VisitStatus } from "./model.ts";

/** A head-level visit either way needs the governor: abroad for an outbound one, in Tokyo for an inbound courtesy call. */
export function needsGovernor(visit: { delegationHead: { level: LeaderLevel } }): boolean {
  return visit.delegationHead.level === "head";
}

/** Every calendar day of the visit, start and end included (YYYY-MM-DD strings, no time zones involved). */
export function engagementDays(visit: { startDate: string; endDate: string }): string[] {
  return eachDay(visit.startDate, visit.endDate);
}

/**
 * Only approved and confirmed visits hold the governor's calendar: a proposal is not yet a commitment,
 * a completed visit is in the past and a cancelled one no longer happens.
 */
const HOLDS_THE_CALENDAR: readonly VisitStatus[] = ["approved", "confirmed"];

/** Whole days: a trip ending on the day another starts shares that day (travel takes the governor's day). */
function shareADay(a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }): boolean {
  // YYYY-MM-DD strings order like the dates they name.
  return a.startDate <= b.endDate && b.startDate <= a.endDate;
}

/**
 * The other visits that clash with the candidate: approved or confirmed governor engagements sharing at
 * least one day with it (a trip ending on the day another starts clashes), earliest first. The candidate
 * itself (same id) is ignored. Returns [] when the candidate does not need the governor. The candidate's
 * own status is not looked at: the caller asks when it is about to commit the candidate.
 */
export function governorClashes<
  V extends {
    id: string;
    status: VisitStatus;
    startDate: string;
    endDate: string;
    delegationHead: { level: LeaderLevel };
  },
>(candidate: V, others: readonly V[]): V[] {
  if (!needsGovernor(candidate)) return [];
  return others
    .filter(
      (other) =>
        other.id !== candidate.id &&
        HOLDS_THE_CALENDAR.includes(other.status) &&
        needsGovernor(other) &&
        shareADay(candidate, other),
    )
    .sort((a, b) => compareCodeUnits(a.startDate, b.startDate) || compareCodeUnits(a.id, b.id));
}

/**
 * The refusal of a governor engagement whose days others hold: found before writing (the visits near
 * it) or when writing (the holder of a day taken meanwhile).
 */
export function governorClash(
  candidate: { status: VisitStatus; startDate: string; endDate: string },
  clashingVisitIds: readonly string[],
): Refusal {
  return refuse.rule(
    VISIT_RULES.governorCalendar,
    `The governor cannot be in two places: this visit (${candidate.startDate} to ${candidate.endDate}) clashes with ${clashingVisitIds.join(", ")}`,
    { currentStatus: candidate.status, action: "approve", clashingVisits: [...clashingVisitIds] },
  );
}
