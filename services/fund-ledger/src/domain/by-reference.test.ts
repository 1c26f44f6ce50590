import type { Refusal } from "@cdp/lambda-kit/decision";
import { describe, expect, it } from "vitest";
import type { Counters } from "./balances.ts";
import { ZERO } from "./balances.ts";
import {
  postByReference,
  type ReferenceState,
  rejectedResult,
  requestOutcomeOf,
  VOIDED_BEFORE_REQUEST,
  voidByReference,
  withdraw,
} from "./by-reference.ts";
import { accountIds } from "./chart.ts";
import { approve, type LedgerDecided, type LedgerView, postHold, type Stamp, voidHold } from "./decide.ts";
import type { ApprovalRequest, FiscalYear, Hold, RequestRecord } from "./model.ts";

const NOW = new Date("2026-06-15T01:00:00Z");
const REQUESTER = "staff-exchange";
const REFERENCE = "placement:p-1";
const HOLD_ID = "11111111-1111-4111-8111-111111111111";
const APPROVAL_ID = "33333333-3333-4333-8333-333333333333";
const APPR = accountIds.appropriation(2026, "staff-exchange");
const COMM = accountIds.commitments(2026, "staff-exchange");

/** Counter-based UUIDs, so two decisions on the same stamp make the same ids. */
function stamp(today = "2026-06-15", actor = `event:${REQUESTER}`): Stamp {
  let next = 0;
  return {
    now: new Date(`${today}T01:00:00Z`),
    today,
    actor,
    correlationId: "c-1",
    newId: () => `00000000-0000-4000-8000-${String(++next).padStart(12, "0")}`,
  };
}

/** 100M in the bank, 30M appropriated to FY2026 staff exchange, with the 1M hold of `hold()` pending. */
function view(years: FiscalYear[] = []): LedgerView {
  const balances: Record<string, Partial<Counters>> = {
    bank: { debitsPosted: 100_000_000 },
    [APPR]: { creditsPosted: 30_000_000, debitsPending: 1_000_000 },
    [COMM]: { creditsPending: 1_000_000 },
  };
  return {
    balances: new Map(Object.entries(balances).map(([account, values]) => [account, { ...ZERO, ...values }])),
    fiscalYears: new Map(years.map((year) => [year.fiscalYear, year])),
  };
}

function hold(overrides: Partial<Hold> = {}): Hold {
  return {
    id: HOLD_ID,
    reference: REFERENCE,
    requester: REQUESTER,
    programme: "staff-exchange",
    fiscalYear: 2026,
    amountYen: 1_000_000,
    description: { ja: "派遣旅費", en: "Secondment travel" },
    status: "held",
    journalId: "22222222-2222-4222-8222-222222222222",
    postedYen: 0,
    releasedYen: 0,
    approval: null,
    createdBy: `event:${REQUESTER}`,
    createdAt: "2026-06-01T00:00:00.000Z",
    version: 1,
    ...overrides,
  };
}

function approvalRequest(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: APPROVAL_ID,
    operation: "hold",
    status: "awaiting-approval",
    reference: REFERENCE,
    requester: REQUESTER,
    programme: "staff-exchange",
    fiscalYear: 2026,
    amountYen: 8_000_000,
    description: { ja: "派遣旅費", en: "Secondment travel" },
    requestedBy: `event:${REQUESTER}`,
    requestedAt: "2026-06-10T00:00:00.000Z",
    version: 1,
    ...overrides,
  };
}

const record = (result: string): RequestRecord => ({ requester: REQUESTER, reference: REFERENCE, result });

/** What the store finds: a record with its result, and what it leads to. */
function found(result: string | undefined, leadsTo: { hold?: Hold; approval?: ApprovalRequest } = {}): ReferenceState {
  return { record: result === undefined ? undefined : record(result), hold: leadsTo.hold, approval: leadsTo.approval };
}

const heldHold = (overrides: Partial<Hold> = {}) => found(HOLD_ID, { hold: hold(overrides) });
const post = (state: ReferenceState, amountYen: number, on = stamp(), ledger = view()) =>
  postByReference(ledger, state, { requester: REQUESTER, reference: REFERENCE, amountYen }, on);
const voidIt = (state: ReferenceState, on = stamp(), ledger = view()) =>
  voidByReference(
    ledger,
    state,
    { requester: REQUESTER, reference: REFERENCE, reason: "cancelled", eventId: "e-9" },
    on,
  );

function refusalOf(outcome: LedgerDecided<unknown>): Refusal {
  if (outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.decision.state)}`);
  return outcome.refusal;
}

function decisionOf<State>(outcome: LedgerDecided<State>) {
  if (!outcome.ok) throw new Error(`expected a decision, got ${JSON.stringify(outcome.refusal)}`);
  return outcome.decision;
}

describe("a request record's result", () => {
  it("names what the first request made, why it was rejected, or that a void came first", () => {
    expect(requestOutcomeOf(HOLD_ID)).toEqual({ kind: "made", id: HOLD_ID });
    expect(requestOutcomeOf(rejectedResult("insufficient-available"))).toEqual({
      kind: "rejected",
      reason: "insufficient-available",
    });
    expect(requestOutcomeOf(VOIDED_BEFORE_REQUEST)).toEqual({ kind: "voided-before-request" });
  });
});

describe("postByReference", () => {
  it("posts the hold the reference leads to, exactly as postHold posts it by id", () => {
    const byReference = decisionOf(post(heldHold(), 800_000));
    const byId = decisionOf(postHold(view(), hold(), { holdId: HOLD_ID, amountYen: 800_000 }, stamp()));
    expect(byReference).toEqual(byId);
    expect(byReference.state).toMatchObject({ status: "posted", postedYen: 800_000, releasedYen: 200_000 });
    expect(byReference.events.map((e) => e.contract.detailType)).toEqual([
      "FundHoldPosted.v1",
      "FundJournalPosted.v1",
      "FundJournalPosted.v1",
    ]);
  });

  it("follows an approved request to the hold its approval placed", () => {
    const approved = approvalRequest({ status: "approved", resultId: HOLD_ID, version: 2 });
    const decision = decisionOf(post(found(APPROVAL_ID, { approval: approved, hold: hold() }), 1_000_000));
    expect(decision.state).toMatchObject({ id: HOLD_ID, status: "posted", postedYen: 1_000_000, releasedYen: 0 });
  });

  it("posts 0 as a void: all of it released, FundHoldVoided.v1, as voidHold decides it", () => {
    const decision = decisionOf(post(heldHold(), 0));
    expect(decision).toEqual(decisionOf(voidHold(view(), hold(), { holdId: HOLD_ID, reason: "voided" }, stamp())));
    expect(decision.state).toMatchObject({ status: "voided", postedYen: 0, releasedYen: 1_000_000 });
    expect(decision.events[0]?.contract.detailType).toBe("FundHoldVoided.v1");
  });

  it("refuses more than is held, naming the rule: the requester asks for a top-up hold first", () => {
    expect(refusalOf(post(heldHold(), 1_000_001))).toMatchObject({
      kind: "rule-broken",
      rule: "post-exceeds-hold",
      facts: { heldYen: 1_000_000, requestedYen: 1_000_001 },
    });
  });

  it("waits (not found, so retried) while the reference is unseen or its request awaits approval", () => {
    expect(refusalOf(post(found(undefined), 100))).toMatchObject({ kind: "not-found" });
    const waiting = refusalOf(post(found(APPROVAL_ID, { approval: approvalRequest() }), 100));
    expect(waiting).toMatchObject({ kind: "not-found", what: expect.stringContaining(APPROVAL_ID) });
  });

  it("is a conflict (ignored) once the hold is resolved: a repeated post, a post after a void", () => {
    for (const status of ["posted", "voided"] as const) {
      expect(refusalOf(post(heldHold({ status }), 500_000)), status).toMatchObject({
        kind: "conflict",
        currentState: status,
      });
      expect(refusalOf(post(heldHold({ status }), 0)), status).toMatchObject({ kind: "conflict" });
    }
  });

  it("is a conflict (ignored) when no hold was placed under the reference", () => {
    expect(refusalOf(post(found(VOIDED_BEFORE_REQUEST), 100))).toMatchObject({
      kind: "conflict",
      currentState: VOIDED_BEFORE_REQUEST,
    });
    expect(refusalOf(post(found(rejectedResult("insufficient-available")), 100))).toMatchObject({
      kind: "conflict",
      currentState: "rejected",
      facts: { reason: "insufficient-available" },
    });
    const rejected = approvalRequest({ status: "rejected", decidedBy: "approver-2", version: 2 });
    expect(refusalOf(post(found(APPROVAL_ID, { approval: rejected }), 100))).toMatchObject({
      kind: "conflict",
      currentState: "rejected",
    });
  });

  it("refuses a posting an expired hold can no longer take, naming the rule; 0 after expiry changes nothing", () => {
    const expired = heldHold({ status: "expired", expiresOn: "2026-06-10" });
    expect(refusalOf(post(expired, 500_000))).toMatchObject({
      kind: "rule-broken",
      rule: "hold-expired",
      facts: { holdId: HOLD_ID, expiresOn: "2026-06-10" },
    });
    expect(refusalOf(post(expired, 0))).toMatchObject({ kind: "conflict", currentState: "expired" });
  });

  it("refuses a posting of a hold voided when its year closed, naming the rule; 0 changes nothing", () => {
    const closed = view([{ fiscalYear: 2026, status: "closed", version: 2 }]);
    const voided = heldHold({ status: "voided" });
    expect(refusalOf(post(voided, 500_000, stamp("2027-06-15"), closed))).toMatchObject({
      kind: "rule-broken",
      rule: "fiscal-year-closed",
    });
    expect(refusalOf(post(voided, 0, stamp("2027-06-15"), closed))).toMatchObject({ kind: "conflict" });
  });

  it("refuses a posting after the settlement period, yet voids on 0 until the year is closed", () => {
    expect(refusalOf(post(heldHold(), 500_000, stamp("2027-06-01")))).toMatchObject({
      kind: "rule-broken",
      rule: "fiscal-year-ended",
    });
    expect(decisionOf(post(heldHold(), 0, stamp("2027-06-01"))).state).toMatchObject({ status: "voided" });
  });

  it("refuses what the record names but the store did not find as not found", () => {
    expect(refusalOf(post(found(HOLD_ID), 100))).toMatchObject({ kind: "not-found" });
  });
});

describe("voidByReference", () => {
  it("voids the hold the reference leads to, exactly as voidHold voids it by id", () => {
    const decision = decisionOf(voidIt(heldHold()));
    expect(decision).toEqual(decisionOf(voidHold(view(), hold(), { holdId: HOLD_ID, reason: "voided" }, stamp())));
    const approved = approvalRequest({ status: "approved", resultId: HOLD_ID, version: 2 });
    expect(decisionOf(voidIt(found(APPROVAL_ID, { approval: approved, hold: hold() }))).state).toMatchObject({
      id: HOLD_ID,
      status: "voided",
    });
  });

  it("closes a reference not seen yet, so its request places nothing: no journal, no event", () => {
    const decision = decisionOf(voidIt(found(undefined)));
    const closed = {
      requester: REQUESTER,
      reference: REFERENCE,
      result: VOIDED_BEFORE_REQUEST,
      eventId: "e-9",
      reason: "cancelled",
      closedAt: NOW.toISOString(),
    };
    expect(decision).toEqual({
      state: closed,
      expectedVersion: null,
      journals: [],
      request: { next: closed },
      events: [],
      audit: {
        entity: `request/${REQUESTER}/${REFERENCE}`,
        action: VOIDED_BEFORE_REQUEST,
        beforeVersion: null,
        afterVersion: 1,
      },
    });
  });

  it("withdraws a request awaiting approval: rejected with the requester's reason, and no approver can approve it", () => {
    const decision = decisionOf(voidIt(found(APPROVAL_ID, { approval: approvalRequest() })));
    expect(decision.state).toEqual({
      ...approvalRequest(),
      status: "rejected",
      decidedBy: `event:${REQUESTER}`,
      decidedAt: NOW.toISOString(),
      reason: `Withdrawn by ${REQUESTER}: cancelled`,
      version: 2,
    });
    expect(decision).toMatchObject({ journals: [], events: [], approval: { expectedVersion: 1 } });
    expect(decision.audit).toEqual({
      entity: `approval/${APPROVAL_ID}`,
      action: "withdraw",
      beforeVersion: 1,
      afterVersion: 2,
    });
    const withdrawn = decision.state as ApprovalRequest;
    expect(
      refusalOf(approve(view(), withdrawn, { approvalId: APPROVAL_ID }, stamp(undefined, "approver-2"))),
    ).toMatchObject({ kind: "conflict", currentState: "rejected" });
  });

  it("is a conflict (ignored) once the hold is resolved, or when no hold was placed under the reference", () => {
    for (const status of ["posted", "voided", "expired"] as const) {
      expect(refusalOf(voidIt(heldHold({ status }))), status).toMatchObject({ kind: "conflict", currentState: status });
    }
    expect(refusalOf(voidIt(found(VOIDED_BEFORE_REQUEST)))).toMatchObject({ kind: "conflict" });
    expect(refusalOf(voidIt(found(rejectedResult("fiscal-year-closed"))))).toMatchObject({ kind: "conflict" });
    const rejected = approvalRequest({ status: "rejected", version: 2 });
    expect(refusalOf(voidIt(found(APPROVAL_ID, { approval: rejected })))).toMatchObject({ kind: "conflict" });
  });

  it("refuses what the record names but the store did not find as not found (dead-lettered)", () => {
    expect(refusalOf(voidIt(found(APPROVAL_ID)))).toMatchObject({ kind: "not-found" });
  });
});

describe("withdraw", () => {
  it("withdraws only a request still awaiting approval, and only its own requester's", () => {
    const command = { requester: REQUESTER, reference: REFERENCE, reason: "cancelled" };
    expect(refusalOf(withdraw(approvalRequest({ status: "approved" }), command, stamp()))).toMatchObject({
      kind: "conflict",
      currentState: "approved",
    });
    expect(refusalOf(withdraw(approvalRequest(), { ...command, requester: "reports" }, stamp()))).toMatchObject({
      kind: "not-found",
    });
  });
});
