import * as z from "zod";
import { BilingualText, CountryCode, IsoDate, PartnerId } from "./values.ts";

/** A versioned event contract: its source, its detail-type and the zod schema of its detail. */
export interface EventContract<Source extends string, DetailType extends string, Schema extends z.ZodType> {
  readonly source: Source;
  readonly detailType: DetailType;
  readonly detail: Schema;
}

function contract<Source extends string, DetailType extends string, Schema extends z.ZodType>(
  source: Source,
  detailType: DetailType,
  detail: Schema,
): EventContract<Source, DetailType, Schema> {
  return { source, detailType, detail };
}

/** Carried from the HTTP request through every event, so one flow can be followed in the logs. */
const CorrelationId = z.string().min(1).max(128).optional();

export const CITY_REGISTRY_SOURCE = "tmg.city-registry";
export const VISIT_SCHEDULING_SOURCE = "tmg.visit-scheduling";

export const RelationBasis = z.enum(["agreement", "reciprocal-visits"]);
export type RelationBasis = z.infer<typeof RelationBasis>;

export const PartnerRegistered = contract(
  CITY_REGISTRY_SOURCE,
  "PartnerRegistered.v1",
  z.object({
    partnerId: PartnerId,
    name: BilingualText,
    kind: z.enum(["city", "state", "region"]),
    country: CountryCode,
    status: z.string(),
    correlationId: CorrelationId,
  }),
);

export const AgreementConcluded = contract(
  CITY_REGISTRY_SOURCE,
  "AgreementConcluded.v1",
  z.object({
    partnerId: PartnerId,
    agreementId: z.string().min(1),
    type: z.enum(["sister-friendship", "policy-cooperation", "joint-statement", "other"]),
    title: BilingualText,
    signedOn: IsoDate,
    correlationId: CorrelationId,
  }),
);

export const RelationEstablished = contract(
  CITY_REGISTRY_SOURCE,
  "RelationEstablished.v1",
  z.object({
    partnerId: PartnerId,
    establishedOn: IsoDate,
    basis: RelationBasis,
    correlationId: CorrelationId,
  }),
);

export const RelationDormant = contract(
  CITY_REGISTRY_SOURCE,
  "RelationDormant.v1",
  z.object({
    partnerId: PartnerId,
    lastExchangeOn: IsoDate.nullable(),
    since: IsoDate,
    correlationId: CorrelationId,
  }),
);

/**
 * Published by Visit Scheduling when a visit is completed. The City Registry consumes it to
 * decide whether reciprocal head-level visits make a relation concrete.
 */
export const VisitCompleted = contract(
  VISIT_SCHEDULING_SOURCE,
  "VisitCompleted.v1",
  z.object({
    visitId: z.string().min(1),
    direction: z.enum(["outbound", "inbound"]),
    partnerIds: z.array(PartnerId).min(1),
    leaderLevel: z.enum(["head", "deputy", "official"]),
    startDate: IsoDate,
    endDate: IsoDate,
    correlationId: CorrelationId,
  }),
);
export type VisitCompletedDetail = z.infer<typeof VisitCompleted.detail>;

export const ALL_CONTRACTS = [
  PartnerRegistered,
  AgreementConcluded,
  RelationEstablished,
  RelationDormant,
  VisitCompleted,
] as const;
