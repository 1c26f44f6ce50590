import type { Logger } from "@cdp/lambda-kit";
import { Refused } from "@cdp/lambda-kit/decision";
import { countMetric, METRIC } from "@cdp/lambda-kit/metrics";
import type { RenderedEmail } from "./domain/notice-email.ts";
import { type NoticeToSend, partnersToTell, planVisitNotices, settleNotice, type VisitNews } from "./domain/notices.ts";
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
 * Tells every contact of every partner a visit involves, once: one bilingual e-mail each, retried with
 * backoff, every outcome in the notice log. Who gets what is decided in `domain/notices.ts`; this
 * loads the partners, claims each notice, sends and records. Logs name partners and notice ids, never
 * addresses. A partner read that stays throttled throws (UnprocessedKeysRemain): the event is retried,
 * and no partner is taken for one without contact.
 */
export class VisitNotifier {
  constructor(
    private readonly store: NoticeStore,
    private readonly send: SendEmail,
    private readonly retry: { attempts: number; firstDelayMs: number },
  ) {}

  async notify(news: VisitNews, eventId: string, now: Date, log: Logger): Promise<NotifyOutcome> {
    const { kind, visit } = news;
    const due = partnersToTell(news);
    if (!due.ok) {
      log.info("partners were never told of this visit", { visitId: visit.visitId, kind });
      throw new Refused(due.refusal);
    }
    const plan = planVisitNotices(news, await this.store.partners(due.partnerIds), eventId, now);
    for (const notice of plan.withoutContact) {
      log.info("partner has no contact to notify", { partnerId: notice.partnerId, visitId: visit.visitId, kind });
      await this.store.record(notice);
    }
    let sent = 0;
    let alreadyHandled = 0;
    let failed = 0;
    for (const planned of plan.toSend) {
      const outcome = await this.deliver(planned, now, log);
      if (outcome === "sent") sent++;
      else if (outcome === "failed") failed++;
      else alreadyHandled++;
    }
    countMetric(METRIC.noticeSent, sent);
    countMetric(METRIC.noticeFailed, failed);
    const partnersWithoutContact = plan.withoutContact.map((notice) => notice.partnerId);
    log.info("visit notices", {
      visitId: visit.visitId,
      kind,
      sent,
      alreadyHandled,
      failed,
      withoutContact: partnersWithoutContact.length,
    });
    if (failed > 0)
      throw new NoticesFailed(`${failed} notice(s) of ${kind} for visit ${visit.visitId} failed after retries`);
    return { sent, alreadyHandled, failed, partnersWithoutContact };
  }

  private async deliver(
    { notice, email }: NoticeToSend,
    now: Date,
    log: Logger,
  ): Promise<"sent" | "failed" | "handled"> {
    const claimed = await this.store.claim(notice, now);
    if (!claimed) {
      log.info("notice already sent or being sent", { noticeId: notice.id, partnerId: notice.partnerId });
      return "handled";
    }
    const delivery = await withBackoff(() => this.send(email), this.retry);
    const settled = settleNotice(claimed, delivery, new Date());
    await this.store.record(settled);
    if (delivery.ok) return "sent";
    // The error's name only: SES messages quote the recipient's address, which stays out of the logs.
    const errorName = delivery.error instanceof Error ? delivery.error.name : "unknown";
    log.warn("notice failed after retries", {
      noticeId: notice.id,
      partnerId: notice.partnerId,
      attempts: settled.attempts,
      errorName,
    });
    return "failed";
  }
}
