import { tokyoDate, type VisitNoticeDetail } from "@cdp/contracts";
import type { PendingEvent } from "@cdp/lambda-kit/decision";
import type { Call, CallInput, Visitor } from "./calls.ts";
import { decisionOf, publishedAt, refusalOf, sequentialIds } from "./decision-builders.ts";
import type { AbroadSpell, CallSlot } from "./governor-time.ts";
import type { Mission, MissionInput } from "./missions.ts";
import type { Stamp } from "./stamp.ts";

export { decisionOf, refusalOf, sequentialIds };

/**
 * Fixtures for the tests of missions, courtesy calls and the governor's time: override-style builders (each
 * gives a valid default, the test names only what matters to it), a stamp with a fixed clock and deterministic
 * ids, and helpers to read a decision. Pure: no I/O and no test runner, so store and handler tests may share it.
 */

/** When things happen (UTC; Tokyo is 9 hours ahead). */
export const AT = {
  /** 10:00 on 2027-02-01 in Tokyo: when the default call is scheduled. */
  scheduled: "2027-02-01T01:00:00.000Z",
  /** The default call: 10:00 to 10:30 on 2027-03-01 in Tokyo. */
  callStarts: "2027-03-01T10:00:00+09:00",
  callEnds: "2027-03-01T10:30:00+09:00",
  /** 11:00 on 2027-03-01 in Tokyo: after the default call. */
  afterCall: "2027-03-01T02:00:00.000Z",
} as const;

/** A stamp at a fixed instant; `today` is Tokyo's date then. */
export function stampAt(at: string | Date = AT.scheduled, newId: () => string = sequentialIds("call")): Stamp {
  const now = typeof at === "string" ? new Date(at) : at;
  return { now, today: tokyoDate(now), newId };
}

export function aMissionInput(overrides: Partial<MissionInput> = {}): MissionInput {
  return {
    id: "embassy-au",
    country: "AU",
    kind: "embassy",
    name: { ja: "駐日オーストラリア大使館", en: "Australian Embassy Tokyo" },
    contacts: [],
    partnerIds: ["new-south-wales", "brisbane"],
    nationalDay: {
      kind: "fixed",
      monthDay: "01-26",
      occasion: { ja: "オーストラリア・デー", en: "Australia Day" },
    },
    ...overrides,
  };
}

/** A registered mission at version 1, as `registerMission` makes it from `aMissionInput()`. */
export function aMission(overrides: Partial<Mission> = {}): Mission {
  const { id, country, kind, name, contacts, partnerIds, nationalDay } = aMissionInput();
  return {
    id,
    country,
    kind,
    name,
    address: null,
    headOfMission: null,
    contacts,
    partnerIds,
    nationalDay: nationalDay ?? null,
    version: 1,
    createdAt: AT.scheduled,
    updatedAt: AT.scheduled,
    ...overrides,
  };
}

/** Visitors with values found nowhere else, so a leak of any of them can be searched for. */
export const VISITORS: readonly Visitor[] = [
  {
    name: { ja: "ジェーン・クエールズワース", en: "Jane Quarlesworth" },
    title: { ja: "特命全権大使（仮称Q）", en: "Ambassador Extraordinary and Plenipotentiary (Q)" },
  },
  { name: { ja: "ピーター・ズィルコフ", en: "Peter Zylkov" }, title: { ja: "首席公使X", en: "Deputy Head X" } },
];

/** Every string of the visitors, to look for in what is published. */
export const visitorValues = (visitors: readonly Visitor[] = VISITORS): string[] =>
  visitors.flatMap((visitor) => [visitor.name.ja, visitor.name.en, visitor.title.ja, visitor.title.en]);

/** The ambassador's call on the governor, 10:00 to 10:30 on 2027-03-01 in Tokyo. */
export function aCallInput(overrides: Partial<CallInput> = {}): CallInput {
  return {
    missionId: "embassy-au",
    partnerIds: [],
    visitors: [...VISITORS],
    host: "governor",
    startsAt: AT.callStarts,
    durationMinutes: 30,
    topics: ["environment", "tourism"],
    ...overrides,
  };
}

/** A scheduled call as `scheduleCall` makes it from `aCallInput()` with `aMission()`. */
export function aCall(overrides: Partial<Call> = {}): Call {
  return {
    id: "call-1",
    missionId: "embassy-au",
    partnerIds: ["new-south-wales", "brisbane"],
    visitors: [...VISITORS],
    host: "governor",
    startsAt: AT.callStarts,
    durationMinutes: 30,
    topics: ["environment", "tourism"],
    publicSummary: null,
    status: "scheduled",
    cancellationReason: null,
    version: 1,
    createdAt: AT.scheduled,
    updatedAt: AT.scheduled,
    ...overrides,
  };
}

/** Another call on the governor, as the store hands it over: the calendar reads no more of it. */
export function aSlot(overrides: Partial<CallSlot> = {}): CallSlot {
  return {
    id: "call-9",
    host: "governor",
    startsAt: "2027-03-01T11:00:00+09:00",
    durationMinutes: 30,
    status: "scheduled",
    ...overrides,
  };
}

export const aSpell = (overrides: Partial<AbroadSpell> = {}): AbroadSpell => ({
  visitId: "v-123",
  startDate: "2027-03-01",
  endDate: "2027-03-05",
  ...overrides,
});

/** The governor's trip to Paris, 2027-03-01 to 2027-03-05, as a VisitApproved or VisitConfirmed detail. */
export function aVisit(overrides: Partial<VisitNoticeDetail> = {}): VisitNoticeDetail {
  return {
    visitId: "v-123",
    direction: "outbound",
    partnerIds: ["paris"],
    delegationHead: {
      name: { ja: "東京都知事", en: "Governor of Tokyo" },
      title: { ja: "知事", en: "Governor" },
      level: "head",
    },
    purpose: "relationship-building",
    purposeStatement: { ja: "パリ市との交流", en: "Exchange with Paris" },
    startDate: "2027-03-01",
    endDate: "2027-03-05",
    correlationId: undefined,
    metadata: { eventId: "e-v-123", correlationId: "c-1", occurredAt: "2027-01-10T00:00:00.000Z" },
    ...overrides,
  };
}

/** An event as the outbox will write it: parsed by its contract (an error if it does not match). */
export const published = (pending: PendingEvent | undefined, occurredAt: string = AT.scheduled) =>
  publishedAt(pending, occurredAt);
