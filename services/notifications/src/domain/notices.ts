import { createHash } from "node:crypto";
import {
  type NationalDayGreetingDetail,
  NoticeFailed,
  NoticeSentAfterFailure,
  type PartnerContact,
  type PlacementCancelled,
  type PlacementStatus,
  type VisitCancelled,
  type VisitNoticeDetail,
} from "@cdp/contracts";
import { event, type PendingEvent, type Refusal, refuse, refused } from "@cdp/lambda-kit/decision";
import type * as z from "zod/mini";
import { renderGreetingNotice } from "./greeting-email.ts";
import type { Notice, NoticeKind, NoticeSubjectKind, PartnerCopy } from "./model.ts";
import { type RenderedEmail, renderVisitNotice } from "./notice-email.ts";
import { type PlacementNoticeDetail, renderPlacementNotice } from "./placement-email.ts";
import type { Delivery } from "./retry.ts";

/** The news a visit event brings, as partners are told it. */
export type VisitNews =
  | { readonly kind: "visit-confirmed"; readonly visit: VisitNoticeDetail }
  | { readonly kind: "visit-cancelled"; readonly visit: z.infer<typeof VisitCancelled.detail> };

/** The news a placement event brings, as its partner is told it. */
export type PlacementNews =
  | { readonly kind: "placement-funded"; readonly placement: PlacementNoticeDetail & { readonly partnerId: string } }
  | {
      readonly kind: "placement-cancelled";
      readonly placement: PlacementNoticeDetail &
        Pick<z.infer<typeof PlacementCancelled.detail>, "partnerId" | "previousStatus" | "reason">;
    };

/** A mission's national day: its officials get the greeting, at the addresses the protocol office released it to. */
export type GreetingNews = { readonly kind: "national-day-greeting"; readonly greeting: NationalDayGreetingDetail };

/** Whatever partners (or missions) are told of. */
export type News = VisitNews | PlacementNews | GreetingNews;

/** What a notice is about: the same subject gets one notice of each kind per recipient. */
export interface NoticeSubject {
  readonly kind: NoticeSubjectKind;
  readonly id: string;
}

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

/**
 * Same subject, same news, same partner, same recipient: the same notice, whichever event brings it.
 * The kind names the subject's kind, so a visit and a placement sharing an id never share a notice, and
 * visit notices keep the ids they had before placements had notices.
 */
export function noticeId(subjectId: string, kind: NoticeKind, partnerId: string, recipient: string | null): string {
  return createHash("sha256")
    .update(`${subjectId}|${kind}|${partnerId}|${recipient ?? "-"}`)
    .digest("hex")
    .slice(0, 32);
}

/** What the news is about: the visit or the placement its event names. */
export function subjectOf(news: News): NoticeSubject {
  if ("greeting" in news) return { kind: "greeting", id: news.greeting.greetingId };
  return "visit" in news
    ? { kind: "visit", id: news.visit.visitId }
    : { kind: "placement", id: news.placement.placementId };
}

/** The partners the news is about, each once; a greeting's is its mission. */
function partnersOf(news: News): readonly string[] {
  if ("greeting" in news) return [news.greeting.missionId];
  return "visit" in news ? [...new Set(news.visit.partnerIds)] : [news.placement.partnerId];
}

/** Whether the news brings its own recipients (a greeting), rather than the partners' contacts this service keeps. */
export const bringsRecipients = (news: News): news is GreetingNews => "greeting" in news;

/** A placement's partner is told of it once it is funded: only from then on is there anything to take back. */
const PLACEMENT_TOLD: ReadonlySet<PlacementStatus> = new Set(["funded", "active"]);

/** Why a cancellation is nobody's news: its partners never heard of what is cancelled. Null when they did. */
function neverTold(news: News): Refusal | null {
  if (news.kind === "visit-cancelled" && news.visit.previousStatus !== "confirmed") {
    return refuse.conflict(
      `Visit ${news.visit.visitId} was cancelled before its confirmation: its partners were never told of it`,
      news.visit.previousStatus,
    );
  }
  if (news.kind === "placement-cancelled" && !PLACEMENT_TOLD.has(news.placement.previousStatus)) {
    return refuse.conflict(
      `Placement ${news.placement.placementId} was cancelled before it was funded: its partner was never told of it`,
      news.placement.previousStatus,
    );
  }
  return null;
}

/**
 * The partners to tell: every partner of a confirmed visit, the partner of a funded placement; of a
 * cancellation, only partners who were told of it (a visit once confirmed, a placement once funded).
 * Otherwise a conflict naming the status it was cancelled from, which the consumer ignores: there is
 * nothing to take back.
 */
export function partnersToTell(
  news: News,
): { readonly ok: true; readonly partnerIds: readonly string[] } | { readonly ok: false; readonly refusal: Refusal } {
  const refusal = neverTold(news);
  return refusal ? refused(refusal) : { ok: true, partnerIds: partnersOf(news) };
}

type Name = { ja: string; en: string };

/** The e-mail one contact of one partner gets; `partnerNames` names every partner the news covers. */
function render(
  news: News,
  partnerName: Name,
  partnerNames: readonly Name[],
  contact: Pick<PartnerContact, "name" | "preferredLanguage">,
): RenderedEmail {
  if ("greeting" in news) return renderGreetingNotice({ greeting: news.greeting, contact });
  return "visit" in news
    ? renderVisitNotice({ ...news, partnerName, partnerNames, contact })
    : renderPlacementNotice({ ...news, partnerName, contact });
}

/**
 * Which contact gets which notice. A partner this service keeps no contact of (no copy yet, or a
 * copy without contacts) gets a no-contact record, so the log shows who could not be told.
 * `copies` must hold every partner that exists: a partner missing from it reads as one without contact.
 */
export function planNotices(
  news: News,
  copies: ReadonlyMap<string, PartnerCopy>,
  eventId: string,
  now: Date,
): NoticePlan {
  const { kind } = news;
  const subject = subjectOf(news);
  // A greeting names its mission and brings its recipients; other news is told to the partners' kept contacts.
  const greeting = bringsRecipients(news) ? news.greeting : null;
  const nameOf = (partnerId: string) =>
    greeting?.missionName ?? copies.get(partnerId)?.name ?? { ja: partnerId, en: partnerId };
  const partnerIds = partnersOf(news);
  const partnerNames = partnerIds.map(nameOf);
  const stamp = now.toISOString();
  const base = {
    kind,
    subjectKind: subject.kind,
    subjectId: subject.id,
    ...(subject.kind === "visit" ? { visitId: subject.id } : {}),
    eventId,
    createdAt: stamp,
    updatedAt: stamp,
  } as const;
  const toSend: NoticeToSend[] = [];
  const withoutContact: Notice[] = [];
  for (const partnerId of partnerIds) {
    const contacts = greeting ? greeting.recipients : (copies.get(partnerId)?.contacts ?? []);
    if (contacts.length === 0) {
      withoutContact.push({
        ...base,
        id: noticeId(subject.id, kind, partnerId, null),
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
      const email = render(news, nameOf(partnerId), partnerNames, contact);
      toSend.push({
        email: { ...email, to: contact.email },
        notice: {
          ...base,
          id: noticeId(subject.id, kind, partnerId, contact.email),
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

/**
 * What others hear of a settled notice: a failure (someone must look), or a send after an earlier failure (the
 * failure can be cleared). A first send is only in the notice log. Never the address, nor the error's message.
 */
export function noticeEventOf(claimed: Notice, settled: Notice, errorName: string): PendingEvent | null {
  const facts = {
    noticeId: settled.id,
    kind: settled.kind,
    subjectKind: settled.subjectKind,
    subjectId: settled.subjectId,
    partnerId: settled.partnerId,
    attempts: settled.attempts,
  };
  if (settled.status === "failed")
    return event(NoticeFailed, { ...facts, error: errorName, failedAt: settled.updatedAt });
  if (settled.status === "sent" && claimed.attempts > 0) {
    return event(NoticeSentAfterFailure, { ...facts, sentAt: settled.updatedAt });
  }
  return null;
}
