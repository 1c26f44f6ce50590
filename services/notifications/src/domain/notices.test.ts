import type { PartnerContact, VisitNoticeDetail } from "@cdp/contracts";
import { describe, expect, it } from "vitest";
import type { Notice, PartnerCopy } from "./model.ts";
import { noticeId, partnersToTell, planVisitNotices, settleNotice, type VisitNews } from "./notices.ts";

const now = new Date("2026-11-28T01:00:00.000Z");
const visit: VisitNoticeDetail = {
  visitId: "v-1",
  direction: "outbound",
  partnerIds: ["paris", "rome", "seoul", "paris"],
  delegationHead: {
    name: { ja: "山田花子", en: "Hanako Yamada" },
    title: { ja: "東京都知事", en: "Governor of Tokyo" },
    level: "head",
  },
  purpose: "relationship-building",
  purposeStatement: { ja: "関係強化", en: "Strengthening ties" },
  startDate: "2027-01-30",
  endDate: "2027-02-02",
  metadata: { eventId: "evt-1", correlationId: "c-1", occurredAt: "2026-11-28T00:59:00.000Z" },
};
const contact = (email: string, preferredLanguage: "ja" | "en"): PartnerContact => ({
  name: { ja: "担当", en: "Officer" },
  role: "Liaison",
  email,
  preferredLanguage,
});
const copies = new Map<string, PartnerCopy>([
  [
    "paris",
    {
      partnerId: "paris",
      name: { ja: "パリ市", en: "Paris" },
      contacts: [contact("a@paris.example", "en"), contact("b@paris.example", "ja")],
      version: 2,
    },
  ],
  ["rome", { partnerId: "rome", name: { ja: "ローマ市", en: "Rome" }, contacts: [], version: 1 }],
]);
const confirmed: VisitNews = { kind: "visit-confirmed", visit };
const cancelled = (previousStatus: "proposed" | "approved" | "confirmed"): VisitNews => ({
  kind: "visit-cancelled",
  visit: { ...visit, reason: "Typhoon warning", previousStatus },
});

describe("who is told of a visit", () => {
  it("tells every partner of a confirmed visit, and of a visit cancelled after its confirmation, once each", () => {
    expect(partnersToTell(confirmed)).toEqual({ ok: true, partnerIds: ["paris", "rome", "seoul"] });
    expect(partnersToTell(cancelled("confirmed"))).toEqual({ ok: true, partnerIds: ["paris", "rome", "seoul"] });
  });

  it("refuses to tell of a cancellation partners never heard confirmed: a conflict naming the status it left", () => {
    for (const previousStatus of ["proposed", "approved"] as const) {
      const due = partnersToTell(cancelled(previousStatus));
      expect(due).toMatchObject({ ok: false, refusal: { kind: "conflict", currentState: previousStatus } });
    }
  });
});

describe("which notice goes to whom", () => {
  const plan = planVisitNotices(confirmed, copies, "evt-1", now);

  it("writes one notice per contact, in the contact's language, caused by the event's own id", () => {
    expect(
      plan.toSend.map(({ notice, email }) => [notice.partnerId, notice.recipient, email.to, notice.language]),
    ).toEqual([
      ["paris", "a@paris.example", "a@paris.example", "en"],
      ["paris", "b@paris.example", "b@paris.example", "ja"],
    ]);
    for (const { notice, email } of plan.toSend) {
      expect(notice).toMatchObject({
        id: noticeId("v-1", "visit-confirmed", "paris", notice.recipient),
        kind: "visit-confirmed",
        visitId: "v-1",
        eventId: "evt-1",
        status: "sending",
        attempts: 0,
        subject: email.subject,
        createdAt: now.toISOString(),
      });
    }
    expect(plan.toSend[1]?.email.subject.startsWith("[Tokyo] 訪問日程確定")).toBe(true);
    // Every partner named once; one without a copy yet by its id.
    expect(plan.toSend[0]?.email.text).toContain(
      "the visit of the Governor of Tokyo (Hanako Yamada) to Paris, Rome, seoul.",
    );
  });

  it("records a partner without a contact, or without any copy yet, as no-contact", () => {
    expect(plan.withoutContact.map((notice) => [notice.partnerId, notice.status, notice.recipient])).toEqual([
      ["rome", "no-contact", null],
      ["seoul", "no-contact", null],
    ]);
    expect(plan.withoutContact[0]).toMatchObject({
      id: noticeId("v-1", "visit-confirmed", "rome", null),
      eventId: "evt-1",
    });
  });

  it("gives the same news to the same recipient the same notice id, whichever event brings it", () => {
    const again = planVisitNotices(confirmed, copies, "evt-2", new Date("2026-11-29T00:00:00Z"));
    expect(again.toSend.map(({ notice }) => notice.id)).toEqual(plan.toSend.map(({ notice }) => notice.id));
    const cancellation = planVisitNotices(cancelled("confirmed"), copies, "evt-3", now);
    expect(cancellation.toSend[0]?.notice.id).not.toBe(plan.toSend[0]?.notice.id);
    expect(cancellation.toSend[0]?.email.text).toContain("Reason: Typhoon warning");
  });
});

describe("the outcome of sending", () => {
  const claimed: Notice = {
    ...(planVisitNotices(confirmed, copies, "evt-1", now).toSend[0]?.notice as Notice),
    attempts: 3,
  };
  const finishedAt = new Date("2026-11-28T01:00:05.000Z");

  it("records a sent notice with SES's message id, counting the attempts of every delivery", () => {
    expect(settleNotice(claimed, { ok: true, value: "ses-1", attempts: 2 }, finishedAt)).toMatchObject({
      status: "sent",
      sesMessageId: "ses-1",
      attempts: 5,
      lastError: null,
      updatedAt: finishedAt.toISOString(),
      createdAt: now.toISOString(),
    });
  });

  it("records a failed notice with the last error", () => {
    const error = Object.assign(new Error("Email address is not verified"), { name: "MessageRejected" });
    expect(settleNotice(claimed, { ok: false, error, attempts: 3 }, finishedAt)).toMatchObject({
      status: "failed",
      sesMessageId: null,
      attempts: 6,
      lastError: "MessageRejected: Email address is not verified",
    });
  });
});
