import type { PartnerContact, VisitNoticeDetail } from "@cdp/contracts";
import { describe, expect, it } from "vitest";
import { type Notice, noticeFromStored, type PartnerCopy } from "./model.ts";
import {
  type GreetingNews,
  type News,
  noticeEventOf,
  noticeId,
  type PlacementNews,
  partnersToTell,
  planNotices,
  settleNotice,
  type VisitNews,
} from "./notices.ts";
import { aCancelledPlacement, aFundedPlacement, type PlacementCancelledDetail } from "./placement-builders.ts";

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
  const plan = planNotices(confirmed, copies, "evt-1", now);

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
        subjectKind: "visit",
        subjectId: "v-1",
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
    const again = planNotices(confirmed, copies, "evt-2", new Date("2026-11-29T00:00:00Z"));
    expect(again.toSend.map(({ notice }) => notice.id)).toEqual(plan.toSend.map(({ notice }) => notice.id));
    const cancellation = planNotices(cancelled("confirmed"), copies, "evt-3", now);
    expect(cancellation.toSend[0]?.notice.id).not.toBe(plan.toSend[0]?.notice.id);
    expect(cancellation.toSend[0]?.email.text).toContain("Reason: Typhoon warning");
  });
});

describe("visit notices from before notices had subjects", () => {
  it("keep their ids: a visit event delivered again after the change finds the notices it sent", () => {
    // sha256("v-1|visit-confirmed|paris|a@paris.example"), as ids were derived before placements.
    expect(noticeId("v-1", "visit-confirmed", "paris", "a@paris.example")).toBe("6e9d9a39cefdceb29474b58630208818");
  });

  it("read as notices about their visit", () => {
    const planned = planNotices(confirmed, copies, "evt-1", now).toSend[0];
    if (!planned) throw new Error("a notice was planned");
    const { subjectKind: _kind, subjectId: _id, ...old } = planned.notice;
    expect(noticeFromStored({ ...old, visitId: "v-1" })).toEqual({
      ...planned.notice,
      subjectKind: "visit",
      subjectId: "v-1",
    });
  });
});

/** Jean Dupont of Paris, hosted in Tokyo: the event as the staff-exchange service publishes it. */
const funded = aFundedPlacement();
const placementFunded: PlacementNews = { kind: "placement-funded", placement: funded };
const placementCancelled = (previousStatus: PlacementCancelledDetail["previousStatus"]): PlacementNews => ({
  kind: "placement-cancelled",
  placement: aCancelledPlacement(previousStatus),
});

describe("who is told of a placement", () => {
  it("tells the partner of a funded placement, and of one cancelled once it was funded or under way", () => {
    expect(partnersToTell(placementFunded)).toEqual({ ok: true, partnerIds: ["paris"] });
    for (const previousStatus of ["funded", "active"] as const) {
      expect(partnersToTell(placementCancelled(previousStatus))).toEqual({ ok: true, partnerIds: ["paris"] });
    }
  });

  it("refuses to tell of a cancellation the partner never heard of: a conflict naming the status it left", () => {
    for (const previousStatus of ["applied", "approved", "funding-rejected"] as const) {
      expect(partnersToTell(placementCancelled(previousStatus))).toMatchObject({
        ok: false,
        refusal: { kind: "conflict", currentState: previousStatus },
      });
    }
  });
});

describe("which placement notice goes to whom", () => {
  const plan = planNotices(placementFunded, copies, "evt-p1", now);

  it("writes one notice per contact of the partner, about the placement, in the contact's language", () => {
    expect(plan.toSend.map(({ notice, email }) => [notice.recipient, email.to, notice.language])).toEqual([
      ["a@paris.example", "a@paris.example", "en"],
      ["b@paris.example", "b@paris.example", "ja"],
    ]);
    for (const { notice, email } of plan.toSend) {
      expect(notice).toEqual({
        id: noticeId("pl-1", "placement-funded", "paris", notice.recipient),
        kind: "placement-funded",
        subjectKind: "placement",
        subjectId: "pl-1",
        partnerId: "paris",
        recipient: notice.recipient,
        recipientName: { ja: "担当", en: "Officer" },
        language: notice.language,
        eventId: "evt-p1",
        subject: email.subject,
        sesMessageId: null,
        status: "sending",
        attempts: 0,
        lastError: null,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
    }
    expect(plan.toSend[0]?.email.text).toContain("the placement in Tokyo of a staff member from Paris");
    expect(plan.toSend[1]?.email.subject.startsWith("[Tokyo] 職員受入れ決定のお知らせ")).toBe(true);
    expect(plan.withoutContact).toEqual([]);
  });

  it("keeps the person placed, the money and the hold out of the notice log; only the e-mail names the person", () => {
    const everyNotice = JSON.stringify(plan.toSend.map(({ notice }) => notice));
    for (const held of ["Jean", "Dupont", "ジャン", "デュポン", "Urban Planner", "4800000", funded.holdId]) {
      expect(everyNotice).not.toContain(held);
    }
    expect(plan.toSend[0]?.email.text).toContain("Staff member: Jean Dupont, Urban Planning Officer");
    expect(plan.toSend[0]?.email.text).not.toContain("4800000");
  });

  it("records a partner without a contact as no-contact", () => {
    const rome = { kind: "placement-funded", placement: { ...funded, partnerId: "rome" } } as const;
    expect(planNotices(rome, copies, "evt-p2", now)).toMatchObject({
      toSend: [],
      withoutContact: [
        {
          id: noticeId("pl-1", "placement-funded", "rome", null),
          kind: "placement-funded",
          subjectId: "pl-1",
          partnerId: "rome",
          status: "no-contact",
          recipient: null,
        },
      ],
    });
  });

  it("gives the same news the same ids whichever event brings it, and its cancellation ids of its own", () => {
    const again = planNotices(placementFunded, copies, "evt-p9", new Date("2026-12-01T00:00:00Z"));
    expect(again.toSend.map(({ notice }) => notice.id)).toEqual(plan.toSend.map(({ notice }) => notice.id));
    const cancellation = planNotices(placementCancelled("funded"), copies, "evt-p3", now);
    expect(cancellation.toSend.map(({ notice }) => notice.kind)).toEqual([
      "placement-cancelled",
      "placement-cancelled",
    ]);
    expect(cancellation.toSend[0]?.notice.id).toBe(noticeId("pl-1", "placement-cancelled", "paris", "a@paris.example"));
    expect(cancellation.toSend[0]?.notice.id).not.toBe(plan.toSend[0]?.notice.id);
    expect(cancellation.toSend[0]?.email.text).toContain("Reason: The host department was reorganised");
  });

  it("never gives a visit's and a placement's notices the same id, even when their ids are equal", () => {
    const visitNews: News = { kind: "visit-confirmed", visit: { ...visit, visitId: "pl-1", partnerIds: ["paris"] } };
    const visitIds = planNotices(visitNews, copies, "evt-v", now).toSend.map(({ notice }) => notice.id);
    for (const { notice } of plan.toSend) expect(visitIds).not.toContain(notice.id);
  });
});

describe("the outcome of sending", () => {
  const claimed: Notice = {
    ...(planNotices(confirmed, copies, "evt-1", now).toSend[0]?.notice as Notice),
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

  it("tells others of a failure by the error's name, and of a send after one, never of a first send", () => {
    const error = Object.assign(new Error("Address intl@paris.example is not verified"), { name: "MessageRejected" });
    const failed = settleNotice(claimed, { ok: false, error, attempts: 3 }, finishedAt);
    const told = noticeEventOf(claimed, failed, "MessageRejected");
    expect(told?.contract.detailType).toBe("NoticeFailed.v1");
    expect(told?.detail).toEqual({
      noticeId: claimed.id,
      kind: "visit-confirmed",
      subjectKind: "visit",
      subjectId: "v-1",
      partnerId: claimed.partnerId,
      attempts: 6,
      error: "MessageRejected",
      failedAt: finishedAt.toISOString(),
    });
    expect(JSON.stringify(told)).not.toContain("@");
    const sentLater = settleNotice(claimed, { ok: true, value: "ses-2", attempts: 1 }, finishedAt);
    expect(noticeEventOf(claimed, sentLater, "unknown")?.contract.detailType).toBe("NoticeSentAfterFailure.v1");
    const firstTry = { ...claimed, attempts: 0 };
    expect(
      noticeEventOf(firstTry, settleNotice(firstTry, { ok: true, value: "ses-3", attempts: 1 }, finishedAt), "unknown"),
    ).toBeNull();
  });
});

describe("a mission's national-day greeting", () => {
  const greeting: GreetingNews = {
    kind: "national-day-greeting",
    greeting: {
      greetingId: "embassy-fr-2027",
      missionId: "embassy-fr",
      country: "FR",
      missionName: { ja: "駐日フランス大使館", en: "Embassy of France in Japan" },
      nationalDay: "2027-07-14",
      occasion: { ja: "フランス国民祭典", en: "Fête nationale" },
      subject: { ja: "フランス国民祭典のお祝い", en: "Congratulations on the Fête nationale" },
      message: { ja: "心よりお祝い申し上げます。\n東京都知事", en: "Warmest congratulations.\nGovernor of Tokyo" },
      recipients: [contact("attache@ambafrance.example", "en"), contact("protocol@ambafrance.example", "ja")],
      metadata: { eventId: "evt-g", correlationId: "c-g", occurredAt: "2027-07-14T08:00:00.000Z" },
    },
  };

  it("goes to every recipient it was released to, in their language first, with the reviewed words", () => {
    // No partner copy is consulted: the greeting brings its own recipients.
    const plan = planNotices(greeting, new Map(), "evt-g", now);
    expect(plan.withoutContact).toEqual([]);
    expect(
      plan.toSend.map(({ email, notice }) => [email.to, notice.language, notice.subjectKind, notice.kind]),
    ).toEqual([
      ["attache@ambafrance.example", "en", "greeting", "national-day-greeting"],
      ["protocol@ambafrance.example", "ja", "greeting", "national-day-greeting"],
    ]);
    const [english, japanese] = plan.toSend.map(({ email }) => email);
    expect(english?.text.indexOf("Warmest congratulations.")).toBeLessThan(english?.text.indexOf("心よりお祝い") ?? 0);
    expect(japanese?.text.indexOf("心よりお祝い")).toBeLessThan(japanese?.text.indexOf("Warmest") ?? 0);
    expect(japanese?.subject).toContain("フランス国民祭典のお祝い");
    expect(japanese?.html).toContain("Governor of Tokyo");
  });

  it("is the same notice per recipient whichever event brings it, so a second release sends nothing more", () => {
    const first = planNotices(greeting, new Map(), "evt-g", now).toSend.map(({ notice }) => notice.id);
    const again = planNotices(greeting, new Map(), "evt-other", now).toSend.map(({ notice }) => notice.id);
    expect(again).toEqual(first);
    expect(first[0]).toBe(
      noticeId("embassy-fr-2027", "national-day-greeting", "embassy-fr", "attache@ambafrance.example"),
    );
    expect(partnersToTell(greeting)).toEqual({ ok: true, partnerIds: ["embassy-fr"] });
  });
});
