import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { BilingualText, CountryCode, Email, IsoDate, Language, PartnerId, Text } from "./values.ts";

/** A versioned event contract: its source, its detail-type and the zod schema of its detail. */
export interface EventContract<Source extends string, DetailType extends string, Schema extends core.$ZodType> {
  readonly source: Source;
  readonly detailType: DetailType;
  readonly detail: Schema;
}

export function contract<Source extends string, DetailType extends string, Schema extends core.$ZodType>(
  source: Source,
  detailType: DetailType,
  detail: Schema,
): EventContract<Source, DetailType, Schema> {
  return { source, detailType, detail };
}

/** Carried from the HTTP request through every event, so one flow can be followed in the logs. */
export const CorrelationId = z.optional(z.string().check(z.minLength(1), z.maxLength(128)));

/**
 * An event's own identity, set once when the state change is written (the outbox record's id).
 * EventBridge gives every PutEvents entry a new envelope id, so a relay retry or a replay arrives
 * with a new one; `eventId` stays the same, and consumers' idempotency keys on it.
 */
export const EventMetadata = z.object({
  eventId: z.string().check(z.minLength(1), z.maxLength(128)),
  correlationId: z.string().check(z.minLength(1), z.maxLength(128)),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type EventMetadata = z.infer<typeof EventMetadata>;

export const CITY_REGISTRY_SOURCE = "tmg.city-registry";
export const VISIT_SCHEDULING_SOURCE = "tmg.visit-scheduling";

export const RelationBasis = z.enum(["agreement", "reciprocal-visits"]);
export type RelationBasis = z.infer<typeof RelationBasis>;

/**
 * A partner's contact as other services may keep it: the work address of an official of the
 * partner government, for notices. Never logged.
 */
export const PartnerContact = z.object({
  name: BilingualText,
  role: Text(200),
  email: Email,
  preferredLanguage: Language,
});
export type PartnerContact = z.infer<typeof PartnerContact>;

const PartnerFacts = {
  partnerId: PartnerId,
  name: BilingualText,
  kind: z.enum(["city", "state", "region"]),
  country: CountryCode,
  status: z.string(),
};

export const PartnerRegistered = contract(
  CITY_REGISTRY_SOURCE,
  "PartnerRegistered.v1",
  z.object({
    ...PartnerFacts,
    /** Added compatibly (optional) so notices can reach the partner; absent in older events. */
    contacts: z.optional(z.array(PartnerContact)),
    /** The partner's version after registration (1); copies keep the highest version they saw. */
    version: z.optional(z.int().check(z.minimum(1))),
    correlationId: CorrelationId,
    metadata: EventMetadata,
  }),
);

/** A snapshot of the partner after any change made through the API: copies replace theirs when newer. */
export const PartnerUpdated = contract(
  CITY_REGISTRY_SOURCE,
  "PartnerUpdated.v1",
  z.object({
    ...PartnerFacts,
    contacts: z.array(PartnerContact),
    version: z.int().check(z.minimum(1)),
    correlationId: CorrelationId,
    metadata: EventMetadata,
  }),
);

export const AgreementConcluded = contract(
  CITY_REGISTRY_SOURCE,
  "AgreementConcluded.v1",
  z.object({
    partnerId: PartnerId,
    agreementId: z.string().check(z.minLength(1)),
    type: z.enum(["sister-friendship", "policy-cooperation", "joint-statement", "other"]),
    title: BilingualText,
    signedOn: IsoDate,
    /** Added compatibly: when the parties agreed to review it (reports list reviews due); absent in older events. */
    reviewOn: z.optional(z.nullable(IsoDate)),
    correlationId: CorrelationId,
    metadata: EventMetadata,
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
    metadata: EventMetadata,
  }),
);

export const RelationDormant = contract(
  CITY_REGISTRY_SOURCE,
  "RelationDormant.v1",
  z.object({
    partnerId: PartnerId,
    lastExchangeOn: z.nullable(IsoDate),
    since: IsoDate,
    correlationId: CorrelationId,
    metadata: EventMetadata,
  }),
);

export const LeaderLevel = z.enum(["head", "deputy", "official"]);

/**
 * Published by Visit Scheduling when a visit is completed. The City Registry consumes it to
 * decide whether reciprocal head-level visits make a relation concrete.
 */
export const VisitCompleted = contract(
  VISIT_SCHEDULING_SOURCE,
  "VisitCompleted.v1",
  z.object({
    visitId: z.string().check(z.minLength(1)),
    direction: z.enum(["outbound", "inbound"]),
    partnerIds: z.array(PartnerId).check(z.minLength(1)),
    leaderLevel: LeaderLevel,
    startDate: IsoDate,
    endDate: IsoDate,
    /** Added compatibly: what the visit cost, in yen (reports hold trips against the travel budget). */
    actualCostYen: z.optional(z.int().check(z.minimum(0))),
    correlationId: CorrelationId,
    metadata: EventMetadata,
  }),
);
export type VisitCompletedDetail = z.infer<typeof VisitCompleted.detail>;

export const VisitPurpose = z.enum(["international-conference", "relationship-building", "policy-promotion"]);

/** What a visit is, publicly: no delegate's personal data ever travels in an event. */
const PublicVisit = {
  visitId: z.string().check(z.minLength(1)),
  direction: z.enum(["outbound", "inbound"]),
  partnerIds: z.array(PartnerId).check(z.minLength(1)),
  delegationHead: z.object({ name: BilingualText, title: BilingualText, level: LeaderLevel }),
  purpose: VisitPurpose,
  purposeStatement: BilingualText,
  startDate: IsoDate,
  endDate: IsoDate,
  /** Added compatibly: the visit's cost estimate in yen when the event was written (reports: the travel budget). */
  estimateYen: z.optional(z.int().check(z.minimum(0))),
  correlationId: CorrelationId,
  metadata: EventMetadata,
};

export const VisitApproved = contract(VISIT_SCHEDULING_SOURCE, "VisitApproved.v1", z.object(PublicVisit));
export const VisitConfirmed = contract(VISIT_SCHEDULING_SOURCE, "VisitConfirmed.v1", z.object(PublicVisit));
export const VisitCancelled = contract(
  VISIT_SCHEDULING_SOURCE,
  "VisitCancelled.v1",
  z.object({
    ...PublicVisit,
    reason: Text(1000),
    /** Partners were told of a confirmed visit only: notices of its cancellation follow that. */
    previousStatus: z.enum(["proposed", "approved", "confirmed"]),
  }),
);
export type VisitNoticeDetail = z.infer<typeof VisitConfirmed.detail>;

/** A conference the city hosts, takes part in or bids for; bids carry their deadline. */
export const ConferenceRegistered = contract(
  VISIT_SCHEDULING_SOURCE,
  "ConferenceRegistered.v1",
  z.object({
    conferenceId: z.string().check(z.minLength(1)),
    name: BilingualText,
    /** The host city: a partner when it is one, a name otherwise. */
    city: z.union([z.object({ partnerId: PartnerId }), z.object({ name: BilingualText })]),
    startDate: IsoDate,
    endDate: IsoDate,
    role: z.enum(["participate", "host", "bid"]),
    bidDeadline: z.nullable(IsoDate),
    visitIds: z.array(z.string()),
    correlationId: CorrelationId,
    metadata: EventMetadata,
  }),
);

/**
 * A fiscal year's trip cap and travel budget before the planners set their own: a recent budget assumed 3 trips a
 * year at about 14 million yen each (TMG guideline, reference data).
 */
export const TRIP_PLAN_GUIDELINE = Object.freeze({ tripCap: 3, travelBudgetYen: 42_000_000 });

/** The governor's trip cap and travel budget for a fiscal year, set by the planners. */
export const TripPlanSet = contract(
  VISIT_SCHEDULING_SOURCE,
  "TripPlanSet.v1",
  z.object({
    fiscalYear: z.int().check(z.minimum(2000), z.maximum(2100)),
    tripCap: z.int().check(z.minimum(0)),
    travelBudgetYen: z.int().check(z.minimum(0)),
    version: z.int().check(z.minimum(1)),
    correlationId: CorrelationId,
    metadata: EventMetadata,
  }),
);
