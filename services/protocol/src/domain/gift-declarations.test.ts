import { describe, expect, it } from "vitest";
import { declareReceipt, flagOverdue, overdueDeclarations } from "./gift-declarations.ts";
import { aDeclaration, decisionOf, refusalOf, stampOn } from "./record-builders.ts";

const RECEIVED_ON = "2027-03-01";
/** The 31st day after March 1: the first day late. */
const DAY_31 = "2027-04-01";

describe("declarations of receipt", () => {
  it("declares a receipt as pending at version 1", () => {
    const decision = decisionOf(
      declareReceipt({ receivedOn: RECEIVED_ON, estimatedValueYen: 80_000, summary: "Vase" }, stampOn("2027-03-02")),
    );
    expect(decision.state).toMatchObject({
      id: "id-1",
      receivedOn: RECEIVED_ON,
      declaredOn: "2027-03-02",
      status: "pending",
      giftId: null,
      version: 1,
    });
    expect(decision.audit.action).toBe("gift-declaration.declared");
  });

  it("refuses a receipt dated in the future, naming body.receivedOn", () => {
    const outcome = declareReceipt(
      { receivedOn: "2027-03-03", estimatedValueYen: 1, summary: "x" },
      stampOn("2027-03-02"),
    );
    expect(refusalOf(outcome)).toMatchObject({ kind: "invalid", errors: [{ path: "body.receivedOn" }] });
  });

  it("lists as overdue the pending receipts above the threshold from day 31 after receipt, oldest first", () => {
    const declarations = [
      aDeclaration({ receivedOn: "2027-03-01" }, "d-day-31"),
      aDeclaration({ receivedOn: "2027-03-02" }, "d-day-30"),
      aDeclaration({ receivedOn: "2027-01-15" }, "d-old"),
      aDeclaration({ receivedOn: "2027-01-15", estimatedValueYen: 50_000 }, "d-at-threshold"),
      aDeclaration({ receivedOn: "2027-01-15", estimatedValueYen: 50_001 }, "d-above"),
      { ...aDeclaration({ receivedOn: "2027-01-10" }, "d-registered"), status: "registered" as const, giftId: "g-9" },
    ];

    expect(overdueDeclarations(declarations, DAY_31).map((d) => d.id)).toEqual(["d-above", "d-old", "d-day-31"]);
    expect(overdueDeclarations(declarations, DAY_31, 100_000)).toEqual([]);
    expect(overdueDeclarations(declarations, DAY_31, 0).map((d) => d.id)).toContain("d-at-threshold");
  });

  it("flags each overdue declaration once, on the version read, and leaves the others", () => {
    const pending = [
      aDeclaration({ receivedOn: "2027-03-01" }, "d-late"),
      aDeclaration({ receivedOn: "2027-03-02" }, "d-in-time"),
    ];

    const [flag, ...more] = flagOverdue(pending, stampOn(DAY_31));

    expect(more).toEqual([]);
    expect(flag).toMatchObject({
      state: { id: "d-late", overdueSince: DAY_31, version: 2 },
      expectedVersion: 1,
      audit: { action: "gift-declaration.flagged-overdue", beforeVersion: 1, afterVersion: 2 },
    });
    expect(flag && flagOverdue([flag.state], stampOn("2027-04-02"))).toEqual([]);
    expect(flagOverdue(pending, stampOn(DAY_31), 100_000)).toEqual([]);
  });
});
