import { NationalDayGreetingReleased } from "@cdp/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  approveGreeting,
  approveOnTheDay,
  composeGreeting,
  draftGreeting,
  editGreeting,
  GreetingEdit,
  type GreetingMission,
  greetingIdOf,
  greetingsToDraft,
  MAX_RECIPIENTS,
  RULES,
  releaseDue,
} from "./national-days.ts";
import { aContact, aGreeting, aMission, decisionOf, published, refusalOf, stampOn } from "./record-builders.ts";

const france = aMission();
const THE_DAY = "2027-07-14";
const DAY_BEFORE = "2027-07-13";

const release = (greeting = aGreeting(), on = THE_DAY, mission: GreetingMission = france) =>
  releaseDue(greeting, mission, on, stampOn(on));

const korea = aMission({
  id: "embassy-of-korea",
  country: "KR",
  name: { ja: "駐日大韓民国大使館", en: "Embassy of the Republic of Korea in Japan" },
  nationalDay: { kind: "fixed", monthDay: "10-03", occasion: { ja: "開天節", en: "National Foundation Day" } },
});
const bhutan = aMission({
  id: "embassy-of-bhutan",
  country: "BT",
  name: { ja: "駐日ブータン王国大使館", en: "Embassy of the Kingdom of Bhutan" },
  nationalDay: {
    kind: "per-year",
    dates: { "2027": "2027-12-17", "2028": "2028-12-17" },
    occasion: { ja: "ナショナルデー", en: "National Day" },
  },
});

/** The national day a greeting is drafted for (missions.ts's `nationalDayIn` says which day that is). */
const dayOf = (mission: GreetingMission, year: number) => {
  const outcome = draftGreeting(mission, year, { today: `${year}-01-01` });
  return outcome.ok ? outcome.decision.state.nationalDay : null;
};

describe("the day a greeting is for", () => {
  it("puts a fixed day in the year asked", () => {
    expect(dayOf(france, 2027)).toBe("2027-07-14");
    expect(dayOf(france, 2030)).toBe("2030-07-14");
  });

  it("keeps February 29 in leap years and falls back to February 28 in others", () => {
    const leap = aMission({
      nationalDay: { kind: "fixed", monthDay: "02-29", occasion: france.nationalDay?.occasion ?? { ja: "x", en: "x" } },
    });
    expect(dayOf(leap, 2028)).toBe("2028-02-29");
    expect(dayOf(leap, 2027)).toBe("2027-02-28");
  });

  it("takes a day set per year for that year only, and nothing when there is none or it is misfiled", () => {
    expect(dayOf(bhutan, 2027)).toBe("2027-12-17");
    expect(dayOf(bhutan, 2029)).toBeNull();
    expect(dayOf(aMission({ nationalDay: null }), 2027)).toBeNull();
    const misfiled = aMission({
      nationalDay: { kind: "per-year", dates: { "2027": "2028-01-01" }, occasion: { ja: "x", en: "x" } },
    });
    expect(refusalOf(draftGreeting(misfiled, 2027, { today: "2027-12-31" }))).toMatchObject({
      rule: RULES.noNationalDay,
    });
  });
});

describe("drafting greetings", () => {
  it("drafts for the missions whose national day is tomorrow in Tokyo and that have a contact", () => {
    const noContacts = aMission({ id: "embassy-of-nowhere", contacts: [] });

    const drafts = greetingsToDraft([france, korea, noContacts, aMission({ nationalDay: null })], DAY_BEFORE);

    expect(drafts.map((outcome) => decisionOf(outcome).state.greetingId)).toEqual(["embassy-of-france-2027"]);
    expect(greetingsToDraft([france], THE_DAY)).toEqual([]);
    expect(greetingsToDraft([france], "2027-07-12")).toEqual([]);
  });

  it("makes a drafted greeting at version 1, to be written only if the year has none yet", () => {
    const decision = decisionOf(draftGreeting(france, 2027, { today: DAY_BEFORE }));

    expect(decision.state).toEqual({
      greetingId: "embassy-of-france-2027",
      missionId: "embassy-of-france",
      year: 2027,
      nationalDay: THE_DAY,
      occasion: { ja: "革命記念日", en: "the National Day of France" },
      ...composeGreeting({ ja: "革命記念日", en: "the National Day of France" }, THE_DAY),
      status: "drafted",
      draftedOn: DAY_BEFORE,
      version: 1,
    });
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({
      entity: "greeting#embassy-of-france-2027",
      action: "greeting.drafted",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("gives a mission one greeting id a year, the same however often the schedule runs", () => {
    const first = decisionOf(draftGreeting(france, 2027, { today: DAY_BEFORE })).state.greetingId;
    const again = decisionOf(draftGreeting(france, 2027, { today: THE_DAY })).state.greetingId;
    const nextYear = decisionOf(draftGreeting(france, 2028, { today: "2028-07-13" })).state.greetingId;

    expect(again).toBe(first);
    expect(nextYear).toBe("embassy-of-france-2028");
    expect(greetingIdOf("embassy-of-france", 2027)).toBe(first);
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 2000, max: 2100 }), (a, b) => {
        expect(greetingIdOf(france.id, a) === greetingIdOf(france.id, b)).toBe(a === b);
      }),
    );
  });

  it("drafts on December 31 for a national day on January 1 of the next year", () => {
    const newYear = aMission({
      id: "embassy-of-cuba",
      nationalDay: { kind: "fixed", monthDay: "01-01", occasion: { ja: "革命勝利記念日", en: "Liberation Day" } },
    });

    const [draft] = greetingsToDraft([newYear], "2027-12-31");

    expect(draft && decisionOf(draft).state).toMatchObject({
      greetingId: "embassy-of-cuba-2028",
      year: 2028,
      nationalDay: "2028-01-01",
    });
  });

  it("drafts for a day set per year", () => {
    const [draft] = greetingsToDraft([bhutan], "2027-12-16");
    expect(draft && decisionOf(draft).state.greetingId).toBe("embassy-of-bhutan-2027");
  });

  it("writes formal congratulations from the governor in both languages, with the occasion and the day", () => {
    const { subject, message } = composeGreeting(france.nationalDay?.occasion ?? { ja: "", en: "" }, THE_DAY);

    expect(subject).toEqual({
      ja: "革命記念日に寄せて（東京都知事より）",
      en: "Congratulations on the National Day of France from the Governor of Tokyo",
    });
    expect(message.ja).toContain("貴国の革命記念日を心よりお祝い申し上げます。");
    expect(message.ja).toContain("2027年7月14日");
    expect(message.ja.endsWith("東京都知事")).toBe(true);
    expect(message.en).toContain("On the occasion of the National Day of France, I extend my warmest congratulations");
    expect(message.en).toContain("14 July 2027");
    expect(message.en.endsWith("Governor of Tokyo")).toBe(true);
  });

  it("refuses a mission with no national day that year, and an occasion too long for the contract", () => {
    expect(refusalOf(draftGreeting(bhutan, 2029, { today: "2029-12-16" }))).toMatchObject({
      kind: "rule-broken",
      rule: RULES.noNationalDay,
    });
    const wordy = aMission({
      nationalDay: { kind: "fixed", monthDay: "07-14", occasion: { ja: "記念日", en: "x".repeat(300) } },
    });
    const [outcome] = greetingsToDraft([wordy], DAY_BEFORE);
    expect(outcome && refusalOf(outcome)).toMatchObject({
      kind: "rule-broken",
      rule: RULES.textTooLong,
      facts: { missionId: "embassy-of-france", year: 2027 },
    });
  });
});

describe("reviewing a greeting", () => {
  const review = stampOn(DAY_BEFORE);
  const edit = {
    message: {
      ja: "貴国の革命記念日を心からお祝いいたします。\n東京都知事",
      en: "Warmest congratulations.\nGovernor of Tokyo",
    },
  };

  it("takes an edit of the subject, the message or both, and refuses one that names neither", () => {
    expect(GreetingEdit.safeParse(edit).success).toBe(true);
    expect(GreetingEdit.safeParse({}).success).toBe(false);
    expect(GreetingEdit.safeParse({ ...edit, status: "approved" }).success).toBe(false);
  });

  it("edits the text while drafted, one version further", () => {
    const drafted = aGreeting("drafted");

    const decision = decisionOf(editGreeting(drafted, { ...edit, expectedVersion: 1 }, review));

    expect(decision.state).toEqual({ ...drafted, message: edit.message, version: 2 });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.audit.action).toBe("greeting.edited");
  });

  it("approves a drafted greeting, naming the approver, which locks the text", () => {
    const drafted = aGreeting("drafted");

    const approved = decisionOf(approveGreeting(drafted, "chief-of-protocol", 1, review));

    expect(approved.state).toEqual({ ...drafted, status: "approved", approvedBy: "chief-of-protocol", version: 2 });
    expect(approved.audit.action).toBe("greeting.approved");
    expect(refusalOf(editGreeting(approved.state, edit, review))).toMatchObject({
      kind: "conflict",
      currentState: "approved",
    });
  });

  it("may approve on the day itself, before the day's release", () => {
    expect(
      decisionOf(approveGreeting(aGreeting("drafted"), "chief-of-protocol", undefined, stampOn(THE_DAY))).state.status,
    ).toBe("approved");
  });

  it("releases a greeting approved on the day itself at once, the approval audited with the release", () => {
    const decision = decisionOf(approveOnTheDay(aGreeting("drafted"), france, "chief", 1, stampOn(THE_DAY)));

    expect(decision.state).toMatchObject({ status: "released", approvedBy: "chief", version: 3 });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.alsoAudit).toMatchObject({ action: "greeting.approved", beforeVersion: 1, afterVersion: 2 });
    expect(decision.audit).toMatchObject({ action: "greeting.released", beforeVersion: 2, afterVersion: 3 });
    expect(published(decision.events[0]).detail.message).toEqual(aGreeting("drafted").message);
  });

  it("only approves the day before, or on the day when the mission has no contact left", () => {
    const before = decisionOf(approveOnTheDay(aGreeting("drafted"), france, "chief", 1, review));
    expect(before).toMatchObject({ state: { status: "approved", version: 2 }, alsoAudit: null, events: [] });
    const noContacts = aMission({ contacts: [] });
    const onTheDay = decisionOf(approveOnTheDay(aGreeting("drafted"), noContacts, "chief", 1, stampOn(THE_DAY)));
    expect(onTheDay).toMatchObject({ state: { status: "approved" }, alsoAudit: null, events: [] });
    expect(refusalOf(approveOnTheDay(aGreeting("approved"), france, "chief", undefined, review))).toMatchObject({
      kind: "conflict",
    });
  });

  it("refuses to approve twice, or once released, as a conflict naming the status", () => {
    expect(refusalOf(approveGreeting(aGreeting("approved"), "x", undefined, review))).toMatchObject({
      kind: "conflict",
      currentState: "approved",
    });
    expect(refusalOf(approveGreeting(aGreeting("released"), "x", undefined, stampOn(THE_DAY)))).toMatchObject({
      kind: "conflict",
      currentState: "released",
    });
    expect(refusalOf(editGreeting(aGreeting("released"), edit, stampOn(THE_DAY)))).toMatchObject({
      currentState: "released",
    });
  });

  it("refuses a stale version, a missing greeting and a day that has passed", () => {
    expect(refusalOf(approveGreeting(aGreeting(), "x", 4, review))).toEqual({ kind: "stale", currentVersion: 1 });
    expect(refusalOf(editGreeting(aGreeting(), { ...edit, expectedVersion: 2 }, review))).toEqual({
      kind: "stale",
      currentVersion: 1,
    });
    expect(refusalOf(approveGreeting(undefined, "x", undefined, review))).toMatchObject({ kind: "not-found" });
    expect(refusalOf(editGreeting(undefined, edit, review))).toMatchObject({ kind: "not-found" });
    expect(refusalOf(approveGreeting(aGreeting(), "x", undefined, stampOn("2027-07-15")))).toMatchObject({
      kind: "rule-broken",
      rule: RULES.dayPassed,
    });
  });
});

describe("releasing a greeting", () => {
  it("releases an approved greeting on its day, with the event the contract describes", () => {
    const approved = aGreeting("approved");

    const decision = decisionOf(release(approved));

    expect(decision.state).toEqual({
      ...approved,
      status: "released",
      releasedAt: "2027-07-14T01:00:00.000Z",
      version: 3,
    });
    expect(decision.expectedVersion).toBe(2);
    expect(decision.audit.action).toBe("greeting.released");
    const event = published(decision.events[0]);
    expect(event.detailType).toBe("NationalDayGreetingReleased.v1");
    expect(event.detail).toEqual({
      greetingId: "embassy-of-france-2027",
      missionId: "embassy-of-france",
      country: "FR",
      missionName: france.name,
      nationalDay: THE_DAY,
      occasion: approved.occasion,
      subject: approved.subject,
      message: approved.message,
      recipients: france.contacts,
      metadata: { eventId: "e-1", correlationId: "c-1", occurredAt: expect.any(String) },
    });
  });

  it("sends no field beyond the contract", () => {
    const pending = decisionOf(release()).events[0];
    const contractFields = Object.keys(NationalDayGreetingReleased.detail.shape).filter(
      (key) => key !== "correlationId" && key !== "metadata",
    );
    expect(pending?.detail && Object.keys(pending.detail).sort()).toEqual(contractFields.sort());
  });

  it("releases an unreviewed draft on the day as drafted, audited as unreviewed", () => {
    const decision = decisionOf(release(aGreeting("drafted")));
    expect(decision.state.status).toBe("released");
    expect(decision.audit.action).toBe("greeting.released-unreviewed");
    expect(published(decision.events[0]).detail.message).toEqual(aGreeting("drafted").message);
  });

  it("sends the text as edited", () => {
    const edited = decisionOf(
      editGreeting(aGreeting(), { subject: { ja: "祝辞", en: "Congratulations" } }, stampOn(DAY_BEFORE)),
    ).state;
    expect(published(decisionOf(release(edited)).events[0]).detail.subject).toEqual({
      ja: "祝辞",
      en: "Congratulations",
    });
  });

  it("sends to the first 20 of the mission's contacts at most", () => {
    const crowded = aMission({ contacts: Array.from({ length: 25 }, (_, n) => aContact(n + 1)) });

    const recipients = published(decisionOf(release(aGreeting(), THE_DAY, crowded)).events[0]).detail.recipients;

    expect(MAX_RECIPIENTS).toBe(20);
    expect(recipients).toEqual(crowded.contacts.slice(0, 20));
  });

  it("refuses a greeting already released as a conflict naming released, for the consumer to ignore", () => {
    expect(refusalOf(release(aGreeting("released")))).toMatchObject({ kind: "conflict", currentState: "released" });
  });

  it.each([DAY_BEFORE, "2027-07-15"])("releases nothing on %s, the day before or after", (day) => {
    expect(refusalOf(release(aGreeting("approved"), day))).toMatchObject({
      kind: "rule-broken",
      rule: RULES.notTheDay,
      facts: { nationalDay: THE_DAY, today: day },
    });
  });

  it("refuses a missing greeting, a missing or other mission, and a mission left without contacts", () => {
    expect(refusalOf(releaseDue(undefined, france, THE_DAY, stampOn(THE_DAY)))).toMatchObject({ kind: "not-found" });
    expect(refusalOf(releaseDue(aGreeting(), undefined, THE_DAY, stampOn(THE_DAY)))).toEqual({
      kind: "not-found",
      what: "Mission embassy-of-france",
    });
    expect(refusalOf(release(aGreeting(), THE_DAY, korea))).toMatchObject({ kind: "not-found" });
    expect(refusalOf(release(aGreeting(), THE_DAY, aMission({ contacts: [] })))).toMatchObject({
      kind: "rule-broken",
      rule: RULES.noContacts,
    });
  });
});
