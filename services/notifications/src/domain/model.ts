import { BilingualText, Language, type PartnerContact, PartnerId } from "@cdp/contracts";
import * as z from "zod/mini";

export const NoticeStatus = z.enum(["sending", "sent", "failed", "no-contact"]);
export type NoticeStatus = z.infer<typeof NoticeStatus>;

/** What a notice tells about: a visit, a staff-exchange placement, or a mission's national day (a greeting). */
export const NoticeSubjectKind = z.enum(["visit", "placement", "greeting"]);
export type NoticeSubjectKind = z.infer<typeof NoticeSubjectKind>;

/** The news a notice brings; each kind names its subject's kind first. */
export const NoticeKind = z.enum([
  "visit-confirmed",
  "visit-cancelled",
  "placement-funded",
  "placement-cancelled",
  "national-day-greeting",
]);
export type NoticeKind = z.infer<typeof NoticeKind>;

/** One notice to one recipient, as the notice log keeps it. */
export const Notice = z.object({
  id: z.string(),
  kind: NoticeKind,
  subjectKind: NoticeSubjectKind,
  /** The visit's or the placement's id. */
  subjectId: z.string(),
  /** On visit notices only, the same as `subjectId`: kept for readers from before other subjects had notices. */
  visitId: z.optional(z.string()),
  /** The partner told; for a national-day greeting, the mission in Tokyo (its id is a slug like a partner's). */
  partnerId: PartnerId,
  /** The contact's work address; null when the partner had no contact to notify. */
  recipient: z.nullable(z.string()),
  recipientName: z.nullable(BilingualText),
  language: z.nullable(Language),
  /** The causing event's own id (`detail.metadata.eventId`): the same across relay retries and replays. */
  eventId: z.string(),
  subject: z.nullable(z.string()),
  sesMessageId: z.nullable(z.string()),
  status: NoticeStatus,
  attempts: z.int(),
  lastError: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Notice = z.infer<typeof Notice>;

/** A notice as stored: visit notices written before notices had subjects carry `visitId` only. */
export type StoredNotice = Notice | (Omit<Notice, "subjectKind" | "subjectId"> & { readonly visitId: string });

/** A stored notice in today's shape: an old visit notice reads as what it is, a notice about its visit. */
export function noticeFromStored(stored: StoredNotice): Notice {
  if ("subjectId" in stored) return stored;
  return { ...stored, subjectKind: "visit", subjectId: stored.visitId };
}

/** What this service keeps of a partner: its name and contacts, from the registry's events. */
export interface PartnerCopy {
  readonly partnerId: string;
  readonly name: { ja: string; en: string };
  readonly contacts: readonly PartnerContact[];
  readonly version: number;
}
