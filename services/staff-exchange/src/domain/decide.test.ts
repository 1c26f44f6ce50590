import type { Decided } from "@cdp/lambda-kit/decision";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACTUAL,
  ACTUAL_TOTAL,
  AT,
  aPlacementInput,
  aProgramme,
  decisionOf,
  detailTypes,
  holdIdOf,
  NO_QUOTA_USED,
  NO_TERMS,
  NORM_ESTIMATE,
  NORM_ESTIMATE_TOTAL,
  PERSONAL,
  personalValues,
  placedAnswer,
  placementIn,
  published,
  refusalOf,
  rejectedAnswer,
  STAFF_ID,
  stampAt,
  TERM,
  termsAfter,
} from "./builders.ts";
import {
  approvePlacement,
  cancelPlacement,
  completePlacement,
  editPlacement,
  flagFundingOverdue,
  holdPlaced,
  holdRejected,
  type PersonTerms,
  type PlacementDecision,
  type PlacementWrites,
  proposePlacement,
  requestFundingAgain,
  requestTopUp,
  startPlacement,
} from "./decide.ts";
import type { CostBreakdown, Placement, PlacementStatus } from "./model.ts";
import { countsAgainstQuota, heldYen, quotaTakenRefusal } from "./placement-rules.ts";

type Outcome = Decided<Placement, PlacementWrites>;

const programme = aProgramme();
const OTHER_TERM = { placementId: "pl-7", startDate: "2027-10-01", endDate: "2028-03-31" };
const REASON = "The host bureau reorganised";

/** An instant `hours` after another. */
const after = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000);

/** The details a decision publishes, each parsed by its contract. */
const detailsOf = (decision: PlacementDecision) => decision.events.map((pending) => published(pending).detail);

/** Funded, then a top-up of `amountYen` asked for and (unless `pending`) placed; active when `active`. */
function withTopUp(amountYen: number, options: { active?: boolean; pending?: boolean } = {}) {
  const { placement } = placementIn(options.active ? "active" : "funded");
  const asked = decisionOf(requestTopUp(placement, { amountYen }, programme, stampAt(AT.completed))).state;
  if (options.pending) return asked;
  return decisionOf(holdPlaced(asked, placedAnswer(asked, "placement:pl-1:top-up:1", 2), stampAt(AT.completed))).state;
}

describe("proposing a placement", () => {
  it("makes an applied placement at version 1, its estimate from the norms, the personal data kept apart", () => {
    const decision = decisionOf(
      proposePlacement(aPlacementInput({ personal: PERSONAL }), programme, NO_TERMS, stampAt(AT.proposed)),
    );
    expect(decision.state).toEqual({
      id: "pl-1",
      programmeId: "seoul",
      partnerId: "seoul",
      direction: "outbound",
      person: aPlacementInput().person,
      hostOrganisation: aPlacementInput().hostOrganisation,
      hostDepartment: aPlacementInput().hostDepartment,
      startDate: "2027-04-01",
      endDate: "2027-09-30",
      days: 183,
      fiscalYear: 2027,
      purpose: aPlacementInput().purpose,
      fields: ["urban planning", "housing"],
      estimate: { breakdown: NORM_ESTIMATE, totalYen: NORM_ESTIMATE_TOTAL },
      actual: null,
      status: "applied",
      holds: [],
      fundingRejection: null,
      fundingOverdueSince: null,
      approvedAt: null,
      cancellation: null,
      version: 1,
      createdAt: AT.proposed,
      updatedAt: AT.proposed,
    });
    expect(decision.expectedVersion).toBeNull();
    expect(decision.personal).toEqual(PERSONAL);
    expect(decision.quota).toBeNull();
    expect(decision.audit).toEqual({
      entity: "placement#pl-1",
      action: "placement.proposed",
      beforeVersion: null,
      afterVersion: 1,
    });
    expect(detailTypes(decision)).toEqual(["PlacementProposed.v1"]);
    expect(published(decision.events[0]).detail).toMatchObject({
      placementId: "pl-1",
      person: { name: { ja: "山田 花子", en: "Hanako Yamada" }, position: { ja: "主事", en: "Officer" } },
      estimatedYen: NORM_ESTIMATE_TOTAL,
      status: "applied",
      fiscalYear: 2027,
    });
  });

  it("adds the term to the person's terms, on the version read", () => {
    const first = decisionOf(proposePlacement(aPlacementInput(), programme, NO_TERMS, stampAt()));
    expect(first.personTerms).toEqual({
      staffId: STAFF_ID,
      terms: [{ placementId: "pl-1", startDate: "2027-04-01", endDate: "2027-09-30" }],
      expectedVersion: null,
    });
    const second = decisionOf(
      proposePlacement(aPlacementInput(), programme, { terms: [OTHER_TERM], version: 4 }, stampAt()),
    );
    expect(second.personTerms).toEqual({
      staffId: STAFF_ID,
      terms: [OTHER_TERM, { placementId: "pl-1", startDate: "2027-04-01", endDate: "2027-09-30" }],
      expectedVersion: 4,
    });
  });

  it("takes an explicit estimate as given, and totals it", () => {
    const estimate: CostBreakdown = {
      allowanceYen: 1_000_000,
      housingYen: 600_000,
      travelYen: 180_000,
      insuranceYen: 40_000,
      otherYen: 75_000,
    };
    const decision = decisionOf(proposePlacement(aPlacementInput({ estimate }), programme, NO_TERMS, stampAt()));
    expect(decision.state.estimate).toEqual({ breakdown: estimate, totalYen: 1_895_000 });
  });

  it("charges a short term the monthly norms pro rata and the whole round trip", () => {
    const decision = decisionOf(
      proposePlacement(aPlacementInput({ endDate: "2027-04-10" }), programme, NO_TERMS, stampAt()),
    );
    expect(decision.state.days).toBe(10);
    expect(decision.state.estimate).toEqual({
      breakdown: { allowanceYen: 100_000, housingYen: 50_000, travelYen: 200_000, insuranceYen: 5_000, otherYen: 0 },
      totalYen: 355_000,
    });
  });

  it("counts a term starting on March 31 in the fiscal year before, one starting on April 1 in its own", () => {
    const march = decisionOf(
      proposePlacement(
        aPlacementInput({ startDate: "2027-03-31", endDate: "2027-09-29" }),
        programme,
        NO_TERMS,
        stampAt(),
      ),
    );
    expect(march.state.fiscalYear).toBe(2026);
    const april = decisionOf(proposePlacement(aPlacementInput(), programme, NO_TERMS, stampAt()));
    expect(april.state.fiscalYear).toBe(2027);
  });

  describe("within the programme's term", () => {
    const bounded = aProgramme({ minDays: 10, maxDays: 183 });
    const propose = (endDate: string) => proposePlacement(aPlacementInput({ endDate }), bounded, NO_TERMS, stampAt());

    it("accepts exactly the minimum and exactly the maximum", () => {
      expect(decisionOf(propose("2027-04-10")).state.days).toBe(10);
      expect(decisionOf(propose("2027-09-30")).state.days).toBe(183);
    });

    it.each([
      ["a day too short", "2027-04-09", "the term is 9 days; programme seoul allows 10 to 183"],
      ["a day too long", "2027-10-01", "the term is 184 days; programme seoul allows 10 to 183"],
      ["ending before it starts", "2027-03-31", "must not be before startDate"],
    ])("refuses a term %s as invalid, naming body.endDate", (_case, endDate, message) => {
      expect(refusalOf(propose(endDate))).toEqual({ kind: "invalid", errors: [{ path: "body.endDate", message }] });
    });
  });

  it("refuses an estimate of 0 yen, given or from norms of 0, naming body.estimate", () => {
    const zero = { allowanceYen: 0, housingYen: 0, travelYen: 0, insuranceYen: 0, otherYen: 0 };
    const expected = {
      kind: "invalid",
      errors: [{ path: "body.estimate", message: "a placement the fund pays for costs at least 1 yen" }],
    };
    expect(refusalOf(proposePlacement(aPlacementInput({ estimate: zero }), programme, NO_TERMS, stampAt()))).toEqual(
      expected,
    );
    const free = aProgramme({
      costNorms: { monthlyAllowanceYen: 0, monthlyHousingYen: 0, monthlyInsuranceYen: 0, travelYen: 0 },
    });
    expect(refusalOf(proposePlacement(aPlacementInput(), free, NO_TERMS, stampAt()))).toEqual(expected);
  });

  it("refuses a term overlapping another of the same person, naming that placement", () => {
    const terms: PersonTerms = { terms: [OTHER_TERM], version: 2 };
    const refusal = refusalOf(
      proposePlacement(
        aPlacementInput({ startDate: "2027-06-01", endDate: "2027-10-01" }),
        programme,
        terms,
        stampAt(),
      ),
    );
    expect(refusal).toMatchObject({
      kind: "rule-broken",
      rule: "person-overlap",
      facts: { placementId: "pl-7", startDate: "2027-10-01", endDate: "2028-03-31" },
    });
    expect(refusal.kind === "rule-broken" && refusal.detail).toContain("placement pl-7");
  });

  it("allows a term ending the day before another starts", () => {
    const terms: PersonTerms = { terms: [OTHER_TERM], version: 2 };
    const decision = decisionOf(proposePlacement(aPlacementInput(), programme, terms, stampAt()));
    expect(decision.state.endDate).toBe("2027-09-30");
    expect(decision.personTerms?.terms).toHaveLength(2);
  });

  it("refuses an unknown programme as invalid, naming body.programmeId", () => {
    expect(refusalOf(proposePlacement(aPlacementInput(), undefined, NO_TERMS, stampAt()))).toEqual({
      kind: "invalid",
      errors: [{ path: "body.programmeId", message: "no such exchange programme" }],
    });
  });
});

describe("editing a placement", () => {
  const applied = placementIn("applied", { terms: { terms: [OTHER_TERM], version: 3 } });
  const edit = (patch: Parameters<typeof editPlacement>[1]["patch"], expectedVersion = 1) =>
    editPlacement(applied.placement, { patch, expectedVersion }, programme, applied.terms, stampAt(AT.approved));

  it("changes what is given while applied, one version further, publishing nothing", () => {
    const hostDepartment = { ja: "住宅政策本部", en: "Bureau of Housing" };
    const decision = decisionOf(edit({ hostDepartment, personal: { medicalNotes: "None" } }));
    expect(decision.state).toEqual({ ...applied.placement, hostDepartment, version: 2, updatedAt: AT.approved });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.personal).toEqual({ medicalNotes: "None" });
    expect(decision.personTerms).toBeNull();
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({
      entity: "placement#pl-1",
      action: "placement.edited",
      beforeVersion: 1,
      afterVersion: 2,
    });
  });

  it("recomputes the estimate from the norms when the dates change, and moves the person's term", () => {
    const decision = decisionOf(edit({ startDate: "2027-05-01", endDate: "2027-05-30" }));
    expect(decision.state).toMatchObject({
      startDate: "2027-05-01",
      endDate: "2027-05-30",
      days: 30,
      fiscalYear: 2027,
      estimate: {
        breakdown: {
          allowanceYen: 300_000,
          housingYen: 150_000,
          travelYen: 200_000,
          insuranceYen: 15_000,
          otherYen: 0,
        },
        totalYen: 665_000,
      },
    });
    expect(decision.personTerms).toEqual({
      staffId: STAFF_ID,
      terms: [OTHER_TERM, { placementId: "pl-1", startDate: "2027-05-01", endDate: "2027-05-30" }],
      expectedVersion: 4,
    });
  });

  it("moves the fiscal year with the start", () => {
    const decision = decisionOf(edit({ startDate: "2027-03-01", endDate: "2027-08-31" }));
    expect(decision.state.fiscalYear).toBe(2026);
  });

  it("keeps an estimate given with new dates, and a given estimate replaces the old one", () => {
    const estimate = { ...NORM_ESTIMATE, otherYen: 12_345 };
    const moved = decisionOf(edit({ startDate: "2027-05-01", endDate: "2027-05-30", estimate }));
    expect(moved.state.estimate).toEqual({ breakdown: estimate, totalYen: NORM_ESTIMATE_TOTAL + 12_345 });
    const repriced = decisionOf(edit({ estimate }));
    expect(repriced.state.estimate.totalYen).toBe(NORM_ESTIMATE_TOTAL + 12_345);
    expect(repriced.personTerms).toBeNull();
  });

  it("keeps the estimate when the dates stay", () => {
    const customised = placementIn("applied", { input: { estimate: { ...NORM_ESTIMATE, otherYen: 99_000 } } });
    const decision = decisionOf(
      editPlacement(
        customised.placement,
        { patch: { startDate: TERM.startDate, purpose: { ja: "研修", en: "Training" } }, expectedVersion: 1 },
        programme,
        customised.terms,
        stampAt(AT.approved),
      ),
    );
    expect(decision.state.estimate.totalYen).toBe(NORM_ESTIMATE_TOTAL + 99_000);
  });

  it("checks overlap again when the dates change, not counting the placement's own term", () => {
    expect(refusalOf(edit({ endDate: "2027-10-15" }))).toMatchObject({
      kind: "rule-broken",
      rule: "person-overlap",
      facts: { placementId: "pl-7" },
    });
    expect(decisionOf(edit({ startDate: "2027-04-15" })).state.days).toBe(169);
  });

  it("checks the term's bounds again", () => {
    expect(refusalOf(edit({ endDate: "2027-04-05" }))).toEqual({
      kind: "invalid",
      errors: [{ path: "body.endDate", message: "the term is 5 days; programme seoul allows 10 to 366" }],
    });
  });

  it("cannot change the person's staff number, but may correct their name", () => {
    expect(refusalOf(edit({ person: { ...aPlacementInput().person, staffId: "T-999" } }))).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.person.staffId" }],
    });
    const renamed = { staffId: STAFF_ID, name: { ja: "山田 華子", en: "Hanako Yamada" } };
    expect(decisionOf(edit({ person: renamed })).state.person).toEqual(renamed);
  });

  it("refuses a stale version, naming the current one", () => {
    expect(refusalOf(edit({ fields: ["housing"] }, 3))).toEqual({ kind: "stale", currentVersion: 1 });
  });

  it.each(["approved", "funded", "funding-rejected", "active", "completed", "cancelled"] as const)(
    "refuses once %s, a conflict naming the state",
    (status) => {
      const { placement, terms } = placementIn(status);
      const refusal = refusalOf(
        editPlacement(
          placement,
          { patch: { fields: [] }, expectedVersion: placement.version },
          programme,
          terms,
          stampAt(AT.completed),
        ),
      );
      expect(refusal).toMatchObject({ kind: "conflict", currentState: status });
    },
  );

  it("refuses an unknown placement", () => {
    expect(
      refusalOf(editPlacement(undefined, { patch: {}, expectedVersion: 1 }, programme, NO_TERMS, stampAt())),
    ).toEqual({ kind: "not-found", what: "Placement" });
  });
});

describe("approving a placement", () => {
  const { placement } = placementIn("applied");
  const approve = (used = NO_QUOTA_USED, target: Placement = placement, against = programme) =>
    approvePlacement(target, {}, against, used, stampAt(AT.approved));

  it("asks the ledger to hold the estimate, for the term's end plus the settlement days", () => {
    const decision = decisionOf(
      approvePlacement(placement, { expectedVersion: 1 }, programme, NO_QUOTA_USED, stampAt(AT.approved)),
    );
    expect(decision.state).toMatchObject({
      status: "approved",
      approvedAt: AT.approved,
      version: 2,
      holds: [
        {
          reference: "placement:pl-1",
          purpose: "estimate",
          amountYen: NORM_ESTIMATE_TOTAL,
          status: "requested",
          holdId: null,
          postYen: null,
          requestedAt: AT.approved,
        },
      ],
    });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.audit.action).toBe("placement.approved");
    expect(detailTypes(decision)).toEqual(["PlacementApproved.v1", "FundHoldRequested.v1"]);
    const [approved, request] = detailsOf(decision);
    expect(approved).toMatchObject({ placementId: "pl-1", status: "approved", holdReference: "placement:pl-1" });
    expect(request).toMatchObject({
      reference: "placement:pl-1",
      requester: "staff-exchange",
      programme: "staff-exchange",
      fiscalYear: 2027,
      amountYen: NORM_ESTIMATE_TOTAL,
      expiresOn: "2027-11-29",
      partnerId: "seoul",
      description: {
        ja: "職員交流 seoul 派遣 pl-1（2027-04-01〜2027-09-30）",
        en: "Staff exchange seoul outbound pl-1 (2027-04-01 to 2027-09-30)",
      },
    });
    // The ledger's journal names the placement, not the person.
    expect(JSON.stringify(request)).not.toContain("Hanako");
  });

  it("takes one placement and its days of the quota of its direction and fiscal year, on condition", () => {
    const decision = decisionOf(approve());
    expect(decision.quota).toMatchObject({
      fiscalYear: 2027,
      direction: "outbound",
      delta: { placements: 1, days: 183 },
      limit: { placements: 1, days: 200 },
    });
    // what the store refuses with when another approval took the last of it meanwhile
    const limit = decision.quota?.limit ?? { placements: 0, days: 0 };
    expect(quotaTakenRefusal(decision.state, limit, { placements: 1, days: 183 })).toMatchObject({
      kind: "rule-broken",
      rule: "quota",
      facts: { used: { placements: 1, days: 183 }, which: "placements" },
    });
  });

  it("charges the programme's own fund programme and settlement period", () => {
    const special = aProgramme({ fundProgramme: "talent-development", settlementDays: 30 });
    const [, request] = detailsOf(decisionOf(approve(NO_QUOTA_USED, placement, special)));
    expect(request).toMatchObject({ programme: "talent-development", expiresOn: "2027-10-30" });
  });

  it("refuses when the year's placements are used, naming the quota", () => {
    const refusal = refusalOf(approve({ placements: 1, days: 30 }));
    expect(refusal).toMatchObject({
      kind: "rule-broken",
      rule: "quota",
      facts: { fiscalYear: 2027, direction: "outbound", which: "placements", quota: { placements: 1, days: 200 } },
    });
    expect(refusal.kind === "rule-broken" && refusal.detail).toContain("FY2027 outbound quota of programme seoul");
  });

  it("refuses when the year's days would be exceeded, and admits an exact fit", () => {
    const roomy = aProgramme({ placementsPerYear: { outbound: 3, inbound: 1 } });
    expect(refusalOf(approve({ placements: 1, days: 18 }, placement, roomy))).toMatchObject({
      rule: "quota",
      facts: { which: "days" },
    });
    expect(decisionOf(approve({ placements: 1, days: 17 }, placement, roomy)).state.status).toBe("approved");
  });

  it("counts each direction against its own quota", () => {
    const inboundOnly = aProgramme({
      placementsPerYear: { outbound: 0, inbound: 1 },
      totalDaysPerYear: { outbound: 0, inbound: 365 },
    });
    expect(refusalOf(approve(NO_QUOTA_USED, placement, inboundOnly))).toMatchObject({
      rule: "quota",
      facts: { direction: "outbound" },
    });
    const inbound = placementIn("applied", { input: { direction: "inbound" } }).placement;
    const decision = decisionOf(approve(NO_QUOTA_USED, inbound, inboundOnly));
    expect(decision.quota).toMatchObject({ direction: "inbound", limit: { placements: 1, days: 365 } });
    const [, request] = detailsOf(decision);
    expect(request).toMatchObject({ description: { ja: expect.stringContaining("受入") } });
  });

  it.each([
    ["2027-03-31", "2027-09-29", 2026],
    ["2027-04-01", "2027-09-30", 2027],
  ])("counts a placement starting %s in FY of its start (FY%i)", (startDate, endDate, fiscalYear) => {
    const target = placementIn("applied", { input: { startDate, endDate } }).placement;
    const decision = decisionOf(approve(NO_QUOTA_USED, target));
    expect(decision.quota).toMatchObject({ fiscalYear, delta: { placements: 1, days: 183 } });
    expect(detailsOf(decision)[1]).toMatchObject({ fiscalYear });
    const full = refusalOf(approve({ placements: 1, days: 0 }, target));
    expect(full.kind === "rule-broken" && full.detail).toContain(`FY${fiscalYear} outbound`);
  });

  it("refuses a second approval, a stale version, an unknown placement or programme", () => {
    const approved = placementIn("approved").placement;
    expect(refusalOf(approve(NO_QUOTA_USED, approved))).toMatchObject({ kind: "conflict", currentState: "approved" });
    expect(refusalOf(approvePlacement(placement, { expectedVersion: 2 }, programme, NO_QUOTA_USED, stampAt()))).toEqual(
      {
        kind: "stale",
        currentVersion: 1,
      },
    );
    expect(refusalOf(approvePlacement(undefined, {}, programme, NO_QUOTA_USED, stampAt()))).toMatchObject({
      kind: "not-found",
    });
    expect(refusalOf(approvePlacement(placement, {}, undefined, NO_QUOTA_USED, stampAt()))).toEqual({
      kind: "not-found",
      what: "Programme seoul",
    });
  });
});

describe("the ledger's answers", () => {
  const approved = placementIn("approved").placement;

  it("a placed estimate hold makes the placement funded, the partner told how much is held", () => {
    const decision = decisionOf(holdPlaced(approved, placedAnswer(approved), stampAt(AT.answered)));
    expect(decision.state).toMatchObject({
      status: "funded",
      version: 3,
      holds: [{ reference: "placement:pl-1", status: "placed", holdId: holdIdOf(1), amountYen: NORM_ESTIMATE_TOTAL }],
    });
    expect(heldYen(decision.state)).toBe(NORM_ESTIMATE_TOTAL);
    expect(decision.quota).toBeNull();
    expect(decision.audit.action).toBe("placement.funded");
    expect(detailTypes(decision)).toEqual(["PlacementFunded.v1"]);
    expect(published(decision.events[0]).detail).toMatchObject({
      status: "funded",
      holdId: holdIdOf(1),
      heldYen: NORM_ESTIMATE_TOTAL,
    });
  });

  it("a rejected estimate hold makes it funding-rejected, with the ledger's reason", () => {
    const answer = rejectedAnswer("placement:pl-1");
    const decision = decisionOf(holdRejected(approved, answer, stampAt(AT.answered)));
    expect(decision.state).toMatchObject({
      status: "funding-rejected",
      fundingRejection: { reason: "insufficient-available", detail: answer.detail, reference: "placement:pl-1" },
      holds: [{ reference: "placement:pl-1", status: "rejected" }],
    });
    expect(decision.audit.action).toBe("placement.funding-rejected");
    expect(detailTypes(decision)).toEqual(["PlacementFundingRejected.v1"]);
    expect(published(decision.events[0]).detail).toMatchObject({
      status: "funding-rejected",
      reason: "insufficient-available",
      detail: answer.detail,
    });
  });

  it("a repeated answer is a conflict the consumer ignores", () => {
    const funded = placementIn("funded").placement;
    expect(refusalOf(holdPlaced(funded, placedAnswer(funded), stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "funded",
    });
    expect(refusalOf(holdRejected(funded, rejectedAnswer("placement:pl-1"), stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "funded",
    });
    const rejected = placementIn("funding-rejected").placement;
    expect(refusalOf(holdRejected(rejected, rejectedAnswer("placement:pl-1"), stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "funding-rejected",
    });
    expect(refusalOf(holdPlaced(rejected, placedAnswer(rejected), stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "funding-rejected",
    });
  });

  it("an answer under a reference the placement never asked for is a conflict", () => {
    const stray = "placement:pl-1:top-up:9";
    const placed = refusalOf(holdPlaced(approved, { reference: stray, holdId: holdIdOf(9), amountYen: 1 }, stampAt()));
    expect(placed).toMatchObject({ kind: "conflict", currentState: "approved" });
    expect(placed.kind === "conflict" && placed.detail).toContain("unknown");
    expect(refusalOf(holdRejected(approved, rejectedAnswer(stray), stampAt()))).toMatchObject({ kind: "conflict" });
    expect(refusalOf(holdPlaced(undefined, placedAnswer(approved), stampAt()))).toMatchObject({ kind: "not-found" });
  });

  it("an answer after a cancellation is a conflict: the cancellation asked for the hold to be voided", () => {
    const { placement: cancelled, decisions } = placementIn("cancelled", { cancelledFrom: "approved" });
    const cancellation = decisions.at(-1);
    expect(cancellation && detailsOf(cancellation)[1]).toMatchObject({ reference: "placement:pl-1" });
    expect(refusalOf(holdPlaced(cancelled, placedAnswer(cancelled), stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "cancelled",
    });
    expect(refusalOf(holdRejected(cancelled, rejectedAnswer("placement:pl-1"), stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "cancelled",
    });
  });

  it.each([false, true])("a placed top-up adds to what is held without changing the status (active: %s)", (active) => {
    const asked = withTopUp(400_000, { active, pending: true });
    const status = active ? "active" : "funded";
    const decision = decisionOf(holdPlaced(asked, placedAnswer(asked, "placement:pl-1:top-up:1", 2), stampAt()));
    expect(decision.state.status).toBe(status);
    expect(decision.state.holds.map((h) => [h.reference, h.status, h.amountYen])).toEqual([
      ["placement:pl-1", "placed", NORM_ESTIMATE_TOTAL],
      ["placement:pl-1:top-up:1", "placed", 400_000],
    ]);
    expect(heldYen(decision.state)).toBe(NORM_ESTIMATE_TOTAL + 400_000);
    expect(decision.events).toEqual([]);
    expect(decision.audit.action).toBe("placement.top-up-placed");
  });

  it("a rejected top-up is recorded without changing the status", () => {
    const asked = withTopUp(400_000, { active: true, pending: true });
    const decision = decisionOf(holdRejected(asked, rejectedAnswer("placement:pl-1:top-up:1"), stampAt()));
    expect(decision.state).toMatchObject({
      status: "active",
      fundingRejection: { reference: "placement:pl-1:top-up:1", reason: "insufficient-available" },
    });
    expect(heldYen(decision.state)).toBe(NORM_ESTIMATE_TOTAL);
    expect(decision.events).toEqual([]);
    expect(decision.audit.action).toBe("placement.top-up-rejected");
  });
});

describe("topping up", () => {
  it("asks the ledger for a top-up hold under its own reference", () => {
    const { placement } = placementIn("active");
    const decision = decisionOf(requestTopUp(placement, { amountYen: 250_000 }, programme, stampAt(AT.completed)));
    expect(decision.state.status).toBe("active");
    expect(decision.state.holds[1]).toMatchObject({
      reference: "placement:pl-1:top-up:1",
      purpose: "top-up",
      status: "requested",
      amountYen: 250_000,
    });
    expect(detailTypes(decision)).toEqual(["FundHoldRequested.v1"]);
    expect(published(decision.events[0]).detail).toMatchObject({
      reference: "placement:pl-1:top-up:1",
      requester: "staff-exchange",
      amountYen: 250_000,
      expiresOn: "2027-11-29",
      description: { en: expect.stringMatching(/, top-up$/) },
    });
  });

  it("refuses a second top-up while one awaits the ledger, and outside funded and active", () => {
    const pending = withTopUp(100_000, { pending: true });
    expect(refusalOf(requestTopUp(pending, { amountYen: 1 }, programme, stampAt()))).toMatchObject({
      rule: "top-up-pending",
    });
    const placed = withTopUp(100_000);
    const second = decisionOf(requestTopUp(placed, { amountYen: 5 }, programme, stampAt()));
    expect(second.state.holds.at(-1)?.reference).toBe("placement:pl-1:top-up:2");
    for (const status of ["applied", "approved", "funding-rejected", "completed", "cancelled"] as const) {
      expect(
        refusalOf(requestTopUp(placementIn(status).placement, { amountYen: 1 }, programme, stampAt())),
      ).toMatchObject({ kind: "conflict", currentState: status });
    }
  });
});

describe("asking for funding again after a rejection", () => {
  const { placement } = placementIn("funding-rejected");
  const lowered: CostBreakdown = { ...NORM_ESTIMATE, allowanceYen: 1_500_000 };
  const LOWERED_TOTAL = NORM_ESTIMATE_TOTAL - 330_000;

  it("asks for the lowered estimate under a new reference, approved again, the quota still counted", () => {
    const decision = decisionOf(
      requestFundingAgain(placement, { estimate: lowered, expectedVersion: 3 }, programme, stampAt(AT.cancelled)),
    );
    expect(decision.state).toMatchObject({
      status: "approved",
      estimate: { breakdown: lowered, totalYen: LOWERED_TOTAL },
      fundingRejection: null,
      approvedAt: AT.cancelled,
      version: 4,
      holds: [
        { reference: "placement:pl-1", status: "rejected" },
        { reference: "placement:pl-1:2", status: "requested", amountYen: LOWERED_TOTAL, purpose: "estimate" },
      ],
    });
    expect(decision.quota).toBeNull();
    expect(decision.audit.action).toBe("placement.funding-requested");
    expect(detailTypes(decision)).toEqual(["PlacementApproved.v1", "FundHoldRequested.v1"]);
    const [approved, request] = detailsOf(decision);
    expect(approved).toMatchObject({ holdReference: "placement:pl-1:2", estimatedYen: LOWERED_TOTAL });
    expect(request).toMatchObject({ reference: "placement:pl-1:2", amountYen: LOWERED_TOTAL, fiscalYear: 2027 });
  });

  it("is funded by the new hold, and a third attempt after another rejection is :3", () => {
    const again = decisionOf(requestFundingAgain(placement, { estimate: lowered }, programme, stampAt())).state;
    const funded = decisionOf(holdPlaced(again, placedAnswer(again, "placement:pl-1:2", 2), stampAt())).state;
    expect(funded.status).toBe("funded");
    expect(heldYen(funded)).toBe(LOWERED_TOTAL);
    const rejectedAgain = decisionOf(holdRejected(again, rejectedAnswer("placement:pl-1:2"), stampAt())).state;
    const third = decisionOf(requestFundingAgain(rejectedAgain, {}, programme, stampAt()));
    expect(third.state.holds.map((h) => h.reference)).toEqual([
      "placement:pl-1",
      "placement:pl-1:2",
      "placement:pl-1:3",
    ]);
    expect(third.state.holds[2]?.amountYen).toBe(LOWERED_TOTAL);
  });

  it("keeps the estimate when none is given", () => {
    const decision = decisionOf(requestFundingAgain(placement, {}, programme, stampAt()));
    expect(decision.state.holds[1]?.amountYen).toBe(NORM_ESTIMATE_TOTAL);
  });

  it("refuses an estimate of 0, a placement not rejected, a stale version", () => {
    const zero = { allowanceYen: 0, housingYen: 0, travelYen: 0, insuranceYen: 0, otherYen: 0 };
    expect(refusalOf(requestFundingAgain(placement, { estimate: zero }, programme, stampAt()))).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.estimate" }],
    });
    expect(refusalOf(requestFundingAgain(placementIn("approved").placement, {}, programme, stampAt()))).toMatchObject({
      kind: "conflict",
      currentState: "approved",
    });
    expect(refusalOf(requestFundingAgain(placement, { expectedVersion: 2 }, programme, stampAt()))).toEqual({
      kind: "stale",
      currentVersion: 3,
    });
  });
});

describe("starting a placement", () => {
  const { placement } = placementIn("funded");

  it("starts a funded placement on its first day in Tokyo", () => {
    const decision = decisionOf(startPlacement(placement, { expectedVersion: 3 }, stampAt("2027-03-31T15:00:00Z")));
    expect(decision.state).toMatchObject({ status: "active", version: 4 });
    expect(detailTypes(decision)).toEqual(["PlacementStarted.v1"]);
    expect(published(decision.events[0]).detail).toMatchObject({ status: "active", placementId: "pl-1" });
    expect(decisionOf(startPlacement(placement, {}, stampAt(AT.completed))).state.status).toBe("active");
  });

  it("refuses the day before (late evening in Tokyo), naming the rule and the dates", () => {
    const refusal = refusalOf(startPlacement(placement, {}, stampAt("2027-03-31T14:59:59Z")));
    expect(refusal).toMatchObject({
      kind: "rule-broken",
      rule: "not-before-start",
      facts: { startDate: "2027-04-01", today: "2027-03-31" },
    });
  });

  it.each(["applied", "approved", "funding-rejected", "active", "completed", "cancelled"] as const)(
    "refuses a %s placement, naming the state",
    (status) => {
      expect(refusalOf(startPlacement(placementIn(status).placement, {}, stampAt(AT.completed)))).toMatchObject({
        kind: "conflict",
        currentState: status,
      });
    },
  );
});

describe("completing a placement", () => {
  const complete = (placement: Placement, actual: CostBreakdown = ACTUAL) =>
    completePlacement(placement, { actual }, stampAt(AT.completed));
  const over: CostBreakdown = { ...NORM_ESTIMATE, otherYen: 250_000 };

  it("records the actual costs and asks the ledger to post them, the rest released", () => {
    const { placement } = placementIn("active");
    const decision = decisionOf(
      completePlacement(placement, { actual: ACTUAL, expectedVersion: 4 }, stampAt(AT.completed)),
    );
    expect(decision.state).toMatchObject({
      status: "completed",
      actual: { breakdown: ACTUAL, totalYen: ACTUAL_TOTAL },
      holds: [{ reference: "placement:pl-1", status: "post-requested", postYen: ACTUAL_TOTAL }],
      version: 5,
    });
    expect(decision.quota).toBeNull();
    expect(detailTypes(decision)).toEqual(["PlacementCompleted.v1", "FundHoldPostRequested.v1"]);
    const [completed, post] = detailsOf(decision);
    expect(completed).toMatchObject({ status: "completed", actualYen: ACTUAL_TOTAL });
    expect(post).toMatchObject({ reference: "placement:pl-1", requester: "staff-exchange", amountYen: ACTUAL_TOTAL });
  });

  it("posts 0 when nothing was spent: the whole hold is released", () => {
    const zero = { allowanceYen: 0, housingYen: 0, travelYen: 0, insuranceYen: 0, otherYen: 0 };
    const decision = decisionOf(complete(placementIn("active").placement, zero));
    expect(detailsOf(decision)[1]).toMatchObject({ reference: "placement:pl-1", amountYen: 0 });
  });

  it("refuses actual costs above what is held until a top-up is placed", () => {
    const { placement } = placementIn("active");
    const refusal = refusalOf(complete(placement, over));
    expect(refusal).toMatchObject({
      kind: "rule-broken",
      rule: "actual-exceeds-hold",
      facts: { heldYen: NORM_ESTIMATE_TOTAL, actualYen: NORM_ESTIMATE_TOTAL + 250_000 },
    });
    expect(refusal.kind === "rule-broken" && refusal.detail).toContain("top-up of 250000 yen");

    const pending = withTopUp(250_000, { active: true, pending: true });
    expect(refusalOf(complete(pending, over))).toMatchObject({ rule: "top-up-pending" });

    const toppedUp = withTopUp(250_000, { active: true });
    const decision = decisionOf(complete(toppedUp, over));
    expect(decision.state.holds.map((h) => [h.reference, h.status, h.postYen])).toEqual([
      ["placement:pl-1", "post-requested", NORM_ESTIMATE_TOTAL],
      ["placement:pl-1:top-up:1", "post-requested", 250_000],
    ]);
    expect(detailsOf(decision).slice(1)).toEqual([
      expect.objectContaining({ reference: "placement:pl-1", amountYen: NORM_ESTIMATE_TOTAL }),
      expect.objectContaining({ reference: "placement:pl-1:top-up:1", amountYen: 250_000 }),
    ]);
  });

  it("posts 0 of a top-up that was not needed, so it is released too", () => {
    const decision = decisionOf(complete(withTopUp(400_000, { active: true })));
    expect(detailsOf(decision).slice(1)).toEqual([
      expect.objectContaining({ reference: "placement:pl-1", amountYen: ACTUAL_TOTAL }),
      expect.objectContaining({ reference: "placement:pl-1:top-up:1", amountYen: 0 }),
    ]);
  });

  it("leaves a rejected top-up alone", () => {
    const asked = withTopUp(400_000, { active: true, pending: true });
    const rejected = decisionOf(holdRejected(asked, rejectedAnswer("placement:pl-1:top-up:1"), stampAt())).state;
    const decision = decisionOf(complete(rejected));
    expect(decision.state.holds.map((h) => h.status)).toEqual(["post-requested", "rejected"]);
    expect(detailTypes(decision)).toEqual(["PlacementCompleted.v1", "FundHoldPostRequested.v1"]);
  });

  it.each(["applied", "approved", "funding-rejected", "funded", "completed", "cancelled"] as const)(
    "refuses a %s placement, naming the state",
    (status) => {
      expect(refusalOf(complete(placementIn(status).placement))).toMatchObject({
        kind: "conflict",
        currentState: status,
      });
    },
  );
});

describe("cancelling a placement", () => {
  const terms: PersonTerms = { terms: [OTHER_TERM], version: 3 };
  const cancel = (placement: Placement, incurredYen?: number, personTerms = terms) =>
    cancelPlacement(placement, { reason: REASON, incurredYen }, programme, personTerms, stampAt(AT.cancelled));
  const giveBack = {
    fiscalYear: 2027,
    direction: "outbound",
    delta: { placements: -1, days: -183 },
    limit: { placements: 1, days: 200 },
  };

  it("an applied one: nothing to void, no quota to give back; the person's term is freed", () => {
    const applied = placementIn("applied", { terms });
    const decision = decisionOf(cancel(applied.placement, undefined, applied.terms));
    expect(decision.state).toMatchObject({
      status: "cancelled",
      cancellation: { reason: REASON, fromStatus: "applied", incurredYen: 0 },
      version: 2,
    });
    expect(detailTypes(decision)).toEqual(["PlacementCancelled.v1"]);
    expect(published(decision.events[0]).detail).toMatchObject({
      status: "cancelled",
      previousStatus: "applied",
      reason: REASON,
      incurredYen: 0,
    });
    expect(decision.quota).toBeNull();
    expect(decision.personTerms).toEqual({ staffId: STAFF_ID, terms: [OTHER_TERM], expectedVersion: 4 });
  });

  it("an approved one: the hold still awaited is voided and the quota given back", () => {
    const decision = decisionOf(cancel(placementIn("approved").placement));
    expect(decision.state.holds).toMatchObject([{ reference: "placement:pl-1", status: "void-requested" }]);
    expect(detailTypes(decision)).toEqual(["PlacementCancelled.v1", "FundHoldVoidRequested.v1"]);
    expect(detailsOf(decision)[1]).toMatchObject({
      reference: "placement:pl-1",
      requester: "staff-exchange",
      reason: REASON,
    });
    expect(decision.quota).toMatchObject(giveBack);
    expect(decision.personTerms).toEqual({ staffId: STAFF_ID, terms: [OTHER_TERM], expectedVersion: 3 });
  });

  it("a funded one: the placed hold is voided (not posted) and the quota given back", () => {
    const decision = decisionOf(cancel(placementIn("funded").placement));
    expect(decision.state.holds).toMatchObject([{ reference: "placement:pl-1", status: "void-requested" }]);
    expect(detailTypes(decision)).toEqual(["PlacementCancelled.v1", "FundHoldVoidRequested.v1"]);
    expect(decision.quota).toMatchObject(giveBack);
    expect(published(decision.events[0]).detail).toMatchObject({ previousStatus: "funded" });
  });

  it("a funded one with top-ups placed and awaited: every hold is voided", () => {
    const placed = withTopUp(100_000);
    const pending = decisionOf(requestTopUp(placed, { amountYen: 50_000 }, programme, stampAt())).state;
    const decision = decisionOf(cancel(pending));
    expect(decision.state.holds.map((h) => h.status)).toEqual(["void-requested", "void-requested", "void-requested"]);
    expect(detailsOf(decision).slice(1)).toEqual([
      expect.objectContaining({ reference: "placement:pl-1" }),
      expect.objectContaining({ reference: "placement:pl-1:top-up:1" }),
      expect.objectContaining({ reference: "placement:pl-1:top-up:2" }),
    ]);
    expect(detailTypes(decision)).not.toContain("FundHoldPostRequested.v1");
  });

  it("a funding-rejected one: nothing is held, the quota is given back", () => {
    const decision = decisionOf(cancel(placementIn("funding-rejected").placement));
    expect(detailTypes(decision)).toEqual(["PlacementCancelled.v1"]);
    expect(decision.state.holds).toMatchObject([{ status: "rejected" }]);
    expect(decision.quota).toMatchObject(giveBack);
  });

  it("an active one: what was incurred is posted, the rest released, the quota kept", () => {
    const decision = decisionOf(cancel(placementIn("active").placement, 1_000_000));
    expect(decision.state).toMatchObject({
      status: "cancelled",
      cancellation: { fromStatus: "active", incurredYen: 1_000_000 },
      holds: [{ status: "post-requested", postYen: 1_000_000 }],
    });
    expect(detailTypes(decision)).toEqual(["PlacementCancelled.v1", "FundHoldPostRequested.v1"]);
    expect(detailsOf(decision)).toEqual([
      expect.objectContaining({ previousStatus: "active", incurredYen: 1_000_000 }),
      expect.objectContaining({ reference: "placement:pl-1", amountYen: 1_000_000 }),
    ]);
    expect(decision.quota).toBeNull();
  });

  it("an active one with nothing incurred posts 0, releasing all", () => {
    const decision = decisionOf(cancel(placementIn("active").placement));
    expect(detailsOf(decision)[1]).toMatchObject({ reference: "placement:pl-1", amountYen: 0 });
  });

  it("an active one with top-ups: incurred posted over the holds in order, the awaited one voided", () => {
    const toppedUp = withTopUp(200_000, { active: true });
    const pending = decisionOf(requestTopUp(toppedUp, { amountYen: 50_000 }, programme, stampAt())).state;
    const decision = decisionOf(cancel(pending, NORM_ESTIMATE_TOTAL + 63_500));
    expect(decision.state.holds.map((h) => [h.status, h.postYen])).toEqual([
      ["post-requested", NORM_ESTIMATE_TOTAL],
      ["post-requested", 63_500],
      ["void-requested", 0],
    ]);
    expect(detailTypes(decision)).toEqual([
      "PlacementCancelled.v1",
      "FundHoldPostRequested.v1",
      "FundHoldPostRequested.v1",
      "FundHoldVoidRequested.v1",
    ]);
  });

  it("refuses incurred costs above what is held", () => {
    expect(refusalOf(cancel(placementIn("active").placement, NORM_ESTIMATE_TOTAL + 1))).toMatchObject({
      kind: "rule-broken",
      rule: "incurred-exceeds-hold",
      facts: { heldYen: NORM_ESTIMATE_TOTAL, incurredYen: NORM_ESTIMATE_TOTAL + 1 },
    });
  });

  it("refuses incurred costs before the start, naming body.incurredYen (0 is fine)", () => {
    expect(refusalOf(cancel(placementIn("funded").placement, 10))).toEqual({
      kind: "invalid",
      errors: [{ path: "body.incurredYen", message: "only a placement that has started has incurred costs" }],
    });
    expect(decisionOf(cancel(placementIn("funded").placement, 0)).state.status).toBe("cancelled");
  });

  it.each(["completed", "cancelled"] as const)("refuses a %s placement, naming the state", (status) => {
    expect(refusalOf(cancel(placementIn(status).placement))).toMatchObject({ kind: "conflict", currentState: status });
  });

  it("refuses a stale version and an unknown placement", () => {
    const { placement } = placementIn("funded");
    expect(
      refusalOf(cancelPlacement(placement, { reason: REASON, expectedVersion: 1 }, programme, terms, stampAt())),
    ).toEqual({ kind: "stale", currentVersion: 3 });
    expect(refusalOf(cancelPlacement(undefined, { reason: REASON }, programme, terms, stampAt()))).toMatchObject({
      kind: "not-found",
    });
  });
});

describe("flagging funding overdue", () => {
  const { placement } = placementIn("approved");
  const flag = (target: Placement, at: Date) => flagFundingOverdue(target, 48, stampAt(at));

  it("flags an approval awaited as long as the wait, once, publishing nothing", () => {
    const at = after(AT.approved, 48);
    const decision = decisionOf(flag(placement, at));
    expect(decision.state).toMatchObject({
      status: "approved",
      fundingOverdueSince: at.toISOString(),
      version: placement.version + 1,
    });
    expect(decision.events).toEqual([]);
    expect(decision.audit.action).toBe("placement.funding-overdue");
    expect(refusalOf(flag(decision.state, after(AT.approved, 72)))).toMatchObject({
      kind: "conflict",
      currentState: "approved",
    });
  });

  it("does not flag before the wait is over", () => {
    const refusal = refusalOf(flag(placement, after(AT.approved, 47.99)));
    expect(refusal).toMatchObject({ kind: "conflict", currentState: "approved" });
    expect(refusal.kind === "conflict" && refusal.detail).toContain("less than 48 hours");
  });

  it.each(["applied", "funded", "funding-rejected", "active", "completed", "cancelled"] as const)(
    "does not flag a %s placement",
    (status) => {
      expect(refusalOf(flag(placementIn(status).placement, after(AT.approved, 24 * 400)))).toMatchObject({
        kind: "conflict",
        currentState: status,
      });
    },
  );

  it("is cleared when the hold is placed, and counts the wait again from a new request for funding", () => {
    const flagged = decisionOf(flag(placement, after(AT.approved, 50))).state;
    const funded = decisionOf(holdPlaced(flagged, placedAnswer(flagged), stampAt(after(AT.approved, 51)))).state;
    expect(funded.fundingOverdueSince).toBeNull();

    const rejected = decisionOf(holdRejected(flagged, rejectedAnswer("placement:pl-1"), stampAt())).state;
    expect(rejected.fundingOverdueSince).toBeNull();
    const askedAgainAt = after(AT.approved, 100);
    const again = decisionOf(requestFundingAgain(rejected, {}, programme, stampAt(askedAgainAt))).state;
    expect(refusalOf(flag(again, after(AT.approved, 140)))).toMatchObject({ kind: "conflict" });
    expect(decisionOf(flag(again, after(AT.approved, 148))).state.fundingOverdueSince).not.toBeNull();
  });

  it("is cleared by a cancellation", () => {
    const flagged = decisionOf(flag(placement, after(AT.approved, 50))).state;
    expect(
      decisionOf(cancelPlacement(flagged, { reason: REASON }, programme, NO_TERMS, stampAt())).state,
    ).toMatchObject({
      status: "cancelled",
      fundingOverdueSince: null,
    });
  });
});

describe("personal data", () => {
  const PERSONAL_KEYS = ["passportNumber", "dateOfBirth", "privateEmail", "emergencyContact", "medicalNotes"];

  /** Every decision of a life cycle, with personal data given on proposal and on edit. */
  function lifeCycles(): PlacementDecision[][] {
    const input = aPlacementInput({ personal: PERSONAL });
    const proposed = decisionOf(proposePlacement(input, programme, NO_TERMS, stampAt(AT.proposed)));
    const edited = decisionOf(
      editPlacement(
        proposed.state,
        { patch: { personal: PERSONAL, fields: ["housing"] }, expectedVersion: 1 },
        programme,
        termsAfter(NO_TERMS, proposed),
        stampAt(AT.proposed),
      ),
    );
    const approved = decisionOf(approvePlacement(edited.state, {}, programme, NO_QUOTA_USED, stampAt(AT.approved)));
    const rejected = decisionOf(holdRejected(approved.state, rejectedAnswer("placement:pl-1"), stampAt(AT.answered)));
    const askedAgain = decisionOf(
      requestFundingAgain(rejected.state, { estimate: { ...NORM_ESTIMATE, travelYen: 150_000 } }, programme, stampAt()),
    );
    const funded = decisionOf(
      holdPlaced(askedAgain.state, placedAnswer(askedAgain.state, "placement:pl-1:2"), stampAt(AT.answered)),
    );
    const flagged = decisionOf(flagFundingOverdue(askedAgain.state, 1, stampAt(after(AT.approved, 2))));
    const started = decisionOf(startPlacement(funded.state, {}, stampAt(AT.started)));
    const topUp = decisionOf(requestTopUp(started.state, { amountYen: 300_000 }, programme, stampAt(AT.completed)));
    const toppedUp = decisionOf(
      holdPlaced(topUp.state, placedAnswer(topUp.state, "placement:pl-1:top-up:1", 3), stampAt(AT.completed)),
    );
    const completed = decisionOf(
      completePlacement(toppedUp.state, { actual: { ...NORM_ESTIMATE, otherYen: 100_000 } }, stampAt(AT.completed)),
    );
    const cancelledEarly = decisionOf(
      cancelPlacement(funded.state, { reason: REASON }, programme, NO_TERMS, stampAt(AT.cancelled)),
    );
    const cancelledLate = decisionOf(
      cancelPlacement(toppedUp.state, { reason: REASON, incurredYen: 500_000 }, programme, NO_TERMS, stampAt()),
    );
    const cancelledApproved = decisionOf(
      cancelPlacement(approved.state, { reason: REASON }, programme, NO_TERMS, stampAt(AT.cancelled)),
    );
    return [
      [proposed, edited, approved, rejected, askedAgain, funded, started, topUp, toppedUp, completed],
      [flagged, cancelledEarly, cancelledLate, cancelledApproved],
    ];
  }

  it("is in no event, state or audit entry of any decision of the life cycle; every event matches its contract", () => {
    const decisions = lifeCycles().flat();
    const events = decisions.flatMap((decision) => decision.events.map((pending) => published(pending)));
    expect(new Set(events.map((e) => e.detailType))).toEqual(
      new Set([
        "PlacementProposed.v1",
        "PlacementApproved.v1",
        "FundHoldRequested.v1",
        "PlacementFundingRejected.v1",
        "PlacementFunded.v1",
        "PlacementStarted.v1",
        "PlacementCompleted.v1",
        "FundHoldPostRequested.v1",
        "PlacementCancelled.v1",
        "FundHoldVoidRequested.v1",
      ]),
    );
    const secrets = personalValues();
    expect(secrets).toHaveLength(7);
    const said = [
      // what each decision asks to publish, and what its contract lets through
      ...decisions.flatMap((decision) => decision.events.map((pending) => JSON.stringify(pending.detail))),
      ...events.map((e) => JSON.stringify(e.detail)),
      ...decisions.map((decision) => JSON.stringify(decision.state)),
      ...decisions.map((decision) => JSON.stringify(decision.audit)),
    ];
    expect(said.length).toBeGreaterThan(40);
    for (const text of said) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const key of PERSONAL_KEYS) expect(text).not.toContain(`"${key}"`);
    }
  });

  it("goes to the store apart, only with the proposal and the edit that carry it", () => {
    const [cycle = []] = lifeCycles();
    expect(cycle.map((decision) => decision.personal !== null)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("random journeys (property)", () => {
  /**
   * A step of a journey. `advance` does what the placement's status calls for next (approve, the ledger's answer
   * to the hold awaited, funding asked again, start, complete), so journeys get far; the others come at any time:
   * the ledger's answers repeated or late (for any hold ever asked for), top-ups, cancellations, flags, steps out
   * of turn.
   */
  type Step =
    | { readonly kind: "advance"; readonly placed: boolean; readonly spentShare: number }
    | { readonly kind: "approve"; readonly quotaFull: boolean }
    | { readonly kind: "answer"; readonly pick: number; readonly placed: boolean }
    | { readonly kind: "fundAgain"; readonly lowerBy: number }
    | { readonly kind: "topUp"; readonly amountYen: number }
    | { readonly kind: "start"; readonly dayOffset: number }
    | { readonly kind: "complete"; readonly overBy: number }
    | { readonly kind: "cancel"; readonly incurredShare: number | undefined }
    | { readonly kind: "flag"; readonly hours: number };

  const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
  const share = (max: number) => fc.double({ min: 0, max, noNaN: true });
  const step: fc.Arbitrary<Step> = fc.oneof(
    weighted(
      10,
      fc.record({
        kind: fc.constant("advance" as const),
        placed: fc.nat(3).map((n) => n > 0),
        spentShare: share(1.15),
      }),
    ),
    weighted(1, fc.record({ kind: fc.constant("approve" as const), quotaFull: fc.boolean() })),
    weighted(4, fc.record({ kind: fc.constant("answer" as const), pick: fc.nat(20), placed: fc.boolean() })),
    weighted(
      1,
      fc.record({ kind: fc.constant("fundAgain" as const), lowerBy: fc.integer({ min: 0, max: 1_830_000 }) }),
    ),
    weighted(2, fc.record({ kind: fc.constant("topUp" as const), amountYen: fc.integer({ min: 1, max: 2_000_000 }) })),
    weighted(1, fc.record({ kind: fc.constant("start" as const), dayOffset: fc.integer({ min: -2, max: 2 }) })),
    weighted(
      1,
      fc.record({ kind: fc.constant("complete" as const), overBy: fc.integer({ min: -3_000_000, max: 1_000_000 }) }),
    ),
    weighted(
      1,
      fc.record({ kind: fc.constant("cancel" as const), incurredShare: fc.option(share(1.2), { nil: undefined }) }),
    ),
    weighted(1, fc.record({ kind: fc.constant("flag" as const), hours: fc.integer({ min: 0, max: 96 }) })),
  );

  const LEGAL: Readonly<Record<PlacementStatus, readonly PlacementStatus[]>> = {
    applied: ["approved", "cancelled"],
    approved: ["approved", "funded", "funding-rejected", "cancelled"],
    "funding-rejected": ["approved", "cancelled"],
    funded: ["funded", "active", "cancelled"],
    active: ["active", "completed", "cancelled"],
    completed: [],
    cancelled: [],
  };

  const spending = (allowanceYen: number): CostBreakdown => ({
    ...NORM_ESTIMATE,
    allowanceYen: Math.max(0, allowanceYen),
  });

  function run(steps: readonly Step[]) {
    const proposed = decisionOf(proposePlacement(aPlacementInput(), programme, NO_TERMS, stampAt(AT.proposed)));
    let placement = proposed.state;
    let terms = termsAfter(NO_TERMS, proposed);
    let quotaTaken = 0;
    let answers = 0;
    const requested: { reference: string; amountYen: number }[] = [];
    const settled: { type: "post" | "void"; reference: string; amountYen: number }[] = [];
    const stamp = stampAt(after(AT.approved, 1));
    const onStartDay = stampAt(AT.started);

    const answer = (reference: string, amountYen: number, placed: boolean): Outcome => {
      answers += 1;
      return placed
        ? holdPlaced(placement, { reference, holdId: holdIdOf(answers), amountYen }, stamp)
        : holdRejected(placement, rejectedAnswer(reference), stamp);
    };
    const decide = (s: Step): Outcome | undefined => {
      switch (s.kind) {
        case "advance": {
          const awaited = placement.holds.find((h) => h.status === "requested");
          if (awaited) return answer(awaited.reference, awaited.amountYen, s.placed);
          if (placement.status === "applied") return approvePlacement(placement, {}, programme, NO_QUOTA_USED, stamp);
          if (placement.status === "funding-rejected") return requestFundingAgain(placement, {}, programme, stamp);
          if (placement.status === "funded") return startPlacement(placement, {}, onStartDay);
          if (placement.status === "active") {
            const spent = Math.floor(heldYen(placement) * s.spentShare);
            const rest = NORM_ESTIMATE_TOTAL - NORM_ESTIMATE.allowanceYen;
            return completePlacement(placement, { actual: spending(spent - rest) }, stamp);
          }
          return undefined;
        }
        case "approve":
          return approvePlacement(
            placement,
            {},
            programme,
            s.quotaFull ? { placements: 1, days: 0 } : NO_QUOTA_USED,
            stamp,
          );
        case "answer": {
          const asked = requested[s.pick % Math.max(1, requested.length)];
          return asked && answer(asked.reference, asked.amountYen, s.placed);
        }
        case "fundAgain":
          return requestFundingAgain(
            placement,
            { estimate: spending(NORM_ESTIMATE.allowanceYen - s.lowerBy) },
            programme,
            stamp,
          );
        case "topUp":
          return requestTopUp(placement, { amountYen: s.amountYen }, programme, stamp);
        case "start": {
          const today = new Date(Date.UTC(2027, 3, 1 + s.dayOffset)).toISOString().slice(0, 10);
          return startPlacement(placement, {}, stampAt(AT.started, { today }));
        }
        case "complete":
          return completePlacement(placement, { actual: spending(NORM_ESTIMATE.allowanceYen + s.overBy) }, stamp);
        case "cancel": {
          const incurredYen =
            s.incurredShare === undefined ? undefined : Math.floor(heldYen(placement) * s.incurredShare);
          return cancelPlacement(placement, { reason: REASON, incurredYen }, programme, terms, stamp);
        }
        case "flag":
          return flagFundingOverdue(placement, 24, stampAt(after(AT.approved, s.hours)));
      }
    };

    for (const s of steps) {
      const outcome = decide(s);
      if (!outcome) continue;
      if (!outcome.ok) {
        expect(["conflict", "rule-broken", "invalid"]).toContain(outcome.refusal.kind);
        continue;
      }
      const decision = outcome.decision;
      expect(decision.expectedVersion).toBe(placement.version);
      expect(decision.state.version).toBe(placement.version + 1);
      expect(LEGAL[placement.status]).toContain(decision.state.status);
      for (const pending of decision.events) {
        const { detailType, detail } = published(pending);
        const reference = String(detail.reference);
        if (detailType === "FundHoldRequested.v1") requested.push({ reference, amountYen: Number(detail.amountYen) });
        if (detailType === "FundHoldPostRequested.v1") {
          settled.push({ type: "post", reference, amountYen: Number(detail.amountYen) });
        }
        if (detailType === "FundHoldVoidRequested.v1") settled.push({ type: "void", reference, amountYen: 0 });
      }
      quotaTaken += decision.quota?.delta.placements ?? 0;
      terms = termsAfter(terms, decision);
      placement = decision.state;
    }
    return { placement, terms, quotaTaken, requested, settled };
  }

  it("never leave a hold behind once completed or cancelled, never settle one twice, and keep the quota straight", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40, size: "max" }), (steps) => {
        const { placement, terms, quotaTaken, requested, settled } = run(steps);

        // every hold asked for once, under a reference of its own, and known to the placement
        const references = requested.map((r) => r.reference);
        expect(new Set(references).size).toBe(references.length);
        expect(placement.holds.map((h) => h.reference)).toEqual(references);
        // none posted or voided twice, none that was not asked for, none posted beyond what it holds
        const settledRefs = settled.map((s) => s.reference);
        expect(new Set(settledRefs).size).toBe(settledRefs.length);
        for (const reference of settledRefs) expect(references).toContain(reference);
        for (const hold of placement.holds) expect(hold.postYen ?? 0).toBeLessThanOrEqual(hold.amountYen);

        if (placement.status === "completed" || placement.status === "cancelled") {
          for (const hold of placement.holds) {
            expect(["post-requested", "void-requested", "rejected"]).toContain(hold.status);
            // the ledger was told: a hold it may have placed is posted or voided
            if (hold.status !== "rejected") expect(settledRefs).toContain(hold.reference);
          }
          expect(terms.terms.some((t) => t.placementId === placement.id)).toBe(placement.status === "completed");
        } else {
          expect(settled).toEqual([]);
          expect(terms.terms.map((t) => t.placementId)).toEqual([placement.id]);
        }

        const posted = settled.reduce((sum, s) => sum + s.amountYen, 0);
        if (placement.status === "completed") expect(posted).toBe(placement.actual?.totalYen);
        if (placement.status === "cancelled") {
          expect(posted).toBe(placement.cancellation?.incurredYen);
          // before the start, the ledger is asked to void, never to post
          if (placement.cancellation?.fromStatus !== "active")
            expect(settled.every((s) => s.type === "void")).toBe(true);
        }
        if (placement.status === "funded" || placement.status === "active") {
          expect(placement.holds.some((h) => h.purpose === "estimate" && h.status === "placed")).toBe(true);
        }

        // the quota is taken once on approval and given back only by a cancellation before the start
        const keepsQuota =
          countsAgainstQuota(placement.status) ||
          (placement.status === "cancelled" && placement.cancellation?.fromStatus === "active");
        expect(quotaTaken).toBe(keepsQuota ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("bounds on what a placement asks of the fund", () => {
  it("refuses a top-up of less than one yen, naming the field", () => {
    const { placement } = placementIn("funded");
    expect(refusalOf(requestTopUp(placement, { amountYen: 0 }, programme, stampAt()))).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.amountYen" }],
    });
  });

  it("asks for at most ten holds in all, funding attempts and top-ups together", () => {
    let placement: Placement = placementIn("funded").placement;
    for (let n = 1; placement.holds.length < 10; n++) {
      const asked = decisionOf(requestTopUp(placement, { amountYen: 1_000 }, programme, stampAt(AT.completed))).state;
      const reference = `placement:pl-1:top-up:${n}`;
      placement = decisionOf(holdPlaced(asked, placedAnswer(asked, reference, n + 1), stampAt(AT.completed))).state;
    }
    expect(refusalOf(requestTopUp(placement, { amountYen: 1_000 }, programme, stampAt()))).toMatchObject({
      kind: "rule-broken",
      rule: "holds-limit",
    });
  });

  it("clears an earlier top-up's refusal once a later top-up is placed", () => {
    const { placement } = placementIn("funded");
    const first = decisionOf(requestTopUp(placement, { amountYen: 9_000 }, programme, stampAt())).state;
    const refusedTopUp = decisionOf(holdRejected(first, rejectedAnswer("placement:pl-1:top-up:1"), stampAt())).state;
    expect(refusedTopUp.fundingRejection).not.toBeNull();
    const second = decisionOf(requestTopUp(refusedTopUp, { amountYen: 5_000 }, programme, stampAt())).state;
    const placed = decisionOf(holdPlaced(second, placedAnswer(second, "placement:pl-1:top-up:2", 3), stampAt())).state;
    expect(placed.fundingRejection).toBeNull();
  });

  it("refuses a cancellation that would give quota back when the programme is unknown, writing nothing", () => {
    const { placement, terms } = placementIn("funded");
    expect(refusalOf(cancelPlacement(placement, { reason: REASON }, undefined, terms, stampAt()))).toMatchObject({
      kind: "not-found",
    });
  });
});
