import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CostLine,
  cancelHospitality,
  costErrors,
  HospitalityInput,
  HospitalityPatch,
  recordHospitality,
  updateHospitality,
} from "./hospitality.ts";
import { aHospitality, aHospitalityInput, decisionOf, NOW, refusalOf, stampAt } from "./record-builders.ts";

const LATER = "2027-03-20T06:00:00.000Z";

describe("recording hospitality", () => {
  it("makes a recorded record at version 1, with what was sent, and no event", () => {
    const decision = decisionOf(recordHospitality(aHospitalityInput(), stampAt(NOW, { newId: () => "h-9" })));

    expect(decision.state).toEqual({
      id: "h-9",
      ...aHospitalityInput(),
      status: "recorded",
      cancellation: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({
      entity: "hospitality#h-9",
      action: "hospitality.recorded",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("refuses a total that is not the sum of the lines, naming body.costYen and the sum", () => {
    const outcome = recordHospitality(aHospitalityInput({ costYen: 1_250_001 }), stampAt());

    expect(refusalOf(outcome)).toEqual({
      kind: "invalid",
      errors: [{ path: "body.costYen", message: "must equal the sum of costLines (1250000 yen), not 1250001" }],
    });
  });

  it("takes hospitality that cost nothing: no lines and a total of 0", () => {
    const state = decisionOf(recordHospitality(aHospitalityInput({ costYen: 0, costLines: [] }), stampAt())).state;

    expect(state.costYen).toBe(0);
    expect(refusalOf(recordHospitality(aHospitalityInput({ costYen: 1, costLines: [] }), stampAt()))).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.costYen" }],
    });
  });

  it("agrees with the sum of any lines, to the yen, and with nothing else", () => {
    const line = fc.record({
      item: fc.constantFrom<CostLine["item"]>("catering", "venue", "gifts", "interpretation", "transport", "other"),
      yen: fc.integer({ min: 0, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.integer({ min: -1000, max: 1000 }), (costLines, off) => {
        const sum = costLines.reduce((total, l) => total + l.yen, 0);
        expect(costErrors({ costYen: sum, costLines })).toEqual([]);
        if (off !== 0) expect(costErrors({ costYen: sum + off, costLines })).toHaveLength(1);
      }),
    );
  });

  it("refuses lines adding up beyond what can be held exactly, naming body.costLines", () => {
    const costLines: CostLine[] = [
      { item: "catering", yen: Number.MAX_SAFE_INTEGER },
      { item: "venue", yen: 2 },
    ];
    expect(costErrors({ costYen: 0, costLines })).toEqual([
      { path: "body.costLines", message: "the lines add up to more than can be held" },
    ]);
  });
});

describe("the input schema", () => {
  const parses = (input: unknown) => HospitalityInput.safeParse(input).success;

  it("takes the sample input", () => {
    expect(parses(aHospitalityInput())).toBe(true);
  });

  it.each([
    ["no guests", { guestCount: 0 }],
    ["a fraction of a guest", { guestCount: 1.5 }],
    ["a negative cost", { costYen: -1 }],
    ["a fraction of a yen", { costYen: 0.5 }],
    ["an unknown kind", { kind: "banquet" }],
    ["an unknown host", { host: "mayor" }],
    ["a cost line of an unknown item", { costLines: [{ item: "flowers", yen: 1 }] }],
    ["a counterpart without English", { counterpart: { name: { ja: "大使館" } } }],
    ["a date that is no date", { date: "2027-02-30" }],
    ["a field it does not know", { notes: "x" }],
  ])("refuses %s", (_case, override) => {
    expect(parses({ ...aHospitalityInput(), ...override })).toBe(false);
  });

  it("refuses a patch that names no field", () => {
    expect(HospitalityPatch.safeParse({}).success).toBe(false);
    expect(HospitalityPatch.safeParse({ guestCount: 3 }).success).toBe(true);
  });

  it("takes exactly one guest and a cost of 0", () => {
    expect(parses({ ...aHospitalityInput(), guestCount: 1, costYen: 0, costLines: [] })).toBe(true);
  });
});

describe("updating hospitality", () => {
  it("changes what the patch names, keeps the rest, one version further", () => {
    const record = aHospitality();
    const patch = { guestCount: 30, venue: { ja: "迎賓館", en: "State Guest House" } };

    const decision = decisionOf(updateHospitality(record, { patch, expectedVersion: 1 }, stampAt(LATER)));

    expect(decision.state).toEqual({ ...record, ...patch, version: 2, updatedAt: LATER });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.audit).toEqual({
      entity: "hospitality#h-1",
      action: "hospitality.updated",
      beforeVersion: 1,
      afterVersion: 2,
    });
  });

  it("takes a new cost when the total and the lines are sent together", () => {
    const patch = { costYen: 300_000, costLines: [{ item: "catering" as const, yen: 300_000 }] };

    const state = decisionOf(updateHospitality(aHospitality(), { patch }, stampAt(LATER))).state;

    expect(state.costYen).toBe(300_000);
    expect(state.costLines).toEqual(patch.costLines);
  });

  it("refuses new lines the recorded total does not match, naming body.costYen", () => {
    const patch = { costLines: [{ item: "catering" as const, yen: 300_000 }] };

    expect(refusalOf(updateHospitality(aHospitality(), { patch }, stampAt(LATER)))).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.costYen" }],
    });
  });

  it("refuses a version that is not the current one as stale", () => {
    const outcome = updateHospitality(aHospitality(), { patch: { guestCount: 2 }, expectedVersion: 3 }, stampAt());
    expect(refusalOf(outcome)).toEqual({ kind: "stale", currentVersion: 1 });
  });

  it("refuses a cancelled record as a conflict naming cancelled", () => {
    const cancelled = decisionOf(cancelHospitality(aHospitality(), { reason: "Visit postponed" }, stampAt())).state;

    expect(refusalOf(updateHospitality(cancelled, { patch: { guestCount: 2 } }, stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "cancelled",
    });
  });

  it("refuses a record that does not exist", () => {
    expect(refusalOf(updateHospitality(undefined, { patch: {} }, stampAt()))).toEqual({
      kind: "not-found",
      what: "Hospitality",
    });
  });

  it("keeps a field a patch holds as undefined", () => {
    const record = aHospitality();
    const patch: HospitalityPatch = { venue: undefined, guestCount: 12 };

    const state = decisionOf(updateHospitality(record, { patch }, stampAt(LATER))).state;

    expect(state.venue).toEqual(record.venue);
    expect(state.guestCount).toBe(12);
  });
});

describe("cancelling hospitality", () => {
  it("keeps the record, cancelled with the reason and the day, one version further", () => {
    const record = aHospitality();

    const decision = decisionOf(
      cancelHospitality(record, { reason: "Visit postponed", expectedVersion: 1 }, stampAt(LATER)),
    );

    expect(decision.state).toEqual({
      ...record,
      status: "cancelled",
      cancellation: { reason: "Visit postponed", cancelledOn: "2027-03-20" },
      version: 2,
      updatedAt: LATER,
    });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.audit.action).toBe("hospitality.cancelled");
  });

  it("dates the cancellation by Tokyo's calendar: 23:30 UTC is the next day in Tokyo", () => {
    const state = decisionOf(cancelHospitality(aHospitality(), { reason: "x" }, stampAt("2027-03-20T23:30:00Z"))).state;
    expect(state.cancellation?.cancelledOn).toBe("2027-03-21");
  });

  it("refuses to cancel twice, naming cancelled", () => {
    const cancelled = decisionOf(cancelHospitality(aHospitality(), { reason: "Visit postponed" }, stampAt())).state;

    expect(refusalOf(cancelHospitality(cancelled, { reason: "again" }, stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "cancelled",
    });
  });

  it("refuses a stale version and a missing record", () => {
    expect(refusalOf(cancelHospitality(aHospitality(), { reason: "x", expectedVersion: 0 }, stampAt()))).toEqual({
      kind: "stale",
      currentVersion: 1,
    });
    expect(refusalOf(cancelHospitality(undefined, { reason: "x" }, stampAt()))).toMatchObject({ kind: "not-found" });
  });
});
