import { VisitApproved, VisitCancelled, VisitCompleted, VisitConfirmed } from "@cdp/contracts";
import type { Decided, PendingEvent } from "@cdp/lambda-kit/decision";
import { describe, expect, it } from "vitest";
import { safeParse } from "zod/v4/core";
import {
  approveVisit,
  cancelVisit,
  completeVisit,
  confirmVisit,
  dayTakenRefusal,
  decideTransition,
  editVisit,
  proposeVisit,
  type Stamp,
  type VisitWrites,
} from "./decide-visit.ts";
import type { Visit, VisitInput, VisitStatus } from "./model.ts";

const NOW = new Date("2026-11-28T01:00:00Z");
const LATER = new Date("2026-11-29T02:00:00Z");

/** Ids in order, so a decision's new ids can be named. */
function stamp(now = NOW): Stamp {
  let next = 0;
  return { now, newId: () => `id-${++next}` };
}

const GOVERNOR = {
  name: { ja: "東京都知事", en: "Governor of Tokyo" },
  title: { ja: "知事", en: "Governor" },
  level: "head" as const,
};
const DEPUTY = {
  name: { ja: "副知事", en: "Vice Governor" },
  title: { ja: "副知事", en: "Vice Governor" },
  level: "deputy" as const,
};
const TWO_QUOTES = [
  { vendor: "JTB", amountYen: 13_000_000, receivedOn: "2026-10-01" },
  { vendor: "HIS", amountYen: 14_000_000, receivedOn: "2026-10-02" },
];

function visit(overrides: Partial<Visit> = {}): Visit {
  return {
    id: "v-1",
    direction: "outbound",
    partnerIds: ["london", "paris"],
    delegationHead: GOVERNOR,
    purpose: "relationship-building",
    purposeStatement: { ja: "姉妹友好都市との関係強化", en: "Strengthening sister-city ties" },
    priority: 2,
    startDate: "2027-02-01",
    endDate: "2027-02-03",
    itinerary: [{ date: "2027-02-02", place: "Guildhall", activity: "Courtesy call" }],
    members: [{ id: "m-1", name: { ja: "通訳", en: "Interpreter" }, role: "Interpreter" }],
    costEstimate: { breakdown: [{ item: "Flights", amountYen: 13_000_000 }], quotes: TWO_QUOTES, totalYen: 13_000_000 },
    actualCostYen: null,
    conferenceId: null,
    status: "proposed",
    cancellationReason: null,
    governorEngagement: true,
    version: 3,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...overrides,
  };
}

/** The decision, failing with the refusal when there was none. */
function decisionOf(outcome: Decided<Visit, VisitWrites>) {
  if (!outcome.ok) throw new Error(`expected a decision, got ${JSON.stringify(outcome.refusal)}`);
  return outcome.decision;
}

/** The refusal, failing when the command was decided. */
function refusalOf(outcome: Decided<Visit, VisitWrites>) {
  if (outcome.ok) throw new Error("expected a refusal, got a decision");
  return outcome.refusal;
}

/** An event's detail as the outbox will write it: what the contract must accept. */
function published(pending: PendingEvent | undefined) {
  if (!pending) throw new Error("no event");
  const metadata = { eventId: "e-1", correlationId: "c-1", occurredAt: NOW.toISOString() };
  const parsed = safeParse(pending.contract.detail, { ...(pending.detail as object), metadata });
  if (!parsed.success) throw new Error(`event does not match ${pending.contract.detailType}: ${parsed.error.message}`);
  return { detailType: pending.contract.detailType, detail: parsed.data as Record<string, unknown> };
}

const PUBLIC_FIELDS = {
  visitId: "v-1",
  direction: "outbound",
  partnerIds: ["london", "paris"],
  delegationHead: GOVERNOR,
  purpose: "relationship-building",
  purposeStatement: { ja: "姉妹友好都市との関係強化", en: "Strengthening sister-city ties" },
  startDate: "2027-02-01",
  endDate: "2027-02-03",
};

describe("proposing a visit", () => {
  const input: VisitInput = {
    direction: "inbound",
    partnerIds: ["seoul"],
    delegationHead: GOVERNOR,
    purpose: "policy-promotion",
    purposeStatement: { ja: "政策交流", en: "Policy exchange" },
    priority: 1,
    startDate: "2027-05-01",
    endDate: "2027-05-02",
    itinerary: [],
    members: [
      { name: { ja: "佐藤", en: "Sato" }, role: "Interpreter", personal: { passportNumber: "TZ9876543" } },
      { name: { ja: "鈴木", en: "Suzuki" }, role: "Secretary" },
    ],
    costEstimate: {
      breakdown: [
        { item: "Hotel", amountYen: 400_000 },
        { item: "Dinner", amountYen: 150_000 },
      ],
      quotes: [],
    },
  };

  it("makes a proposed visit at version 1 that must not exist yet, its members' personal data split off", () => {
    const decision = decisionOf(proposeVisit(input, stamp()));
    expect(decision.state).toMatchObject({
      id: "id-3",
      status: "proposed",
      version: 1,
      governorEngagement: true,
      actualCostYen: null,
      conferenceId: null,
      cancellationReason: null,
      costEstimate: { totalYen: 550_000 },
      members: [
        { id: "id-1", name: { ja: "佐藤", en: "Sato" }, role: "Interpreter" },
        { id: "id-2", name: { ja: "鈴木", en: "Suzuki" }, role: "Secretary" },
      ],
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect(JSON.stringify(decision.state)).not.toContain("TZ9876543");
    expect(decision.personal).toEqual({ "id-1": { passportNumber: "TZ9876543" } });
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events).toEqual([]);
    expect(decision.daysToTake).toEqual([]);
    expect(decision.audit).toEqual({
      entity: "visit#id-3",
      action: "visit.proposed",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("needs the governor only for a head-level delegation", () => {
    expect(decisionOf(proposeVisit({ ...input, delegationHead: DEPUTY }, stamp())).state.governorEngagement).toBe(
      false,
    );
  });
});

describe("approving a visit", () => {
  it("approves a proposed visit, takes every one of the governor's days and publishes VisitApproved", () => {
    const decision = decisionOf(approveVisit(visit(), { action: "approve", visitId: "v-1" }, [], LATER));
    expect(decision.state).toMatchObject({ status: "approved", version: 4, updatedAt: LATER.toISOString() });
    expect(decision.expectedVersion).toBe(3);
    expect(decision.daysToTake).toEqual(["2027-02-01", "2027-02-02", "2027-02-03"]);
    expect(decision.daysToRelease).toEqual([]);
    expect(decision.personal).toBeNull();
    expect(decision.events.map(published)).toEqual([
      { detailType: VisitApproved.detailType, detail: expect.objectContaining(PUBLIC_FIELDS) },
    ]);
    expect(decision.audit).toEqual({ entity: "visit#v-1", action: "visit.approve", beforeVersion: 3, afterVersion: 4 });
  });

  it("takes no day of the governor's for a delegation she does not receive", () => {
    const deputy = visit({ delegationHead: DEPUTY, governorEngagement: false });
    const decision = decisionOf(approveVisit(deputy, { action: "approve", visitId: "v-1" }, [], LATER));
    expect(decision.daysToTake).toEqual([]);
  });

  it("refuses an unknown visit", () => {
    expect(refusalOf(approveVisit(undefined, { action: "approve", visitId: "v-9" }, [], LATER))).toEqual({
      kind: "not-found",
      what: "Visit v-9",
    });
  });

  it("refuses a stale If-Match, naming the current version, before anything else", () => {
    const command = { action: "approve", visitId: "v-1", expectedVersion: 2 } as const;
    expect(refusalOf(approveVisit(visit({ status: "completed" }), command, [], LATER))).toEqual({
      kind: "stale",
      currentVersion: 3,
    });
    expect(decisionOf(approveVisit(visit(), { ...command, expectedVersion: 3 }, [], LATER)).state.status).toBe(
      "approved",
    );
  });

  it.each<VisitStatus>(["approved", "confirmed", "completed", "cancelled"])(
    "refuses a visit already %s, naming its state",
    (status) => {
      expect(refusalOf(approveVisit(visit({ status }), { action: "approve", visitId: "v-1" }, [], LATER))).toEqual({
        kind: "conflict",
        detail: `Only a proposed visit can be approved; this one is ${status}`,
        currentState: status,
        facts: { action: "approve" },
      });
    },
  );

  it("refuses an outbound visit quoted by fewer than two vendors, naming the rule", () => {
    const oneVendor = visit({ costEstimate: { breakdown: [], quotes: [TWO_QUOTES[0] as never], totalYen: 0 } });
    expect(refusalOf(approveVisit(oneVendor, { action: "approve", visitId: "v-1" }, [], LATER))).toMatchObject({
      kind: "rule-broken",
      rule: "vendor-quotes",
      facts: { currentStatus: "proposed", action: "approve", vendors: 1, required: 2 },
    });
    const inbound = visit({ direction: "inbound", costEstimate: { breakdown: [], quotes: [], totalYen: 0 } });
    expect(decisionOf(approveVisit(inbound, { action: "approve", visitId: "v-1" }, [], LATER)).state.status).toBe(
      "approved",
    );
  });

  it("refuses to put the governor in two places, naming every visit holding one of her days", () => {
    const holding = [
      visit({ id: "v-3", status: "confirmed", startDate: "2027-02-03", endDate: "2027-02-04" }),
      visit({ id: "v-2", status: "approved", startDate: "2027-01-30", endDate: "2027-02-01" }),
    ];
    const refusal = refusalOf(approveVisit(visit(), { action: "approve", visitId: "v-1" }, holding, LATER));
    expect(refusal).toMatchObject({
      kind: "rule-broken",
      rule: "governor-calendar",
      facts: { currentStatus: "proposed", action: "approve", clashingVisits: ["v-2", "v-3"] },
    });
    expect(refusal.kind === "rule-broken" && refusal.detail).toContain("v-2, v-3");
  });

  it("refuses, when a day it takes turns out on writing to be held, naming the holder and the state read", () => {
    const decision = decisionOf(approveVisit(visit(), { action: "approve", visitId: "v-1" }, [], LATER));
    expect(dayTakenRefusal(decision, "v-7")).toMatchObject({
      kind: "rule-broken",
      rule: "governor-calendar",
      facts: { currentStatus: "proposed", clashingVisits: ["v-7"] },
    });
  });

  it("does not count proposals, other leaders' visits, days apart or the visit itself as a clash", () => {
    const notHolding = [
      visit({ id: "v-2", status: "proposed" }),
      visit({ id: "v-3", status: "cancelled" }),
      visit({ id: "v-4", status: "approved", delegationHead: DEPUTY, governorEngagement: false }),
      visit({ id: "v-5", status: "approved", startDate: "2027-02-04", endDate: "2027-02-06" }),
      visit({ status: "approved" }),
    ];
    const decision = decisionOf(approveVisit(visit(), { action: "approve", visitId: "v-1" }, notHolding, LATER));
    expect(decision.state.status).toBe("approved");
  });
});

describe("confirming a visit", () => {
  it("confirms an approved visit and publishes VisitConfirmed, taking and giving back no day", () => {
    const decision = decisionOf(
      confirmVisit(visit({ status: "approved" }), { action: "confirm", visitId: "v-1" }, LATER),
    );
    expect(decision.state).toMatchObject({ status: "confirmed", version: 4 });
    expect(decision).toMatchObject({ daysToTake: [], daysToRelease: [], expectedVersion: 3 });
    expect(decision.events.map(published)).toEqual([
      { detailType: VisitConfirmed.detailType, detail: expect.objectContaining(PUBLIC_FIELDS) },
    ]);
    expect(decision.audit.action).toBe("visit.confirm");
  });

  it("refuses a proposed visit, naming its state", () => {
    expect(refusalOf(confirmVisit(visit(), { action: "confirm", visitId: "v-1" }, LATER))).toMatchObject({
      kind: "conflict",
      currentState: "proposed",
    });
  });
});

describe("completing a visit", () => {
  it("records the actual cost and publishes VisitCompleted with what the City Registry needs", () => {
    const decision = decisionOf(
      completeVisit(
        visit({ status: "confirmed" }),
        { action: "complete", visitId: "v-1", actualCostYen: 12_500_000 },
        LATER,
      ),
    );
    expect(decision.state).toMatchObject({ status: "completed", actualCostYen: 12_500_000, version: 4 });
    const [completed] = decision.events.map(published);
    expect(completed?.detailType).toBe(VisitCompleted.detailType);
    expect(completed?.detail).toEqual({
      visitId: "v-1",
      direction: "outbound",
      partnerIds: ["london", "paris"],
      leaderLevel: "head",
      startDate: "2027-02-01",
      endDate: "2027-02-03",
      actualCostYen: 12_500_000,
      metadata: expect.any(Object),
    });
    expect(decision.events).toHaveLength(1);
    expect(decision.audit).toEqual({
      entity: "visit#v-1",
      action: "visit.complete",
      beforeVersion: 3,
      afterVersion: 4,
    });
  });

  it("refuses a visit not yet confirmed, naming its state", () => {
    const command = { action: "complete", visitId: "v-1", actualCostYen: 1 } as const;
    expect(refusalOf(completeVisit(visit({ status: "approved" }), command, LATER))).toMatchObject({
      kind: "conflict",
      currentState: "approved",
      detail: "Only a confirmed visit can be completed; this one is approved",
    });
  });
});

describe("cancelling a visit", () => {
  const cancel = { action: "cancel", visitId: "v-1", reason: "Typhoon" } as const;

  it.each<[VisitStatus, string[]]>([
    ["proposed", []],
    ["approved", ["2027-02-01", "2027-02-02", "2027-02-03"]],
    ["confirmed", ["2027-02-01", "2027-02-02", "2027-02-03"]],
  ])("gives back the governor's days of a %s visit only if it held them", (status, released) => {
    const decision = decisionOf(cancelVisit(visit({ status }), cancel, LATER));
    expect(decision.state).toMatchObject({ status: "cancelled", cancellationReason: "Typhoon", version: 4 });
    expect(decision.daysToRelease).toEqual(released);
    expect(decision.daysToTake).toEqual([]);
    expect(decision.events.map(published)).toEqual([
      {
        detailType: VisitCancelled.detailType,
        detail: expect.objectContaining({ ...PUBLIC_FIELDS, reason: "Typhoon", previousStatus: status }),
      },
    ]);
  });

  it("releases no day of an approved visit that never needed the governor", () => {
    const deputy = visit({ status: "approved", delegationHead: DEPUTY, governorEngagement: false });
    expect(decisionOf(cancelVisit(deputy, cancel, LATER)).daysToRelease).toEqual([]);
  });

  it.each<VisitStatus>(["completed", "cancelled"])("refuses a %s visit, naming its state", (status) => {
    expect(refusalOf(cancelVisit(visit({ status }), cancel, LATER))).toMatchObject({
      kind: "conflict",
      currentState: status,
      facts: { action: "cancel" },
    });
  });

  it("is what decideTransition does for a cancel command, as each action is", () => {
    expect(decideTransition(visit({ status: "approved" }), cancel, [], LATER)).toEqual(
      cancelVisit(visit({ status: "approved" }), cancel, LATER),
    );
    const holding = [visit({ id: "v-2", status: "approved" })];
    expect(decideTransition(visit(), { action: "approve", visitId: "v-1" }, holding, LATER)).toMatchObject({
      ok: false,
      refusal: { rule: "governor-calendar" },
    });
  });
});

describe("editing a visit", () => {
  const edit = (current: Visit | undefined, patch: Parameters<typeof editVisit>[1]["patch"], expectedVersion = 3) =>
    editVisit(current, { visitId: "v-1", patch, expectedVersion }, stamp(LATER));

  it("changes only what the patch names, on the version read, and keeps the personal data unless members change", () => {
    const decision = decisionOf(edit(visit(), { priority: 1, startDate: "2027-02-02" }));
    expect(decision.state).toMatchObject({
      priority: 1,
      startDate: "2027-02-02",
      endDate: "2027-02-03",
      members: visit().members,
      version: 4,
      updatedAt: LATER.toISOString(),
    });
    expect(decision).toMatchObject({ expectedVersion: 3, personal: null, daysToTake: [], daysToRelease: [] });
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({ entity: "visit#v-1", action: "visit.edited", beforeVersion: 3, afterVersion: 4 });
  });

  it("replaces the members with new ids, their personal data split off, and totals a new estimate", () => {
    const decision = decisionOf(
      edit(visit(), {
        members: [{ name: { ja: "佐藤", en: "Sato" }, role: "Aide", personal: { medicalNotes: "asthma" } }],
        costEstimate: { breakdown: [{ item: "Rail", amountYen: 20_000 }], quotes: [] },
      }),
    );
    expect(decision.state.members).toEqual([{ id: "id-1", name: { ja: "佐藤", en: "Sato" }, role: "Aide" }]);
    expect(decision.personal).toEqual({ "id-1": { medicalNotes: "asthma" } });
    expect(decision.state.costEstimate.totalYen).toBe(20_000);
  });

  it("recomputes whether the governor is needed when the head changes while proposed", () => {
    expect(decisionOf(edit(visit(), { delegationHead: DEPUTY })).state.governorEngagement).toBe(false);
  });

  it("refuses an unknown visit and a stale version", () => {
    expect(refusalOf(edit(undefined, { priority: 1 }))).toEqual({ kind: "not-found", what: "Visit v-1" });
    expect(refusalOf(edit(visit(), { priority: 1 }, 2))).toEqual({ kind: "stale", currentVersion: 3 });
  });

  it("refuses a change of fields fixed on approval once approved, naming the rule and the fields", () => {
    const approved = visit({ status: "approved" });
    expect(refusalOf(edit(approved, { endDate: "2027-02-05", itinerary: [] }))).toMatchObject({
      kind: "rule-broken",
      rule: "fixed-on-approval",
      facts: { currentStatus: "approved", action: "edit", fields: ["endDate"] },
    });
    expect(decisionOf(edit(approved, { itinerary: [] })).state.itinerary).toEqual([]);
  });

  it.each<VisitStatus>(["completed", "cancelled"])("refuses any change of a %s visit", (status) => {
    expect(refusalOf(edit(visit({ status }), { priority: 1 }))).toMatchObject({
      kind: "conflict",
      currentState: status,
    });
  });

  it.each([
    ["an end before the start", { endDate: "2027-01-31" }, ["body.endDate", "body.itinerary"]],
    ["a visit over 60 days", { endDate: "2027-04-05" }, ["body.endDate"]],
    ["an itinerary outside the dates", { startDate: "2027-02-03" }, ["body.itinerary"]],
  ] as const)("refuses a patch that makes %s, naming the fields", (_case, patch, paths) => {
    const refusal = refusalOf(edit(visit(), patch));
    expect(refusal.kind).toBe("invalid");
    expect(refusal.kind === "invalid" && refusal.errors.map((e) => e.path)).toEqual(paths);
  });
});
