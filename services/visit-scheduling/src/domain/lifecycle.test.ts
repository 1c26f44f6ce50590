import type { Refusal } from "@cdp/lambda-kit/decision";
import { describe, expect, it } from "vitest";
import {
  editRefusal,
  FIELDS_FIXED_ON_APPROVAL,
  MIN_QUOTES_FOR_OUTBOUND_APPROVAL,
  nextStatus,
  type VisitAction,
  vendorKey,
} from "./lifecycle.ts";
import type { Direction, VendorQuote, VisitStatus } from "./model.ts";

const quote = (vendor: string, amountYen = 14_000_000): VendorQuote => ({
  vendor,
  amountYen,
  receivedOn: "2026-04-10",
});
const TWO_VENDORS = [quote("JTB Corporation"), quote("Kinki Nippon Tourist")];

const visitIn = (status: VisitStatus, direction: Direction = "outbound", quotes: VendorQuote[] = TWO_VENDORS) => ({
  status,
  direction,
  costEstimate: { quotes },
});

/** What a refusal tells the caller (the 409 it becomes): its kind, message, the state and action it names, the rule. */
function told(refusal: Refusal | undefined) {
  if (refusal?.kind === "conflict") {
    const { kind, detail: message, currentState: currentStatus, facts } = refusal;
    return { kind, message, currentStatus, action: facts?.action, rule: undefined };
  }
  if (refusal?.kind === "rule-broken") {
    const { kind, detail: message, rule, facts } = refusal;
    return { kind, message, currentStatus: facts?.currentStatus, action: facts?.action, rule };
  }
  throw new Error(`expected a conflict or a broken rule, got ${refusal ? refusal.kind : "none"}`);
}

/** The refusal of a step, failing when the step was allowed. */
function refusal(outcome: ReturnType<typeof nextStatus>) {
  return told(outcome.ok ? undefined : outcome.refusal);
}

describe("the visit life cycle", () => {
  const allowed: [VisitStatus, VisitAction, VisitStatus][] = [
    ["proposed", "approve", "approved"],
    ["approved", "confirm", "confirmed"],
    ["confirmed", "complete", "completed"],
    ["proposed", "cancel", "cancelled"],
    ["approved", "cancel", "cancelled"],
    ["confirmed", "cancel", "cancelled"],
  ];
  it.each(allowed)("a %s visit can be told to %s and becomes %s", (status, action, expected) => {
    expect(nextStatus(visitIn(status), action)).toEqual({ ok: true, status: expected });
  });

  const refused: [VisitStatus, VisitAction, string][] = [
    ["approved", "approve", "Only a proposed visit can be approved; this one is approved"],
    ["confirmed", "approve", "Only a proposed visit can be approved; this one is confirmed"],
    ["completed", "approve", "Only a proposed visit can be approved; this one is completed"],
    ["cancelled", "approve", "Only a proposed visit can be approved; this one is cancelled"],
    ["proposed", "confirm", "Only an approved visit can be confirmed; this one is proposed"],
    ["confirmed", "confirm", "Only an approved visit can be confirmed; this one is confirmed"],
    ["completed", "confirm", "Only an approved visit can be confirmed; this one is completed"],
    ["cancelled", "confirm", "Only an approved visit can be confirmed; this one is cancelled"],
    ["proposed", "complete", "Only a confirmed visit can be completed; this one is proposed"],
    ["approved", "complete", "Only a confirmed visit can be completed; this one is approved"],
    ["completed", "complete", "Only a confirmed visit can be completed; this one is completed"],
    ["cancelled", "complete", "Only a confirmed visit can be completed; this one is cancelled"],
    ["completed", "cancel", "A completed visit cannot be cancelled"],
    ["cancelled", "cancel", "A cancelled visit cannot be cancelled"],
  ];
  it.each(refused)("a %s visit refuses to %s: %s", (status, action, message) => {
    const error = refusal(nextStatus(visitIn(status), action));
    expect(error.message).toBe(message);
    expect(error.currentStatus).toBe(status);
    expect(error.action).toBe(action);
    expect(error.kind).toBe("conflict");
  });

  it("covers every state and action: each pair is either allowed or refused", () => {
    const statuses: VisitStatus[] = ["proposed", "approved", "confirmed", "completed", "cancelled"];
    const actions: VisitAction[] = ["approve", "confirm", "complete", "cancel"];
    const listed = new Set([...allowed, ...refused].map(([status, action]) => `${status}:${action}`));
    expect(listed.size).toBe(statuses.length * actions.length);
  });
});

describe("approval of an outbound visit needs quotes from different vendors", () => {
  it("asks for two", () => {
    expect(MIN_QUOTES_FOR_OUTBOUND_APPROVAL).toBe(2);
  });

  it.each([
    ["no quote", [], "has none"],
    ["one quote", [quote("JTB Corporation")], "has only 1"],
    ["the same vendor twice", [quote("JTB Corporation"), quote("JTB Corporation", 13_500_000)], "has only 1"],
    [
      "the same vendor in other case and spacing",
      [quote("JTB Corporation"), quote("  jtb  CORPORATION ")],
      "has only 1",
    ],
    ["the same vendor in full-width letters", [quote("JTB"), quote("ＪＴＢ")], "has only 1"],
  ])("refuses %s, naming the proposed state", (_case, quotes, count) => {
    const error = refusal(nextStatus(visitIn("proposed", "outbound", quotes), "approve"));
    expect(error.kind).toBe("rule-broken");
    expect(error.rule).toBe("vendor-quotes");
    expect(error.currentStatus).toBe("proposed");
    expect(error.action).toBe("approve");
    expect(error.message).toBe(
      `An outbound visit needs quotes from at least 2 different vendors before approval; this proposed visit ${count}`,
    );
  });

  it("approves with two vendors, and with a third quote from one of them", () => {
    expect(nextStatus(visitIn("proposed", "outbound", TWO_VENDORS), "approve")).toEqual({
      ok: true,
      status: "approved",
    });
    const three = [...TWO_VENDORS, quote("jtb corporation", 12_000_000)];
    expect(nextStatus(visitIn("proposed", "outbound", three), "approve")).toEqual({ ok: true, status: "approved" });
  });

  it("does not apply to an inbound visit: Tokyo buys no travel for it", () => {
    expect(nextStatus(visitIn("proposed", "inbound", []), "approve")).toEqual({ ok: true, status: "approved" });
  });

  it("is checked at approval only: later steps of an approved visit do not look at the quotes again", () => {
    expect(nextStatus(visitIn("approved", "outbound", []), "confirm")).toEqual({ ok: true, status: "confirmed" });
    expect(nextStatus(visitIn("proposed", "outbound", []), "cancel")).toEqual({ ok: true, status: "cancelled" });
  });

  it("compares vendor names trimmed, case- and width-insensitively", () => {
    expect(vendorKey("  Kinki  Nippon\tTourist ")).toBe("kinki nippon tourist");
    expect(vendorKey("ＨＩＳ")).toBe(vendorKey("his"));
    expect(vendorKey("JTB")).not.toBe(vendorKey("JTB West"));
  });
});

describe("editing a visit", () => {
  const fixedFields = ["direction", "partnerIds", "delegationHead", "startDate", "endDate", "costEstimate"];
  const freeFields = ["itinerary", "members", "purposeStatement", "priority", "purpose", "conferenceId"];

  it("fixes exactly the fields that decide the calendar and the approval", () => {
    expect([...FIELDS_FIXED_ON_APPROVAL].sort()).toEqual([...fixedFields].sort());
  });

  it.each([...fixedFields, ...freeFields])("a proposed visit may change %s", (field) => {
    expect(editRefusal({ status: "proposed" }, [field])).toBeUndefined();
  });

  const committedCases = (["approved", "confirmed"] as const).flatMap((status) =>
    fixedFields.map((field) => [status, field] as const),
  );
  it.each(committedCases)("a visit %s refuses a change of %s, naming its state", (status, field) => {
    const error = told(editRefusal({ status }, ["itinerary", field]));
    expect(error.kind).toBe("rule-broken");
    expect(error.rule).toBe("fixed-on-approval");
    expect(error.currentStatus).toBe(status);
    expect(error.action).toBe("edit");
    expect(error.message).toBe(`${field} can change only while a visit is proposed; this one is ${status}`);
  });

  it("names every fixed field the edit touches, once each", () => {
    const error = told(editRefusal({ status: "approved" }, ["startDate", "endDate", "startDate", "members"]));
    expect(error.message).toBe("startDate, endDate can change only while a visit is proposed; this one is approved");
  });

  const freeCases = (["approved", "confirmed"] as const).flatMap((status) =>
    freeFields.map((field) => [status, field] as const),
  );
  it.each(freeCases)("a visit %s may still change %s", (status, field) => {
    expect(editRefusal({ status }, [field])).toBeUndefined();
  });

  it.each([
    ["completed", "A completed visit cannot be edited"],
    ["cancelled", "A cancelled visit cannot be edited"],
  ] as const)("a %s visit cannot be edited at all", (status, message) => {
    for (const fields of [["itinerary"], ["purposeStatement", "priority"], ["startDate"], []]) {
      const error = told(editRefusal({ status }, fields));
      expect(error.kind).toBe("conflict");
      expect(error.message).toBe(message);
      expect(error.currentStatus).toBe(status);
      expect(error.action).toBe("edit");
    }
  });
});
