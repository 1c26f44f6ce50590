import {
  BilingualText,
  Email,
  ExchangeDirection,
  ExchangeProgrammeId,
  FiscalYearNumber,
  HoldReference,
  IsoDate,
  IsoDateTime,
  PartnerId,
  PlacedPerson,
  PlacementStatus as PlacementStatusSchema,
  PlannedDate,
  ProgrammeId,
  Text,
} from "@cdp/contracts";
import * as z from "zod/mini";

/**
 * The staff-exchange programme's model. A programme is the exchange with one partner: its yearly quota
 * each way, the terms it allows and the cost norms estimates start from. A placement is one person's
 * secondment, outbound (TMG staff to the partner) or inbound (the partner's staff hosted by a TMG
 * bureau), funded by a hold on the Human Resources Fund's `staff-exchange` programme.
 */

export const LIMITS = {
  /** CLAIR hosts officials for up to 12 months; a year and a month leaves room for training first. */
  maxTermDays: 400,
  /** The least a programme may allow; specialist dispatches start at 10 days, a programme sets its own minimum. */
  minTermDays: 1,
  /** Holds a placement may ask for in all: funding attempts and top-ups (each a transaction action on cancelling). */
  holds: 10,
  fields: 10,
  fieldLength: 100,
  /** A programme's yearly quota each way: a handful, never hundreds. */
  maxPlacementsPerYear: 50,
  reasonLength: 1000,
  notesLength: 2000,
} as const;

const Yen = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
export const WholeYen = Yen;

export const Direction = ExchangeDirection;
export type Direction = z.infer<typeof Direction>;
export const PlacementStatus = PlacementStatusSchema;
export type PlacementStatus = z.infer<typeof PlacementStatus>;

const PerDirection = (schema: z.ZodMiniType<number>) => z.strictObject({ outbound: schema, inbound: schema });

/** What a placement costs by norm: monthly allowance, housing and insurance, and one round trip. */
export const CostNorms = z.strictObject({
  monthlyAllowanceYen: Yen,
  monthlyHousingYen: Yen,
  monthlyInsuranceYen: Yen,
  travelYen: Yen,
});
export type CostNorms = z.infer<typeof CostNorms>;

export const ProgrammeInput = z.strictObject({
  partnerId: PartnerId,
  /** The agreement the exchange rests on, as the registry published it (AgreementConcluded.v1). */
  agreementId: z.optional(Text(64)),
  name: BilingualText,
  placementsPerYear: PerDirection(z.int().check(z.minimum(0), z.maximum(LIMITS.maxPlacementsPerYear))),
  totalDaysPerYear: PerDirection(z.int().check(z.minimum(0), z.maximum(LIMITS.maxPlacementsPerYear * 366))),
  minDays: z.int().check(z.minimum(LIMITS.minTermDays), z.maximum(LIMITS.maxTermDays)),
  maxDays: z.int().check(z.minimum(LIMITS.minTermDays), z.maximum(LIMITS.maxTermDays)),
  costNorms: CostNorms,
  /** The fund's programme that pays; `staff-exchange` unless said otherwise. */
  fundProgramme: z.optional(ProgrammeId),
  /** Days after the term's end during which actual costs are settled; the hold expires after them. */
  settlementDays: z.optional(z.int().check(z.minimum(0), z.maximum(180))),
});
export type ProgrammeInput = z.infer<typeof ProgrammeInput>;

export const Programme = z.object({
  /** One programme per partner: its id is the partner's. */
  id: ExchangeProgrammeId,
  partnerId: PartnerId,
  agreementId: z.nullable(z.string()),
  name: BilingualText,
  placementsPerYear: PerDirection(z.int()),
  totalDaysPerYear: PerDirection(z.int()),
  minDays: z.int(),
  maxDays: z.int(),
  costNorms: CostNorms,
  fundProgramme: ProgrammeId,
  settlementDays: z.int(),
  version: z.int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Programme = z.infer<typeof Programme>;

export const DEFAULT_FUND_PROGRAMME = "staff-exchange";
/** Tokyo's settlement period runs two months after the fiscal year; a placement's costs settle within it. */
export const DEFAULT_SETTLEMENT_DAYS = 60;

/** A cost breakdown in yen; the total is computed, never sent. */
export const CostBreakdown = z.strictObject({
  allowanceYen: Yen,
  housingYen: Yen,
  travelYen: Yen,
  insuranceYen: Yen,
  otherYen: Yen,
});
export type CostBreakdown = z.infer<typeof CostBreakdown>;
export const Costs = z.object({ breakdown: CostBreakdown, totalYen: Yen });
export type Costs = z.infer<typeof Costs>;

/**
 * The person's personal data: stored apart, readable by `exchange-coordinator` and `admin` only, never in
 * an event, a notice, a log line or another response.
 */
export const PersonalData = z.strictObject({
  passportNumber: z.optional(
    z.string().check(z.regex(/^[A-Z0-9]{6,12}$/, "must be 6 to 12 upper-case letters or digits")),
  ),
  dateOfBirth: z.optional(IsoDate),
  privateEmail: z.optional(Email),
  emergencyContact: z.optional(
    z.strictObject({
      name: Text(200),
      relationship: Text(100),
      phone: z.string().check(z.regex(/^\+?[0-9 ()-]{6,20}$/)),
    }),
  ),
  medicalNotes: z.optional(Text(LIMITS.notesLength)),
});
export type PersonalData = z.infer<typeof PersonalData>;

/** The person as everyone may see them: the staff number keys the rule against overlapping terms. */
export const PersonInput = z.strictObject({
  /** The person's staff number in their own government (TMG's, or the partner's). */
  staffId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,32}$/, "letters, digits and - only, at most 32")),
  name: BilingualText,
  position: z.optional(BilingualText),
});
export const Person = z.object({ staffId: z.string(), name: BilingualText, position: z.optional(BilingualText) });
export type Person = z.infer<typeof Person>;
export { PlacedPerson };

const Fields = z.array(Text(LIMITS.fieldLength)).check(z.maxLength(LIMITS.fields));

export const PlacementInput = z.strictObject({
  programmeId: ExchangeProgrammeId,
  direction: Direction,
  person: PersonInput,
  personal: z.optional(PersonalData),
  hostOrganisation: BilingualText,
  hostDepartment: BilingualText,
  startDate: PlannedDate,
  endDate: PlannedDate,
  purpose: BilingualText,
  fields: Fields,
  /** The estimate; when absent it is computed from the programme's cost norms. */
  estimate: z.optional(CostBreakdown),
});
export type PlacementInput = z.infer<typeof PlacementInput>;

/** What may change while the placement is `applied` (If-Match); a new personal record replaces the old. */
export const PlacementPatch = z.strictObject({
  person: z.optional(PersonInput),
  personal: z.optional(PersonalData),
  hostOrganisation: z.optional(BilingualText),
  hostDepartment: z.optional(BilingualText),
  startDate: z.optional(PlannedDate),
  endDate: z.optional(PlannedDate),
  purpose: z.optional(BilingualText),
  fields: z.optional(Fields),
  estimate: z.optional(CostBreakdown),
});
export type PlacementPatch = z.infer<typeof PlacementPatch>;

export const HoldStatus = z.enum(["requested", "placed", "rejected", "post-requested", "void-requested"]);
/** One hold asked of the ledger: the first for the estimate, later ones as top-ups. */
export const PlacementHold = z.object({
  reference: HoldReference,
  purpose: z.enum(["estimate", "top-up"]),
  amountYen: Yen,
  status: HoldStatus,
  holdId: z.nullable(z.string()),
  /** What completion or cancellation asked the ledger to post of it. */
  postYen: z.nullable(Yen),
  requestedAt: IsoDateTime,
});
export type PlacementHold = z.infer<typeof PlacementHold>;

export const Placement = z.object({
  id: z.string(),
  programmeId: ExchangeProgrammeId,
  partnerId: PartnerId,
  direction: Direction,
  person: Person,
  hostOrganisation: BilingualText,
  hostDepartment: BilingualText,
  startDate: IsoDate,
  endDate: IsoDate,
  days: z.int(),
  fiscalYear: FiscalYearNumber,
  purpose: BilingualText,
  fields: z.array(z.string()),
  estimate: Costs,
  actual: z.nullable(Costs),
  status: PlacementStatus,
  holds: z.array(PlacementHold),
  /** The ledger's last refusal, while funding-rejected (or a top-up's). */
  fundingRejection: z.nullable(z.object({ reason: z.string(), detail: z.string(), reference: z.string() })),
  /** Set by the schedule when funding has been awaited longer than the set time. */
  fundingOverdueSince: z.nullable(IsoDateTime),
  approvedAt: z.nullable(IsoDateTime),
  cancellation: z.nullable(z.object({ reason: z.string(), fromStatus: PlacementStatus, incurredYen: Yen })),
  version: z.int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Placement = z.infer<typeof Placement>;

/** The programme's quota use for one fiscal year and direction. */
export const QuotaUse = z.object({ placements: z.int(), days: z.int() });
export type QuotaUse = z.infer<typeof QuotaUse>;

export const QuotaView = z.object({
  programmeId: ExchangeProgrammeId,
  fiscalYear: FiscalYearNumber,
  outbound: z.object({ used: QuotaUse, left: QuotaUse, quota: QuotaUse }),
  inbound: z.object({ used: QuotaUse, left: QuotaUse, quota: QuotaUse }),
});
export type QuotaView = z.infer<typeof QuotaView>;

/** A term another live placement of the same person holds. */
export interface PersonTerm {
  readonly placementId: string;
  readonly startDate: string;
  readonly endDate: string;
}
