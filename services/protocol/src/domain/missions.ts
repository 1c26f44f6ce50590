import {
  BilingualText,
  CountryCode,
  IsoDate,
  IsoDateTime,
  MissionId,
  PartnerContact,
  PartnerId,
  uniqueBy,
} from "@cdp/contracts";
import { type Decided, decided, refuse, refused } from "@cdp/lambda-kit/decision";
import * as z from "zod/mini";
import type { Stamp } from "./stamp.ts";

/**
 * The foreign missions in Tokyo the protocol office deals with: embassies, consulates and the representative
 * offices of states and regions. A mission publishes no events: greetings and calls name it by its id.
 */

export const MISSION_LIMITS = { contacts: 10, partnerIds: 20 } as const;

export const MissionKind = z.enum(["embassy", "consulate-general", "consulate", "representative-office"]);
export type MissionKind = z.infer<typeof MissionKind>;

/** `MM-DD`, checked against a leap year so that 02-29 is a day (nationalDayIn says what it is in other years). */
export const MonthDay = z.string().check(
  z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "must be a month and day MM-DD"),
  z.refine((monthDay) => IsoDate.safeParse(`2000-${monthDay}`).success, "must be a real day of the year"),
);

/** Dates by year (`"2027": "2027-06-14"`): for days set anew each year, such as the King's official birthday. */
const DatesByYear = z
  .record(z.string().check(z.regex(/^\d{4}$/, "must be a year YYYY")), IsoDate)
  .check(
    z.refine(
      (dates) => Object.entries(dates).every(([year, date]) => date.startsWith(`${year}-`)),
      "each date must fall in the year it is listed under",
    ),
  );

/** The day a mission celebrates (national day, state day): the same day every year, or one set each year. */
export const NationalDay = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("fixed"), monthDay: MonthDay, occasion: BilingualText }),
  z.strictObject({ kind: z.literal("per-year"), dates: DatesByYear, occasion: BilingualText }),
]);
export type NationalDay = z.infer<typeof NationalDay>;

export const HeadOfMission = z.strictObject({
  name: BilingualText,
  title: BilingualText,
  /** Since when they head the mission (credentials presented), when known. */
  since: z.optional(IsoDate),
});
export type HeadOfMission = z.infer<typeof HeadOfMission>;

const Contacts = z.array(z.strictObject(PartnerContact.shape)).check(
  z.maxLength(MISSION_LIMITS.contacts),
  uniqueBy((contact: PartnerContact) => contact.email.toLowerCase(), "e-mail"),
);
const PartnerIds = z.array(PartnerId).check(
  z.maxLength(MISSION_LIMITS.partnerIds),
  uniqueBy((id: string) => id, "partner"),
);

/** What may change of a mission; its id and country never do (a new country is a new mission). */
const changeableFields = {
  kind: MissionKind,
  name: BilingualText,
  /** Unknown for the seeded missions: never guessed. */
  address: BilingualText,
  headOfMission: HeadOfMission,
  /** The mission's officials, for notices (personal data of officials at work: never logged). */
  contacts: Contacts,
  /** The partners the mission relates to: the New South Wales office to `new-south-wales`. */
  partnerIds: PartnerIds,
  nationalDay: NationalDay,
};

export const MissionInput = z.strictObject({
  id: MissionId,
  country: CountryCode,
  kind: changeableFields.kind,
  name: changeableFields.name,
  address: z.optional(changeableFields.address),
  headOfMission: z.optional(changeableFields.headOfMission),
  contacts: z._default(changeableFields.contacts, []),
  partnerIds: z._default(changeableFields.partnerIds, []),
  nationalDay: z.optional(changeableFields.nationalDay),
});
export type MissionInput = z.infer<typeof MissionInput>;

/** An update names only what changes; null clears what may be unknown (a head of mission who has left). */
export const MissionPatch = z
  .strictObject({
    kind: z.optional(changeableFields.kind),
    name: z.optional(changeableFields.name),
    address: z.optional(z.nullable(changeableFields.address)),
    headOfMission: z.optional(z.nullable(changeableFields.headOfMission)),
    contacts: z.optional(changeableFields.contacts),
    partnerIds: z.optional(changeableFields.partnerIds),
    nationalDay: z.optional(z.nullable(changeableFields.nationalDay)),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: "names no field to change" }));
export type MissionPatch = z.infer<typeof MissionPatch>;

export const Mission = z.object({
  id: MissionId,
  country: CountryCode,
  kind: MissionKind,
  name: BilingualText,
  address: z.nullable(BilingualText),
  headOfMission: z.nullable(HeadOfMission),
  contacts: z.array(PartnerContact),
  partnerIds: z.array(PartnerId),
  nationalDay: z.nullable(NationalDay),
  version: z.int().check(z.minimum(1)),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Mission = z.infer<typeof Mission>;

const auditOf = (mission: Mission, action: string, beforeVersion: number | null) => ({
  entity: `mission#${mission.id}`,
  action: `mission.${action}`,
  beforeVersion,
  afterVersion: mission.version,
});

/** Also what a store answers when a concurrent registration of the same id won the race. */
export const missionExists = (missionId: string) =>
  refuse.conflict(`A mission with the id ${missionId} is registered already`, "registered", { missionId });

export function registerMission(existing: Mission | null, input: MissionInput, stamp: Stamp): Decided<Mission> {
  if (existing) return refused(missionExists(existing.id));
  const at = stamp.now.toISOString();
  const mission: Mission = {
    id: input.id,
    country: input.country,
    kind: input.kind,
    name: input.name,
    address: input.address ?? null,
    headOfMission: input.headOfMission ?? null,
    contacts: input.contacts,
    partnerIds: input.partnerIds,
    nationalDay: input.nationalDay ?? null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return decided({ state: mission, expectedVersion: null, events: [], audit: auditOf(mission, "registered", null) });
}

/** Applies the patch to the version read (If-Match, when given); without one, to the current version. */
export function updateMission(
  current: Mission | null,
  patch: MissionPatch,
  expectedVersion: number | undefined,
  stamp: Stamp,
): Decided<Mission> {
  if (!current) return refused(refuse.notFound("Mission"));
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    return refused(refuse.stale(current.version));
  }
  // Absent (or undefined) leaves a field as it is; null clears it.
  const mission: Mission = {
    ...current,
    kind: patch.kind ?? current.kind,
    name: patch.name ?? current.name,
    address: patch.address === undefined ? current.address : patch.address,
    headOfMission: patch.headOfMission === undefined ? current.headOfMission : patch.headOfMission,
    contacts: patch.contacts ?? current.contacts,
    partnerIds: patch.partnerIds ?? current.partnerIds,
    nationalDay: patch.nationalDay === undefined ? current.nationalDay : patch.nationalDay,
    version: current.version + 1,
    updatedAt: stamp.now.toISOString(),
  };
  return decided({
    state: mission,
    expectedVersion: current.version,
    events: [],
    audit: auditOf(mission, "updated", current.version),
  });
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The mission's national day in `year`, or null when it has none or its date for that year is not set yet.
 * A fixed day of February 29 is kept on February 28 in other years: the day before, still in February.
 */
export function nationalDayIn(mission: Pick<Mission, "nationalDay">, year: number): string | null {
  const day = mission.nationalDay;
  if (!day) return null;
  if (day.kind === "per-year") return day.dates[String(year)] ?? null;
  const monthDay = day.monthDay === "02-29" && !isLeapYear(year) ? "02-28" : day.monthDay;
  return `${String(year).padStart(4, "0")}-${monthDay}`;
}

/** A mission as every reader sees it: its officials' names and addresses are the protocol office's. */
export function publicMission(mission: Mission): Omit<Mission, "contacts"> {
  const { contacts: _contacts, ...rest } = mission;
  return rest;
}
