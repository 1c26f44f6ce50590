import {
  BilingualText,
  CountryCode,
  IsoDate,
  PartnerContact,
  PartnerId,
  RelationBasis,
  Text,
  uniqueBy,
} from "@cdp/contracts";
import * as z from "zod/mini";

export const PartnerKind = z.enum(["city", "state", "region"]);
export const WorldRegion = z.enum([
  "east-asia",
  "southeast-asia",
  "south-asia",
  "central-asia",
  "middle-east",
  "europe",
  "africa",
  "north-america",
  "latin-america",
  "oceania",
]);

export const CooperationArea = z.enum([
  "waterworks",
  "sewerage",
  "urban-development",
  "crisis-management",
  "infectious-disease",
  "environment",
  "culture",
  "tourism",
  "finance",
  "transport",
  "sport",
  "education",
  "human-resources",
]);
export type CooperationArea = z.infer<typeof CooperationArea>;

export const CategoryType = z.enum([
  "friendship-city",
  "anmc21-member",
  "olympic-host",
  "asian-major-city",
  "global-ranking",
  "emerging-region-leader",
]);
export type CategoryType = z.infer<typeof CategoryType>;

/**
 * Bounds on every list a writer sends. A partner is copied under up to 22 facets (all, status,
 * country, 6 categories, 13 areas) in the transaction that writes it, so its largest item times 24
 * must stay within the 4 MB of one TransactWriteItems (and its event within EventBridge's 256 KB):
 * 25 contacts with every text at its longest (Japanese, 3 bytes a character) make a partner of about
 * 100 KB. test/limits.test.ts writes each of these maxima.
 */
export const MAX_CONTACTS = 25;
export const MAX_GAMES = 10;
export const MAX_AUTHENTIC_LANGUAGES = 10;
/** One transaction writes the project, one link per partner and the audit record: 52 of 100 actions. */
export const MAX_PROJECT_PARTNERS = 50;

const year = z.int().check(z.minimum(1896), z.maximum(2100));

export const Category = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("friendship-city") }),
  z.strictObject({ type: z.literal("anmc21-member"), joined: IsoDate, withdrew: z.optional(IsoDate) }).check(
    z.refine((m) => !m.withdrew || m.withdrew >= m.joined, {
      message: "withdrew must not be before joined",
      path: ["withdrew"],
    }),
  ),
  z.strictObject({
    type: z.literal("olympic-host"),
    games: z
      .array(z.strictObject({ season: z.enum(["summer", "winter"]), year }))
      .check(z.minLength(1), z.maxLength(MAX_GAMES)),
  }),
  z.strictObject({ type: z.literal("asian-major-city") }),
  z.strictObject({
    type: z.literal("global-ranking"),
    ranking: Text(120),
    year,
    rank: z.int().check(z.minimum(1), z.maximum(1000)),
  }),
  z.strictObject({ type: z.literal("emerging-region-leader") }),
]);
export type Category = z.infer<typeof Category>;

export const RelationStatus = z.enum(["prospect", "engaging", "established", "dormant", "suspended"]);
export type RelationStatus = z.infer<typeof RelationStatus>;

export const Relation = z.strictObject({ status: RelationStatus, since: IsoDate });
export type Relation = z.infer<typeof Relation>;

export const Contact = z.strictObject(PartnerContact.shape);
export type Contact = z.infer<typeof Contact>;

const Categories = z.array(Category).check(
  z.maxLength(10),
  uniqueBy((c: Category) => c.type, "category"),
);
const Areas = z.array(CooperationArea).check(
  z.maxLength(20),
  uniqueBy((a: CooperationArea) => a, "area"),
);

const partnerFields = {
  name: BilingualText,
  kind: PartnerKind,
  country: CountryCode,
  worldRegion: WorldRegion,
  categories: z._default(Categories, []),
  relation: z.optional(
    Relation.check(
      z.refine((r) => r.status !== "established", {
        message: "established is reached through an agreement or reciprocal visits, not set by hand",
        path: ["status"],
      }),
    ),
  ),
  cooperationAreas: z._default(Areas, []),
  contacts: z._default(z.array(Contact).check(z.maxLength(MAX_CONTACTS)), []),
};

/** What a writer sends to register a partner. `established` is never set by hand: it is earned. */
export const PartnerInput = z.strictObject({ id: PartnerId, ...partnerFields });
export type PartnerInput = z.infer<typeof PartnerInput>;

export const PartnerPatch = z
  .partial(z.strictObject(partnerFields))
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: "names no field to change" }));
export type PartnerPatch = z.infer<typeof PartnerPatch>;

export const Partner = z.object({
  id: PartnerId,
  name: BilingualText,
  kind: PartnerKind,
  country: CountryCode,
  worldRegion: WorldRegion,
  categories: z.array(Category),
  relation: Relation,
  /** The day the relation became concrete, and why; null while it is not. */
  established: z.nullable(z.object({ on: IsoDate, basis: RelationBasis })),
  cooperationAreas: z.array(CooperationArea),
  contacts: z.array(Contact),
  priorityScore: z.int(),
  version: z.int().check(z.minimum(1)),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Partner = z.infer<typeof Partner>;

export const AgreementType = z.enum(["sister-friendship", "policy-cooperation", "joint-statement", "other"]);
export type AgreementType = z.infer<typeof AgreementType>;

const Departments = z._default(z.array(Text(200)).check(z.maxLength(20)), []);

export const AgreementInput = z
  .strictObject({
    type: AgreementType,
    title: BilingualText,
    signedOn: IsoDate,
    areas: z._default(Areas, []),
    responsibleDepartments: z._default(z.strictObject({ tokyo: Departments, partner: Departments }), {
      tokyo: [],
      partner: [],
    }),
    reviewOn: z.optional(IsoDate),
    expiresOn: z.optional(IsoDate),
    /** The agreement this one renews. */
    supersedes: z.optional(z.uuid()),
    legallyBinding: z._default(z.boolean(), false),
    authenticLanguages: z._default(
      z
        .array(z.string().check(z.regex(/^[a-z]{2,3}$/, "must be an ISO 639 code")))
        .check(z.minLength(1), z.maxLength(MAX_AUTHENTIC_LANGUAGES)),
      ["ja", "en"],
    ),
  })
  .check(
    z.refine((a) => !a.reviewOn || a.reviewOn >= a.signedOn, {
      message: "must not be before signedOn",
      path: ["reviewOn"],
    }),
    z.refine((a) => !a.expiresOn || a.expiresOn > a.signedOn, {
      message: "must be after signedOn",
      path: ["expiresOn"],
    }),
  );
export type AgreementInput = z.infer<typeof AgreementInput>;

export const Agreement = z.object({
  id: z.string(),
  partnerId: PartnerId,
  type: AgreementType,
  title: BilingualText,
  signedOn: IsoDate,
  areas: z.array(CooperationArea),
  responsibleDepartments: z.object({ tokyo: z.array(z.string()), partner: z.array(z.string()) }),
  reviewOn: z.nullable(IsoDate),
  expiresOn: z.nullable(IsoDate),
  supersedes: z.nullable(z.string()),
  legallyBinding: z.boolean(),
  authenticLanguages: z.array(z.string()),
  createdAt: z.string(),
});
export type Agreement = z.infer<typeof Agreement>;

export const ProjectStatus = z.enum(["planned", "active", "completed", "cancelled"]);

export const ProjectInput = z
  .strictObject({
    title: BilingualText,
    area: CooperationArea,
    partnerIds: z.array(PartnerId).check(
      z.minLength(2),
      z.maxLength(MAX_PROJECT_PARTNERS),
      uniqueBy((p: string) => p, "partner"),
    ),
    startDate: IsoDate,
    endDate: z.optional(IsoDate),
    status: z._default(ProjectStatus, "planned"),
  })
  .check(
    z.refine((p) => !p.endDate || p.endDate >= p.startDate, {
      message: "must not be before startDate",
      path: ["endDate"],
    }),
  );
export type ProjectInput = z.infer<typeof ProjectInput>;

export const Project = z.object({
  id: z.string(),
  title: BilingualText,
  area: CooperationArea,
  partnerIds: z.array(PartnerId),
  startDate: IsoDate,
  endDate: z.nullable(IsoDate),
  status: ProjectStatus,
  createdAt: z.string(),
});
export type Project = z.infer<typeof Project>;

/** A completed head-level (or other) visit as the registry records it. */
/** A courtesy call on the governor or a vice-governor that took place (the protocol office's event): an exchange. */
export interface RecordedCall {
  readonly callId: string;
  /** The call's day in Tokyo. */
  readonly date: string;
  readonly host: "governor" | "vice-governor";
}

export interface RecordedVisit {
  readonly visitId: string;
  readonly direction: "outbound" | "inbound";
  readonly leaderLevel: "head" | "deputy" | "official";
  readonly startDate: string;
  readonly endDate: string;
}
