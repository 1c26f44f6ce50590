import * as z from "zod/mini";
import { CorrelationId, contract, EventMetadata } from "./events.ts";
import { FiscalYearNumber, HoldReference, YenAmount } from "./fund-ledger.ts";
import { BilingualText, IsoDate, PartnerId, Text } from "./values.ts";

/**
 * The staff-exchange programme: what it publishes. It asks the ledger for money with the ledger's own
 * contracts (`FundHoldRequested.v1`, `FundHoldPostRequested.v1`, `FundHoldVoidRequested.v1`). No event carries a person's personal data (passport, date of birth, emergency contact, medical notes,
 * private e-mail): those stay in the service, readable by the exchange coordinators only.
 */
export const STAFF_EXCHANGE_SOURCE = "tmg.staff-exchange";

/** Outbound: TMG staff seconded to the partner. Inbound: the partner's staff hosted in a TMG bureau. */
export const ExchangeDirection = z.enum(["outbound", "inbound"]);
export type ExchangeDirection = z.infer<typeof ExchangeDirection>;

export const PlacementStatus = z.enum([
  "applied",
  "approved",
  "funded",
  "active",
  "completed",
  "cancelled",
  "funding-rejected",
]);
export type PlacementStatus = z.infer<typeof PlacementStatus>;

export const PlacementId = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9-]+$/, "letters, digits and - only"));
export const ExchangeProgrammeId = z
  .string()
  .check(z.minLength(2), z.maxLength(64), z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lower-case slug"));

/** Who is placed, as the partner may be told: name and position, nothing private. */
export const PlacedPerson = z.object({ name: BilingualText, position: z.optional(BilingualText) });

const Envelope = { correlationId: CorrelationId, metadata: EventMetadata };

/** A placement as every reader may see it, in every placement event. */
const PublicPlacement = {
  placementId: PlacementId,
  programmeId: ExchangeProgrammeId,
  partnerId: PartnerId,
  direction: ExchangeDirection,
  person: PlacedPerson,
  hostOrganisation: BilingualText,
  hostDepartment: BilingualText,
  startDate: IsoDate,
  endDate: IsoDate,
  /** The fiscal year of the start date, whose quota the placement counts against. */
  fiscalYear: FiscalYearNumber,
  purpose: BilingualText,
  fields: z.array(Text(100)),
  estimatedYen: YenAmount,
  status: PlacementStatus,
  version: z.int().check(z.minimum(1)),
};

export const ExchangeProgrammeCreated = contract(
  STAFF_EXCHANGE_SOURCE,
  "ExchangeProgrammeCreated.v1",
  z.object({
    programmeId: ExchangeProgrammeId,
    partnerId: PartnerId,
    agreementId: z.optional(Text(64)),
    name: BilingualText,
    placementsPerYear: z.object({ outbound: z.int(), inbound: z.int() }),
    totalDaysPerYear: z.object({ outbound: z.int(), inbound: z.int() }),
    minDays: z.int(),
    maxDays: z.int(),
    ...Envelope,
  }),
);

export const PlacementProposed = contract(
  STAFF_EXCHANGE_SOURCE,
  "PlacementProposed.v1",
  z.object({ ...PublicPlacement, ...Envelope }),
);

/** Step 1 of the saga: with it, `FundHoldRequested.v1` for the estimate (reference `placement:<id>`). */
export const PlacementApproved = contract(
  STAFF_EXCHANGE_SOURCE,
  "PlacementApproved.v1",
  z.object({ ...PublicPlacement, holdReference: HoldReference, ...Envelope }),
);

/** The ledger placed the hold: the partner's contacts are told the person is coming. */
export const PlacementFunded = contract(
  STAFF_EXCHANGE_SOURCE,
  "PlacementFunded.v1",
  z.object({ ...PublicPlacement, holdId: z.uuid(), heldYen: YenAmount, ...Envelope }),
);

export const PlacementFundingRejected = contract(
  STAFF_EXCHANGE_SOURCE,
  "PlacementFundingRejected.v1",
  z.object({ ...PublicPlacement, reason: Text(64), detail: Text(1000), ...Envelope }),
);

export const PlacementStarted = contract(
  STAFF_EXCHANGE_SOURCE,
  "PlacementStarted.v1",
  z.object({ ...PublicPlacement, ...Envelope }),
);

export const PlacementCompleted = contract(
  STAFF_EXCHANGE_SOURCE,
  "PlacementCompleted.v1",
  z.object({ ...PublicPlacement, actualYen: z.int().check(z.minimum(0)), ...Envelope }),
);

export const PlacementCancelled = contract(
  STAFF_EXCHANGE_SOURCE,
  "PlacementCancelled.v1",
  z.object({
    ...PublicPlacement,
    reason: Text(1000),
    /** The partner was told of a funded or active placement only: notices of its cancellation follow that. */
    previousStatus: PlacementStatus,
    incurredYen: z.int().check(z.minimum(0)),
    ...Envelope,
  }),
);
