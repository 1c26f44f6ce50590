import {
  BilingualText,
  CallHost,
  CourtesyCallCancelled,
  CourtesyCallCompleted,
  CourtesyCallScheduled,
  IsoDateTime,
  MissionId,
  PartnerId,
  PlannedInstant,
  Text,
  tokyoDate,
  uniqueBy,
} from "@cdp/contracts";
import { type Decided, type Decision, decided, event, type Refusal, refuse, refused } from "@cdp/lambda-kit/decision";
import * as z from "zod/mini";
import {
  type AbroadSpell,
  type CallSlot,
  daysTouched,
  GOVERNOR_CALENDAR,
  governorTimeRefusal,
  tokyoDateTime,
} from "./governor-time.ts";
import type { Mission } from "./missions.ts";
import type { Stamp } from "./stamp.ts";

/**
 * Courtesy calls: an ambassador or a visiting delegation calls on the governor or a vice-governor. The visitors
 * are personal data, readable by `protocol` and `admin` only: no event and no public view carries them.
 */

export const CALL_RULES = { governorCalendar: GOVERNOR_CALENDAR, notBeforeStart: "not-before-start" } as const;
export const CALL_LIMITS = { visitors: 30, partnerIds: 20, topics: 20, minutes: { min: 5, max: 480 } } as const;

export const CallStatus = z.enum(["scheduled", "completed", "cancelled"]);
export type CallStatus = z.infer<typeof CallStatus>;

export const Visitor = z.strictObject({ name: BilingualText, title: BilingualText });
export type Visitor = z.infer<typeof Visitor>;

const DurationMinutes = z.int().check(z.minimum(CALL_LIMITS.minutes.min), z.maximum(CALL_LIMITS.minutes.max));

export const CallInput = z
  .strictObject({
    missionId: z.optional(MissionId),
    /** The delegation's partners; when none are given, the mission's are the call's. */
    partnerIds: z._default(
      z.array(PartnerId).check(
        z.maxLength(CALL_LIMITS.partnerIds),
        // A call with a partner named twice would publish it twice, and count twice as the partner's exchange.
        uniqueBy((id: string) => id, "partner"),
      ),
      [],
    ),
    visitors: z.array(Visitor).check(z.minLength(1), z.maxLength(CALL_LIMITS.visitors)),
    host: CallHost,
    /** Any offset is taken; the call is kept and published in Tokyo time. */
    startsAt: PlannedInstant,
    durationMinutes: DurationMinutes,
    /** Cooperation areas talked about, public. */
    topics: z._default(z.array(Text(100)).check(z.maxLength(CALL_LIMITS.topics)), []),
    publicSummary: z.optional(BilingualText),
  })
  .check(
    z.refine((input) => input.missionId !== undefined || input.partnerIds.length > 0, {
      message: "name the mission or at least one partner the call is with",
      path: ["partnerIds"],
    }),
  );
export type CallInput = z.infer<typeof CallInput>;

export const RescheduleInput = z.strictObject({
  startsAt: PlannedInstant,
  durationMinutes: z.optional(DurationMinutes),
});
export type RescheduleInput = z.infer<typeof RescheduleInput>;
/** A summary written after the call replaces the one given when it was scheduled. */
export const CompleteInput = z.strictObject({ publicSummary: z.optional(BilingualText) });
export type CompleteInput = z.infer<typeof CompleteInput>;
export const CancelInput = z.strictObject({ reason: Text(1000) });
export type CancelInput = z.infer<typeof CancelInput>;

export const Call = z.object({
  id: z.string(),
  missionId: z.nullable(MissionId),
  partnerIds: z.array(PartnerId),
  visitors: z.array(Visitor),
  host: CallHost,
  startsAt: IsoDateTime,
  durationMinutes: z.int(),
  topics: z.array(z.string()),
  publicSummary: z.nullable(BilingualText),
  status: CallStatus,
  cancellationReason: z.nullable(z.string()),
  version: z.int().check(z.minimum(1)),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Call = z.infer<typeof Call>;
export type PublicCall = Omit<Call, "visitors">;

/** The governor's days a decision takes and gives back: the store locks each day's item (none for a vice-governor). */
export interface CallWrites {
  readonly daysToTake: readonly string[];
  readonly daysToRelease: readonly string[];
}
export type CallDecision = Decision<Call, CallWrites>;
export type CallDecided = Decided<Call, CallWrites>;

/** What the store loaded of the governor's time on the days the call touches (`daysTouched`). */
export interface GovernorTime {
  readonly callsOnTheseDays: readonly CallSlot[];
  readonly abroadSpells: readonly AbroadSpell[];
}

/** Every reader sees this much of a call: all but the visitors. */
export function publicView(call: Call): PublicCall {
  const { visitors: _visitors, ...rest } = call;
  return rest;
}

/** What every event of a call tells: never its visitors. */
function eventFacts(call: Call) {
  return {
    callId: call.id,
    ...(call.missionId !== null && { missionId: call.missionId }),
    partnerIds: call.partnerIds,
    host: call.host,
    startsAt: call.startsAt,
    durationMinutes: call.durationMinutes,
    date: tokyoDate(new Date(call.startsAt)),
    topics: call.topics,
    ...(call.publicSummary !== null && { publicSummary: call.publicSummary }),
  };
}

const governorDays = (call: Call): string[] => (call.host === "governor" ? daysTouched(call) : []);

const auditOf = (call: Call, action: string, beforeVersion: number | null) => ({
  entity: `call#${call.id}`,
  action: `call.${action}`,
  beforeVersion,
  afterVersion: call.version,
});

/** The next version of a call, with what changed. */
const next = (call: Call, changes: Partial<Call>, stamp: Stamp): Call => ({
  ...call,
  ...changes,
  version: call.version + 1,
  updatedAt: stamp.now.toISOString(),
});

const PARTICIPLE = { reschedule: "rescheduled", complete: "completed", cancel: "cancelled" } as const;

/** The call a step acts on: found, on the version read (when given), and scheduled, the only state any step leaves. */
function scheduledCall(
  call: Call | null,
  step: keyof typeof PARTICIPLE,
  expectedVersion: number | undefined,
): { readonly call: Call } | { readonly refusal: Refusal } {
  if (!call) return { refusal: refuse.notFound("Courtesy call") };
  if (expectedVersion !== undefined && expectedVersion !== call.version) return { refusal: refuse.stale(call.version) };
  if (call.status === "scheduled") return { call };
  return {
    refusal: refuse.conflict(
      `Courtesy call ${call.id} is ${call.status}: it cannot be ${PARTICIPLE[step]} (only a scheduled call can)`,
      call.status,
    ),
  };
}

/**
 * A new call. Without partners of its own it is with the mission's partners (as they are now): the City
 * Registry counts its completion as an exchange with each.
 */
export function scheduleCall(
  input: CallInput,
  mission: Mission | null,
  governorTime: GovernorTime,
  stamp: Stamp,
): CallDecided {
  if (input.missionId !== undefined && mission?.id !== input.missionId) {
    return refused(refuse.invalid([{ path: "body.missionId", message: "no such mission" }]));
  }
  const at = stamp.now.toISOString();
  const call: Call = {
    id: stamp.newId(),
    missionId: input.missionId ?? null,
    partnerIds: input.partnerIds.length > 0 ? input.partnerIds : (mission?.partnerIds ?? []),
    visitors: input.visitors,
    host: input.host,
    startsAt: tokyoDateTime(Date.parse(input.startsAt)),
    durationMinutes: input.durationMinutes,
    topics: input.topics,
    publicSummary: input.publicSummary ?? null,
    status: "scheduled",
    cancellationReason: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const busy = governorTimeRefusal(call, governorTime.callsOnTheseDays, governorTime.abroadSpells);
  if (busy) return refused(busy);
  return decided({
    state: call,
    expectedVersion: null,
    events: [event(CourtesyCallScheduled, eventFacts(call))],
    audit: auditOf(call, "scheduled", null),
    daysToTake: governorDays(call),
    daysToRelease: [],
  });
}

/** A new time, checked like a new call; the days it no longer touches are given back. */
export function rescheduleCall(
  current: Call | null,
  command: RescheduleInput & { readonly expectedVersion?: number | undefined },
  governorTime: GovernorTime,
  stamp: Stamp,
): CallDecided {
  const found = scheduledCall(current, "reschedule", command.expectedVersion);
  if ("refusal" in found) return refused(found.refusal);
  const { call } = found;
  const moved = next(
    call,
    {
      startsAt: tokyoDateTime(Date.parse(command.startsAt)),
      durationMinutes: command.durationMinutes ?? call.durationMinutes,
    },
    stamp,
  );
  const busy = governorTimeRefusal(moved, governorTime.callsOnTheseDays, governorTime.abroadSpells);
  if (busy) return refused(busy);
  const daysToTake = governorDays(moved);
  return decided({
    state: moved,
    expectedVersion: call.version,
    events: [event(CourtesyCallScheduled, eventFacts(moved))],
    audit: auditOf(moved, "rescheduled", call.version),
    daysToTake,
    daysToRelease: governorDays(call).filter((day) => !daysToTake.includes(day)),
  });
}

/** A call took place: not before its start. It keeps its days (the governor's time was spent). */
export function completeCall(
  current: Call | null,
  command: CompleteInput & { readonly expectedVersion?: number | undefined },
  stamp: Stamp,
): CallDecided {
  const found = scheduledCall(current, "complete", command.expectedVersion);
  if ("refusal" in found) return refused(found.refusal);
  const { call } = found;
  if (stamp.now.getTime() < Date.parse(call.startsAt)) {
    return refused(
      refuse.rule(
        CALL_RULES.notBeforeStart,
        `Courtesy call ${call.id} starts at ${call.startsAt}: it cannot be completed before then`,
        { startsAt: call.startsAt },
      ),
    );
  }
  const completed = next(
    call,
    { status: "completed", publicSummary: command.publicSummary ?? call.publicSummary },
    stamp,
  );
  return decided({
    state: completed,
    expectedVersion: call.version,
    events: [event(CourtesyCallCompleted, eventFacts(completed))],
    audit: auditOf(completed, "completed", call.version),
    daysToTake: [],
    daysToRelease: [],
  });
}

/** A scheduled call called off, with its reason (public: the event carries it); its days are given back. */
export function cancelCall(
  current: Call | null,
  command: CancelInput & { readonly expectedVersion?: number | undefined },
  stamp: Stamp,
): CallDecided {
  const found = scheduledCall(current, "cancel", command.expectedVersion);
  if ("refusal" in found) return refused(found.refusal);
  const { call } = found;
  const cancelled = next(call, { status: "cancelled", cancellationReason: command.reason }, stamp);
  return decided({
    state: cancelled,
    expectedVersion: call.version,
    events: [event(CourtesyCallCancelled, { ...eventFacts(cancelled), reason: command.reason })],
    audit: auditOf(cancelled, "cancelled", call.version),
    daysToTake: [],
    daysToRelease: governorDays(call),
  });
}
