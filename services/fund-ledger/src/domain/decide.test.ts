import type { PendingEvent, Refusal } from "@cdp/lambda-kit/decision";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeParse } from "zod/v4/core";
import { addCounters, availableOf, type Counters, movementsOf, ZERO } from "./balances.ts";
import { accountIds, accountInfo, INCOME_SOURCES } from "./chart.ts";
import {
  appropriate,
  approve,
  closeIncomeYear,
  closeProgrammeYear,
  closeYearRefusal,
  contributeCapital,
  fiscalYearClosedEvent,
  holdRejectedEvent,
  type LedgerDecision,
  type LedgerView,
  phaseRefusal,
  postHold,
  recordIncome,
  reject,
  rejectionReasonOf,
  requestHold,
  reverse,
  type Stamp,
  spend,
  voidHold,
} from "./decide.ts";
import type { FiscalYearPhase } from "./fiscal-year.ts";
import { journalProblems } from "./journal.ts";
import type { ApprovalRequest, ExpenseRequest, FiscalYear, Hold, HoldRequest, Journal, Programme } from "./model.ts";

// ---------------------------------------------------------------------------------------------------
// Fixtures

const NOW = new Date("2026-06-15T01:00:00Z");
const TODAY = "2026-06-15";

/** Counter-based UUIDs, so the ids a decision makes can be named in order. */
function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/** A stamp on 2026-06-15 (FY2026 open, FY2025 closable, FY2027 upcoming) whose ids count from `firstId`. */
function stamp(overrides: Partial<Omit<Stamp, "newId">> = {}, firstId = 1): Stamp {
  let next = firstId - 1;
  return {
    now: NOW,
    today: TODAY,
    actor: "manager-1",
    correlationId: "c-1",
    newId: () => uuid(++next),
    ...overrides,
  };
}

/** A stamp at 10:00 in Tokyo on the given day. */
function on(today: string, overrides: Partial<Omit<Stamp, "newId">> = {}, firstId = 1): Stamp {
  return stamp({ now: new Date(`${today}T01:00:00Z`), today, ...overrides }, firstId);
}

const APPROVER = { actor: "approver-2" } as const;

const APPR = accountIds.appropriation(2026, "joint-research");
const COMM = accountIds.commitments(2026, "joint-research");
const EXP = accountIds.expenses(2026, "joint-research");
const APPR_2027 = accountIds.appropriation(2027, "joint-research");
const APPR_2025 = accountIds.appropriation(2025, "joint-research");

function counters(values: Partial<Counters>): Counters {
  return { ...ZERO, ...values };
}

function closedYear(fiscalYear: number, status: FiscalYear["status"] = "closed"): FiscalYear {
  return { fiscalYear, status, version: 2 };
}

/** A ledger view by hand: the counters of the accounts, and the years marked closed (or closing). */
function view(balances: Record<string, Partial<Counters>> = {}, years: FiscalYear[] = []): LedgerView {
  return {
    balances: new Map(Object.entries(balances).map(([account, values]) => [account, counters(values)])),
    fiscalYears: new Map(years.map((year) => [year.fiscalYear, year])),
  };
}

/** 100M in the bank; 30M of the principal appropriated to FY2026 joint research, none of it held or spent. */
const FUNDED = {
  bank: { debitsPosted: 100_000_000 },
  principal: { creditsPosted: 100_000_000, debitsPosted: 30_000_000 },
  [APPR]: { creditsPosted: 30_000_000 },
} satisfies Record<string, Partial<Counters>>;

/** FUNDED, with the 1M hold of `hold()` pending. */
const WITH_HOLD = {
  ...FUNDED,
  [APPR]: { creditsPosted: 30_000_000, debitsPending: 1_000_000 },
  [COMM]: { creditsPending: 1_000_000 },
} satisfies Record<string, Partial<Counters>>;

const PROGRAMME: Programme = {
  id: "joint-research",
  name: { ja: "共同研究", en: "Joint research" },
  approvalThresholdYen: 5_000_000,
  createdAt: "2026-04-01T00:00:00.000Z",
};

/** A programme whose threshold is above anything the tests ask: every hold and expense is decided at once. */
const LAVISH: Programme = { ...PROGRAMME, approvalThresholdYen: 1_000_000_000 };

const DESCRIPTION = { ja: "ロンドンとの共同研究", en: "Joint research with London" };

function holdRequest(overrides: Partial<HoldRequest> = {}): HoldRequest {
  return {
    reference: "placement:p-1",
    programme: "joint-research",
    fiscalYear: 2026,
    amountYen: 1_000_000,
    description: DESCRIPTION,
    ...overrides,
  };
}

function expenseRequest(overrides: Partial<ExpenseRequest> = {}): ExpenseRequest {
  return {
    reference: "invoice:2026-001",
    programme: "joint-research",
    fiscalYear: 2026,
    amountYen: 2_000_000,
    description: DESCRIPTION,
    ...overrides,
  };
}

const HOLD_ID = "11111111-1111-4111-8111-111111111111";
const HOLD_JOURNAL_ID = "22222222-2222-4222-8222-222222222222";
const APPROVAL_ID = "33333333-3333-4333-8333-333333333333";

function hold(overrides: Partial<Hold> = {}): Hold {
  return {
    id: HOLD_ID,
    reference: "placement:p-1",
    programme: "joint-research",
    fiscalYear: 2026,
    amountYen: 1_000_000,
    description: DESCRIPTION,
    status: "held",
    journalId: HOLD_JOURNAL_ID,
    postedYen: 0,
    releasedYen: 0,
    approval: null,
    createdBy: "manager-1",
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
    reference: "placement:p-9",
    programme: "joint-research",
    fiscalYear: 2026,
    amountYen: 8_000_000,
    description: DESCRIPTION,
    requestedBy: "manager-1",
    requestedAt: "2026-06-10T00:00:00.000Z",
    version: 1,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------
// Helpers

type Outcome =
  | { readonly ok: true; readonly decision: LedgerDecision<unknown> }
  | { readonly ok: false; readonly refusal: Refusal };

/** The decision, failing with the refusal when there was none. */
function decisionOf<O extends Outcome>(outcome: O): Extract<O, { ok: true }>["decision"] {
  if (!outcome.ok) throw new Error(`expected a decision, got ${JSON.stringify(outcome.refusal)}`);
  return outcome.decision as Extract<O, { ok: true }>["decision"];
}

/** The refusal, failing when the command was decided. */
function refusalOf(outcome: Outcome): Refusal {
  if (outcome.ok) throw new Error(`expected a refusal, got a decision: ${JSON.stringify(outcome.decision.state)}`);
  return outcome.refusal;
}

/** A decision whose state is a hold (placed at once). */
function placed(outcome: Outcome): LedgerDecision<Hold> {
  const decision = decisionOf(outcome);
  if (!(decision.state && typeof decision.state === "object" && "journalId" in decision.state)) {
    throw new Error(`expected a hold, got ${JSON.stringify(decision.state)}`);
  }
  return decision as LedgerDecision<Hold>;
}

/** A decision whose state is an approval request (waiting for a second person). */
function awaiting(outcome: Outcome): LedgerDecision<ApprovalRequest> {
  const decision = decisionOf(outcome);
  if (!(decision.state && typeof decision.state === "object" && "requestedBy" in decision.state)) {
    throw new Error(`expected an approval request, got ${JSON.stringify(decision.state)}`);
  }
  return decision as LedgerDecision<ApprovalRequest>;
}

/** A decision whose state is a journal. */
function journalled(outcome: Outcome): LedgerDecision<Journal> {
  const decision = decisionOf(outcome);
  if (!(decision.state && typeof decision.state === "object" && "lines" in decision.state)) {
    throw new Error(`expected a journal, got ${JSON.stringify(decision.state)}`);
  }
  return decision as LedgerDecision<Journal>;
}

/** An event's detail as the outbox will write it: what its contract must accept. */
function published(pending: PendingEvent | undefined): { detailType: string; detail: Record<string, unknown> } {
  if (!pending) throw new Error("no event");
  const metadata = { eventId: "e-1", correlationId: "c-1", occurredAt: NOW.toISOString() };
  const parsed = safeParse(pending.contract.detail, {
    ...(pending.detail as object),
    correlationId: "c-1",
    metadata,
  });
  if (!parsed.success) {
    throw new Error(`event does not match ${pending.contract.detailType}: ${JSON.stringify(parsed.error.issues)}`);
  }
  return { detailType: pending.contract.detailType, detail: pending.detail as Record<string, unknown> };
}

function detailTypes(events: readonly PendingEvent[]): string[] {
  return events.map((e) => published(e).detailType);
}

/** The view once the journals are written. */
function apply(before: LedgerView, journals: readonly Journal[]): LedgerView {
  const balances = new Map(before.balances);
  for (const journal of journals) {
    for (const [account, delta] of movementsOf(journal.lines, journal.phase)) {
      balances.set(account, addCounters(balances.get(account) ?? ZERO, delta));
    }
  }
  return { balances, fiscalYears: before.fiscalYears };
}

function availableIn(ledger: LedgerView, account: string): number {
  const info = accountInfo(account);
  if (!info) throw new Error(`not an account: ${account}`);
  return availableOf(info, ledger.balances.get(account) ?? ZERO);
}

function countersIn(ledger: LedgerView, account: string): Counters {
  return ledger.balances.get(account) ?? ZERO;
}

/** Every journal two or more whole positive lines, debits = credits. */
function expectBalanced(journals: readonly Journal[]): void {
  for (const journal of journals) expect(journalProblems(journal.lines), `journal ${journal.id}`).toEqual([]);
}

function spending(amountYen: number, fiscalYear = 2026, programme = "joint-research") {
  return [
    { account: accountIds.appropriation(fiscalYear, programme), side: "debit", amountYen },
    { account: accountIds.commitments(fiscalYear, programme), side: "credit", amountYen },
    { account: accountIds.expenses(fiscalYear, programme), side: "debit", amountYen },
    { account: "bank", side: "credit", amountYen },
  ];
}

function holdLines(amountYen: number, fiscalYear = 2026, programme = "joint-research") {
  return [
    { account: accountIds.appropriation(fiscalYear, programme), side: "debit", amountYen },
    { account: accountIds.commitments(fiscalYear, programme), side: "credit", amountYen },
  ];
}

// ---------------------------------------------------------------------------------------------------

describe("contributeCapital", () => {
  it("posts Dr bank / Cr principal in the current fiscal year, stamped, and publishes the journal", () => {
    const decision = journalled(
      contributeCapital(
        view(),
        { amountYen: 8_000_000_000, description: DESCRIPTION, reference: "ordinance-12" },
        stamp({ requestId: "r-1" }),
      ),
    );
    expect(decision.state).toEqual({
      id: uuid(1),
      kind: "capital",
      fiscalYear: 2026,
      date: TODAY,
      phase: "posted",
      description: DESCRIPTION,
      reference: "ordinance-12",
      lines: [
        { account: "bank", side: "debit", amountYen: 8_000_000_000 },
        { account: "principal", side: "credit", amountYen: 8_000_000_000 },
      ],
      actor: "manager-1",
      approval: null,
      requestId: "r-1",
      correlationId: "c-1",
      createdAt: NOW.toISOString(),
    });
    expect(decision.journals).toEqual([decision.state]);
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events.map(published)).toEqual([
      {
        detailType: "FundJournalPosted.v1",
        detail: expect.objectContaining({
          journalId: uuid(1),
          kind: "capital",
          pending: false,
          reference: "ordinance-12",
        }),
      },
    ]);
    expect(decision.audit).toEqual({
      entity: `journal/${uuid(1)}`,
      action: "capital",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("books capital to the fiscal year of the Tokyo date: March 31 and April 1 fall in different years", () => {
    expect(
      journalled(contributeCapital(view(), { amountYen: 1, description: DESCRIPTION }, on("2027-03-31"))).state
        .fiscalYear,
    ).toBe(2026);
    expect(
      journalled(contributeCapital(view(), { amountYen: 1, description: DESCRIPTION }, on("2027-04-01"))).state
        .fiscalYear,
    ).toBe(2027);
  });

  it("takes capital whatever the phase of the year: it is the fund's, not the year's", () => {
    const decision = journalled(
      contributeCapital(view({}, [closedYear(2026)]), { amountYen: 5, description: DESCRIPTION }, stamp()),
    );
    expect(decision.state.fiscalYear).toBe(2026);
  });

  it("has no reference or request id when none is given", () => {
    const journal = journalled(contributeCapital(view(), { amountYen: 5, description: DESCRIPTION }, stamp())).state;
    expect(journal).not.toHaveProperty("reference");
    expect(journal).not.toHaveProperty("requestId");
  });

  it.each([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1])("refuses %d yen as invalid, naming the amount", (amountYen) => {
    expect(refusalOf(contributeCapital(view(), { amountYen, description: DESCRIPTION }, stamp()))).toEqual({
      kind: "invalid",
      errors: [
        { path: "lines.0.amountYen", message: "must be a whole positive number of yen" },
        { path: "lines.1.amountYen", message: "must be a whole positive number of yen" },
      ],
    });
  });
});

describe("recordIncome", () => {
  it.each(INCOME_SOURCES)("posts Dr bank / Cr the year's %s income", (source) => {
    const decision = journalled(
      recordIncome(view(), { source, amountYen: 250_000, description: DESCRIPTION }, stamp()),
    );
    expect(decision.state).toMatchObject({
      kind: "income",
      fiscalYear: 2026,
      phase: "posted",
      lines: [
        { account: "bank", side: "debit", amountYen: 250_000 },
        { account: `fy2026:income:${source}`, side: "credit", amountYen: 250_000 },
      ],
    });
    expect(detailTypes(decision.events)).toEqual(["FundJournalPosted.v1"]);
  });

  it("in the settlement period of FY2026 books income to the new year, never to the year being settled", () => {
    const decision = journalled(
      recordIncome(view(), { source: "investment", amountYen: 10, description: DESCRIPTION }, on("2027-05-15")),
    );
    expect(decision.state.fiscalYear).toBe(2027);
    expect(decision.state.lines[1]?.account).toBe("fy2027:income:investment");
  });

  it("refuses income when the current year is closed", () => {
    expect(
      refusalOf(
        recordIncome(
          view({}, [closedYear(2026)]),
          { source: "investment", amountYen: 10, description: DESCRIPTION },
          stamp(),
        ),
      ),
    ).toMatchObject({ kind: "rule-broken", rule: "fiscal-year-closed", facts: { fiscalYear: 2026 } });
  });

  it("refuses a non-positive amount as invalid", () => {
    expect(
      refusalOf(recordIncome(view(), { source: "investment", amountYen: 0, description: DESCRIPTION }, stamp())),
    ).toMatchObject({ kind: "invalid" });
  });
});

describe("appropriate", () => {
  const command = { fiscalYear: 2026, programme: "joint-research", amountYen: 10_000_000, description: DESCRIPTION };

  it("posts Dr principal / Cr the programme's appropriation of the year", () => {
    const decision = journalled(appropriate(view(FUNDED), PROGRAMME, command, stamp()));
    expect(decision.state).toMatchObject({
      id: uuid(1),
      kind: "appropriation",
      fiscalYear: 2026,
      phase: "posted",
      lines: [
        { account: "principal", side: "debit", amountYen: 10_000_000 },
        { account: APPR, side: "credit", amountYen: 10_000_000 },
      ],
    });
    expectBalanced(decision.journals);
    const after = apply(view(FUNDED), decision.journals);
    expect(availableIn(after, "principal")).toBe(60_000_000);
    expect(availableIn(after, APPR)).toBe(40_000_000);
  });

  it("takes the principal down to exactly zero", () => {
    const decision = journalled(appropriate(view(FUNDED), PROGRAMME, { ...command, amountYen: 70_000_000 }, stamp()));
    expect(availableIn(apply(view(FUNDED), decision.journals), "principal")).toBe(0);
  });

  it("refuses more than the principal has available, naming the account, what is available and what was asked", () => {
    const refusal = refusalOf(appropriate(view(FUNDED), PROGRAMME, { ...command, amountYen: 70_000_001 }, stamp()));
    expect(refusal).toMatchObject({
      kind: "rule-broken",
      rule: "insufficient-available",
      facts: { account: "principal", availableYen: 70_000_000, requestedYen: 70_000_001 },
    });
  });

  it("refuses when the principal was never funded", () => {
    expect(refusalOf(appropriate(view(), PROGRAMME, command, stamp()))).toMatchObject({
      rule: "insufficient-available",
      facts: { account: "principal", availableYen: 0, requestedYen: 10_000_000 },
    });
  });

  it("refuses an unknown programme", () => {
    expect(refusalOf(appropriate(view(FUNDED), undefined, { ...command, programme: "space-travel" }, stamp()))).toEqual(
      {
        kind: "not-found",
        what: "Programme space-travel",
      },
    );
  });

  it("appropriates ahead, for the upcoming year", () => {
    const decision = journalled(appropriate(view(FUNDED), PROGRAMME, { ...command, fiscalYear: 2027 }, stamp()));
    expect(decision.state.lines[1]?.account).toBe(APPR_2027);
  });

  it.each<[string, string, FiscalYear[], number, string]>([
    ["the settlement period", "2027-05-01", [], 2026, "settlement-period"],
    ["a year whose settlement period has ended", TODAY, [], 2025, "fiscal-year-ended"],
    ["a closed year", TODAY, [closedYear(2026)], 2026, "fiscal-year-closed"],
  ])("refuses in %s", (_, today, years, fiscalYear, rule) => {
    expect(refusalOf(appropriate(view(FUNDED, years), PROGRAMME, { ...command, fiscalYear }, on(today)))).toMatchObject(
      {
        kind: "rule-broken",
        rule,
        facts: { fiscalYear },
      },
    );
  });
});

describe("requestHold", () => {
  it("places a hold at or below the threshold: a pending journal appropriation → commitments", () => {
    const decision = placed(requestHold(view(FUNDED), PROGRAMME, holdRequest(), stamp()));
    const [journal] = decision.journals;
    expect(decision.state).toEqual({
      id: uuid(1),
      reference: "placement:p-1",
      programme: "joint-research",
      fiscalYear: 2026,
      amountYen: 1_000_000,
      description: DESCRIPTION,
      status: "held",
      journalId: uuid(2),
      postedYen: 0,
      releasedYen: 0,
      approval: null,
      createdBy: "manager-1",
      createdAt: NOW.toISOString(),
      version: 1,
    });
    expect(decision.journals).toHaveLength(1);
    expect(journal).toMatchObject({
      id: uuid(2),
      kind: "hold",
      phase: "pending",
      fiscalYear: 2026,
      holdId: uuid(1),
      reference: "placement:p-1",
      approval: null,
      lines: holdLines(1_000_000),
    });
    expect(decision.hold).toEqual({ next: decision.state, expectedVersion: null });
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events.map(published)).toEqual([
      {
        detailType: "FundHoldPlaced.v1",
        detail: {
          holdId: uuid(1),
          reference: "placement:p-1",
          programme: "joint-research",
          fiscalYear: 2026,
          amountYen: 1_000_000,
          journalId: uuid(2),
        },
      },
      {
        detailType: "FundJournalPosted.v1",
        detail: expect.objectContaining({ journalId: uuid(2), kind: "hold", pending: true }),
      },
    ]);
    expect(decision.audit).toEqual({
      entity: `hold/${uuid(1)}`,
      action: "place",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("holds the amount against the appropriation's available balance without spending it", () => {
    const decision = placed(requestHold(view(FUNDED), PROGRAMME, holdRequest(), stamp()));
    const after = apply(view(FUNDED), decision.journals);
    expect(availableIn(after, APPR)).toBe(29_000_000);
    expect(countersIn(after, APPR)).toEqual(counters({ creditsPosted: 30_000_000, debitsPending: 1_000_000 }));
    expect(countersIn(after, COMM)).toEqual(counters({ creditsPending: 1_000_000 }));
    expect(availableIn(after, "bank")).toBe(100_000_000);
  });

  it("places a hold of exactly the threshold at once", () => {
    const decision = placed(requestHold(view(FUNDED), PROGRAMME, holdRequest({ amountYen: 5_000_000 }), stamp()));
    expect(decision.state.status).toBe("held");
  });

  it("carries the requester, the expiry and the partner into the hold and its event", () => {
    const request = holdRequest({ requester: "talent-exchange", expiresOn: "2026-09-30", partnerId: "london" });
    const decision = placed(requestHold(view(FUNDED), PROGRAMME, request, stamp()));
    expect(decision.state).toMatchObject({
      requester: "talent-exchange",
      expiresOn: "2026-09-30",
      partnerId: "london",
    });
    expect(published(decision.events[0]).detail).toMatchObject({
      requester: "talent-exchange",
      expiresOn: "2026-09-30",
    });
  });

  it("above the threshold asks for approval: an awaiting request, no journal, no event", () => {
    const request = holdRequest({ amountYen: 5_000_001, requester: "talent-exchange", expiresOn: "2026-09-30" });
    const decision = awaiting(requestHold(view(FUNDED), PROGRAMME, request, stamp()));
    expect(decision.state).toEqual({
      id: uuid(1),
      operation: "hold",
      status: "awaiting-approval",
      reference: "placement:p-1",
      requester: "talent-exchange",
      programme: "joint-research",
      fiscalYear: 2026,
      amountYen: 5_000_001,
      description: DESCRIPTION,
      expiresOn: "2026-09-30",
      requestedBy: "manager-1",
      requestedAt: NOW.toISOString(),
      version: 1,
    });
    expect(decision.journals).toEqual([]);
    expect(decision.hold).toBeUndefined();
    expect(decision.approval).toEqual({ next: decision.state, expectedVersion: null });
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({
      entity: `approval/${uuid(1)}`,
      action: "request-hold",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("uses the programme's own threshold", () => {
    const strict = { ...PROGRAMME, approvalThresholdYen: 100_000 };
    expect(awaiting(requestHold(view(FUNDED), strict, holdRequest({ amountYen: 100_001 }), stamp())).state.status).toBe(
      "awaiting-approval",
    );
    expect(placed(requestHold(view(FUNDED), strict, holdRequest({ amountYen: 100_000 }), stamp())).state.status).toBe(
      "held",
    );
  });

  it("refuses more than the appropriation has available, holds already placed counted", () => {
    const ledger = view({
      ...FUNDED,
      [APPR]: { creditsPosted: 1_000_000, debitsPosted: 200_000, debitsPending: 400_000 },
    });
    expect(refusalOf(requestHold(ledger, PROGRAMME, holdRequest({ amountYen: 400_001 }), stamp()))).toMatchObject({
      kind: "rule-broken",
      rule: "insufficient-available",
      facts: { account: APPR, availableYen: 400_000, requestedYen: 400_001 },
    });
    expect(placed(requestHold(ledger, PROGRAMME, holdRequest({ amountYen: 400_000 }), stamp())).state.status).toBe(
      "held",
    );
  });

  it("refuses when the programme has no appropriation for the year", () => {
    expect(refusalOf(requestHold(view(FUNDED), PROGRAMME, holdRequest({ fiscalYear: 2027 }), stamp()))).toEqual({
      kind: "not-found",
      what: "An appropriation for FY2027 joint-research",
    });
  });

  it("refuses a hold above the threshold for a year without an appropriation at once, not after an approver's decision", () => {
    const request = holdRequest({ fiscalYear: 2027, amountYen: 5_000_001 });
    expect(refusalOf(requestHold(view(FUNDED), PROGRAMME, request, stamp()))).toEqual({
      kind: "not-found",
      what: "An appropriation for FY2027 joint-research",
    });
  });

  it("refuses an unknown programme", () => {
    expect(
      refusalOf(requestHold(view(FUNDED), undefined, holdRequest({ programme: "space-travel" }), stamp())),
    ).toEqual({
      kind: "not-found",
      what: "Programme space-travel",
    });
  });

  it("refuses a hold in a closed year, below and above the threshold", () => {
    const ledger = view({ ...FUNDED, [APPR_2025]: { creditsPosted: 1_000_000 } }, [closedYear(2025)]);
    for (const amountYen of [100, 6_000_000]) {
      expect(
        refusalOf(requestHold(ledger, PROGRAMME, holdRequest({ fiscalYear: 2025, amountYen }), stamp())),
      ).toMatchObject({
        kind: "rule-broken",
        rule: "fiscal-year-closed",
        facts: { fiscalYear: 2025 },
      });
    }
  });

  it("refuses a hold in the settlement period, below and above the threshold", () => {
    for (const amountYen of [100, 6_000_000]) {
      expect(
        refusalOf(requestHold(view(FUNDED), PROGRAMME, holdRequest({ amountYen }), on("2027-04-01"))),
      ).toMatchObject({
        kind: "rule-broken",
        rule: "settlement-period",
        facts: { fiscalYear: 2026 },
      });
    }
  });

  it("refuses a hold in a year whose settlement period has ended", () => {
    expect(refusalOf(requestHold(view(FUNDED), PROGRAMME, holdRequest(), on("2027-06-01")))).toMatchObject({
      rule: "fiscal-year-ended",
    });
  });

  it("places a hold ahead, in the upcoming year", () => {
    const ledger = view({ ...FUNDED, [APPR_2027]: { creditsPosted: 5_000_000 } });
    const decision = placed(requestHold(ledger, PROGRAMME, holdRequest({ fiscalYear: 2027 }), stamp()));
    expect(decision.journals[0]?.lines).toEqual(holdLines(1_000_000, 2027));
    expect(decision.journals[0]?.fiscalYear).toBe(2027);
  });
});

describe("postHold", () => {
  const ledger = view(WITH_HOLD);

  it("posts a hold in full: releases it, and posts the spending in four lines", () => {
    const decision = placed(postHold(ledger, hold(), { holdId: HOLD_ID }, stamp()));
    const [release, posting] = decision.journals;
    expect(decision.journals).toHaveLength(2);
    expect(release).toMatchObject({
      id: uuid(1),
      kind: "release",
      phase: "release",
      fiscalYear: 2026,
      holdId: HOLD_ID,
      releases: HOLD_JOURNAL_ID,
      reference: "placement:p-1",
      lines: holdLines(1_000_000),
    });
    expect(posting).toMatchObject({
      id: uuid(2),
      kind: "posting",
      phase: "posted",
      fiscalYear: 2026,
      holdId: HOLD_ID,
      reference: "placement:p-1",
      description: DESCRIPTION,
      lines: spending(1_000_000),
    });
    expect(decision.state).toEqual({
      ...hold(),
      status: "posted",
      postedYen: 1_000_000,
      releasedYen: 0,
      resolvedBy: [uuid(1), uuid(2)],
      resolvedAt: NOW.toISOString(),
      version: 2,
    });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.hold).toEqual({ next: decision.state, expectedVersion: 1 });
    expect(decision.events.map(published)).toEqual([
      {
        detailType: "FundHoldPosted.v1",
        detail: {
          holdId: HOLD_ID,
          reference: "placement:p-1",
          programme: "joint-research",
          fiscalYear: 2026,
          amountYen: 1_000_000,
          postedYen: 1_000_000,
          releasedYen: 0,
          journalId: uuid(2),
        },
      },
      { detailType: "FundJournalPosted.v1", detail: expect.objectContaining({ journalId: uuid(1), kind: "release" }) },
      { detailType: "FundJournalPosted.v1", detail: expect.objectContaining({ journalId: uuid(2), kind: "posting" }) },
    ]);
    expect(decision.audit).toEqual({ entity: `hold/${HOLD_ID}`, action: "post", beforeVersion: 1, afterVersion: 2 });
    expectBalanced(decision.journals);

    const after = apply(ledger, decision.journals);
    expect(countersIn(after, APPR)).toEqual(counters({ creditsPosted: 30_000_000, debitsPosted: 1_000_000 }));
    expect(countersIn(after, COMM)).toEqual(counters({ creditsPosted: 1_000_000 }));
    expect(countersIn(after, EXP)).toEqual(counters({ debitsPosted: 1_000_000 }));
    expect(availableIn(after, "bank")).toBe(99_000_000);
  });

  it("posts a hold in part: the whole hold is released, what was not spent returns to the budget", () => {
    const decision = placed(postHold(ledger, hold(), { holdId: HOLD_ID, amountYen: 600_000 }, stamp()));
    const [release, posting] = decision.journals;
    expect(release?.lines).toEqual(holdLines(1_000_000));
    expect(posting?.lines).toEqual(spending(600_000));
    expect(decision.state).toMatchObject({ status: "posted", postedYen: 600_000, releasedYen: 400_000 });
    expect(published(decision.events[0]).detail).toMatchObject({ postedYen: 600_000, releasedYen: 400_000 });

    const after = apply(ledger, decision.journals);
    expect(availableIn(after, APPR)).toBe(29_400_000);
    expect(countersIn(after, APPR).debitsPending).toBe(0);
    expect(countersIn(after, COMM).creditsPending).toBe(0);
    expect(availableIn(after, "bank")).toBe(99_400_000);
  });

  it("carries the hold's approval onto its posting", () => {
    const approval = { by: "approver-2", at: "2026-06-02T00:00:00.000Z" };
    const decision = placed(postHold(ledger, hold({ approval }), { holdId: HOLD_ID }, stamp()));
    expect(decision.journals[1]?.approval).toEqual(approval);
    expect(decision.journals[0]?.approval).toBeNull();
  });

  it("refuses to post more than is held", () => {
    expect(refusalOf(postHold(ledger, hold(), { holdId: HOLD_ID, amountYen: 1_000_001 }, stamp()))).toMatchObject({
      kind: "rule-broken",
      rule: "post-exceeds-hold",
      facts: { heldYen: 1_000_000, requestedYen: 1_000_001 },
    });
  });

  it.each<Hold["status"]>(["posted", "voided", "expired"])(
    "refuses to post a hold already %s, naming its state",
    (status) => {
      expect(refusalOf(postHold(ledger, hold({ status }), { holdId: HOLD_ID }, stamp()))).toEqual({
        kind: "conflict",
        detail: `Hold ${HOLD_ID} is ${status} already: a hold is resolved once`,
        currentState: status,
      });
    },
  );

  it("refuses an unknown hold", () => {
    expect(refusalOf(postHold(ledger, undefined, { holdId: HOLD_ID }, stamp()))).toEqual({
      kind: "not-found",
      what: `Hold ${HOLD_ID}`,
    });
  });

  it("refuses a stale expected version, naming the current one; the current one passes", () => {
    expect(refusalOf(postHold(ledger, hold({ version: 3 }), { holdId: HOLD_ID, expectedVersion: 2 }, stamp()))).toEqual(
      {
        kind: "stale",
        currentVersion: 3,
      },
    );
    expect(
      placed(postHold(ledger, hold({ version: 3 }), { holdId: HOLD_ID, expectedVersion: 3 }, stamp())).state.version,
    ).toBe(4);
  });

  it("refuses when the bank cannot pay, naming the bank", () => {
    const poor = view({ ...WITH_HOLD, bank: { debitsPosted: 500_000 } });
    expect(refusalOf(postHold(poor, hold(), { holdId: HOLD_ID, amountYen: 600_000 }, stamp()))).toMatchObject({
      kind: "rule-broken",
      rule: "insufficient-available",
      facts: { account: "bank", availableYen: 500_000, requestedYen: 600_000 },
    });
    expect(placed(postHold(poor, hold(), { holdId: HOLD_ID, amountYen: 500_000 }, stamp())).state.postedYen).toBe(
      500_000,
    );
  });

  it("posts in the settlement period: the year takes the postings of its own holds until May 31", () => {
    const decision = placed(postHold(ledger, hold(), { holdId: HOLD_ID }, on("2027-05-31")));
    expect(decision.journals.map((j) => [j.kind, j.fiscalYear, j.date])).toEqual([
      ["release", 2026, "2027-05-31"],
      ["posting", 2026, "2027-05-31"],
    ]);
  });

  it("refuses to post after the settlement period", () => {
    expect(refusalOf(postHold(ledger, hold(), { holdId: HOLD_ID }, on("2027-06-01")))).toMatchObject({
      kind: "rule-broken",
      rule: "fiscal-year-ended",
      facts: { fiscalYear: 2026 },
    });
  });

  it("refuses to post in a closed year", () => {
    expect(
      refusalOf(postHold(view(WITH_HOLD, [closedYear(2026)]), hold(), { holdId: HOLD_ID }, stamp())),
    ).toMatchObject({
      rule: "fiscal-year-closed",
    });
  });

  it("refuses to post a hold placed ahead before its year starts", () => {
    expect(refusalOf(postHold(ledger, hold({ fiscalYear: 2027 }), { holdId: HOLD_ID }, stamp()))).toMatchObject({
      rule: "fiscal-year-not-started",
      facts: { fiscalYear: 2027 },
    });
  });

  // The amount to post is a whole positive number of yen: zero would write zero-yen lines, a negative amount
  // would raise the appropriation and the bank out of nothing.
  it.each([0, -100, 0.5])("refuses to post %s yen, naming the field", (amountYen) => {
    expect(refusalOf(postHold(ledger, hold(), { holdId: HOLD_ID, amountYen }, stamp()))).toEqual({
      kind: "invalid",
      errors: [{ path: "body.amountYen", message: expect.any(String) }],
    });
  });
});

describe("voidHold", () => {
  const ledger = view(WITH_HOLD);

  it("voids a hold: the whole amount is released back to the appropriation", () => {
    const decision = placed(voidHold(ledger, hold(), { holdId: HOLD_ID, reason: "voided" }, stamp()));
    expect(decision.journals).toEqual([
      expect.objectContaining({
        id: uuid(1),
        kind: "release",
        phase: "release",
        holdId: HOLD_ID,
        releases: HOLD_JOURNAL_ID,
        lines: holdLines(1_000_000),
      }),
    ]);
    expect(decision.state).toEqual({
      ...hold(),
      status: "voided",
      releasedYen: 1_000_000,
      resolvedBy: [uuid(1)],
      resolvedAt: NOW.toISOString(),
      version: 2,
    });
    expect(decision.hold).toEqual({ next: decision.state, expectedVersion: 1 });
    expect(decision.events.map(published)).toEqual([
      {
        detailType: "FundHoldVoided.v1",
        detail: {
          holdId: HOLD_ID,
          reference: "placement:p-1",
          programme: "joint-research",
          fiscalYear: 2026,
          amountYen: 1_000_000,
          releasedYen: 1_000_000,
          reason: "voided",
          journalId: uuid(1),
        },
      },
      { detailType: "FundJournalPosted.v1", detail: expect.objectContaining({ kind: "release", pending: false }) },
    ]);
    expect(decision.audit).toEqual({ entity: `hold/${HOLD_ID}`, action: "void", beforeVersion: 1, afterVersion: 2 });

    const after = apply(ledger, decision.journals);
    expect(countersIn(after, APPR)).toEqual(counters({ creditsPosted: 30_000_000 }));
    expect(countersIn(after, COMM)).toEqual(ZERO);
    expect(availableIn(after, APPR)).toBe(30_000_000);
  });

  it("expires a hold once its expiry day has passed", () => {
    const decision = placed(
      voidHold(
        ledger,
        hold({ expiresOn: "2026-06-14", requester: "talent-exchange" }),
        { holdId: HOLD_ID, reason: "expired" },
        stamp(),
      ),
    );
    expect(decision.state.status).toBe("expired");
    expect(published(decision.events[0]).detail).toMatchObject({ reason: "expired", requester: "talent-exchange" });
    expect(decision.audit.action).toBe("expired");
  });

  it.each<[string, string | undefined]>([
    ["on its expiry day", "2026-06-15"],
    ["before its expiry day", "2026-07-01"],
    ["without an expiry", undefined],
  ])("refuses to expire a hold %s", (_, expiresOn) => {
    const held = hold(expiresOn ? { expiresOn } : {});
    expect(refusalOf(voidHold(ledger, held, { holdId: HOLD_ID, reason: "expired" }, stamp()))).toEqual({
      kind: "conflict",
      detail: `Hold ${HOLD_ID} has not expired`,
      currentState: "held",
    });
  });

  it("voids a hold when its year closes, as voided, with that reason", () => {
    const decision = placed(
      voidHold(ledger, hold(), { holdId: HOLD_ID, reason: "fiscal-year-closed" }, on("2027-06-01")),
    );
    expect(decision.state.status).toBe("voided");
    expect(published(decision.events[0]).detail).toMatchObject({ reason: "fiscal-year-closed" });
  });

  it("resolves a hold exactly once", () => {
    const voiding = placed(voidHold(ledger, hold(), { holdId: HOLD_ID, reason: "voided" }, stamp()));
    const voided = voiding.state;
    const after = apply(ledger, voiding.journals);
    expect(refusalOf(voidHold(after, voided, { holdId: HOLD_ID, reason: "voided" }, stamp()))).toMatchObject({
      kind: "conflict",
      currentState: "voided",
    });
    expect(refusalOf(postHold(after, voided, { holdId: HOLD_ID }, stamp()))).toMatchObject({
      kind: "conflict",
      currentState: "voided",
    });
    const posted = placed(postHold(ledger, hold(), { holdId: HOLD_ID }, stamp())).state;
    expect(refusalOf(voidHold(ledger, posted, { holdId: HOLD_ID, reason: "voided" }, stamp()))).toMatchObject({
      kind: "conflict",
      currentState: "posted",
    });
    const expired = hold({ status: "expired", expiresOn: "2026-06-01" });
    expect(refusalOf(voidHold(ledger, expired, { holdId: HOLD_ID, reason: "expired" }, stamp()))).toMatchObject({
      kind: "conflict",
      currentState: "expired",
    });
  });

  it("refuses an unknown hold and a stale version", () => {
    expect(refusalOf(voidHold(ledger, undefined, { holdId: HOLD_ID, reason: "voided" }, stamp()))).toEqual({
      kind: "not-found",
      what: `Hold ${HOLD_ID}`,
    });
    expect(
      refusalOf(
        voidHold(ledger, hold({ version: 2 }), { holdId: HOLD_ID, reason: "voided", expectedVersion: 1 }, stamp()),
      ),
    ).toEqual({ kind: "stale", currentVersion: 2 });
  });

  it("voids after the settlement period and while the year is closing, but not once it is closed", () => {
    expect(placed(voidHold(ledger, hold(), { holdId: HOLD_ID, reason: "voided" }, on("2027-06-01"))).state.status).toBe(
      "voided",
    );
    const closing = view(WITH_HOLD, [closedYear(2026, "closing")]);
    expect(
      placed(voidHold(closing, hold(), { holdId: HOLD_ID, reason: "fiscal-year-closed" }, on("2027-06-01"))).state
        .status,
    ).toBe("voided");
    const closed = view(WITH_HOLD, [closedYear(2026)]);
    expect(refusalOf(voidHold(closed, hold(), { holdId: HOLD_ID, reason: "voided" }, on("2027-06-01")))).toMatchObject({
      rule: "fiscal-year-closed",
    });
  });
});

describe("spend", () => {
  it("at or below the threshold posts the expense at once: budget consumed, cash paid", () => {
    const decision = journalled(spend(view(FUNDED), PROGRAMME, expenseRequest({ partnerId: "london" }), stamp()));
    expect(decision.state).toMatchObject({
      id: uuid(1),
      kind: "expense",
      phase: "posted",
      fiscalYear: 2026,
      reference: "invoice:2026-001",
      approval: null,
      lines: spending(2_000_000),
    });
    expect(decision.journals).toEqual([decision.state]);
    expect(detailTypes(decision.events)).toEqual(["FundJournalPosted.v1"]);
    expect(decision.audit).toEqual({
      entity: `journal/${uuid(1)}`,
      action: "expense",
      beforeVersion: null,
      afterVersion: 1,
    });
    expectBalanced(decision.journals);
    const after = apply(view(FUNDED), decision.journals);
    expect(availableIn(after, APPR)).toBe(28_000_000);
    expect(availableIn(after, "bank")).toBe(98_000_000);
    expect(
      journalled(spend(view(FUNDED), PROGRAMME, expenseRequest({ amountYen: 5_000_000 }), stamp())).state.kind,
    ).toBe("expense");
  });

  it("above the threshold asks for approval: no journal yet", () => {
    const decision = awaiting(
      spend(view(FUNDED), PROGRAMME, expenseRequest({ amountYen: 5_000_001, partnerId: "london" }), stamp()),
    );
    expect(decision.state).toMatchObject({
      id: uuid(1),
      operation: "expense",
      status: "awaiting-approval",
      amountYen: 5_000_001,
      partnerId: "london",
      requestedBy: "manager-1",
    });
    expect(decision.state).not.toHaveProperty("requester");
    expect(decision.journals).toEqual([]);
    expect(decision.events).toEqual([]);
    expect(decision.audit.action).toBe("request-expense");
  });

  it("refuses to spend in the upcoming year, below and above the threshold", () => {
    const ledger = view({ ...FUNDED, [APPR_2027]: { creditsPosted: 10_000_000 } });
    for (const amountYen of [100, 6_000_000]) {
      expect(
        refusalOf(spend(ledger, PROGRAMME, expenseRequest({ fiscalYear: 2027, amountYen }), stamp())),
      ).toMatchObject({
        kind: "rule-broken",
        rule: "fiscal-year-not-started",
        facts: { fiscalYear: 2027 },
      });
    }
  });

  it("refuses to spend in the settlement period: only holds are posted then", () => {
    expect(refusalOf(spend(view(FUNDED), PROGRAMME, expenseRequest(), on("2027-04-10")))).toMatchObject({
      rule: "settlement-period",
    });
  });

  it("refuses more than the appropriation or the bank has available", () => {
    expect(refusalOf(spend(view(FUNDED), LAVISH, expenseRequest({ amountYen: 30_000_001 }), stamp()))).toMatchObject({
      kind: "rule-broken",
      rule: "insufficient-available",
      facts: { account: APPR, availableYen: 30_000_000, requestedYen: 30_000_001 },
    });
    const strained = view({ ...FUNDED, [APPR]: { creditsPosted: 30_000_000, debitsPending: 29_000_000 } });
    expect(refusalOf(spend(strained, PROGRAMME, expenseRequest({ amountYen: 1_000_001 }), stamp()))).toMatchObject({
      facts: { account: APPR, availableYen: 1_000_000, requestedYen: 1_000_001 },
    });
    const poor = view({ ...FUNDED, bank: { debitsPosted: 1_000 } });
    expect(refusalOf(spend(poor, PROGRAMME, expenseRequest(), stamp()))).toMatchObject({
      facts: { account: "bank", availableYen: 1_000, requestedYen: 2_000_000 },
    });
  });

  it("refuses without an appropriation, and for an unknown programme", () => {
    expect(refusalOf(spend(view({ bank: { debitsPosted: 10 } }), PROGRAMME, expenseRequest(), stamp()))).toEqual({
      kind: "not-found",
      what: "An appropriation for FY2026 joint-research",
    });
    expect(refusalOf(spend(view(FUNDED), undefined, expenseRequest(), stamp()))).toMatchObject({ kind: "not-found" });
  });
});

describe("approve and reject", () => {
  it("the requester cannot approve or reject their own request", () => {
    const own = stamp({ actor: "manager-1" });
    const twoPersons = {
      kind: "rule-broken",
      rule: "two-person-rule",
      detail: "The requester cannot approve or reject their own request",
      facts: { requestedBy: "manager-1" },
    };
    expect(refusalOf(approve(view(FUNDED), approvalRequest(), { approvalId: APPROVAL_ID }, own))).toEqual(twoPersons);
    expect(refusalOf(reject(approvalRequest(), { approvalId: APPROVAL_ID, reason: "no" }, own))).toEqual(twoPersons);
  });

  it("approving a hold request places the hold, stamped with the approval", () => {
    const request = approvalRequest({ requester: "talent-exchange", expiresOn: "2026-12-31" });
    const decision = awaiting(approve(view(FUNDED), request, { approvalId: APPROVAL_ID }, stamp(APPROVER)));
    const stampOfApproval = { by: "approver-2", at: NOW.toISOString() };
    expect(decision.state).toEqual({
      ...request,
      status: "approved",
      decidedBy: "approver-2",
      decidedAt: NOW.toISOString(),
      resultId: uuid(1),
      version: 2,
    });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.approval).toEqual({ next: decision.state, expectedVersion: 1 });
    expect(decision.hold?.expectedVersion).toBeNull();
    expect(decision.hold?.next).toMatchObject({
      id: uuid(1),
      status: "held",
      amountYen: 8_000_000,
      reference: "placement:p-9",
      requester: "talent-exchange",
      expiresOn: "2026-12-31",
      approval: stampOfApproval,
      createdBy: "approver-2",
    });
    expect(decision.journals).toEqual([
      expect.objectContaining({
        kind: "hold",
        phase: "pending",
        approval: stampOfApproval,
        lines: holdLines(8_000_000),
      }),
    ]);
    expect(detailTypes(decision.events)).toEqual(["FundHoldPlaced.v1", "FundJournalPosted.v1"]);
    expect(published(decision.events[0]).detail).toMatchObject({ requester: "talent-exchange", amountYen: 8_000_000 });
    expect(decision.audit).toEqual({
      entity: `approval/${APPROVAL_ID}`,
      action: "approve",
      beforeVersion: 1,
      afterVersion: 2,
    });
  });

  it("approving an expense request posts the expense, stamped with the approval", () => {
    const request = approvalRequest({ operation: "expense", reference: "invoice:2026-009" });
    const decision = awaiting(approve(view(FUNDED), request, { approvalId: APPROVAL_ID }, stamp(APPROVER)));
    expect(decision.state).toMatchObject({ status: "approved", resultId: uuid(1) });
    expect(decision.hold).toBeUndefined();
    expect(decision.journals).toEqual([
      expect.objectContaining({
        id: uuid(1),
        kind: "expense",
        reference: "invoice:2026-009",
        approval: { by: "approver-2", at: NOW.toISOString() },
        lines: spending(8_000_000),
      }),
    ]);
    expect(detailTypes(decision.events)).toEqual(["FundJournalPosted.v1"]);
  });

  it("refuses the approval when the money is no longer there, leaving the request as it was", () => {
    const spent = view({ ...FUNDED, [APPR]: { creditsPosted: 30_000_000, debitsPosted: 25_000_000 } });
    expect(refusalOf(approve(spent, approvalRequest(), { approvalId: APPROVAL_ID }, stamp(APPROVER)))).toMatchObject({
      rule: "insufficient-available",
      facts: { account: APPR, availableYen: 5_000_000, requestedYen: 8_000_000 },
    });
  });

  it("refuses the approval of a hold once its year no longer takes holds", () => {
    expect(
      refusalOf(approve(view(FUNDED), approvalRequest(), { approvalId: APPROVAL_ID }, on("2027-04-02", APPROVER))),
    ).toMatchObject({
      rule: "settlement-period",
    });
  });

  it.each<ApprovalRequest["status"]>(["approved", "rejected"])(
    "refuses to approve or reject a request already %s",
    (status) => {
      const request = approvalRequest({ status, decidedBy: "approver-3" });
      const conflict = {
        kind: "conflict",
        detail: `Approval request ${APPROVAL_ID} is ${status} already`,
        currentState: status,
      };
      expect(refusalOf(approve(view(FUNDED), request, { approvalId: APPROVAL_ID }, stamp(APPROVER)))).toEqual(conflict);
      expect(refusalOf(reject(request, { approvalId: APPROVAL_ID, reason: "no" }, stamp(APPROVER)))).toEqual(conflict);
    },
  );

  it("refuses an unknown request", () => {
    expect(refusalOf(approve(view(FUNDED), undefined, { approvalId: APPROVAL_ID }, stamp(APPROVER)))).toEqual({
      kind: "not-found",
      what: `Approval request ${APPROVAL_ID}`,
    });
    expect(refusalOf(reject(undefined, { approvalId: APPROVAL_ID, reason: "no" }, stamp(APPROVER)))).toMatchObject({
      kind: "not-found",
    });
  });

  it("rejecting a request records who, when and why, and writes no journal", () => {
    const decision = awaiting(
      reject(approvalRequest(), { approvalId: APPROVAL_ID, reason: "Over budget" }, stamp(APPROVER)),
    );
    expect(decision.state).toEqual({
      ...approvalRequest(),
      status: "rejected",
      decidedBy: "approver-2",
      decidedAt: NOW.toISOString(),
      reason: "Over budget",
      version: 2,
    });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.approval).toEqual({ next: decision.state, expectedVersion: 1 });
    expect(decision.journals).toEqual([]);
    expect(decision.audit).toEqual({
      entity: `approval/${APPROVAL_ID}`,
      action: "reject",
      beforeVersion: 1,
      afterVersion: 2,
    });
  });

  it("rejecting a hold asked for by another service tells it why, with FundHoldRejected.v1", () => {
    const request = approvalRequest({ requester: "talent-exchange" });
    const decision = awaiting(reject(request, { approvalId: APPROVAL_ID, reason: "Not this year" }, stamp(APPROVER)));
    expect(decision.events.map(published)).toEqual([
      {
        detailType: "FundHoldRejected.v1",
        detail: {
          reference: "placement:p-9",
          requester: "talent-exchange",
          programme: "joint-research",
          fiscalYear: 2026,
          amountYen: 8_000_000,
          reason: "approver-rejected",
          detail: "Not this year",
        },
      },
    ]);
  });

  it("rejecting a request made over HTTP, or an expense, publishes nothing", () => {
    expect(
      awaiting(reject(approvalRequest(), { approvalId: APPROVAL_ID, reason: "no" }, stamp(APPROVER))).events,
    ).toEqual([]);
    const expense = approvalRequest({ operation: "expense", requester: "talent-exchange" });
    expect(awaiting(reject(expense, { approvalId: APPROVAL_ID, reason: "no" }, stamp(APPROVER))).events).toEqual([]);
  });
});

describe("holdRejectedEvent", () => {
  it("cuts the detail to the 1000 characters its contract takes", () => {
    const pending = holdRejectedEvent(
      holdRequest({ requester: "talent-exchange" }),
      "insufficient-available",
      "x".repeat(1500),
    );
    expect(published(pending).detail).toMatchObject({ reason: "insufficient-available", detail: "x".repeat(1000) });
  });
});

describe("reverse", () => {
  const appropriation = journalled(
    appropriate(
      view(FUNDED),
      PROGRAMME,
      { fiscalYear: 2026, programme: "joint-research", amountYen: 10_000_000, description: DESCRIPTION },
      stamp({}, 100),
    ),
  ).state;
  const afterAppropriation = apply(view(FUNDED), [appropriation]);
  const correction = { ja: "訂正", en: "Correction" };

  it("posts the same lines on the other sides, linked to the original, and marks the original reversed", () => {
    const decision = journalled(
      reverse(afterAppropriation, appropriation, { journalId: appropriation.id, description: correction }, stamp()),
    );
    expect(decision.state).toMatchObject({
      id: uuid(1),
      kind: "reversal",
      phase: "posted",
      fiscalYear: 2026,
      description: correction,
      reverses: appropriation.id,
      lines: [
        { account: "principal", side: "credit", amountYen: 10_000_000 },
        { account: APPR, side: "debit", amountYen: 10_000_000 },
      ],
    });
    expect(decision.reversal).toEqual({ journalId: appropriation.id, reversedBy: uuid(1) });
    expect(decision.events.map(published)).toEqual([
      {
        detailType: "FundJournalPosted.v1",
        detail: expect.objectContaining({ kind: "reversal", reverses: appropriation.id }),
      },
    ]);
    expect(decision.audit).toEqual({
      entity: `journal/${appropriation.id}`,
      action: "reverse",
      beforeVersion: 1,
      afterVersion: 1,
    });
    const after = apply(afterAppropriation, decision.journals);
    expect(availableIn(after, "principal")).toBe(availableIn(view(FUNDED), "principal"));
    expect(availableIn(after, APPR)).toBe(availableIn(view(FUNDED), APPR));
  });

  it("keeps the original's reference", () => {
    const expense = journalled(spend(view(FUNDED), PROGRAMME, expenseRequest(), stamp({}, 100))).state;
    const decision = journalled(
      reverse(apply(view(FUNDED), [expense]), expense, { journalId: expense.id, description: correction }, stamp()),
    );
    expect(decision.state.reference).toBe("invoice:2026-001");
    expect(decision.state.lines).toEqual(
      spending(2_000_000).map((line) => ({ ...line, side: line.side === "debit" ? "credit" : "debit" })),
    );
  });

  it("refuses a journal already reversed, naming the reversal", () => {
    expect(
      refusalOf(
        reverse(
          afterAppropriation,
          { ...appropriation, reversedBy: uuid(7) },
          { journalId: appropriation.id, description: correction },
          stamp(),
        ),
      ),
    ).toMatchObject({ kind: "rule-broken", rule: "already-reversed", facts: { reversedBy: uuid(7) } });
  });

  it("refuses an unknown journal", () => {
    expect(
      refusalOf(reverse(afterAppropriation, undefined, { journalId: uuid(9), description: correction }, stamp())),
    ).toEqual({
      kind: "not-found",
      what: `Journal ${uuid(9)}`,
    });
  });

  it("refuses to reverse holds, releases, closings and reversals: holds are voided, the rest stand", () => {
    const held = placed(requestHold(view(FUNDED), PROGRAMME, holdRequest(), stamp({}, 200)));
    const holdJournal = held.journals[0];
    const withHold = apply(view(FUNDED), held.journals);
    const voided = placed(voidHold(withHold, held.state, { holdId: held.state.id, reason: "voided" }, stamp({}, 300)));
    const closing = closeIncomeYear(
      view({ "fy2025:income:investment": { creditsPosted: 10 } }).balances,
      2025,
      ["investment"],
      stamp({}, 400),
    );
    const reversal = journalled(
      reverse(
        afterAppropriation,
        appropriation,
        { journalId: appropriation.id, description: correction },
        stamp({}, 500),
      ),
    ).state;
    const notReversible = [holdJournal, voided.journals[0], closing, reversal];
    expect(notReversible.map((j) => j?.kind)).toEqual(["hold", "release", "closing", "reversal"]);
    for (const original of notReversible) {
      if (!original) throw new Error("missing journal");
      expect(
        refusalOf(reverse(withHold, original, { journalId: original.id, description: correction }, stamp())),
      ).toMatchObject({
        kind: "rule-broken",
        rule: "not-reversible",
        facts: { kind: original.kind },
      });
    }
  });

  it("refuses to reverse an appropriation whose money is held", () => {
    const held = view({ ...FUNDED, [APPR]: { creditsPosted: 40_000_000, debitsPending: 35_000_000 } });
    expect(
      refusalOf(reverse(held, appropriation, { journalId: appropriation.id, description: correction }, stamp())),
    ).toMatchObject({
      kind: "rule-broken",
      rule: "insufficient-available",
      facts: { account: APPR, availableYen: 5_000_000, requestedYen: 10_000_000 },
    });
  });

  it("refuses to reverse a year's income in its settlement period, and an appropriation after it", () => {
    const income = journalled(
      recordIncome(view(), { source: "investment", amountYen: 500, description: DESCRIPTION }, stamp({}, 100)),
    ).state;
    const withIncome = apply(view({ bank: { debitsPosted: 1_000 } }), [income]);
    expect(
      refusalOf(reverse(withIncome, income, { journalId: income.id, description: correction }, on("2027-05-15"))),
    ).toMatchObject({
      rule: "settlement-period",
      facts: { fiscalYear: 2026 },
    });
    expect(
      journalled(reverse(withIncome, income, { journalId: income.id, description: correction }, stamp())).state.kind,
    ).toBe("reversal");
    expect(
      refusalOf(
        reverse(
          afterAppropriation,
          appropriation,
          { journalId: appropriation.id, description: correction },
          on("2027-06-01"),
        ),
      ),
    ).toMatchObject({ rule: "fiscal-year-ended" });
  });

  it("reverses a posting in the settlement period, but not in a closed year", () => {
    const ledger = view(WITH_HOLD);
    const posted = placed(postHold(ledger, hold(), { holdId: HOLD_ID }, stamp({}, 100)));
    const posting = posted.journals[1];
    if (!posting) throw new Error("no posting");
    const afterPosting = apply(ledger, posted.journals);
    const decision = journalled(
      reverse(afterPosting, posting, { journalId: posting.id, description: correction }, on("2027-05-20")),
    );
    const after = apply(afterPosting, decision.journals);
    expect(availableIn(after, APPR)).toBe(30_000_000);
    expect(availableIn(after, "bank")).toBe(100_000_000);
    const closed = { ...afterPosting, fiscalYears: new Map([[2026, closedYear(2026)]]) };
    expect(
      refusalOf(reverse(closed, posting, { journalId: posting.id, description: correction }, on("2027-07-01"))),
    ).toMatchObject({
      rule: "fiscal-year-closed",
    });
  });

  it("reverses capital whatever its year's phase, as long as the principal and the bank cover it", () => {
    const capital = journalled(
      contributeCapital(view(), { amountYen: 1_000, description: DESCRIPTION }, stamp({}, 100)),
    ).state;
    const funded = apply(view({}, [closedYear(2026)]), [capital]);
    expect(
      journalled(reverse(funded, capital, { journalId: capital.id, description: correction }, on("2028-01-10"))).state
        .lines,
    ).toEqual([
      { account: "bank", side: "credit", amountYen: 1_000 },
      { account: "principal", side: "debit", amountYen: 1_000 },
    ]);
    const appropriated = view({
      bank: { debitsPosted: 1_000 },
      principal: { creditsPosted: 1_000, debitsPosted: 600 },
    });
    expect(
      refusalOf(reverse(appropriated, capital, { journalId: capital.id, description: correction }, stamp())),
    ).toMatchObject({
      rule: "insufficient-available",
      facts: { account: "principal", availableYen: 400, requestedYen: 1_000 },
    });
  });
});

describe("closing a year", () => {
  it("closes a programme's year: the unspent appropriation back to the principal, commitments netted with expenses", () => {
    const ledger = view({
      [APPR]: { creditsPosted: 10_000_000, debitsPosted: 3_000_000 },
      [COMM]: { creditsPosted: 3_000_000 },
      [EXP]: { debitsPosted: 3_000_000 },
    });
    const journal = closeProgrammeYear(ledger.balances, 2026, "joint-research", on("2027-06-01"));
    if (!journal || !("lines" in journal))
      throw new Error(`expected a closing journal, got ${JSON.stringify(journal)}`);
    expect(journal).toMatchObject({
      id: uuid(1),
      kind: "closing",
      phase: "posted",
      fiscalYear: 2026,
      date: "2027-06-01",
      description: { ja: "FY2026 joint-research 年度末決算", en: "FY2026 joint-research: year-end closing" },
      lines: [
        { account: APPR, side: "debit", amountYen: 7_000_000 },
        { account: "principal", side: "credit", amountYen: 7_000_000 },
        { account: COMM, side: "debit", amountYen: 3_000_000 },
        { account: EXP, side: "credit", amountYen: 3_000_000 },
      ],
    });
    expectBalanced([journal]);
    const after = apply(ledger, [journal]);
    for (const account of [APPR, COMM, EXP]) expect(availableIn(after, account), account).toBe(0);
    expect(availableIn(after, "principal")).toBe(7_000_000);
  });

  it("nets a reversed spending and closes a fully spent budget without touching the principal", () => {
    // 5M appropriated; 6M spent, then 1M of it reversed (the appropriation credited back): all 5M spent.
    const ledger = view({
      [APPR]: { creditsPosted: 6_000_000, debitsPosted: 6_000_000 },
      [COMM]: { creditsPosted: 6_000_000, debitsPosted: 1_000_000 },
      [EXP]: { debitsPosted: 6_000_000, creditsPosted: 1_000_000 },
    });
    const journal = closeProgrammeYear(ledger.balances, 2026, "joint-research", stamp());
    if (!journal || !("lines" in journal)) throw new Error("expected a closing journal");
    expect(journal.lines).toEqual([
      { account: COMM, side: "debit", amountYen: 5_000_000 },
      { account: EXP, side: "credit", amountYen: 5_000_000 },
    ]);
  });

  it.each<[string, Record<string, Partial<Counters>>]>([
    ["a hold pending", WITH_HOLD],
    ["a pending debit on the appropriation", { [APPR]: { creditsPosted: 10, debitsPending: 1 } }],
    ["a pending credit on the commitments", { [APPR]: { creditsPosted: 10 }, [COMM]: { creditsPending: 1 } }],
  ])("refuses to close a programme's year with %s", (_, balances) => {
    expect(closeProgrammeYear(view(balances).balances, 2026, "joint-research", stamp())).toEqual({
      kind: "conflict",
      detail: "FY2026 joint-research still has holds pending",
      currentState: "held",
    });
  });

  it("has nothing to close for a programme without balances", () => {
    expect(closeProgrammeYear(new Map(), 2026, "scholarships", stamp())).toBeUndefined();
  });

  it("closes the year's income into the principal", () => {
    const ledger = view({
      "fy2026:income:investment": { creditsPosted: 300_000, debitsPosted: 100_000 },
      "fy2026:income:general-account": { creditsPosted: 2_000_000 },
    });
    const journal = closeIncomeYear(ledger.balances, 2026, INCOME_SOURCES, on("2027-06-01"));
    expect(journal).toMatchObject({
      kind: "closing",
      fiscalYear: 2026,
      description: { ja: "FY2026 収入の元本繰入", en: "FY2026: income closed into the principal" },
      lines: [
        { account: "fy2026:income:investment", side: "debit", amountYen: 200_000 },
        { account: "fy2026:income:general-account", side: "debit", amountYen: 2_000_000 },
        { account: "principal", side: "credit", amountYen: 2_200_000 },
      ],
    });
    if (!journal) throw new Error("expected a closing journal");
    expectBalanced([journal]);
    expect(availableIn(apply(ledger, [journal]), "fy2026:income:investment")).toBe(0);
  });

  it("closes only the sources asked for, and nothing when there is no income", () => {
    const ledger = view({ "fy2026:income:investment": { creditsPosted: 300 } });
    expect(closeIncomeYear(ledger.balances, 2026, ["general-account"], stamp())).toBeUndefined();
    expect(closeIncomeYear(ledger.balances, 2026, ["investment"], stamp())?.lines).toHaveLength(2);
    expect(closeIncomeYear(new Map(), 2026, INCOME_SOURCES, stamp())).toBeUndefined();
  });

  it.each<[string, FiscalYear[], string | undefined]>([
    ["2027-05-31", [], "settlement-period"],
    ["2027-03-31", [], "close-after-settlement"],
    ["2026-03-01", [], "fiscal-year-not-started"],
    ["2027-06-01", [], undefined],
    ["2027-06-01", [closedYear(2026, "closing")], undefined],
    ["2027-06-01", [closedYear(2026)], "fiscal-year-closed"],
  ])("closing FY2026 on %s (%j): %s", (today, years, rule) => {
    const refusal = closeYearRefusal(view({}, years), 2026, today);
    if (rule) expect(refusal).toMatchObject({ kind: "rule-broken", rule, facts: { fiscalYear: 2026 } });
    else expect(refusal).toBeUndefined();
  });

  it("publishes FiscalYearClosed.v1", () => {
    expect(published(fiscalYearClosedEvent(2026, 7_000_000, 2, [uuid(1), uuid(2)]))).toEqual({
      detailType: "FiscalYearClosed.v1",
      detail: { fiscalYear: 2026, returnedToPrincipalYen: 7_000_000, voidedHolds: 2, journalIds: [uuid(1), uuid(2)] },
    });
  });
});

describe("phaseRefusal", () => {
  it.each<[FiscalYearPhase, Parameters<typeof phaseRefusal>[2], string]>([
    ["closed", "release", "fiscal-year-closed"],
    ["settlement", "hold", "settlement-period"],
    ["closable", "post", "fiscal-year-ended"],
    ["upcoming", "spend", "fiscal-year-not-started"],
    ["open", "close", "close-after-settlement"],
  ])("a year %s refuses %s with %s", (phase, action, rule) => {
    expect(phaseRefusal(2026, phase, action)).toMatchObject({ kind: "rule-broken", rule, facts: { fiscalYear: 2026 } });
  });

  it("says nothing when the phase takes the action", () => {
    expect(phaseRefusal(2026, "open", "spend")).toBeUndefined();
    expect(phaseRefusal(2026, "settlement", "post")).toBeUndefined();
  });
});

describe("rejectionReasonOf", () => {
  const rule = (name: string): Refusal => ({ kind: "rule-broken", rule: name, detail: name });

  it.each<[string, Refusal, string | undefined]>([
    ["a missing appropriation", { kind: "not-found", what: "An appropriation" }, "unknown-appropriation"],
    ["insufficient-available", rule("insufficient-available"), "insufficient-available"],
    ["fiscal-year-closed", rule("fiscal-year-closed"), "fiscal-year-closed"],
    ["settlement-period", rule("settlement-period"), "settlement-period"],
    ["fiscal-year-ended", rule("fiscal-year-ended"), "settlement-period"],
    ["two-person-rule", rule("two-person-rule"), undefined],
    ["fiscal-year-not-started", rule("fiscal-year-not-started"), undefined],
    ["a conflict", { kind: "conflict", detail: "x", currentState: "posted" }, undefined],
    ["a stale version", { kind: "stale", currentVersion: 2 }, undefined],
    ["an invalid request", { kind: "invalid", errors: [] }, undefined],
  ])("%s → %s", (_, refusal, reason) => {
    expect(rejectionReasonOf(refusal)).toBe(reason);
  });

  it("gives a reason for every refusal of a hold an event requester can meet", () => {
    const requester = holdRequest({ requester: "talent-exchange" });
    const refusals = [
      requestHold(view(FUNDED), LAVISH, holdRequest({ amountYen: 30_000_001 }), stamp()),
      requestHold(view(FUNDED), PROGRAMME, holdRequest({ fiscalYear: 2027 }), stamp()),
      requestHold(view(FUNDED, [closedYear(2026)]), PROGRAMME, requester, stamp()),
      requestHold(view(FUNDED), PROGRAMME, requester, on("2027-04-02")),
      requestHold(view(FUNDED), PROGRAMME, requester, on("2027-06-02")),
    ].map(refusalOf);
    expect(refusals.map(rejectionReasonOf)).toEqual([
      "insufficient-available",
      "unknown-appropriation",
      "fiscal-year-closed",
      "settlement-period",
      "settlement-period",
    ]);
    for (const refusal of refusals) {
      const reason = rejectionReasonOf(refusal);
      if (!reason) throw new Error("no reason");
      expect(published(holdRejectedEvent(requester, reason, JSON.stringify(refusal))).detailType).toBe(
        "FundHoldRejected.v1",
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

/** Every rule account at or above zero, and double entry kept on the posted and the pending counters. */
function expectLedgerInvariants(ledger: LedgerView): void {
  let debitsPosted = 0;
  let creditsPosted = 0;
  let debitsPending = 0;
  let creditsPending = 0;
  for (const [account, c] of ledger.balances) {
    const info = accountInfo(account);
    if (!info) throw new Error(`not an account: ${account}`);
    if (info.rule) expect(availableOf(info, c), account).toBeGreaterThanOrEqual(0);
    debitsPosted += c.debitsPosted;
    creditsPosted += c.creditsPosted;
    debitsPending += c.debitsPending;
    creditsPending += c.creditsPending;
  }
  expect(debitsPosted).toBe(creditsPosted);
  expect(debitsPending).toBe(creditsPending);
}

/** Every journal balanced, and every event what its contract takes. */
function expectWellFormed(decision: LedgerDecision<unknown>): void {
  expectBalanced(decision.journals);
  for (const pending of decision.events) published(pending);
}

describe("properties", () => {
  it("requestHold → (approve) → postHold: journals balance, the budget keeps what was not spent", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        (capital, appropriated, threshold, amountYen, postSeed, cash) => {
          let next = 0;
          const ids = { newId: () => uuid(++next) };
          const at = (actor: string): Stamp => ({ ...stamp({ actor }), ...ids });
          const programme = { ...PROGRAMME, approvalThresholdYen: threshold };
          let ledger = view({ bank: { debitsPosted: cash }, "fy2026:income:investment": { creditsPosted: cash } });

          const contributed = decisionOf(
            contributeCapital(ledger, { amountYen: capital, description: DESCRIPTION }, at("manager-1")),
          );
          expectWellFormed(contributed);
          ledger = apply(ledger, contributed.journals);

          const command = {
            fiscalYear: 2026,
            programme: "joint-research",
            amountYen: appropriated,
            description: DESCRIPTION,
          };
          const appropriation = appropriate(ledger, programme, command, at("manager-1"));
          if (appropriated > capital) {
            expect(refusalOf(appropriation)).toMatchObject({ rule: "insufficient-available" });
            return;
          }
          const appropriationDecision = decisionOf(appropriation);
          expectWellFormed(appropriationDecision);
          ledger = apply(ledger, appropriationDecision.journals);

          let outcome = requestHold(ledger, programme, holdRequest({ amountYen }), at("manager-1"));
          if (amountYen > threshold) {
            const request = awaiting(outcome).state;
            outcome = approve(ledger, request, { approvalId: request.id }, at("approver-2"));
          }
          if (amountYen > appropriated) {
            expect(refusalOf(outcome)).toMatchObject({ rule: "insufficient-available" });
            return;
          }
          const held = decisionOf(outcome);
          expectWellFormed(held);
          const placedHold = held.hold?.next;
          if (!placedHold) throw new Error("no hold placed");
          ledger = apply(ledger, held.journals);
          expectLedgerInvariants(ledger);

          const postYen = 1 + (postSeed % amountYen);
          const posted = placed(
            postHold(ledger, placedHold, { holdId: placedHold.id, amountYen: postYen }, at("manager-1")),
          );
          expectWellFormed(posted);
          expect(posted.state.postedYen + posted.state.releasedYen).toBe(amountYen);
          ledger = apply(ledger, posted.journals);
          expectLedgerInvariants(ledger);
          expect(availableIn(ledger, APPR)).toBe(appropriated - postYen);
          expect(availableIn(ledger, "bank")).toBe(cash + capital - postYen);
          expect(countersIn(ledger, COMM)).toEqual(counters({ creditsPosted: postYen }));
        },
      ),
      { numRuns: 200 },
    );
  });

  type Op =
    | { op: "capital"; amountYen: number }
    | { op: "income"; source: (typeof INCOME_SOURCES)[number]; amountYen: number }
    | { op: "appropriate" | "hold" | "spend"; programme: string; amountYen: number }
    | { op: "post"; pick: number; amountYen: number | undefined }
    | { op: "void" | "approve" | "reverse"; pick: number };

  const amount = fc.integer({ min: 1, max: 12_000_000 });
  const programmeId = fc.constantFrom("joint-research", "scholarships");
  const operation: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("capital" as const), amountYen: fc.integer({ min: 1, max: 40_000_000 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("income" as const),
        source: fc.constantFrom(...INCOME_SOURCES),
        amountYen: amount,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("appropriate" as const), programme: programmeId, amountYen: amount }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant("hold" as const), programme: programmeId, amountYen: amount }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("spend" as const), programme: programmeId, amountYen: amount }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("post" as const),
        pick: fc.nat(),
        amountYen: fc.option(amount, { nil: undefined }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("void" as const), pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("approve" as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("reverse" as const), pick: fc.nat() }) },
  );
  /** The fund as it starts each run: capital, and a budget for each programme. */
  const OPENING: Op[] = [
    { op: "capital", amountYen: 60_000_000 },
    { op: "appropriate", programme: "joint-research", amountYen: 20_000_000 },
    { op: "appropriate", programme: "scholarships", amountYen: 10_000_000 },
  ];

  it("any sequence of commands keeps every journal balanced, no balance overdrawn, holds and balances in step; closing nets the year to the principal", () => {
    /** How many commands of each kind were decided (not refused), so the property is known not to hold vacuously. */
    const decidedOps = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 40, size: "max" }), (generated) => {
        const ops = [...OPENING, ...generated];
        let next = 0;
        const newId = () => uuid(++next);
        const at = (actor: string, today = TODAY): Stamp => ({ ...on(today, { actor }), newId });
        const programmes = new Map<string, Programme>([
          ["joint-research", PROGRAMME],
          ["scholarships", { ...PROGRAMME, id: "scholarships", approvalThresholdYen: 3_000_000 }],
        ]);
        let ledger = view();
        const holds = new Map<string, Hold>();
        const approvals = new Map<string, ApprovalRequest>();
        const journals: (Journal & { reversedBy?: string })[] = [];
        const pick = <T>(items: readonly T[], index: number): T | undefined => items[index % Math.max(items.length, 1)];

        for (const [index, command] of ops.entries()) {
          const reference = `ref:${index}`;
          let outcome: Outcome;
          switch (command.op) {
            case "capital":
              outcome = contributeCapital(
                ledger,
                { amountYen: command.amountYen, description: DESCRIPTION },
                at("manager-1"),
              );
              break;
            case "income":
              outcome = recordIncome(ledger, { ...command, description: DESCRIPTION }, at("manager-1"));
              break;
            case "appropriate":
              outcome = appropriate(
                ledger,
                programmes.get(command.programme),
                {
                  fiscalYear: 2026,
                  programme: command.programme,
                  amountYen: command.amountYen,
                  description: DESCRIPTION,
                },
                at("manager-1"),
              );
              break;
            case "hold":
              outcome = requestHold(
                ledger,
                programmes.get(command.programme),
                holdRequest({ reference, programme: command.programme, amountYen: command.amountYen }),
                at("manager-1"),
              );
              break;
            case "spend":
              outcome = spend(
                ledger,
                programmes.get(command.programme),
                expenseRequest({ reference, programme: command.programme, amountYen: command.amountYen }),
                at("manager-1"),
              );
              break;
            case "post": {
              const target = pick([...holds.values()], command.pick);
              if (!target) continue;
              outcome = postHold(ledger, target, { holdId: target.id, amountYen: command.amountYen }, at("manager-1"));
              break;
            }
            case "void": {
              const target = pick([...holds.values()], command.pick);
              if (!target) continue;
              outcome = voidHold(ledger, target, { holdId: target.id, reason: "voided" }, at("manager-1"));
              break;
            }
            case "approve": {
              const target = pick([...approvals.values()], command.pick);
              if (!target) continue;
              outcome = approve(ledger, target, { approvalId: target.id }, at("approver-2"));
              break;
            }
            case "reverse": {
              const target = pick(journals, command.pick);
              if (!target) continue;
              outcome = reverse(ledger, target, { journalId: target.id, description: DESCRIPTION }, at("manager-1"));
              break;
            }
          }
          if (!outcome.ok) continue;
          decidedOps.set(command.op, (decidedOps.get(command.op) ?? 0) + 1);
          const decision = outcome.decision;
          expectWellFormed(decision);
          ledger = apply(ledger, decision.journals);
          journals.push(...decision.journals);
          if (decision.hold) {
            expect(decision.hold.expectedVersion).toBe(holds.get(decision.hold.next.id)?.version ?? null);
            holds.set(decision.hold.next.id, decision.hold.next);
          }
          if (decision.approval) approvals.set(decision.approval.next.id, decision.approval.next);
          if (decision.reversal) {
            const { journalId, reversedBy } = decision.reversal;
            const original = journals.findIndex((j) => j.id === journalId);
            const found = journals[original];
            if (!found) throw new Error(`reversed an unknown journal ${journalId}`);
            journals[original] = { ...found, reversedBy };
          }
          expectLedgerInvariants(ledger);
          for (const programme of programmes.keys()) {
            const heldYen = [...holds.values()]
              .filter((h) => h.status === "held" && h.programme === programme)
              .reduce((total, h) => total + h.amountYen, 0);
            expect(countersIn(ledger, accountIds.appropriation(2026, programme)).debitsPending).toBe(heldYen);
            expect(countersIn(ledger, accountIds.commitments(2026, programme)).creditsPending).toBe(heldYen);
          }
          for (const h of holds.values()) {
            if (h.status !== "held") expect(h.postedYen + h.releasedYen).toBe(h.amountYen);
          }
        }

        // The year closes after its settlement period: holds voided, each programme and the income closed.
        const closingDay = "2027-06-01";
        for (const h of holds.values()) {
          if (h.status !== "held") continue;
          const voided = decisionOf(
            voidHold(ledger, h, { holdId: h.id, reason: "fiscal-year-closed" }, at("system", closingDay)),
          );
          expectWellFormed(voided);
          ledger = apply(ledger, voided.journals);
        }
        expect(closeYearRefusal(ledger, 2026, closingDay)).toBeUndefined();
        const closings: Journal[] = [];
        for (const programme of programmes.keys()) {
          const closing = closeProgrammeYear(ledger.balances, 2026, programme, at("system", closingDay));
          if (closing && !("lines" in closing)) throw new Error(`closing refused: ${JSON.stringify(closing)}`);
          if (closing) closings.push(closing);
        }
        const income = closeIncomeYear(ledger.balances, 2026, INCOME_SOURCES, at("system", closingDay));
        if (income) closings.push(income);
        expectBalanced(closings);
        ledger = apply(ledger, closings);
        expectLedgerInvariants(ledger);
        for (const [account, c] of ledger.balances) {
          if (account.startsWith("fy2026:")) {
            expect(c.debitsPosted, account).toBe(c.creditsPosted);
            expect(c.debitsPending, account).toBe(c.creditsPending);
          }
        }
        // With the year closed, all that is left is cash in the bank, owned by the principal.
        expect(availableIn(ledger, "bank")).toBe(availableIn(ledger, "principal"));
      }),
      { numRuns: 200 },
    );
    expect([...decidedOps.keys()].sort()).toEqual([
      "appropriate",
      "approve",
      "capital",
      "hold",
      "income",
      "post",
      "reverse",
      "spend",
      "void",
    ]);
  });
});
