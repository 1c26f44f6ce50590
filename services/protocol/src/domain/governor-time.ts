import { type CallHost, compareCodeUnits, eachDay, tokyoDate, type VisitNoticeDetail } from "@cdp/contracts";
import { type Refusal, refuse } from "@cdp/lambda-kit/decision";

/**
 * The governor's time: a courtesy call on the governor may not overlap another of the governor's calls, nor fall
 * on a day the governor is abroad. Days abroad are learnt from Visit Scheduling's events. Calls on a
 * vice-governor take none of it. Times are read in Tokyo (UTC+9, no daylight saving).
 */

export const GOVERNOR_CALENDAR = "governor-calendar";

const MINUTE_MS = 60_000;
const TOKYO_OFFSET_MS = 9 * 3_600_000;

/** What the governor's calendar needs to know of a call; a `Call` is one. */
export interface CallSlot {
  readonly id: string;
  readonly host: CallHost;
  readonly startsAt: string;
  readonly durationMinutes: number;
  readonly status: "scheduled" | "completed" | "cancelled";
}
type CallTime = Pick<CallSlot, "startsAt" | "durationMinutes">;

/** An instant written in Tokyo time, `2027-03-01T10:00:00+09:00` (with milliseconds only when it has some). */
export function tokyoDateTime(epochMs: number): string {
  const shifted = new Date(epochMs + TOKYO_OFFSET_MS).toISOString();
  const local = shifted.endsWith(".000Z") ? shifted.slice(0, 19) : shifted.slice(0, 23);
  return `${local}+09:00`;
}

/** The call's time as the half-open interval [start, end) in epoch milliseconds: touching ends do not overlap. */
export function intervalOf(call: CallTime): { readonly start: number; readonly end: number } {
  const start = Date.parse(call.startsAt);
  return { start, end: start + call.durationMinutes * MINUTE_MS };
}

export const endsAt = (call: CallTime): string => tokyoDateTime(intervalOf(call).end);

/**
 * The Tokyo dates a call covers, first to last: two when it crosses midnight. Its end is excluded, so a call
 * ending at midnight covers one. A store locks the governor's items of these days.
 */
export function daysTouched(call: CallTime): string[] {
  const { start, end } = intervalOf(call);
  return eachDay(tokyoDate(new Date(start)), tokyoDate(new Date(end - 1)));
}

/** Days the governor is away on an outbound visit, first and last included (Tokyo dates). */
export interface AbroadSpell {
  readonly visitId: string;
  readonly startDate: string;
  readonly endDate: string;
}

/**
 * What the service knows of the governor's visits abroad. A cancelled visit's id is kept (a tombstone) so
 * that its approval, arriving late, does not bring its days back. Both lists are sorted, so the same events
 * in any order make an equal calendar.
 */
export interface AbroadCalendar {
  readonly spells: readonly AbroadSpell[];
  readonly cancelledVisitIds: readonly string[];
}

export const NO_TIME_ABROAD: AbroadCalendar = { spells: [], cancelledVisitIds: [] };

/** What is read of a VisitApproved, VisitConfirmed or VisitCancelled detail; each carries more. */
export type VisitFacts = Pick<VisitNoticeDetail, "visitId" | "direction" | "startDate" | "endDate"> & {
  readonly delegationHead: Pick<VisitNoticeDetail["delegationHead"], "level">;
};

/** Only an outbound visit the governor (the head) leads takes the governor abroad. */
export const takesGovernorAbroad = (visit: VisitFacts) =>
  visit.direction === "outbound" && visit.delegationHead.level === "head";

const bySpellStart = (a: AbroadSpell, b: AbroadSpell) =>
  compareCodeUnits(a.startDate, b.startDate) || compareCodeUnits(a.visitId, b.visitId);

/**
 * An approved visit holds its days. Its dates are fixed once approved (Visit Scheduling refuses to change them),
 * so a repeated or confirming event holds the same days again: nothing changes.
 */
export function applyVisitApproved(calendar: AbroadCalendar, visit: VisitFacts): AbroadCalendar {
  if (!takesGovernorAbroad(visit) || calendar.cancelledVisitIds.includes(visit.visitId)) return calendar;
  const spell: AbroadSpell = { visitId: visit.visitId, startDate: visit.startDate, endDate: visit.endDate };
  return {
    ...calendar,
    spells: [...calendar.spells.filter((other) => other.visitId !== visit.visitId), spell].sort(bySpellStart),
  };
}

/** A confirmation holds the days an approval holds: either may arrive first. */
export const applyVisitConfirmed = applyVisitApproved;

/** A cancelled visit frees its days for good, even when its approval has not arrived yet. */
export function applyVisitCancelled(calendar: AbroadCalendar, visit: VisitFacts): AbroadCalendar {
  // A visit that never takes the governor abroad has no days to free, nor any to guard against.
  if (!takesGovernorAbroad(visit)) return calendar;
  return {
    spells: calendar.spells.filter((spell) => spell.visitId !== visit.visitId),
    cancelledVisitIds: [...new Set([...calendar.cancelledVisitIds, visit.visitId])].sort(compareCodeUnits),
  };
}

/** Only the governor's calls that are not cancelled hold the time; a completed one did hold it. */
const holdsGovernorTime = (other: CallSlot) => other.host === "governor" && other.status !== "cancelled";

/**
 * Why the governor cannot take this call, or null when the time is free. The call itself (same id) among the
 * others is ignored, so a call may move within its own slot. Days abroad are named before clashing calls:
 * no other call could free them.
 */
export function governorTimeRefusal(
  call: Pick<CallSlot, "id" | "host" | "startsAt" | "durationMinutes">,
  otherCallsOnTheseDays: readonly CallSlot[],
  abroadSpells: readonly AbroadSpell[],
): Refusal | null {
  if (call.host !== "governor") return null;
  const days = daysTouched(call);
  const first = days[0] ?? "";
  const last = days[days.length - 1] ?? "";
  const abroad = abroadSpells
    .filter((spell) => spell.startDate <= last && first <= spell.endDate)
    .sort(bySpellStart)[0];
  if (abroad) {
    return refuse.rule(
      GOVERNOR_CALENDAR,
      `The governor is abroad from ${abroad.startDate} to ${abroad.endDate} (visit ${abroad.visitId})`,
      { heldBy: { kind: "abroad", visitId: abroad.visitId, startDate: abroad.startDate, endDate: abroad.endDate } },
    );
  }
  const mine = intervalOf(call);
  const clash = otherCallsOnTheseDays
    .filter((other) => other.id !== call.id && holdsGovernorTime(other))
    .map((other) => ({ other, time: intervalOf(other) }))
    .filter(({ time }) => time.start < mine.end && mine.start < time.end)
    .sort((a, b) => a.time.start - b.time.start || compareCodeUnits(a.other.id, b.other.id))[0];
  if (!clash) return null;
  const startsAt = tokyoDateTime(clash.time.start);
  const clashEndsAt = tokyoDateTime(clash.time.end);
  return refuse.rule(
    GOVERNOR_CALENDAR,
    `The governor has courtesy call ${clash.other.id} from ${startsAt} to ${clashEndsAt}, which overlaps this call`,
    { heldBy: { kind: "call", callId: clash.other.id, startsAt, endsAt: clashEndsAt } },
  );
}
