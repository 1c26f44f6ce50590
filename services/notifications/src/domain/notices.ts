import { createHash } from "node:crypto";
import type { VisitCancelled, VisitNoticeDetail } from "@cdp/contracts";
import { type Refusal, refuse, refused } from "@cdp/lambda-kit/decision";
import type * as z from "zod/mini";
import type { Notice, PartnerCopy } from "./model.ts";
import { type NoticeKind, type RenderedEmail, renderVisitNotice } from "./notice-email.ts";
import type { Delivery } from "./retry.ts";

/** The news a visit event brings, as partners are told it. */
export type VisitNews =
  | { readonly kind: "visit-confirmed"; readonly visit: VisitNoticeDetail }
  | { readonly kind: "visit-cancelled"; readonly visit: z.infer<typeof VisitCancelled.detail> };

/** One e-mail to one contact, with the notice that logs it (status "sending", no attempt yet). */
export interface NoticeToSend {
  readonly notice: Notice;
  readonly email: RenderedEmail & { readonly to: string };
}

/** Who gets which notice: one per contact of every partner, and a no-contact record for a partner without one. */
export interface NoticePlan {
  readonly toSend: readonly NoticeToSend[];
  readonly withoutContact: readonly Notice[];
}

/** Same visit, same news, same partner, same recipient: the same notice, whichever event brings it. */
export function noticeId(visitId: string, kind: NoticeKind, partnerId: string, recipient: string | null): string {
  return createHash("sha256")
    .update(`${visitId}|${kind}|${partnerId}|${recipient ?? "-"}`)
    .digest("hex")
    .slice(0, 32);
}

/**
 * The partners to tell: every partner of a confirmed visit; of a cancelled one, only if they were
 * told it was confirmed. Otherwise a conflict naming the status the visit was cancelled from, which
 * the consumer ignores: there is nothing to take back.
 */
export function partnersToTell(
  news: VisitNews,
): { readonly ok: true; readonly partnerIds: readonly string[] } | { readonly ok: false; readonly refusal: Refusal } {
  if (news.kind === "visit-cancelled" && news.visit.previousStatus !== "confirmed") {
    return refused(
      refuse.conflict(
        `Visit ${news.visit.visitId} was cancelled before its confirmation: its partners were never told of it`,
        news.visit.previousStatus,
      ),
    );
  }
  return { ok: true, partnerIds: [...new Set(news.visit.partnerIds)] };
}

/**
 * Which contact gets which notice. A partner this service keeps no contact of (no copy yet, or a
 * copy without contacts) gets a no-contact record, so the log shows who could not be told.
 * `copies` must hold every partner that exists: a partner missing from it reads as one without contact.
 */
export function planVisitNotices(
  news: VisitNews,
  copies: ReadonlyMap<string, PartnerCopy>,
  eventId: string,
  now: Date,
): NoticePlan {
  const { kind, visit } = news;
  const nameOf = (partnerId: string) => copies.get(partnerId)?.name ?? { ja: partnerId, en: partnerId };
  const partnerIds = [...new Set(visit.partnerIds)];
  const partnerNames = partnerIds.map(nameOf);
  const stamp = now.toISOString();
  const base = { kind, visitId: visit.visitId, eventId, createdAt: stamp, updatedAt: stamp } as const;
  const toSend: NoticeToSend[] = [];
  const withoutContact: Notice[] = [];
  for (const partnerId of partnerIds) {
    const contacts = copies.get(partnerId)?.contacts ?? [];
    if (contacts.length === 0) {
      withoutContact.push({
        ...base,
        id: noticeId(visit.visitId, kind, partnerId, null),
        partnerId,
        recipient: null,
        recipientName: null,
        language: null,
        subject: null,
        sesMessageId: null,
        status: "no-contact",
        attempts: 0,
        lastError: null,
      });
      continue;
    }
    for (const contact of contacts) {
      const email = renderVisitNotice({ kind, visit, partnerName: nameOf(partnerId), partnerNames, contact });
      toSend.push({
        email: { ...email, to: contact.email },
        notice: {
          ...base,
          id: noticeId(visit.visitId, kind, partnerId, contact.email),
          partnerId,
          recipient: contact.email,
          recipientName: contact.name,
          language: contact.preferredLanguage,
          subject: email.subject,
          sesMessageId: null,
          status: "sending",
          attempts: 0,
          lastError: null,
        },
      });
    }
  }
  return { toSend, withoutContact };
}

/**
 * A claimed notice once its sending is over: sent with SES's message id, or failed with the last
 * error (kept in the notice log, which holds addresses anyway; never in a log line). Attempts add up
 * across deliveries of the event.
 */
export function settleNotice(claimed: Notice, delivery: Delivery<string>, finishedAt: Date): Notice {
  const attempts = claimed.attempts + delivery.attempts;
  const updatedAt = finishedAt.toISOString();
  if (delivery.ok) {
    return { ...claimed, status: "sent", sesMessageId: delivery.value, attempts, lastError: null, updatedAt };
  }
  const lastError =
    delivery.error instanceof Error ? `${delivery.error.name}: ${delivery.error.message}` : String(delivery.error);
  return { ...claimed, status: "failed", attempts, lastError, updatedAt };
}
