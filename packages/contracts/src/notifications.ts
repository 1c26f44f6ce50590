import * as z from "zod/mini";
import { CorrelationId, contract, EventMetadata } from "./events.ts";
import { PartnerId, Text } from "./values.ts";

/**
 * The notifications service: what it publishes about its notices. Never the recipient's address, nor the people a
 * notice names: a notice is known by its id, its subject and its partner.
 */
export const NOTIFICATIONS_SOURCE = "tmg.notifications";

const NoticeFacts = {
  noticeId: Text(200),
  kind: z.enum([
    "visit-confirmed",
    "visit-cancelled",
    "placement-funded",
    "placement-cancelled",
    "national-day-greeting",
  ]),
  /** Added compatibly: `greeting` (a mission's national day, whose `partnerId` is the mission's id). */
  subjectKind: z.enum(["visit", "placement", "greeting"]),
  subjectId: Text(200),
  partnerId: PartnerId,
  attempts: z.int().check(z.minimum(1)),
  correlationId: CorrelationId,
  metadata: EventMetadata,
};

/** A notice still refused after its retries: someone must look (the reports list it until it is sent). */
export const NoticeFailed = contract(
  NOTIFICATIONS_SOURCE,
  "NoticeFailed.v1",
  z.object({
    ...NoticeFacts,
    /** The error's name only (e.g. `MessageRejected`): SES's messages quote the recipient's address. */
    error: Text(200),
    failedAt: z.iso.datetime({ offset: true }),
  }),
);

/** A notice sent after it had failed: readers of `NoticeFailed.v1` clear it. A first send publishes nothing. */
export const NoticeSentAfterFailure = contract(
  NOTIFICATIONS_SOURCE,
  "NoticeSentAfterFailure.v1",
  z.object({ ...NoticeFacts, sentAt: z.iso.datetime({ offset: true }) }),
);
