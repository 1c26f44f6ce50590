import * as z from "zod/mini";
import { CorrelationId, contract, EventMetadata, PartnerContact } from "./events.ts";
import { BilingualText, CountryCode, IsoDate, IsoDateTime, PartnerId, Text } from "./values.ts";

/**
 * The protocol office: what it publishes. No event carries a visitor's or a private giver's personal data:
 * a courtesy call travels as its mission, partners, host, time and public summary only.
 */
export const PROTOCOL_SOURCE = "tmg.protocol";

export const MissionId = z
  .string()
  .check(z.minLength(2), z.maxLength(64), z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lower-case slug"));

/** Who receives the call: the governor's time is one calendar; a vice-governor's calls do not take it. */
export const CallHost = z.enum(["governor", "vice-governor"]);
export type CallHost = z.infer<typeof CallHost>;

const Envelope = { correlationId: CorrelationId, metadata: EventMetadata };

/** A courtesy call as every reader may see it. */
const PublicCall = {
  callId: z.string().check(z.minLength(1), z.maxLength(64)),
  missionId: z.optional(MissionId),
  /** The partners the call is with: the mission's own, or the visiting delegation's. May be none. */
  partnerIds: z.array(PartnerId),
  host: CallHost,
  startsAt: IsoDateTime,
  durationMinutes: z.int().check(z.minimum(5), z.maximum(480)),
  /** The call's date in Tokyo. */
  date: IsoDate,
  topics: z.array(Text(100)),
  publicSummary: z.optional(BilingualText),
  ...Envelope,
};

export const CourtesyCallScheduled = contract(PROTOCOL_SOURCE, "CourtesyCallScheduled.v1", z.object(PublicCall));
export const CourtesyCallCancelled = contract(
  PROTOCOL_SOURCE,
  "CourtesyCallCancelled.v1",
  z.object({ ...PublicCall, reason: Text(1000) }),
);
/** A call that took place: the City Registry counts it as an exchange with each partner for its dormancy review. */
export const CourtesyCallCompleted = contract(PROTOCOL_SOURCE, "CourtesyCallCompleted.v1", z.object(PublicCall));
export type CourtesyCallDetail = z.infer<typeof CourtesyCallCompleted.detail>;

/**
 * "Send this congratulatory message": released once a year per mission, after review. Notifications sends it
 * to each recipient (the mission's official contacts when it was released) and logs it like every notice;
 * `greetingId` (`<missionId>-<year>`) makes a second release of the same year the same notice.
 */
export const NationalDayGreetingReleased = contract(
  PROTOCOL_SOURCE,
  "NationalDayGreetingReleased.v1",
  z.object({
    greetingId: z.string().check(z.minLength(1), z.maxLength(80)),
    missionId: MissionId,
    country: CountryCode,
    missionName: BilingualText,
    nationalDay: IsoDate,
    occasion: BilingualText,
    subject: BilingualText,
    message: BilingualText,
    recipients: z.array(PartnerContact).check(z.minLength(1), z.maxLength(20)),
    ...Envelope,
  }),
);
export type NationalDayGreetingDetail = z.infer<typeof NationalDayGreetingReleased.detail>;
