import type { Logger } from "@cdp/lambda-kit";
import { Refused } from "@cdp/lambda-kit/decision";
import { countMetric, METRIC } from "@cdp/lambda-kit/metrics";
import type { RenderedEmail } from "./domain/notice-email.ts";
import {
  bringsRecipients,
  type News,
  type NoticeToSend,
  noticeEventOf,
  partnersToTell,
  planNotices,
  settleNotice,
  subjectOf,
} from "./domain/notices.ts";
import { withBackoff } from "./domain/retry.ts";
import type { NoticeStore } from "./store/notice-store.ts";

export type SendEmail = (email: RenderedEmail & { to: string }) => Promise<string>;

export interface NotifyOutcome {
  readonly sent: number;
  readonly alreadyHandled: number;
  readonly failed: number;
  readonly partnersWithoutContact: readonly string[];
}

/** Thrown when a notice still fails after its retries: the event is retried, then dead-lettered. */
export class NoticesFailed extends Error {}

/**
 * Tells every contact of every partner the news is about (a visit, a placement), once: one bilingual
 * e-mail each, retried with backoff, every outcome in the notice log. Who gets what is decided in
 * `domain/notices.ts`; this loads the partners, claims each notice, sends and records. Logs name the
 * subject, partners and notice ids, never addresses or the people placed. A partner read that stays
 * throttled throws (UnprocessedKeysRemain): the event is retried, and no partner is taken for one
 * without contact.
 */
export class PartnerNotifier {
  constructor(
    private readonly store: NoticeStore,
    private readonly send: SendEmail,
    private readonly retry: { attempts: number; firstDelayMs: number },
  ) {}

  /** `correlationId` follows the flow into the events a notice's outcome publishes (the causing event's own). */
  async notify(news: News, eventId: string, now: Date, log: Logger, correlationId = eventId): Promise<NotifyOutcome> {
    const { kind } = news;
    const subject = subjectOf(news);
    const about = { subjectKind: subject.kind, subjectId: subject.id, kind };
    const due = partnersToTell(news);
    if (!due.ok) {
      log.info(`partners were never told of this ${subject.kind}`, about);
      throw new Refused(due.refusal);
    }
    const copies = bringsRecipients(news) ? new Map() : await this.store.partners(due.partnerIds);
    const plan = planNotices(news, copies, eventId, now);
    for (const notice of plan.withoutContact) {
      log.info("partner has no contact to notify", { partnerId: notice.partnerId, ...about });
      await this.store.record(notice);
    }
    let sent = 0;
    let alreadyHandled = 0;
    let failed = 0;
    for (const planned of plan.toSend) {
      const outcome = await this.deliver(planned, now, correlationId, log);
      if (outcome === "sent") sent++;
      else if (outcome === "failed") failed++;
      else alreadyHandled++;
    }
    countMetric(METRIC.noticeSent, sent);
    countMetric(METRIC.noticeFailed, failed);
    const partnersWithoutContact = plan.withoutContact.map((notice) => notice.partnerId);
    log.info(`${subject.kind} notices`, {
      ...about,
      sent,
      alreadyHandled,
      failed,
      withoutContact: partnersWithoutContact.length,
    });
    if (failed > 0) {
      throw new NoticesFailed(`${failed} notice(s) of ${kind} for ${subject.kind} ${subject.id} failed after retries`);
    }
    return { sent, alreadyHandled, failed, partnersWithoutContact };
  }

  private async deliver(
    { notice, email }: NoticeToSend,
    now: Date,
    correlationId: string,
    log: Logger,
  ): Promise<"sent" | "failed" | "handled"> {
    const claimed = await this.store.claim(notice, now);
    if (!claimed) {
      log.info("notice already sent or being sent", { noticeId: notice.id, partnerId: notice.partnerId });
      return "handled";
    }
    const delivery = await withBackoff(() => this.send(email), this.retry);
    const finishedAt = new Date();
    const settled = settleNotice(claimed, delivery, finishedAt);
    // The error's name only: SES messages quote the recipient's address, which stays out of the logs and events.
    const errorName = !delivery.ok && delivery.error instanceof Error ? delivery.error.name : "unknown";
    await this.store.record(settled, noticeEventOf(claimed, settled, errorName), {
      actor: "notifications",
      correlationId,
      now: finishedAt,
    });
    if (delivery.ok) return "sent";
    log.warn("notice failed after retries", {
      noticeId: notice.id,
      partnerId: notice.partnerId,
      attempts: settled.attempts,
      errorName,
    });
    return "failed";
  }
}
