import {
  BilingualText,
  IsoDate,
  LeaderLevel as LeaderLevelSchema,
  PartnerId,
  Text,
  uniqueBy,
  VisitPurpose as VisitPurposeSchema,
} from "@cdp/contracts";
import * as z from "zod/mini";

export const LeaderLevel = LeaderLevelSchema;
export type LeaderLevel = z.infer<typeof LeaderLevel>;
export const VisitPurpose = VisitPurposeSchema;
export type VisitPurpose = z.infer<typeof VisitPurpose>;

export const Direction = z.enum(["outbound", "inbound"]);
export type Direction = z.infer<typeof Direction>;

export const VisitStatus = z.enum(["proposed", "approved", "confirmed", "completed", "cancelled"]);
export type VisitStatus = z.infer<typeof VisitStatus>;

/** Whole yen: JPY has no minor unit. */
export const Yen = z.int().check(z.minimum(0), z.maximum(10_000_000_000));

/**
 * Longest visit the planner accepts; keeps a governor's calendar lock within one transaction: approving
 * takes 60 days, writes the visit, its 14 facet copies, drops one, audits and publishes (78 of 100 actions).
 */
export const MAX_VISIT_DAYS = 60;

/**
 * The most a visit may hold. Every facet copy of a visit is the whole visit (lists read them), and a
 * proposal, an edit, an approval or a cancellation writes the visit and its up to 14 copies in one
 * TransactWriteItems of at most 4 MB; a proposal or an edit also writes the delegates' personal data.
 * A visit at every maximum in Japanese text (3 bytes a character) is about 235 KB, its personal data
 * about 310 KB: 15 × 235 + 310 ≈ 3.8 MB. `test/limits.test.ts` writes one through every route.
 */
export const VISIT_LIMITS = {
  partners: 10,
  itineraryEntries: 100,
  /** Characters of an itinerary entry's place, activity and counterpart. */
  placeLength: 100,
  activityLength: 200,
  counterpartLength: 100,
  members: 100,
  /** Characters of a member's name (each language) and role. */
  memberNameLength: 60,
  memberRoleLength: 100,
  /** Characters of a delegate's dietary or medical notes. */
  notesLength: 500,
  costLines: 50,
  costItemLength: 100,
  quotes: 20,
  vendorLength: 100,
} as const;

const Time = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM (Asia/Tokyo for inbound, local for outbound)"));

export const ItineraryEntry = z.strictObject({
  date: IsoDate,
  time: z.optional(Time),
  place: Text(VISIT_LIMITS.placeLength),
  activity: Text(VISIT_LIMITS.activityLength),
  counterpart: z.optional(Text(VISIT_LIMITS.counterpartLength)),
});
export type ItineraryEntry = z.infer<typeof ItineraryEntry>;

export const DelegationHead = z.strictObject({ name: BilingualText, title: BilingualText, level: LeaderLevel });
export type DelegationHead = z.infer<typeof DelegationHead>;

/** Personal data of a delegate: stored apart, readable by protocol and admin only, never logged or published. */
export const DelegatePersonalData = z.strictObject({
  passportNumber: z.optional(
    z.string().check(z.regex(/^[A-Z0-9]{6,12}$/, "must be 6 to 12 upper-case letters or digits")),
  ),
  dietaryNotes: z.optional(Text(VISIT_LIMITS.notesLength)),
  medicalNotes: z.optional(Text(VISIT_LIMITS.notesLength)),
});
export type DelegatePersonalData = z.infer<typeof DelegatePersonalData>;

/** A person's name in both languages: shorter than other bilingual text, as a visit holds up to 100 people. */
export const PersonName = z.object({
  ja: Text(VISIT_LIMITS.memberNameLength),
  en: Text(VISIT_LIMITS.memberNameLength),
});

export const MemberInput = z.strictObject({
  name: PersonName,
  role: Text(VISIT_LIMITS.memberRoleLength),
  personal: z.optional(DelegatePersonalData),
});
export type MemberInput = z.infer<typeof MemberInput>;

/** A delegation member as everyone may see them. */
export const Member = z.object({ id: z.string(), name: PersonName, role: z.string() });
export type Member = z.infer<typeof Member>;

export const MemberWithPersonalData = z.extend(Member, { personal: DelegatePersonalData });
export type MemberWithPersonalData = z.infer<typeof MemberWithPersonalData>;

export const CostLine = z.strictObject({ item: Text(VISIT_LIMITS.costItemLength), amountYen: Yen });
export const VendorQuote = z.strictObject({
  vendor: Text(VISIT_LIMITS.vendorLength),
  amountYen: Yen,
  receivedOn: IsoDate,
});
export type VendorQuote = z.infer<typeof VendorQuote>;

export const CostEstimate = z.strictObject({
  breakdown: z._default(z.array(CostLine).check(z.maxLength(VISIT_LIMITS.costLines)), []),
  quotes: z._default(z.array(VendorQuote).check(z.maxLength(VISIT_LIMITS.quotes)), []),
});
export type CostEstimate = z.infer<typeof CostEstimate>;

const visitFields = {
  direction: Direction,
  // Each partner is a facet item of the visit's write: one named twice would be two actions on one item.
  partnerIds: z.array(PartnerId).check(
    z.minLength(1),
    z.maxLength(VISIT_LIMITS.partners),
    uniqueBy((id: string) => id, "partner"),
  ),
  delegationHead: DelegationHead,
  purpose: VisitPurpose,
  purposeStatement: BilingualText,
  /** 1 is the highest priority, 5 the lowest. */
  priority: z.int().check(z.minimum(1), z.maximum(5)),
  startDate: IsoDate,
  endDate: IsoDate,
  itinerary: z.array(ItineraryEntry).check(z.maxLength(VISIT_LIMITS.itineraryEntries)),
  members: z.array(MemberInput).check(z.maxLength(VISIT_LIMITS.members)),
  costEstimate: CostEstimate,
  conferenceId: z.optional(z.uuid()),
};

export function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}

interface Dated {
  startDate?: string | undefined;
  endDate?: string | undefined;
  itinerary?: readonly ItineraryEntry[] | undefined;
}

/** The checks on a visit's dates, shared by creation and by an edit once merged with the visit. */
export const visitDateChecks = [
  z.refine<Dated>((v) => !v.startDate || !v.endDate || v.endDate >= v.startDate, {
    message: "must not be before startDate",
    path: ["endDate"],
  }),
  z.refine<Dated>((v) => !v.startDate || !v.endDate || daysBetween(v.startDate, v.endDate) <= MAX_VISIT_DAYS, {
    message: `a visit lasts at most ${MAX_VISIT_DAYS} days`,
    path: ["endDate"],
  }),
  z.refine<Dated>(
    (v) =>
      !v.startDate ||
      !v.endDate ||
      (v.itinerary ?? []).every((e) => e.date >= (v.startDate ?? "") && e.date <= (v.endDate ?? "")),
    { message: "every itinerary date must fall within the visit", path: ["itinerary"] },
  ),
];

/** A new visit may leave out its itinerary, members and costs; an edit changes only what it names. */
export const VisitInput = z
  .strictObject({
    ...visitFields,
    itinerary: z._default(visitFields.itinerary, []),
    members: z._default(visitFields.members, []),
    costEstimate: z._default(visitFields.costEstimate, { breakdown: [], quotes: [] }),
  })
  .check(...visitDateChecks);
export type VisitInput = z.infer<typeof VisitInput>;

export const VisitPatch = z.partial(z.strictObject(visitFields)).check(
  z.refine((patch) => Object.keys(patch).length > 0, { message: "names no field to change" }),
  ...visitDateChecks,
);
export type VisitPatch = z.infer<typeof VisitPatch>;

export const Visit = z.object({
  id: z.string(),
  direction: Direction,
  partnerIds: z.array(PartnerId),
  delegationHead: DelegationHead,
  purpose: VisitPurpose,
  purposeStatement: BilingualText,
  priority: z.int(),
  startDate: IsoDate,
  endDate: IsoDate,
  itinerary: z.array(ItineraryEntry),
  members: z.array(Member),
  costEstimate: z.object({
    breakdown: z.array(z.object({ item: z.string(), amountYen: z.int() })),
    quotes: z.array(VendorQuote),
    /** The sum of the breakdown. */
    totalYen: z.int(),
  }),
  actualCostYen: z.nullable(z.int()),
  conferenceId: z.nullable(z.string()),
  status: VisitStatus,
  cancellationReason: z.nullable(z.string()),
  /** True when the visit needs the governor: a head-level visit either way. */
  governorEngagement: z.boolean(),
  version: z.int().check(z.minimum(1)),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Visit = z.infer<typeof Visit>;

export const ConferenceRole = z.enum(["participate", "host", "bid"]);

const ConferenceCity = z.union([z.strictObject({ partnerId: PartnerId }), z.strictObject({ name: BilingualText })]);

export const ConferenceInput = z
  .strictObject({
    name: BilingualText,
    /** The host city: a partner id when it is one, a name otherwise. */
    city: ConferenceCity,
    startDate: IsoDate,
    endDate: IsoDate,
    role: ConferenceRole,
    bidDeadline: z.optional(IsoDate),
    visitIds: z._default(z.array(z.uuid()).check(z.maxLength(20)), []),
  })
  .check(
    z.refine((c) => c.endDate >= c.startDate, { message: "must not be before startDate", path: ["endDate"] }),
    z.refine((c) => c.role !== "bid" || c.bidDeadline !== undefined, {
      message: "a bid needs its deadline",
      path: ["bidDeadline"],
    }),
    z.refine((c) => c.role === "bid" || c.bidDeadline === undefined, {
      message: "only a bid has a deadline",
      path: ["bidDeadline"],
    }),
  );
export type ConferenceInput = z.infer<typeof ConferenceInput>;

export const Conference = z.object({
  id: z.string(),
  name: BilingualText,
  city: ConferenceCity,
  startDate: IsoDate,
  endDate: IsoDate,
  role: ConferenceRole,
  bidDeadline: z.nullable(IsoDate),
  visitIds: z.array(z.string()),
  createdAt: z.string(),
});
export type Conference = z.infer<typeof Conference>;

/** The fiscal year's caps on the governor's overseas trips. */
export const PlanSettingsInput = z.strictObject({
  tripCap: z.int().check(z.minimum(0), z.maximum(20)),
  travelBudgetYen: Yen,
});
export type PlanSettingsInput = z.infer<typeof PlanSettingsInput>;

/** Fiscal years are named by the calendar year they start in: FY2026 runs 2026-04-01 to 2027-03-31. */
export const FiscalYear = z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100));
