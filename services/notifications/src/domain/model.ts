import { BilingualText, Language, type PartnerContact, PartnerId } from "@cdp/contracts";
import * as z from "zod/mini";

export const NoticeStatus = z.enum(["sending", "sent", "failed", "no-contact"]);
export type NoticeStatus = z.infer<typeof NoticeStatus>;

/** One notice to one recipient, as the notice log keeps it. */
export const Notice = z.object({
  id: z.string(),
  kind: z.enum(["visit-confirmed", "visit-cancelled"]),
  visitId: z.string(),
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

/** What this service keeps of a partner: its name and contacts, from the registry's events. */
export interface PartnerCopy {
  readonly partnerId: string;
  readonly name: { ja: string; en: string };
  readonly contacts: readonly PartnerContact[];
  readonly version: number;
}
