import { describe, expect, it } from "vitest";
import {
  AT,
  aCall,
  aCallInput,
  aMission,
  aSlot,
  aSpell,
  decisionOf,
  published,
  refusalOf,
  stampAt,
  visitorValues,
} from "./call-builders.ts";
import {
  type Call,
  type CallDecision,
  CallInput,
  cancelCall,
  completeCall,
  type GovernorTime,
  publicView,
  rescheduleCall,
  scheduleCall,
} from "./calls.ts";

const FREE: GovernorTime = { callsOnTheseDays: [], abroadSpells: [] };
const REASON = "The ambassador was recalled for consultations";
const SUMMARY = { ja: "環境分野での協力を確認", en: "Both sides confirmed cooperation on the environment" };

const schedule = (input = aCallInput(), governorTime = FREE) =>
  scheduleCall(input, aMission(), governorTime, stampAt(AT.scheduled));

/** The details a decision publishes, each parsed by its contract. */
const detailsOf = (decision: CallDecision) => decision.events.map((pending) => published(pending).detail);

describe("a call's input", () => {
  it("names the mission or at least one partner", () => {
    const { missionId: _m, ...withoutMission } = aCallInput();
    const result = CallInput.safeParse({ ...withoutMission, partnerIds: [] });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["partnerIds", "name the mission or at least one partner the call is with"],
    ]);
    expect(CallInput.safeParse({ ...withoutMission, partnerIds: ["seoul"] }).success).toBe(true);
  });

  it.each([
    [4, false],
    [5, true],
    [480, true],
    [481, false],
  ])("takes a call of %i minutes: %s", (durationMinutes, valid) => {
    expect(CallInput.safeParse(aCallInput({ durationMinutes })).success).toBe(valid);
  });

  it("needs a visitor, and a time with its offset", () => {
    expect(CallInput.safeParse(aCallInput({ visitors: [] })).success).toBe(false);
    expect(CallInput.safeParse(aCallInput({ startsAt: "2027-03-01T10:00:00" })).success).toBe(false);
  });
});

describe("scheduling a call", () => {
  it("makes a scheduled call at version 1 with the mission's partners, and publishes it without its visitors", () => {
    const decision = decisionOf(schedule());
    expect(decision.state).toEqual(aCall());
    expect(decision.expectedVersion).toBeNull();
    expect(decision.audit).toEqual({
      entity: "call#call-1",
      action: "call.scheduled",
      beforeVersion: null,
      afterVersion: 1,
    });
    expect(decision.daysToTake).toEqual(["2027-03-01"]);
    expect(decision.daysToRelease).toEqual([]);
    expect(decision.events.map((pending) => pending.contract.detailType)).toEqual(["CourtesyCallScheduled.v1"]);
    expect(detailsOf(decision)[0]).toEqual({
      callId: "call-1",
      missionId: "embassy-au",
      partnerIds: ["new-south-wales", "brisbane"],
      host: "governor",
      startsAt: "2027-03-01T10:00:00+09:00",
      durationMinutes: 30,
      date: "2027-03-01",
      topics: ["environment", "tourism"],
      metadata: expect.any(Object),
    });
  });

  it("is with the delegation's own partners when it names some, and needs no mission then", () => {
    const withPartners = decisionOf(schedule(aCallInput({ partnerIds: ["new-south-wales"] })));
    expect(withPartners.state.partnerIds).toEqual(["new-south-wales"]);
    const { missionId: _m, ...noMission } = aCallInput({ partnerIds: ["seoul"] });
    const delegation = decisionOf(scheduleCall(noMission, null, FREE, stampAt()));
    expect(delegation.state.missionId).toBeNull();
    expect(detailsOf(delegation)[0]).not.toHaveProperty("missionId");
  });

  it("keeps and publishes the time in Tokyo, dated by Tokyo's calendar", () => {
    const decision = decisionOf(schedule(aCallInput({ startsAt: "2027-02-28T15:30:00Z" })));
    expect(decision.state.startsAt).toBe("2027-03-01T00:30:00+09:00");
    expect(detailsOf(decision)[0]).toMatchObject({ startsAt: "2027-03-01T00:30:00+09:00", date: "2027-03-01" });
  });

  it("publishes the public summary when there is one", () => {
    const decision = decisionOf(schedule(aCallInput({ publicSummary: SUMMARY })));
    expect(detailsOf(decision)[0]).toMatchObject({ publicSummary: SUMMARY });
  });

  it("refuses a mission that is not registered, naming body.missionId", () => {
    expect(refusalOf(scheduleCall(aCallInput(), null, FREE, stampAt()))).toEqual({
      kind: "invalid",
      errors: [{ path: "body.missionId", message: "no such mission" }],
    });
  });

  it("refuses a time another call on the governor holds, or a day the governor is abroad", () => {
    const busy = { callsOnTheseDays: [aSlot({ startsAt: "2027-03-01T10:15:00+09:00" })], abroadSpells: [] };
    expect(refusalOf(schedule(aCallInput(), busy))).toMatchObject({ rule: "governor-calendar" });
    const away = { callsOnTheseDays: [], abroadSpells: [aSpell()] };
    expect(refusalOf(schedule(aCallInput(), away))).toMatchObject({
      rule: "governor-calendar",
      detail: "The governor is abroad from 2027-03-01 to 2027-03-05 (visit v-123)",
    });
  });

  it("takes none of the governor's time for a vice-governor, busy or abroad", () => {
    const held = { callsOnTheseDays: [aSlot({ startsAt: AT.callStarts })], abroadSpells: [aSpell()] };
    const decision = decisionOf(schedule(aCallInput({ host: "vice-governor" }), held));
    expect(decision.daysToTake).toEqual([]);
  });

  it("takes both days of a call crossing midnight", () => {
    const late = decisionOf(schedule(aCallInput({ startsAt: "2027-03-01T23:30:00+09:00", durationMinutes: 60 })));
    expect(late.daysToTake).toEqual(["2027-03-01", "2027-03-02"]);
  });
});

describe("rescheduling a call", () => {
  const moveTo = (startsAt: string, call: Call | null = aCall(), governorTime = FREE) =>
    rescheduleCall(call, { startsAt }, governorTime, stampAt(AT.scheduled));

  it("moves it, publishes it as scheduled again, and gives back the days it leaves", () => {
    const decision = decisionOf(moveTo("2027-03-02T09:00:00+09:00"));
    expect(decision.state).toEqual({ ...aCall(), startsAt: "2027-03-02T09:00:00+09:00", version: 2 });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.audit.action).toBe("call.rescheduled");
    expect(decision.daysToTake).toEqual(["2027-03-02"]);
    expect(decision.daysToRelease).toEqual(["2027-03-01"]);
    expect(detailsOf(decision)).toEqual([expect.objectContaining({ startsAt: "2027-03-02T09:00:00+09:00" })]);
  });

  it("keeps the day it stays on, and may change the duration", () => {
    const decision = decisionOf(
      rescheduleCall(aCall(), { startsAt: "2027-03-01T15:00:00+09:00", durationMinutes: 60 }, FREE, stampAt()),
    );
    expect(decision.state.durationMinutes).toBe(60);
    expect(decision.daysToTake).toEqual(["2027-03-01"]);
    expect(decision.daysToRelease).toEqual([]);
  });

  it("does not clash with its own old time", () => {
    const itself = aCall();
    const governorTime = { callsOnTheseDays: [itself], abroadSpells: [] };
    expect(decisionOf(moveTo("2027-03-01T10:15:00+09:00", itself, governorTime)).state.startsAt).toBe(
      "2027-03-01T10:15:00+09:00",
    );
  });

  it("checks the new time again: another call, or days abroad", () => {
    const other = aSlot({ id: "call-7", startsAt: "2027-03-02T09:00:00+09:00" });
    expect(
      refusalOf(moveTo("2027-03-02T09:15:00+09:00", aCall(), { callsOnTheseDays: [other], abroadSpells: [] })),
    ).toMatchObject({ rule: "governor-calendar", facts: { heldBy: { kind: "call", callId: "call-7" } } });
    const away = { callsOnTheseDays: [], abroadSpells: [aSpell({ startDate: "2027-03-02", endDate: "2027-03-02" })] };
    expect(refusalOf(moveTo("2027-03-02T09:00:00+09:00", aCall(), away))).toMatchObject({
      facts: { heldBy: { kind: "abroad" } },
    });
  });

  it.each(["completed", "cancelled"] as const)("refuses a %s call as a conflict naming its state", (status) => {
    expect(refusalOf(moveTo("2027-03-02T09:00:00+09:00", aCall({ status })))).toEqual({
      kind: "conflict",
      detail: `Courtesy call call-1 is ${status}: it cannot be rescheduled (only a scheduled call can)`,
      currentState: status,
    });
  });

  it("refuses a stale version and a call that does not exist", () => {
    expect(
      refusalOf(
        rescheduleCall(aCall({ version: 3 }), { startsAt: AT.callStarts, expectedVersion: 2 }, FREE, stampAt()),
      ),
    ).toEqual({ kind: "stale", currentVersion: 3 });
    expect(refusalOf(moveTo(AT.callStarts, null))).toEqual({ kind: "not-found", what: "Courtesy call" });
  });
});

describe("completing a call", () => {
  it("completes it once it has started, with the summary written afterwards, keeping its days", () => {
    const decision = decisionOf(completeCall(aCall(), { publicSummary: SUMMARY }, stampAt(AT.afterCall)));
    expect(decision.state).toEqual({
      ...aCall(),
      status: "completed",
      publicSummary: SUMMARY,
      version: 2,
      updatedAt: AT.afterCall,
    });
    expect(decision.audit.action).toBe("call.completed");
    expect(decision.daysToTake).toEqual([]);
    expect(decision.daysToRelease).toEqual([]);
    expect(decision.events.map((pending) => pending.contract.detailType)).toEqual(["CourtesyCallCompleted.v1"]);
    expect(detailsOf(decision)[0]).toMatchObject({ callId: "call-1", partnerIds: ["new-south-wales", "brisbane"] });
  });

  it("may be completed at the minute it starts, not a moment before", () => {
    expect(decisionOf(completeCall(aCall(), {}, stampAt(AT.callStarts))).state.status).toBe("completed");
    const early = new Date(Date.parse(AT.callStarts) - 1);
    expect(refusalOf(completeCall(aCall(), {}, stampAt(early)))).toEqual({
      kind: "rule-broken",
      rule: "not-before-start",
      detail: "Courtesy call call-1 starts at 2027-03-01T10:00:00+09:00: it cannot be completed before then",
      facts: { startsAt: "2027-03-01T10:00:00+09:00" },
    });
  });

  it.each(["completed", "cancelled"] as const)("refuses a %s call as a conflict naming its state", (status) => {
    expect(refusalOf(completeCall(aCall({ status }), {}, stampAt(AT.afterCall)))).toMatchObject({
      kind: "conflict",
      currentState: status,
    });
  });
});

describe("cancelling a call", () => {
  it("cancels it with its reason, publishes the reason and gives the governor's days back", () => {
    const decision = decisionOf(cancelCall(aCall(), { reason: REASON }, stampAt()));
    expect(decision.state).toMatchObject({ status: "cancelled", cancellationReason: REASON, version: 2 });
    expect(decision.audit.action).toBe("call.cancelled");
    expect(decision.daysToRelease).toEqual(["2027-03-01"]);
    expect(detailsOf(decision)[0]).toMatchObject({ callId: "call-1", reason: REASON });
  });

  it("gives back no days for a vice-governor's call", () => {
    expect(
      decisionOf(cancelCall(aCall({ host: "vice-governor" }), { reason: REASON }, stampAt())).daysToRelease,
    ).toEqual([]);
  });

  it.each(["completed", "cancelled"] as const)("refuses a %s call as a conflict naming its state", (status) => {
    expect(refusalOf(cancelCall(aCall({ status }), { reason: REASON }, stampAt()))).toEqual({
      kind: "conflict",
      detail: `Courtesy call call-1 is ${status}: it cannot be cancelled (only a scheduled call can)`,
      currentState: status,
    });
  });

  it("refuses a stale version", () => {
    expect(refusalOf(cancelCall(aCall({ version: 2 }), { reason: REASON, expectedVersion: 1 }, stampAt()))).toEqual({
      kind: "stale",
      currentVersion: 2,
    });
  });
});

describe("the visitors' personal data", () => {
  it("is left out of the public view, and only of it", () => {
    const call = aCall({ publicSummary: SUMMARY });
    const { visitors: _v, ...rest } = call;
    expect(publicView(call)).toEqual(rest);
    for (const value of visitorValues()) expect(JSON.stringify(publicView(call))).not.toContain(value);
  });

  it("never travels in an event, whatever step publishes it", () => {
    const scheduled = decisionOf(schedule(aCallInput({ publicSummary: SUMMARY })));
    const moved = decisionOf(
      rescheduleCall(scheduled.state, { startsAt: "2027-03-02T10:00:00+09:00" }, FREE, stampAt()),
    );
    const completed = decisionOf(completeCall(moved.state, {}, stampAt("2027-03-02T05:00:00Z")));
    const cancelled = decisionOf(cancelCall(scheduled.state, { reason: REASON }, stampAt()));
    for (const decision of [scheduled, moved, completed, cancelled]) {
      const publishedText = JSON.stringify(detailsOf(decision));
      for (const value of visitorValues()) expect(publishedText).not.toContain(value);
      expect(publishedText).not.toContain("visitors");
    }
  });
});
