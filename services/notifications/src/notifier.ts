import { createHash } from "node:crypto";
import type { PartnerContact, VisitNoticeDetail } from "@cdp/contracts";
import type { Logger } from "@cdp/lambda-kit";
import type { Notice, PartnerCopy } from "./domain/model.ts";
import { type NoticeKind, type RenderedEmail, renderVisitNotice } from "./domain/notice-email.ts";
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

/** Same visit, same news, same partner, same recipient: the same notice, whichever event brings it. */
export function noticeId(visitId: string, kind: NoticeKind, partnerId: string, recipient: string | null): string {
  return createHash("sha256")
    .update(`${visitId}|${kind}|${partnerId}|${recipient ?? "-"}`)
    .digest("hex")
    .slice(0, 32);
}

/**
 * Tells every contact of every partner a visit involves, once: one bilingual e-mail each, retried with
 * backoff, every outcome in the notice log. Logs name partners and notice ids, never addresses.
 */
export class VisitNotifier {
  constructor(
    private readonly store: NoticeStore,
    private readonly send: SendEmail,
    private readonly retry: { attempts: number; firstDelayMs: number },
  ) {}

  async notify(
    kind: NoticeKind,
    visit: VisitNoticeDetail & { reason?: string },
    eventId: string,
    now: Date,
    log: Logger,
  ): Promise<NotifyOutcome> {
    const copies = await this.store.partners(visit.partnerIds);
    const nameOf = (partnerId: string) => copies.get(partnerId)?.name ?? { ja: partnerId, en: partnerId };
    const partnerNames = visit.partnerIds.map(nameOf);
    let sent = 0;
    let alreadyHandled = 0;
    let failed = 0;
    const partnersWithoutContact: string[] = [];

    for (const partnerId of visit.partnerIds) {
      const copy: PartnerCopy | undefined = copies.get(partnerId);
      const base = {
        kind,
        visitId: visit.visitId,
        partnerId,
        eventId,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      if (!copy || copy.contacts.length === 0) {
        partnersWithoutContact.push(partnerId);
        log.info("partner has no contact to notify", { partnerId, visitId: visit.visitId, kind });
        await this.store.record({
          ...base,
          id: noticeId(visit.visitId, kind, partnerId, null),
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
      for (const contact of copy.contacts) {
        const outcome = await this.notifyContact(base, contact, nameOf(partnerId), partnerNames, visit, now, log);
        if (outcome === "sent") sent++;
        else if (outcome === "failed") failed++;
        else alreadyHandled++;
      }
    }
    const result = { sent, alreadyHandled, failed, partnersWithoutContact };
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
    return result;
  }

  private async notifyContact(
    base: Omit<
      Notice,
      | "id"
      | "recipient"
      | "recipientName"
      | "language"
      | "subject"
      | "sesMessageId"
      | "status"
      | "attempts"
      | "lastError"
    >,
    contact: PartnerContact,
    partnerName: { ja: string; en: string },
    partnerNames: readonly { ja: string; en: string }[],
    visit: VisitNoticeDetail & { reason?: string },
    now: Date,
    log: Logger,
  ): Promise<"sent" | "failed" | "handled"> {
    const email = renderVisitNotice({ kind: base.kind, visit, partnerName, partnerNames, contact });
    const id = noticeId(base.visitId, base.kind, base.partnerId, contact.email);
    const claimed = await this.store.claim(
      {
        ...base,
        id,
        recipient: contact.email,
        recipientName: contact.name,
        language: contact.preferredLanguage,
        subject: email.subject,
        sesMessageId: null,
        status: "sending",
        attempts: 0,
        lastError: null,
      },
      now,
    );
    if (!claimed) {
      log.info("notice already sent or being sent", { noticeId: id, partnerId: base.partnerId });
      return "handled";
    }
    const delivery = await withBackoff(() => this.send({ ...email, to: contact.email }), this.retry);
    const attempts = claimed.attempts + delivery.attempts;
    const finishedAt = new Date().toISOString();
    if (delivery.ok) {
      await this.store.record({
        ...claimed,
        status: "sent",
        sesMessageId: delivery.value,
        attempts,
        lastError: null,
        updatedAt: finishedAt,
      });
      return "sent";
    }
    const lastError =
      delivery.error instanceof Error ? `${delivery.error.name}: ${delivery.error.message}` : String(delivery.error);
    await this.store.record({ ...claimed, status: "failed", attempts, lastError, updatedAt: finishedAt });
    // The error's name only: SES messages quote the recipient's address, which stays out of the logs.
    const errorName = delivery.error instanceof Error ? delivery.error.name : "unknown";
    log.warn("notice failed after retries", { noticeId: id, partnerId: base.partnerId, attempts, errorName });
    return "failed";
  }
}
