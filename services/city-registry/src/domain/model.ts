import { BilingualText, CountryCode, IsoDate, PartnerContact, PartnerId, RelationBasis } from "@cdp/contracts";
import * as z from "zod";

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

const year = z.number().int().min(1896).max(2100);

export const Category = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("friendship-city") }),
  z
    .strictObject({ type: z.literal("anmc21-member"), joined: IsoDate, withdrew: IsoDate.optional() })
    .refine((m) => !m.withdrew || m.withdrew >= m.joined, {
      message: "withdrew must not be before joined",
      path: ["withdrew"],
    }),
  z.strictObject({
    type: z.literal("olympic-host"),
    games: z.array(z.strictObject({ season: z.enum(["summer", "winter"]), year })).min(1),
  }),
  z.strictObject({ type: z.literal("asian-major-city") }),
  z.strictObject({
    type: z.literal("global-ranking"),
    ranking: z.string().trim().min(1).max(120),
    year,
    rank: z.number().int().min(1).max(1000),
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

const uniqueBy =
  <T>(key: (item: T) => string, what: string) =>
  (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", message: `duplicate ${what} ${k}`, path: [index] });
      seen.add(k);
    });
  };

const Categories = z
  .array(Category)
  .max(10)
  .superRefine(uniqueBy((c) => c.type, "category"));
const Areas = z
  .array(CooperationArea)
  .max(20)
  .superRefine(uniqueBy((a) => a, "area"));

/** What a writer sends to register a partner. `established` is never set by hand: it is earned. */
export const PartnerInput = z.strictObject({
  id: PartnerId,
  name: BilingualText,
  kind: PartnerKind,
  country: CountryCode,
  worldRegion: WorldRegion,
  categories: Categories.default([]),
  relation: Relation.refine((r) => r.status !== "established", {
    message: "established is reached through an agreement or reciprocal visits, not set by hand",
    path: ["status"],
  }).optional(),
  cooperationAreas: Areas.default([]),
  contacts: z.array(Contact).max(50).default([]),
});
export type PartnerInput = z.infer<typeof PartnerInput>;

export const PartnerPatch = PartnerInput.omit({ id: true })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: "names no field to change" });
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
  established: z.object({ on: IsoDate, basis: RelationBasis }).nullable(),
  cooperationAreas: z.array(CooperationArea),
  contacts: z.array(Contact),
  priorityScore: z.number().int(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Partner = z.infer<typeof Partner>;

export const AgreementType = z.enum(["sister-friendship", "policy-cooperation", "joint-statement", "other"]);
export type AgreementType = z.infer<typeof AgreementType>;

export const AgreementInput = z
  .strictObject({
    type: AgreementType,
    title: BilingualText,
    signedOn: IsoDate,
    areas: Areas.default([]),
    responsibleDepartments: z
      .strictObject({
        tokyo: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
        partner: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
      })
      .default({ tokyo: [], partner: [] }),
    reviewOn: IsoDate.optional(),
    expiresOn: IsoDate.optional(),
    /** The agreement this one renews. */
    supersedes: z.string().uuid().optional(),
    legallyBinding: z.boolean().default(false),
    authenticLanguages: z
      .array(z.string().regex(/^[a-z]{2,3}$/, "must be an ISO 639 code"))
      .min(1)
      .default(["ja", "en"]),
  })
  .refine((a) => !a.reviewOn || a.reviewOn >= a.signedOn, {
    message: "must not be before signedOn",
    path: ["reviewOn"],
  })
  .refine((a) => !a.expiresOn || a.expiresOn > a.signedOn, { message: "must be after signedOn", path: ["expiresOn"] });
export type AgreementInput = z.infer<typeof AgreementInput>;

export const Agreement = z.object({
  id: z.string(),
  partnerId: PartnerId,
  type: AgreementType,
  title: BilingualText,
  signedOn: IsoDate,
  areas: z.array(CooperationArea),
  responsibleDepartments: z.object({ tokyo: z.array(z.string()), partner: z.array(z.string()) }),
  reviewOn: IsoDate.nullable(),
  expiresOn: IsoDate.nullable(),
  supersedes: z.string().nullable(),
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
    partnerIds: z
      .array(PartnerId)
      .min(2)
      .max(50)
      .superRefine(uniqueBy((p) => p, "partner")),
    startDate: IsoDate,
    endDate: IsoDate.optional(),
    status: ProjectStatus.default("planned"),
  })
  .refine((p) => !p.endDate || p.endDate >= p.startDate, {
    message: "must not be before startDate",
    path: ["endDate"],
  });
export type ProjectInput = z.infer<typeof ProjectInput>;

export const Project = z.object({
  id: z.string(),
  title: BilingualText,
  area: CooperationArea,
  partnerIds: z.array(PartnerId),
  startDate: IsoDate,
  endDate: IsoDate.nullable(),
  status: ProjectStatus,
  createdAt: z.string(),
});
export type Project = z.infer<typeof Project>;

/** A completed head-level (or other) visit as the registry records it. */
export interface RecordedVisit {
  readonly visitId: string;
  readonly direction: "outbound" | "inbound";
  readonly leaderLevel: "head" | "deputy" | "official";
  readonly startDate: string;
  readonly endDate: string;
}
